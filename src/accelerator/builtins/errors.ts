// Error constructors: `Error(msg)` and `new Error(msg)` (and TypeError, RangeError, SyntaxError,
// ReferenceError, URIError) make the core's ErrorValue through host.makeError. Their statics
// (captureStackTrace, stackTraceLimit, prepareStackTrace: host machinery and a classic escape route)
// abort, and writes to builtins abort (see setStatic). DOMException makes the core's DOMException
// value (../dom-exception.ts) through host.makeDomException.
import type { Host } from './host.ts';
import { ERROR_VALUE, NEW_PROPERTY } from './costs.ts';
import { DOM_CONSTANTS } from '../dom-exception.ts';
import { BuiltinFunction, chargeString, hasOwn, isDataObject, newDomException, str, unsupported } from './values.ts';

function makeError(host: Host, name: string, args: unknown[]): unknown {
  const message = args.length > 0 ? args[0] : undefined;
  // Node installs an own `message` only when one is given (not for undefined).
  const text = message === undefined ? undefined : str(host, message);
  const options = args.length > 1 ? args[1] : undefined;
  // InstallErrorCause reads `cause` with HasProperty and Get: a branded object's getters or
  // prototypes would run user code there, so only plain objects (data properties) are read.
  if (host.isBranded?.(options) === true) unsupported(host, `${name}.cause`, 'options that are not a plain object');
  const cause = isDataObject(host, options) && hasOwn(options, 'cause') ? { value: options.cause } : undefined;
  host.alloc(ERROR_VALUE);
  if (text !== undefined) chargeString(host, text.length);
  const e = host.makeError(name, text);
  if (cause) {
    host.alloc(NEW_PROPERTY);
    Object.defineProperty(e, 'cause', { value: cause.value, writable: true, enumerable: false, configurable: true });
  }
  return e;
}

const ctor = (name: string, real: object) => new BuiltinFunction({
  name, length: 1, path: name, real, alsoAbort: ['prepareStackTrace', 'captureStackTrace', 'stackTraceLimit'],
  impl: (h, _t, args) => makeError(h, name, args),
  construct: (h, args) => makeError(h, name, args),
});

/**
 * `new DOMException(message = '', name = 'Error')`: both converted to strings as Node does (its
 * webidl DOMString, so a symbol throws); an options object (`{ name, cause }`) aborts.
 */
function makeDomException(h: Host, args: unknown[]): unknown {
  const [m, n] = args;
  if (typeof m === 'object' && m !== null) return unsupported(h, 'new DOMException', 'a message that is an object');
  if (typeof n === 'object' && n !== null) return unsupported(h, 'new DOMException', 'options');
  if (typeof m === 'symbol' || typeof n === 'symbol') return unsupported(h, 'new DOMException', 'a symbol');
  const message = m === undefined ? '' : str(h, m);
  const name = n === undefined ? 'Error' : str(h, n);
  return newDomException(h, 'new DOMException', name, message);
}

export const DOMExceptionFn = new BuiltinFunction({
  name: 'DOMException', length: 0, path: 'DOMException', real: DOMException,
  statics: Object.fromEntries(DOM_CONSTANTS),
  impl: (h) => h.throwError('TypeError', "Class constructor DOMException cannot be invoked without 'new'"),
  construct: makeDomException,
});

export const errorConstructors: Record<string, BuiltinFunction> = {
  Error: ctor('Error', Error),
  TypeError: ctor('TypeError', TypeError),
  RangeError: ctor('RangeError', RangeError),
  SyntaxError: ctor('SyntaxError', SyntaxError),
  ReferenceError: ctor('ReferenceError', ReferenceError),
  URIError: ctor('URIError', URIError),
  DOMException: DOMExceptionFn,
};
