// Object's statics (keys, values, entries, assign, fromEntries, freeze, isFrozen, hasOwn) and the
// Object.prototype methods that plain objects, arrays and strings inherit (hasOwnProperty, toString,
// valueOf, propertyIsEnumerable). Runtime objects hold only own enumerable data properties, so V8's
// own Object.keys on them gives Node's property order. Closures are opaque to this library (their
// properties belong to the core), so anything that would look inside one aborts.
import type { Host } from './host.ts';
import { defineProperty, getOwnPropertyDescriptor } from './define-property.ts';
import { typedArrayPrototypeOf } from './typed-arrays.ts';
import { WebValue, isWebValue } from './web-value.ts';
import { DOM_CONSTANTS } from '../dom-exception.ts';
import { PROPERTY_UNITS, STRING_HEADER } from './costs.ts';
import {
  BuiltinFunction, Namespace, chargeArray, chargeObject, chargeProperties, chargeString, hasOwn, isBuiltinValue, isDataObject, isOrdinaryPlain, toPropertyKey, unsupported,
} from './values.ts';

const arg = (args: unknown[], i: number): unknown => (i < args.length ? args[i] : undefined);

function nullish(host: Host, v: unknown): void {
  if (v === undefined || v === null) host.throwError('TypeError', 'Cannot convert undefined or null to object');
}

/** Web kinds whose Node objects have no own properties at all (string or symbol keys): Object.keys gives []. */
const KEYLESS_KINDS: ReadonlySet<string> = new Set(['Date', 'Map', 'Set', 'WeakMap', 'WeakSet', 'ArrayBuffer', 'DataView', 'URL', 'URLSearchParams', 'Headers']);
const keyless = (v: unknown): boolean => isWebValue(v) && KEYLESS_KINDS.has(WebValue.kind(v).name) && WebValue.ownKeys(v) === undefined;

/**
 * The own enumerable string keys Node would list for ToObject(v), in Node's order. A string's or an
 * array's keys are new strings, charged (with the work) before they are made; an object's keys exist.
 */
export function ownKeys(host: Host, v: unknown, what: string): string[] {
  nullish(host, v);
  if (typeof v === 'string' || Array.isArray(v)) {
    host.tick(1 + v.length);
    host.alloc(v.length * (STRING_HEADER + 8));
    return Object.keys(v);
  }
  if (typeof v === 'number' || typeof v === 'boolean') return [];
  if (isDataObject(host, v) || host.isInstance?.(v) === true) return Object.keys(v as object);
  // A function that never sees `this`: the properties written to it (`module.exports = fn; fn.x = …`).
  const fp = host.functionProps?.(v);
  if (fp !== undefined) return Object.keys(fp);
  if (isBuiltinValue(v)) {
    // Most of Node's builtins have no enumerable own properties; the few that do (Error's
    // stackTraceLimit, Buffer's statics, DOMException's constants) are not listed here.
    const listed = v instanceof BuiltinFunction ? BuiltinFunction.listed(v) : Namespace.listed(v);
    return listed ? unsupported(host, what, `enumerable properties of ${v.path}`) : [];
  }
  // A RegExp's own properties a program added (`regex.state = …`).
  const wk = isWebValue(v) ? WebValue.ownKeys(v) : undefined;
  if (wk !== undefined) return wk;
  if (keyless(v)) return [];
  return unsupported(host, what, 'function or object of the core runtime');
}

/** Get(ToObject(v), key) for an own key returned by ownKeys. */
function getOwn(host: Host, v: unknown, key: string): unknown {
  if (isWebValue(v)) return WebValue.read(host, v, key);
  const fp = host.functionProps?.(v);
  return fp !== undefined ? fp[key] : (v as Record<string, unknown>)[key];
}

function keys(host: Host, v: unknown): string[] {
  const ks = ownKeys(host, v, 'Object.keys');
  host.tick(1 + ks.length);
  chargeArray(host, ks.length);
  return ks;
}

