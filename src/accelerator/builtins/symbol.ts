// Symbol: only the two well-known symbols compiled code may hold as keys (../symbols.ts says where
// they may go). Making symbols (Symbol(), Symbol.for) and every other member abort.
import { BuiltinFunction, unsupported } from './values.ts';

export const SymbolFn = new BuiltinFunction({
  name: 'Symbol', length: 0, path: 'Symbol', real: Symbol,
  impl: (h) => unsupported(h, 'Symbol()'),
  construct: (h) => unsupported(h, 'new Symbol'),
  statics: { iterator: Symbol.iterator, asyncIterator: Symbol.asyncIterator },
});
