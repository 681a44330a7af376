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
 * `new DOMException(message = '', name = 'Error')` as Node 20's: the name may be an options object
 * (`{ name, cause }`: its name read as is, so a missing one is 'undefined', and a `cause` it has
 * becomes an own non-enumerable property); both are converted with ToString (a symbol throws).
 */
function makeDomException(h: Host, args: unknown[]): unknown {
  const [m, n] = args;
  let name: unknown = n === undefined ? 'Error' : n;
  let cause: { value: unknown } | undefined;
  if (typeof n === 'object' && n !== null) {
    // Only a plain object's own data properties: a getter or a prototype would run user code.
    if (!isDataObject(h, n) || h.isError?.(n) === true || h.isBranded?.(n) === true || h.isEnv?.(n) === true) return unsupported(h, 'new DOMException', 'options that are not a plain object');
    name = hasOwn(n, 'name') ? n.name : undefined;
    if (hasOwn(n, 'cause')) cause = { value: n.cause };
  }
  const message = m === undefined ? '' : str(h, m);
  const e = newDomException(h, 'new DOMException', str(h, name), message);
  if (cause) {
    h.alloc(NEW_PROPERTY);
    Object.defineProperty(e, 'cause', { value: cause.value, writable: true, enumerable: false, configurable: true });
  }
  return e;
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
