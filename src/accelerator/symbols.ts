/**
 * Symbols as property keys. Two kinds of symbol may be keys (builtins/symbol.ts, isKeySymbol): the
 * well-known `Symbol.iterator` and `Symbol.asyncIterator` (iterators.ts runs the protocol through
 * `[Symbol.iterator]()`), and the symbols `Symbol()` made for the program (`this[kState] = …`), as
 * keys of plain objects and of instances (classes.ts). A made symbol read from, deleted from or
 * tested with `in` on an array, a function or a primitive finds nothing, as in Node (nothing the
 * program holds can have one there: writing one there aborts). Listing paths see symbol keys as Node
 * does: Object.keys, for…in, JSON and structuredClone skip them (they list with Object.keys);
 * Object.getOwnPropertySymbols lists them, and spread, Object.assign and console.log copy or print
 * the enumerable ones (ownSymbols). Every other symbol as a key aborts.
 */
import type { Runtime } from './runtime.ts';
import * as cls from './classes.ts';
import { Closure, ErrorValue } from './values.ts';
import { NEW_PROPERTY } from './builtins/costs.ts';
import { ABSENT_SYMBOLS, isKeySymbol, isMadeSymbol } from './builtins/symbol.ts';

export { isKeySymbol, isMadeSymbol, isWellKnownSymbol } from './builtins/symbol.ts';

const hasOwn = (o: object, k: symbol): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * An object that holds symbol-keyed properties here: a plain object or an instance (not an error,
 * and not an arguments object, whose own Symbol.iterator Node has and the runtime does not model).
 */
function holder(rt: Runtime, o: unknown): o is object {
  if (typeof o !== 'object' || o === null || Array.isArray(o) || o instanceof ErrorValue || cls.isArguments(o)) return false;
  return rt.isPlain(o) || cls.isUserObject(o);
}

/** Values where a made symbol is never an own or inherited key: arrays, functions and primitives. */
function neverHolds(rt: Runtime, o: unknown): boolean {
  if (typeof o === 'string' || typeof o === 'number' || typeof o === 'boolean' || typeof o === 'bigint') return true;
  return Array.isArray(o) || o instanceof Closure || (typeof o === 'object' && o !== null && !cls.isUserObject(o) && rt.isCallable(o));
}

/** `o[sym]`: an own property of a plain object, or along an instance's prototypes. */
export function symbolGet(rt: Runtime, o: unknown, k: symbol): unknown {
  if (ABSENT_SYMBOLS.has(k)) {
    if (o === undefined || o === null) return rt.throwError('TypeError', `Cannot read properties of ${String(o)} (reading '${String(k)}')`);
    rt.tick(1);
    return undefined;
  }
  if (!isKeySymbol(k)) return rt.abort('unsupported:value', 'symbol-key');
  if (typeof o === 'object' && o !== null && rt.isPlain(o)) return hasOwn(o, k) ? (o as Record<symbol, unknown>)[k] : undefined;
  // An arguments object has Symbol.iterator (own, in Node) but nothing else under a symbol it may hold.
  if (cls.isArguments(o)) return k === Symbol.iterator ? rt.abort('unsupported:value', 'symbol-key (arguments[Symbol.iterator])') : undefined;
  if (cls.isUserObject(o)) return cls.userGet(rt, o as object, k as unknown as string);
  if (isMadeSymbol(k)) {
    if (o === undefined || o === null) return rt.throwError('TypeError', `Cannot read properties of ${String(o)} (reading '${String(k)}')`);
    if (neverHolds(rt, o)) {
      rt.tick(1);
      return undefined;
    }
  }
  return rt.abort('unsupported:value', 'symbol-key (of a value that is not a plain object or an instance)');
}

/** `o[sym] = v` on a plain object or an instance (put in sloppy code, puts in strict code). */
export function symbolPut(rt: Runtime, o: unknown, k: symbol, v: unknown, strict = false): unknown {
  if (!isKeySymbol(k)) return rt.abort('unsupported:value', 'symbol-key');
  if (holder(rt, o) && rt.isPlain(o) && Object.isExtensible(o)) {
    if (!hasOwn(o, k)) rt.alloc(NEW_PROPERTY);
    (o as Record<symbol, unknown>)[k] = v;
    return v;
  }
  if (holder(rt, o) && cls.isUserObject(o)) return cls.userPut(rt, o, k as unknown as string, v);
  if (isMadeSymbol(k)) {
    if (o === undefined || o === null) return rt.throwError('TypeError', `Cannot set properties of ${String(o)} (setting '${String(k)}')`);
    if (typeof o === 'string' || typeof o === 'number' || typeof o === 'boolean') {
      if (!strict) return v; // a write to a primitive is dropped in sloppy code
      return rt.throwError('TypeError', `Cannot create property '${String(k)}' on ${typeof o} '${String(o)}'`);
    }
  }
  return rt.abort('unsupported:value', 'symbol-key (written to a value that is not a plain object or an instance)');
}