function values(host: Host, v: unknown): unknown[] {
  const ks = ownKeys(host, v, 'Object.values');
  host.tick(1 + ks.length);
  chargeArray(host, ks.length);
  return ks.map((k) => getOwn(host, v, k));
}

function entries(host: Host, v: unknown): unknown[] {
  const ks = ownKeys(host, v, 'Object.entries');
  host.tick(1 + 2 * ks.length);
  chargeArray(host, ks.length);
  for (let i = 0; i < ks.length; i++) chargeArray(host, 2);
  return ks.map((k) => [k, getOwn(host, v, k)]);
}

function assign(host: Host, args: unknown[]): unknown {
  const t = arg(args, 0);
  nullish(host, t);
  // An instance of a class or constructor (Object.assign(this, defaults) in a constructor): Set, so
  // setters along its prototypes run, as the core's own writes do.
  const branded = host.isBranded?.(t) === true && host.putBranded !== undefined;
  // A function that never sees `this` (picomatch: Object.assign(picomatch, pico)): Set, as the core writes it.
  const fnTarget = !branded && host.functionProps?.(t) !== undefined && host.putFunction !== undefined;
  if (!branded && !fnTarget && !isDataObject(host, t)) return unsupported(host, 'Object.assign', 'target is not a plain object or error');
  const target = t as Record<string, unknown>;
  if (host.isEnv?.(target)) return unsupported(host, 'Object.assign', 'process.env');
  const plain = isOrdinaryPlain(target);
  if (!fnTarget && !Object.isExtensible(target)) return unsupported(host, 'Object.assign', 'frozen target');
  for (let i = 1; i < args.length; i++) {
    const src = args[i];
    if (src === undefined || src === null) continue;
    // Node copies enumerable symbol-keyed properties too, after the string keys.
    let syms: symbol[] = [];
    if (typeof src === 'object' && host.functionProps?.(src) === undefined && Object.getOwnPropertySymbols(src).length > 0) {
      if (!host.ownSymbols) return unsupported(host, 'Object.assign', 'a source with symbol keys');
      syms = host.ownSymbols(src, true, 'Object.assign');
    }
    if (syms.length > 0 && (fnTarget || !host.symbolPut || !host.symbolGet)) return unsupported(host, 'Object.assign', 'symbol keys onto a function');
    const ks = ownKeys(host, src, 'Object.assign');
    host.tick(1 + PROPERTY_UNITS * ks.length);
    chargeProperties(host, ks.length);
    for (const k of ks) {
      if (k === '__proto__') return unsupported(host, 'Object.assign', '__proto__');
      if (branded) host.putBranded!(target, k, getOwn(host, src, k));
      else if (fnTarget) host.putFunction!(target, k, getOwn(host, src, k));
      else if (plain || hasOwn(target, k)) target[k] = getOwn(host, src, k);
      else {
        // An error: Set makes an own data property (Error.prototype's name and message are writable
        // data properties in Node), whatever the core keeps on its ErrorValue class; its stack is not
        // modelled.
        if (k === 'stack') return unsupported(host, 'Object.assign', 'stack of an error');
        // A DOMException's name, message and code are getters without setters, its constants read-only.
        if (host.isDomException?.(target) === true && (k === 'name' || k === 'message' || k === 'code' || DOM_CONSTANTS.has(k))) {
          return unsupported(host, 'Object.assign', `${k} of a DOMException`);
        }
        Object.defineProperty(target, k, { value: getOwn(host, src, k), writable: true, enumerable: true, configurable: true });
      }
    }
    host.tick(PROPERTY_UNITS * syms.length);
    // A new property is charged by symbolPut.
    for (const s of syms) host.symbolPut!(target, s, host.symbolGet!(src, s));
  }
  return target;
}

