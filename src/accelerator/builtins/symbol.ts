// Symbol: only the two well-known symbols compiled code may hold as keys (../symbols.ts says where
// they may go). `Symbol()` / `Symbol(description)` make unique symbols that are values only
// (sentinels compared by identity, as semver's ANY): as a key, converted or read from, one aborts.
// Symbol.for and every other member abort.
import { OBJECT_HEADER } from './costs.ts';
import { BuiltinFunction, str, unsupported } from './values.ts';

/** The symbols compiled code may hold; every other symbol use aborts. */
export const WELL_KNOWN: ReadonlySet<unknown> = new Set([Symbol.iterator, Symbol.asyncIterator]);

/**
 * Well-known symbols no value compiled code can hold has as a property (no builtin Node gives it, and
 * compiled code cannot define it: a key other than WELL_KNOWN aborts), so reading one gives undefined
 * (lodash's `value[Symbol.isConcatSpreadable]`); every other use aborts.
 */
export const ABSENT_SYMBOLS: ReadonlySet<unknown> = new Set([Symbol.isConcatSpreadable]);

export const isWellKnownSymbol = (k: unknown): k is symbol => typeof k === 'symbol' && WELL_KNOWN.has(k);

export const SymbolFn = new BuiltinFunction({
  name: 'Symbol', length: 0, path: 'Symbol', real: Symbol,
  impl: (h, _t, args) => {
    // The description is converted as Node does (a user toString runs; a symbol aborts).
    const description = args[0] === undefined ? undefined : str(h, args[0]);
    h.tick(1);
    h.alloc(OBJECT_HEADER);
    return Symbol(description);
  },
  construct: (h) => unsupported(h, 'new Symbol'),
  // toStringTag only as a key of Object.getOwnPropertyDescriptor (typed-arrays.ts): as any other key it aborts.
  statics: { iterator: Symbol.iterator, asyncIterator: Symbol.asyncIterator, toStringTag: Symbol.toStringTag, isConcatSpreadable: Symbol.isConcatSpreadable },
});
