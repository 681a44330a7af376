// The global bindings the accelerator knows, and the dispatch from the core's generic operations
// (method call, static read, call, new) to the builtin that implements them. Lookups use Maps or own
// properties only, so a name like `constructor` or `__proto__` never reaches an Object.prototype member.
import type { Host } from './host.ts';
import { ArrayFn, callArrayMethod, arrayMethods } from './array.ts';
import { DateFn, dateKinds } from './date.ts';
import { IntlNs, intlKinds } from './intl.ts';
import { BufferFn } from './node-buffer.ts';
import { WeakMapFn, WeakSetFn, weakKinds } from './weak-collections.ts';
import { moduleKinds } from './modules.ts';
import { structuredCloneFn } from './structured-clone.ts';
import { errorConstructors } from './errors.ts';
import { FUNCTION_METHODS, FunctionFn, callFunctionMethod, functionProtoMembers } from './functions.ts';
import { JSONNs } from './json.ts';
import { MathNs } from './math.ts';
import {
  BooleanFn, NumberFn, booleanMethods, isFiniteFn, isNaNFn, numberMethods, parseFloatFn, parseIntFn, uriFunctions,
} from './number.ts';
import { ObjectFn, objectProtoMethods } from './object.ts';
import { StringFn, stringMethods } from './string.ts';
import { URLFn, URLSearchParamsFn, urlKinds } from './url.ts';
import { HeadersFn, headersKind } from './headers.ts';
import { ArrayBufferFn, DataViewFn, TextDecoderFn, TextEncoderFn, Uint8ArrayFn } from './bytes.ts';
import { base64Functions } from './base64.ts';
import { typedArrayGlobals } from './typed-arrays.ts';
import { CryptoNs } from './web-crypto.ts';
import { RequestFn, ResponseFn, fetchFn, fetchKinds } from './fetch-api.ts';
import { MapFn, SetFn, collectionKinds } from './collections.ts';
import { RegExpFn, regexpKind } from './regexp.ts';
import { SymbolFn } from './symbol.ts';
import { PromiseFn } from '../promise.ts';
import { timerGlobals } from '../timers.ts';
import { BuiltinFunction, Namespace, hasOwn, isDataObject, symbolText, unsupported } from './values.ts';
import { registerWebConstructors } from './web-value.ts';

/**
 * `global` / `globalThis` as a value: an object with no state of its own whose property reads are the
 * global bindings (the core's `globalRead`), so `global.Object === Object`. Writes, deletes, key
 * listings and everything else on it abort: the container's global object is shared mutable state.
 */
export class GlobalObject {
  static readonly instance: GlobalObject = new GlobalObject();
  private constructor() {
    Object.freeze(this);
  }
}

const globals: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['global', GlobalObject.instance], ['globalThis', GlobalObject.instance],
  ['Math', MathNs], ['JSON', JSONNs], ['Object', ObjectFn], ['Array', ArrayFn], ['Number', NumberFn],
  ['String', StringFn], ['Boolean', BooleanFn], ['Date', DateFn],
  ...Object.entries(errorConstructors),
  ['parseInt', parseIntFn], ['parseFloat', parseFloatFn], ['isNaN', isNaNFn], ['isFinite', isFiniteFn],
  ...Object.entries(uriFunctions),
  ['NaN', NaN], ['Infinity', Infinity],
  ['URL', URLFn], ['URLSearchParams', URLSearchParamsFn], ['Headers', HeadersFn], ['crypto', CryptoNs],
  ['Request', RequestFn], ['Response', ResponseFn], ['fetch', fetchFn], ['Map', MapFn], ['Set', SetFn], ['WeakMap', WeakMapFn], ['WeakSet', WeakSetFn], ['structuredClone', structuredCloneFn],
  ['RegExp', RegExpFn], ['Symbol', SymbolFn], ['Intl', IntlNs], ['Buffer', BufferFn],
  ['Uint8Array', Uint8ArrayFn], ['ArrayBuffer', ArrayBufferFn], ['DataView', DataViewFn], ['TextEncoder', TextEncoderFn], ['TextDecoder', TextDecoderFn],
  ...Object.entries(base64Functions), ...Object.entries(typedArrayGlobals),
  ['Promise', PromiseFn], ...Object.entries(timerGlobals), ['Function', FunctionFn],
]);