function fromEntries(host: Host, iterable: unknown): unknown {
  if (iterable === undefined || iterable === null) return unsupported(host, 'Object.fromEntries', 'null or undefined');
  const out: Record<string, unknown> = {};
  chargeObject(host, 0);
  const add = (entry: unknown) => {
    host.tick(PROPERTY_UNITS);
    if (entry === null || (typeof entry !== 'object' && typeof entry !== 'function')) {
      host.throwError('TypeError', `Iterator value ${String(entry)} is not an entry object`);
    }
    let k: unknown;
    let v: unknown;
    if (Array.isArray(entry)) {
      k = entry.length > 0 ? entry[0] : undefined;
      v = entry.length > 1 ? entry[1] : undefined;
    } else if (isDataObject(host, entry) && isOrdinaryPlain(entry)) {
      k = hasOwn(entry, '0') ? entry['0'] : undefined;
      v = hasOwn(entry, '1') ? entry['1'] : undefined;
    } else {
      return unsupported(host, 'Object.fromEntries', 'entry is not an array or plain object');
    }
    const key = toPropertyKey(host, k);
    if (key === '__proto__') return unsupported(host, 'Object.fromEntries', '__proto__');
    chargeProperties(host, 1);
    chargeString(host, key.length); // the key's internalized copy
    out[key] = v;
  };
  if (typeof iterable === 'string') {
    for (const ch of iterable) add(ch);
  } else if (Array.isArray(iterable)) {
    // The array iterator is live and reads a hole as undefined.
    for (let k = 0; k < iterable.length; k++) add(hasOwn(iterable, String(k)) ? iterable[k] : undefined);
  } else {
    // A Map, a generator, a user iterable: stepped as for…of steps it (closed when an entry throws).
    const it = host.iterable?.(iterable);
    if (it === undefined) return unsupported(host, 'Object.fromEntries', 'not an iterable');
    for (const e of it) add(e);
  }
  return out;
}

function freeze(host: Host, v: unknown): unknown {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return v;
  if (!Array.isArray(v) && !isDataObject(host, v)) return unsupported(host, 'Object.freeze', 'function or builtin');
  if (host.isEnv?.(v)) return host.throwError('TypeError', 'Cannot freeze'); // Node's environment cannot be frozen
  // V8 copies the properties' descriptors into the frozen shape.
  const n = Array.isArray(v) ? v.length : Object.keys(v).length;
  host.tick(1 + n);
  chargeProperties(host, Array.isArray(v) ? 0 : n);
  return Object.freeze(v);
}

function isFrozen(host: Host, v: unknown): boolean {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return true;
  if (!Array.isArray(v) && !isDataObject(host, v)) return unsupported(host, 'Object.isFrozen', 'function or builtin');
  host.tick(1 + (Array.isArray(v) ? v.length : Object.keys(v).length));
  return Object.isFrozen(v);
}

/** HasOwnProperty(ToObject(o), key) once both are converted. */
function hasOwnKey(host: Host, o: unknown, key: string, what: string): boolean {
  if (typeof o === 'string') return Object.prototype.hasOwnProperty.call(o, key);
  if (typeof o === 'number' || typeof o === 'boolean') return false;
  if (host.isAccessorObject?.(o) === true) return hasOwn(o as object, key);
  // An instance's own properties are V8's own data properties (classes.ts isPlainInstance).
  if (host.isInstance?.(o) === true) return hasOwn(o as object, key);
  if (Array.isArray(o) || isDataObject(host, o)) {
    // Node's errors have an own `stack`, which ErrorValues do not model.
    if (key === 'stack' && !Array.isArray(o) && !isOrdinaryPlain(o)) return unsupported(host, what, 'stack of an error');
    return hasOwn(o, key);
  }
  const web = isWebValue(o) ? WebValue.hasOwnProp(o, key) : undefined;
  if (web !== undefined) return web;
  return unsupported(host, what, 'function or builtin');
}

