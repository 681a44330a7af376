// Symbol: the two well-known symbols compiled code may use as keys, and the symbols `Symbol()` /
// `Symbol(description)` make (../symbols.ts says where either may be a key). A made symbol is a
// unique value compared by identity (semver's ANY) and a key of plain objects and instances
// (`this[kState]`). Symbol.for and every other member abort.
import { OBJECT_HEADER } from './costs.ts';
import { BuiltinFunction, Namespace, str, symbolText, unsupported } from './values.ts';

/** The symbols compiled code may hold; every other symbol use aborts. */
export const WELL_KNOWN: ReadonlySet<unknown> = new Set([Symbol.iterator, Symbol.asyncIterator]);

/**
 * Well-known symbols no value compiled code can hold has as a property (no builtin Node gives it, and
 * compiled code cannot define it: a key other than WELL_KNOWN aborts), so reading one gives undefined
 * (lodash's `value[Symbol.isConcatSpreadable]`); every other use aborts.
 */
export const ABSENT_SYMBOLS: ReadonlySet<unknown> = new Set([Symbol.isConcatSpreadable]);

export const isWellKnownSymbol = (k: unknown): k is symbol => typeof k === 'symbol' && WELL_KNOWN.has(k);

/**
 * The symbols `Symbol()` made for the program. Only these and WELL_KNOWN may be property keys: the
 * runtime's own symbols (classes.ts's NOT_FOUND, …) and the other well-known ones never are, so a
 * program can neither write nor list a key it did not make.
 */
const MADE = new WeakSet<object>();

/** A symbol `Symbol()` made. */
export const isMadeSymbol = (k: unknown): k is symbol => typeof k === 'symbol' && MADE.has(k as unknown as object);

/** A symbol compiled code may use as a property key: a made one or one of WELL_KNOWN. */
export const isKeySymbol = (k: unknown): k is symbol => typeof k === 'symbol' && (WELL_KNOWN.has(k) || MADE.has(k as unknown as object));

const symbolMethod = (name: 'valueOf' | 'toString') => new BuiltinFunction({
  name, length: 0, path: `Symbol.prototype.${name}`,
  impl: (h, t) => {
    // A boxed symbol (Object(sym)) has no runtime value: every receiver but a symbol is Node's TypeError.
    if (typeof t !== 'symbol') return h.throwError('TypeError', `Symbol.prototype.${name} requires that 'this' be a Symbol`);
    h.tick(1);
    return name === 'valueOf' ? t : symbolText(h, t);
  },
});

/** `Symbol.prototype` as a value (lodash: `symbolProto.valueOf`): a read-only stand-in with valueOf and toString. */
const SymbolProto = new Namespace('Symbol.prototype', { valueOf: symbolMethod('valueOf'), toString: symbolMethod('toString') }, Symbol.prototype);

export const SymbolFn = new BuiltinFunction({
  name: 'Symbol', length: 0, path: 'Symbol', real: Symbol,
  impl: (h, _t, args) => {
    // The description is converted as Node does (a user toString runs; a symbol aborts).
    const description = args[0] === undefined ? undefined : str(h, args[0]);
    h.tick(1);
    h.alloc(OBJECT_HEADER);
    const s = Symbol(description);
    MADE.add(s as unknown as object);
    return s;
  },
  construct: (h) => unsupported(h, 'new Symbol'),
  // toStringTag only as a key of Object.getOwnPropertyDescriptor (typed-arrays.ts): as any other key it aborts.
  statics: { prototype: SymbolProto, iterator: Symbol.iterator, asyncIterator: Symbol.asyncIterator, toStringTag: Symbol.toStringTag, isConcatSpreadable: Symbol.isConcatSpreadable },
});