// A web value's `constructor` is the global of its kind's name, when that global is a builtin function.
registerWebConstructors((name) => {
  const g = globals.get(name);
  return g instanceof BuiltinFunction ? g : undefined;
});

/**
 * Every callable the library implements, by the name a program uses: globals (`parseInt`, `String`),
 * statics (`Math.max`, `JSON.parse`) and methods (`String.prototype.slice`, `Function.prototype.call`).
 * For inventories (the charges test makes sure each one is charged for its work).
 */
export function builtinInventory(): string[] {
  const out: string[] = [];
  for (const [name, v] of globals) {
    if (v instanceof BuiltinFunction) {
      out.push(name);
      for (const s of BuiltinFunction.staticNames(v)) if (BuiltinFunction.get(NO_HOST, v, s) instanceof BuiltinFunction) out.push(`${name}.${s}`);
    } else if (v instanceof Namespace) {
      for (const s of Namespace.staticNames(v)) if (Namespace.get(NO_HOST, v, s) instanceof BuiltinFunction) out.push(`${name}.${s}`);
    }
  }
  const methods: [string, object][] = [['String', stringMethods], ['Array', arrayMethods], ['Number', numberMethods], ['Boolean', booleanMethods], ['Object', objectProtoMethods]];
  for (const [type, table] of methods) for (const m of Object.keys(table)) out.push(`${type}.prototype.${m}`);
  for (const m of FUNCTION_METHODS) out.push(`Function.prototype.${m}`);
  for (const kind of webKinds) for (const m of Object.keys(kind.methods)) out.push(`${kind.name}.prototype.${m}`);
  return out;
}
const NO_HOST = new Proxy({}, { get: () => () => { throw new Error('builtinInventory: no host'); } }) as unknown as Host;

/** The value of a global the accelerator supports, or undefined when it does not support the name
 * (`undefined` itself, `globalThis`, `process`, `require`, … are the core's business or abort). */
export function getGlobal(name: string): unknown {
  return globals.get(name);
}

/**
 * The prototypes of the web kinds' constructors, as opaque stand-ins compared by identity (lodash's
 * isPrototype: `value === value.constructor.prototype`): every member, and whatever would look into
 * them (iteration, JSON, console.log, Array.isArray), aborts. (The typed arrays' are typed-arrays.ts'.)
 */
const OPAQUE_PROTOTYPES: ReadonlyMap<string, Namespace> = new Map(['Date', 'Map', 'Set', 'RegExp', 'WeakMap', 'WeakSet', 'ArrayBuffer', 'DataView', 'URL',
  'URLSearchParams', 'Headers', 'Request', 'Response', 'TextEncoder', 'TextDecoder'].map((n) => [n,
  new Namespace(`${n}.prototype`, {}, (globalThis as unknown as Record<string, { prototype: object }>)[n]!.prototype, 'a prototype the runtime does not model')]));

/** `ns[key]` for a builtin value (Namespace or BuiltinFunction): Math.PI, Number.MAX_SAFE_INTEGER,
 * String.fromCharCode, Math.max.name. Names Node has but we do not implement (including `prototype`,
 * `constructor`, `__proto__`, `call`, …) abort; other names read as undefined, as in Node. */
export function getStatic(host: Host, ns: unknown, key: string | number): unknown {
  const k = String(key);
  if (ns instanceof Namespace) return Namespace.get(host, ns, k);
  if (ns instanceof BuiltinFunction) {
    const opaque = k === 'prototype' && !BuiltinFunction.hasStatic(ns, k) && globals.get(ns.path) === ns ? OPAQUE_PROTOTYPES.get(ns.path) : undefined;
    if (opaque) return opaque;
    // Inherited from Function.prototype: its methods as values (`Map.toString`, `f.call`).
    if (!BuiltinFunction.hasStatic(ns, k) && hasOwn(functionProtoMembers, k)) return functionProtoMembers[k];
    return BuiltinFunction.get(host, ns, k);
  }
  return host.abort('internal', 'getStatic on a value that is not a builtin');
}

/** `ns[key] = v` on a builtin value: builtins are shared by all requests and never written. */
export function setStatic(host: Host, ns: unknown, key: string | number): never {
  const path = ns instanceof Namespace || ns instanceof BuiltinFunction ? ns.path : 'builtin';
  return unsupported(host, `write:${path}.${String(key)}`);
}