/** HasOwnProperty(ToObject(o), sym): the core knows which symbol keys and holders it models (symbols.ts). */
function hasOwnSymbol(host: Host, o: unknown, k: symbol): boolean {
  if (!host.symbolHasOwn) return host.abort('unsupported:value', 'symbol-key');
  return host.symbolHasOwn(o, k);
}

/** Object.getOwnPropertySymbols(o): the symbol keys the program wrote, in creation order, as a new array. */
function ownPropertySymbols(host: Host, o: unknown): symbol[] {
  nullish(host, o);
  if (typeof o !== 'object' && typeof o !== 'function') return [];
  // Nor have the web values whose Node objects have no own keys (symbol keys are never written to them).
  if (keyless(o) || (isWebValue(o) && WebValue.kind(o).name === 'RegExp')) {
    host.tick(1);
    chargeArray(host, 0);
    return [];
  }
  if (!host.ownSymbols) return unsupported(host, 'Object.getOwnPropertySymbols');
  // Node's builtins have symbol keys that are not modelled (Math's Symbol.toStringTag, Array's Symbol.species).
  if (isBuiltinValue(o)) return unsupported(host, 'Object.getOwnPropertySymbols', 'a builtin');
  const syms = host.ownSymbols(o as object, false, 'Object.getOwnPropertySymbols');
  chargeArray(host, syms.length);
  return syms;
}

function toObject(h: Host, args: unknown[]): unknown {
  const v = arg(args, 0);
  h.tick(1);
  if (v === undefined || v === null) return h.fromHost({});
  if (typeof v === 'object') return v;
  return unsupported(h, 'Object()', `of a ${typeof v}`);
}

const fn = (name: string, length: number, impl: (host: Host, args: unknown[]) => unknown) =>
  new BuiltinFunction({ name, length, path: `Object.${name}`, impl: (h, _t, args) => impl(h, args) });


type ProtoMethod = (host: Host, receiver: unknown, args: unknown[]) => unknown;

/** Object.prototype methods, for receivers whose own type has no method of that name. */
export const objectProtoMethods: Record<string, ProtoMethod> = {
  hasOwnProperty(h: Host, o: unknown, a: unknown[]) {
    const k = arg(a, 0);
    if (typeof k === 'symbol') return hasOwnSymbol(h, o, k);
    const key = toPropertyKey(h, k); // spec: ToPropertyKey before ToObject
    return hasOwnKey(h, o, key, 'Object.prototype.hasOwnProperty');
  },
  propertyIsEnumerable(h: Host, o: unknown, a: unknown[]) {
    const k = arg(a, 0);
    // Symbol keys written by the program are enumerable; class methods under one are not (prototypes').
    if (typeof k === 'symbol') return hasOwnSymbol(h, o, k) && Object.prototype.propertyIsEnumerable.call(o, k);
    const key = toPropertyKey(h, k);
    // Runtime objects hold data properties only, so V8's answer on them is Node's: an array's or a
    // string's length and an error's given message are the non-enumerable ones.
    // A RegExp's added properties are enumerable, its lastIndex is not.
    if (isWebValue(o)) return hasOwnKey(h, o, key, 'Object.prototype.propertyIsEnumerable') && WebValue.props(o)?.has(key) === true;
    return hasOwnKey(h, o, key, 'Object.prototype.propertyIsEnumerable') && Object.prototype.propertyIsEnumerable.call(o, key);
  },
  // With no own `toString` (the core calls an own one itself), `o.toString()` is what ToString(o)
  // computes through OrdinaryToPrimitive: "[object Object]" for a plain object, `name: message` for an
  // error.
  toString: (h: Host, o: unknown) => h.toString(o),
  valueOf: (_h: Host, o: unknown) => o,
};

/**
 * `Object.prototype` as a value: a read-only namespace of functions that take their receiver from the
 * call (the realm's real prototype never reaches compiled code; writes abort as on every builtin).
 */
