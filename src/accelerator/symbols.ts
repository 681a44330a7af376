/**
 * The two well-known symbols compiled code may hold (`Symbol.iterator`, `Symbol.asyncIterator`), as
 * keys (symbols made by `Symbol()` are values only: as keys they abort here) of plain objects and of instances (classes.ts); iterators.ts runs the protocol through
 * `[Symbol.iterator]()`. Everywhere else a symbol would be observed
 * differently from Node (converted to a string or number, copied by object spread or Object.assign,
 * printed by console.log, used as the key of another kind of object), the request aborts.
 */
import type { Runtime } from './runtime.ts';
import * as cls from './classes.ts';
import { LITERAL_PROPERTY } from './builtins/costs.ts';
import { ABSENT_SYMBOLS, WELL_KNOWN } from './builtins/symbol.ts';

export { isWellKnownSymbol } from './builtins/symbol.ts';

/** `o[sym]`: an own property of a plain object, or along an instance's prototypes. */
export function symbolGet(rt: Runtime, o: unknown, k: symbol): unknown {
  if (ABSENT_SYMBOLS.has(k)) {
    if (o === undefined || o === null) return rt.throwError('TypeError', `Cannot read properties of ${String(o)} (reading '${String(k)}')`);
    rt.tick(1);
    return undefined;
  }
  if (!WELL_KNOWN.has(k)) return rt.abort('unsupported:value', 'symbol-key');
  if (typeof o === 'object' && o !== null && rt.isPlain(o)) return Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<symbol, unknown>)[k] : undefined;
  if (cls.isUserObject(o)) return cls.userGet(rt, o as object, k as unknown as string);
  return rt.abort('unsupported:value', 'symbol-key (of a value that is not a plain object or an instance)');
}

/** `o[sym] = v` on a plain object or an instance. */
export function symbolPut(rt: Runtime, o: unknown, k: symbol, v: unknown): unknown {
  if (!WELL_KNOWN.has(k)) return rt.abort('unsupported:value', 'symbol-key');
  if (typeof o === 'object' && o !== null && rt.isPlain(o) && Object.isExtensible(o)) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) rt.alloc(LITERAL_PROPERTY);
    (o as Record<symbol, unknown>)[k] = v;
    return v;
  }
  if (cls.isUserObject(o)) return cls.userPut(rt, o as object, k as unknown as string, v);
  return rt.abort('unsupported:value', 'symbol-key (written to a value that is not a plain object or an instance)');
}

/** `sym in o` for a plain object or an instance. */
export function symbolHas(rt: Runtime, o: unknown, k: symbol): boolean {
  if (!WELL_KNOWN.has(k)) return rt.abort('unsupported:value', 'symbol-key');
  if (typeof o === 'object' && o !== null && rt.isPlain(o)) return Object.prototype.hasOwnProperty.call(o, k);
  if (cls.isUserObject(o)) return cls.userHas(rt, o as object, k as unknown as string);
  return rt.abort('unsupported:value', 'symbol-key (in a value that is not a plain object or an instance)');
}

/** True when `o` has own symbol-keyed properties, which Node's spread, assign and inspect would show. */
export function hasOwnSymbols(o: unknown): boolean {
  return typeof o === 'object' && o !== null && Object.getOwnPropertySymbols(o).length > 0;
}