export function callBuiltin(host: Host, fn: BuiltinFunction, thisArg: unknown, args: unknown[]): unknown {
  return BuiltinFunction.invoke(host, fn, thisArg, args);
}

export function construct(host: Host, fn: BuiltinFunction, args: unknown[]): unknown {
  return BuiltinFunction.construct(host, fn, args);
}

const webKinds = [urlKinds.URL, urlKinds.URLSearchParams, headersKind, fetchKinds.Request, fetchKinds.Response, ...collectionKinds.slice(0, 2), ...dateKinds, ...weakKinds, ...moduleKinds, regexpKind, ...intlKinds];

function own<T>(table: Record<string, T>, name: string): T | undefined {
  return hasOwn(table, name) ? table[name] : undefined;
}

/**
 * `receiver.name(...args)` when the receiver has no own property `name` (the core calls an own
 * property itself). Strings, numbers and booleans use their prototype's methods, arrays Array's,
 * closures and builtin functions Function's, builtin namespaces their statics, and everything falls
 * back to the Object.prototype methods that are implemented. Anything else aborts.
 */
export function callMethod(host: Host, receiver: unknown, name: string, args: unknown[]): unknown {
  if (receiver === undefined || receiver === null) {
    return host.throwError('TypeError', `Cannot read properties of ${String(receiver)} (reading '${name}')`);
  }
  switch (typeof receiver) {
    case 'string': {
      const m = own(stringMethods, name);
      if (m) return m(host, receiver, args);
      break;
    }
    case 'number': {
      const m = own(numberMethods, name);
      if (m) return m(host, receiver, args);
      break;
    }
    case 'boolean': {
      const m = own(booleanMethods, name);
      if (m) return m(host, receiver, args);
      break;
    }
    default: break;
  }
  if (Array.isArray(receiver)) {
    if (own(arrayMethods, name)) return callArrayMethod(host, receiver, name, args);
    // `array.constructor(n)` (lodash's initCloneArray): Array, which ignores its receiver.
    if (name === 'constructor') return BuiltinFunction.invoke(host, ArrayFn, receiver, args);
  } else if (receiver instanceof Namespace || receiver instanceof BuiltinFunction) {
    const isStatic = receiver instanceof Namespace ? Namespace.hasStatic(receiver, name) : BuiltinFunction.hasStatic(receiver, name);
    if (isStatic) {
      const f = getStatic(host, receiver, name);
      if (f instanceof BuiltinFunction) return BuiltinFunction.invoke(host, f, receiver, args);
      return unsupported(host, `${receiver.path}.${name}()`, 'not a function');
    }
    if (receiver instanceof BuiltinFunction) return callFunctionMethod(host, receiver, name, args);
    return unsupported(host, `${receiver.path}.${name}`);
  } else if (host.isCallable(receiver)) {
    return callFunctionMethod(host, receiver, name, args);
  } else if (isDataObject(host, receiver) && hasOwn(receiver, name)) {
    const f = receiver[name];
    if (host.isCallable(f)) return host.call(f, receiver, args);
    return unsupported(host, 'call of a non-function property');
  }
  // A null-prototype object (a match's `groups`) has no Object.prototype methods: Node's TypeError
  // names the callee's text, which is not known here.
  if (isDataObject(host, receiver) && Object.getPrototypeOf(receiver) === null) return unsupported(host, `null-prototype object.${name}`, 'not a function');
  // Symbol.prototype's own methods come before Object.prototype's.
  if (typeof receiver === 'symbol') {
    host.tick(1);
    if (name === 'valueOf') return receiver;
    if (name === 'toString') return symbolText(host, receiver);
    return unsupported(host, `Symbol.prototype.${name}`);
  }
  const m = own(objectProtoMethods, name);
  if (m && typeof receiver !== 'function') return m(host, receiver, args);
  const type = typeof receiver === 'string' ? 'String' : typeof receiver === 'number' ? 'Number'
    : typeof receiver === 'boolean' ? 'Boolean' : Array.isArray(receiver) ? 'Array' : 'Object';
  return unsupported(host, `${type}.prototype.${name}`);
}