const objectProto = new Namespace('Object.prototype', {
  toString: new BuiltinFunction({
    name: 'toString', length: 0, path: 'Object.prototype.toString',
    impl: (h, t) => {
      if (!h.objectTag) return unsupported(h, 'Object.prototype.toString');
      return `[object ${h.objectTag(t)}]`;
    },
  }),
  // An object's valueOf is the object itself; a primitive's would be boxed, which has no runtime value.
  valueOf: new BuiltinFunction({
    name: 'valueOf', length: 0, path: 'Object.prototype.valueOf',
    impl: (h, t) => {
      if (t === undefined || t === null) return h.throwError('TypeError', 'Cannot convert undefined or null to object');
      return typeof t === 'object' ? t : unsupported(h, 'Object.prototype.valueOf', `of a ${typeof t}`);
    },
  }),
  ...Object.fromEntries(['hasOwnProperty', 'propertyIsEnumerable'].map((name) => [name, new BuiltinFunction({
    name, length: 1, path: `Object.prototype.${name}`,
    impl: (h, t, args) => {
      if (t === undefined || t === null) return h.throwError('TypeError', 'Cannot convert undefined or null to object');
      return objectProtoMethods[name]!(h, t, args);
    },
  })])),
}, Object.prototype);

/** Array.prototype's stand-in (array.ts registers it: it is made from the array methods, which import this file). */
let arrayProtoStandIn: object | undefined;
export function registerArrayPrototype(ns: object): void {
  arrayProtoStandIn = ns;
}

/**
 * Object.getPrototypeOf: the stand-ins of Object.prototype (for plain objects), Array.prototype (for
 * arrays) and their own prototypes; null for a null-prototype object; a typed array's (typed-arrays.ts).
 * Anything else aborts (an instance's, an error's, a function's chain is not handed out).
 */
function getPrototypeOf(h: Host, v: unknown): unknown {
  if (v === undefined || v === null) return h.throwError('TypeError', 'Cannot convert undefined or null to object');
  if (v === objectProto) return null;
  if (v === arrayProtoStandIn || (v instanceof BuiltinFunction && v.path === 'Function.prototype')) return objectProto;
  if (Array.isArray(v)) {
    h.tick(1);
    return arrayProtoStandIn;
  }
  if (isDataObject(h, v) && isOrdinaryPlain(v) && h.isError?.(v) !== true && h.isEnv?.(v) !== true && h.isBranded?.(v) !== true) {
    h.tick(1);
    return Object.getPrototypeOf(v) === null ? null : objectProto;
  }
  if (typeof v === 'object' && h.isBranded?.(v) === true) {
    const p = h.prototypeOf?.(v);
    if (p !== undefined) return p;
  }
  return typedArrayPrototypeOf(h, v);
}

/**
 * Object.create(proto[, undefined]): a plain object for Object.prototype's stand-in, a dictionary for
 * null, and what the core models (a program's prototype objects, ../classes.ts); property
 * descriptors and the builtins' other prototypes abort.
 */
function create(h: Host, a: unknown[]): unknown {
  const p = arg(a, 0);
  if (arg(a, 1) !== undefined) return unsupported(h, 'Object.create', 'property descriptors');
  if (p !== null && typeof p !== 'object' && typeof p !== 'function') {
    if (typeof p === 'symbol') return unsupported(h, 'Object.create', 'a symbol');
    return h.throwError('TypeError', `Object prototype may only be an Object or null: ${typeof p === 'string' ? p : String(p)}`);
  }
  if (p === objectProto) {
    h.tick(1);
    return h.fromHost({});
  }
  const r = p === null || !isBuiltinValue(p) ? h.objectCreate?.(p) : undefined;
  return r !== undefined ? r : unsupported(h, 'Object.create', 'a prototype not modelled');
}