/** `sym in o` for a plain object or an instance. */
export function symbolHas(rt: Runtime, o: unknown, k: symbol): boolean {
  if (!isKeySymbol(k)) return rt.abort('unsupported:value', 'symbol-key');
  if (typeof o === 'object' && o !== null && rt.isPlain(o)) return hasOwn(o, k);
  if (cls.isUserObject(o) && !cls.isArguments(o)) return cls.userHas(rt, o as object, k as unknown as string);
  if (isMadeSymbol(k)) {
    if (typeof o !== 'object' && typeof o !== 'function') return rt.throwError('TypeError', `Cannot use 'in' operator to search for '${String(k)}' in ${String(o)}`);
    if (neverHolds(rt, o)) {
      rt.tick(1);
      return false;
    }
  }
  return rt.abort('unsupported:value', 'symbol-key (in a value that is not a plain object or an instance)');
}

/** `delete o[sym]`. */
export function symbolDelete(rt: Runtime, o: unknown, k: symbol): boolean {
  if (!isKeySymbol(k)) return rt.abort('unsupported:value', 'symbol-key');
  if (holder(rt, o)) {
    if (Object.isFrozen(o) && hasOwn(o, k)) return rt.abort('unsupported:value', 'frozen-delete (a symbol key)');
    rt.tick(1);
    return cls.isUserObject(o) ? cls.userDelete(rt, o, k as unknown as string) : delete (o as Record<symbol, unknown>)[k];
  }
  if (isMadeSymbol(k)) {
    if (o === undefined || o === null) return rt.throwError('TypeError', 'Cannot convert undefined or null to object');
    if (neverHolds(rt, o)) {
      rt.tick(1);
      return true;
    }
  }
  return rt.abort('unsupported:value', 'symbol-key (deleted from a value that is not a plain object or an instance)');
}

/** `Object.hasOwn(o, sym)`, `o.hasOwnProperty(sym)`: o is already an object (ToObject done). */
export function symbolHasOwn(rt: Runtime, o: unknown, k: symbol): boolean {
  if (!isKeySymbol(k)) return rt.abort('unsupported:value', 'symbol-key');
  if (holder(rt, o)) {
    rt.tick(1);
    return hasOwn(o, k);
  }
  if (isMadeSymbol(k) && neverHolds(rt, o)) {
    rt.tick(1);
    return false;
  }
  return rt.abort('unsupported:value', 'symbol-key (an own key of a value that is not a plain object or an instance)');
}

/**
 * The own symbol keys of o in Node's order (creation order), all of them or only the enumerable
 * ones; a value that cannot hold them has none. Aborts, naming `what`, for objects this file does
 * not model, and (internal) for a symbol the program did not make, which the runtime never writes.
 */
export function ownSymbols(rt: Runtime, o: object, enumerableOnly: boolean, what: string): symbol[] {
  if (neverHolds(rt, o)) return [];
  if (!holder(rt, o)) {
    // An error never gets a symbol key here (symbolPut refuses it).
    if ((o as unknown) instanceof ErrorValue && Object.getOwnPropertySymbols(o).length === 0) return [];
    return rt.abort('unsupported:value', `${what} (symbol keys of a value that is not a plain object or an instance)`);
  }
  const all = Object.getOwnPropertySymbols(o);
  rt.tick(1 + all.length);
  const out: symbol[] = [];
  for (const s of all) {
    if (!isKeySymbol(s)) return rt.abort('internal', `${what} (a symbol key the program did not make)`);
    if (!enumerableOnly || Object.prototype.propertyIsEnumerable.call(o, s)) out.push(s);
  }
  return out;
}

/** True when `o` has own symbol-keyed properties, which Node's spread, assign and inspect would show. */
export function hasOwnSymbols(o: unknown): boolean {
  return typeof o === 'object' && o !== null && Object.getOwnPropertySymbols(o).length > 0;
}
