// Symbol: only the two well-known symbols compiled code may hold as keys (../symbols.ts says where
// they may go). Making symbols (Symbol(), Symbol.for) and every other member abort.
import { BuiltinFunction, unsupported } from './values.ts';

/** The symbols compiled code may hold; every other symbol use aborts. */
export const WELL_KNOWN: ReadonlySet<unknown> = new Set([Symbol.iterator, Symbol.asyncIterator]);

export const isWellKnownSymbol = (k: unknown): k is symbol => typeof k === 'symbol' && WELL_KNOWN.has(k);

export const SymbolFn = new BuiltinFunction({
  name: 'Symbol', length: 0, path: 'Symbol', real: Symbol,
  impl: (h) => unsupported(h, 'Symbol()'),
  construct: (h) => unsupported(h, 'new Symbol'),
  // toStringTag only as a key of Object.getOwnPropertyDescriptor (typed-arrays.ts): as any other key it aborts.
  statics: { iterator: Symbol.iterator, asyncIterator: Symbol.asyncIterator, toStringTag: Symbol.toStringTag },
});