/** Object.prototype's builtin of that name (Array.prototype's stand-in shares them). */
export function objectProtoMember(name: string): unknown {
  if (!Namespace.hasStatic(objectProto, name)) throw new Error(`no Object.prototype.${name}`);
  return Namespace.get(undefined as never, objectProto, name);
}

export const ObjectFn = new BuiltinFunction({
  name: 'Object', length: 1, path: 'Object', real: Object,
  // `Object(x)` is x itself for an object (lodash's `Object(value)` before Object.keys) and a new
  // plain object for null, undefined or nothing; it boxes primitives, which are not runtime values.
  impl: (h, _t, args) => toObject(h, args),
  construct: (h, args) => toObject(h, args),
  statics: {
    // `Object.prototype.toString.call(v)` and kin (older code, bundled libraries): a read-only namespace
    // (Array.prototype's stand-in is array.ts's).
    prototype: objectProto,
    keys: fn('keys', 1, (h, a) => keys(h, arg(a, 0))),
    defineProperty: fn('defineProperty', 3, defineProperty),
    getOwnPropertyDescriptor: fn('getOwnPropertyDescriptor', 2, getOwnPropertyDescriptor),
    getPrototypeOf: fn('getPrototypeOf', 1, (h, a) => getPrototypeOf(h, arg(a, 0))),
    create: fn('create', 2, create),
    values: fn('values', 1, (h, a) => values(h, arg(a, 0))),
    entries: fn('entries', 1, (h, a) => entries(h, arg(a, 0))),
    assign: fn('assign', 2, (h, a) => assign(h, a)),
    fromEntries: fn('fromEntries', 1, (h, a) => fromEntries(h, arg(a, 0))),
    freeze: fn('freeze', 1, (h, a) => freeze(h, arg(a, 0))),
    isFrozen: fn('isFrozen', 1, (h, a) => isFrozen(h, arg(a, 0))),
    // SameValue on runtime values: no conversion, so V8's own Object.is is exact.
    is: fn('is', 2, (_h, a) => Object.is(arg(a, 0), arg(a, 1))),
    getOwnPropertySymbols: fn('getOwnPropertySymbols', 1, (h, a) => ownPropertySymbols(h, arg(a, 0))),
    getOwnPropertyNames: fn('getOwnPropertyNames', 1, (h, a) => {
      const o = arg(a, 0);
      nullish(h, o);
      // Plain objects hold only enumerable properties; arrays and strings add their `length`. An
      // error would list `stack` in Node, which the runtime does not model, so it aborts.
      if (typeof o === 'string' || Array.isArray(o) || (isDataObject(h, o) && isOrdinaryPlain(o))) {
        // A string's or an array's indices become new strings.
        if (typeof o === 'string' || Array.isArray(o)) {
          h.tick(1 + o.length);
          h.alloc(o.length * (STRING_HEADER + 8));
        }
        const names = Object.getOwnPropertyNames(o);
        h.tick(1 + names.length);
        chargeArray(h, names.length);
        return names;
      }
      if (typeof o === 'number' || typeof o === 'boolean') return [];
      // An accessor object's own properties are its JavaScript own properties (an accessor's value is
      // the core's record of it), so V8's list is Node's.
      if (h.isAccessorObject?.(o) === true) {
        const names = Object.getOwnPropertyNames(o);
        h.tick(1 + names.length);
        chargeArray(h, names.length);
        return names;
      }
      return unsupported(h, 'Object.getOwnPropertyNames', 'function, builtin, error or object of the core runtime');
    }),
    hasOwn: fn('hasOwn', 2, (h, a) => {
      const o = arg(a, 0);
      nullish(h, o); // spec: ToObject before ToPropertyKey
      const k = arg(a, 1);
      if (typeof k === 'symbol') return hasOwnSymbol(h, o, k);
      return hasOwnKey(h, o, toPropertyKey(h, k), 'Object.hasOwn');
    }),
  },
});
