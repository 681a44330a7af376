// Array.prototype methods on runtime arrays, and Array's statics and constructor.
// Runtime arrays are dense (docs/pipeline-interfaces.md), but every method here is also exact on an
// array with holes: HasProperty(O, k) is an own-property test (cheap when the element is defined),
// Get of a hole is undefined. Lengths are read once where the spec reads them once, so callbacks that
// shrink or grow the array are seen exactly as Node sees them. A method that would *create* a hole in
// its result, or write to a frozen array, aborts instead. Callbacks are only called through host.call.
import type { Host } from './host.ts';
import { sortValues } from './sort.ts';
import { arrayIteratorOf } from './collections.ts';
import { CALLBACK_UNITS, CONS_NODE, COPY_UNITS, FAST_CHARS_PER_UNIT, JOIN_UNITS, fastCharUnits, ropeUnits } from './costs.ts';
import {
  BuiltinFunction, chargeArray, chargeElements, chargeString, hasOwn, isDataObject, loopTick, native, relIndex, requireCallable, str,
  Namespace, refuseExotic, toIntegerOrInfinity, toLength, unsupported,
} from './values.ts';
import { objectProtoMember, registerArrayPrototype } from './object.ts';

type ArrayMethod = (host: Host, a: unknown[], args: unknown[]) => unknown;

const arg = (args: unknown[], i: number): unknown => (i < args.length ? args[i] : undefined);
// Array.prototype of this realm: runtime arrays may come from another realm, and their own realm's
// methods are never called (a method found through a runtime value's prototype is never used).
const P = Array.prototype;

/** HasProperty(a, k) for an index k: an own element (holes and indices past the end are not). */
function has(a: unknown[], k: number): boolean {
  return k < a.length && (a[k] !== undefined || Object.prototype.hasOwnProperty.call(a, k));
}

/** Get(a, k): own elements only (no index property is ever inherited by a runtime array). */
function get(a: unknown[], k: number): unknown {
  return has(a, k) ? a[k] : undefined;
}

/** Units per element `fill` writes: V8 turns a large `new Array(n)`'s dictionary elements into fast ones. */
const FILL_UNITS = 2;

/** Argument lists passed on to a native method by spreading stay far below V8's stack limit. */
const MAX_SPREAD = 10000;

function mutable(host: Host, a: unknown[], what: string): void {
  if (!Object.isExtensible(a)) unsupported(host, `Array.prototype.${what}`, 'frozen array');
}

/** V8 keeps a stack of arrays being joined and prints a cycle as the empty string. */
const joinStack: unknown[] = [];

/** Elements V8's own join prints exactly as the spec's ToString does: primitives (no user code runs). */
function primitivesOnly(host: Host, a: unknown[]): boolean {
  for (let k = 0; k < a.length; k++) {
    loopTick(host, k, 0, a.length);
    const v = a[k];
    if (typeof v === 'object' && v !== null) return false;
    // A symbol makes join throw (ToString): the slow path throws it as Node does.
    if (typeof v === 'function' || typeof v === 'symbol' || (v === undefined && !has(a, k))) return false;
  }
  return true;
}

export function arrayJoin(host: Host, a: unknown[], sepArg: unknown): string {
  const len = a.length;
  const sep = sepArg === undefined ? ',' : str(host, sepArg);
  if (joinStack.includes(a)) return '';
  if (primitivesOnly(host, a)) {
    // Numbers print as V8 prints them: at most 24 characters each; the result is a flat string.
    let chars = sep.length * Math.max(0, len - 1);
    for (let k = 0; k < len; k++) {
      const v = a[k];
      chars += typeof v === 'string' ? v.length : 24;
    }
    host.tick(JOIN_UNITS * len + fastCharUnits(chars));
    chargeString(host, chars);
    return P.join.call(a, sep);
  }
  joinStack.push(a);
  try {
    let out = '';
    chargeString(host, 0);
    for (let k = 0; k < len; k++) {
      host.tick(JOIN_UNITS);
      if (k > 0) out += sep;
      const v = get(a, k);
      const piece = v !== undefined && v !== null ? str(host, v) : '';
      // As it grows: rope nodes and the characters of the flat copy a later use may make.
      host.alloc(2 * CONS_NODE);
      chargeString(host, piece.length + sep.length);
      out += piece;
    }
    host.tick(ropeUnits(out.length));
    return out;
  } finally {
    joinStack.pop();
  }
}

function iterate(host: Host, a: unknown[], args: unknown[], what: string, each: (v: unknown, k: number, r: unknown) => boolean): void {
  const len = a.length;
  const fn = arg(args, 0);
  requireCallable(host, fn, `Array.prototype.${what}`);
  const thisArg = arg(args, 1);
  for (let k = 0; k < len; k++) {
    if (!has(a, k)) continue; // a hole, or the callback shrank the array
    const v = a[k];
    host.tick(CALLBACK_UNITS);
    if (each(v, k, host.call(fn, thisArg, [v, k, a]))) return;
  }
}

function findImpl(host: Host, a: unknown[], args: unknown[], what: string, fromEnd: boolean): [number, unknown] {
  const len = a.length;
  const fn = arg(args, 0);
  requireCallable(host, fn, `Array.prototype.${what}`);
  const thisArg = arg(args, 1);
  for (let i = 0; i < len; i++) {
    const k = fromEnd ? len - 1 - i : i;
    const v = get(a, k);
    host.tick(CALLBACK_UNITS);
    if (host.call(fn, thisArg, [v, k, a])) return [k, v];
  }
  return [-1, undefined];
}

function reduceImpl(host: Host, a: unknown[], args: unknown[], right: boolean): unknown {
  const what = right ? 'reduceRight' : 'reduce';
  const len = a.length;
  const fn = arg(args, 0);
  requireCallable(host, fn, `Array.prototype.${what}`);
  let k = right ? len - 1 : 0;
  const step = right ? -1 : 1;
  const inRange = (i: number) => (right ? i >= 0 : i < len);
  let acc: unknown;
  if (args.length >= 2) acc = args[1];
  else {
    let found = false;
    for (; inRange(k) && !found; k += step) {
      if (has(a, k)) { acc = a[k]; found = true; }
    }
    if (!found) host.throwError('TypeError', 'Reduce of empty array with no initial value');
  }
  for (; inRange(k); k += step) {
    if (has(a, k)) {
      host.tick(CALLBACK_UNITS);
      acc = host.call(fn, undefined, [acc, a[k], k, a]);
    }
  }
  return acc;
}

function flattenInto(host: Host, out: unknown[], src: unknown[], depth: number, level: number): void {
  if (level > 1000) host.abort('stack', 'Array.prototype.flat nesting');
  const len = src.length;
  for (let k = 0; k < len; k++) {
    if (!has(src, k)) continue;
    host.tick(1);
    const v = src[k];
    if (depth > 0) refuseExotic(host, v, 'Array.prototype.flat');
    if (depth > 0 && Array.isArray(v)) flattenInto(host, out, v, depth - 1, level + 1);
    else { chargeElements(host, 1); out.push(v); }
  }
}

/** Sorted copy of the elements: sort skips holes (HasProperty), toSorted reads them as undefined. */
function sortInto(host: Host, a: unknown[], cmp: unknown, what: string, holesAsUndefined: boolean): unknown[] {
  if (cmp !== undefined && !host.isCallable(cmp)) host.throwError('TypeError', 'The comparison function must be either a function or undefined');
  const len = a.length;
  const values: unknown[] = [];
  let undefinedCount = 0;
  host.tick(1 + len);
  chargeArray(host, len);
  for (let k = 0; k < len; k++) {
    if (!holesAsUndefined && !has(a, k)) continue;
    const v = get(a, k);
    if (v === undefined) undefinedCount++;
    else values.push(v);
  }
  return sortValues(host, values, cmp, what).concat(new Array<undefined>(undefinedCount).fill(undefined));
}

/** Fuel per element a search compares with `search`: a string is compared character by character
 * with every element of the same length. */
function compareUnits(search: unknown): number {
  return 1 + (typeof search === 'string' ? Math.floor(search.length / FAST_CHARS_PER_UNIT) : 0);
}

function indexOfImpl(host: Host, a: unknown[], args: unknown[]): number {
  const len = a.length;
  if (len === 0) return -1;
  const n = toIntegerOrInfinity(host, arg(args, 1));
  if (n === Infinity) return -1;
  const search = arg(args, 0);
  const units = compareUnits(search);
  const from = n >= 0 ? n : Math.max(len + n, 0);
  for (let k = from; k < len; k++) {
    loopTick(host, k, from, len, units);
    if (a[k] === search && has(a, k)) return k;
  }
  return -1;
}

export const arrayMethods: Record<string, ArrayMethod> = {
  keys: (host, a) => arrayIteratorOf(host, a, 'keys'),
  values: (host, a) => arrayIteratorOf(host, a, 'values'),
  entries: (host, a) => arrayIteratorOf(host, a, 'entries'),
  push(host, a, args) {
    mutable(host, a, 'push');
    host.tick(1 + args.length);
    chargeElements(host, args.length);
    for (const v of args) P.push.call(a, v);
    return a.length;
  },
  pop(host, a) {
    mutable(host, a, 'pop');
    return P.pop.call(a);
  },
  shift(host, a) {
    mutable(host, a, 'shift');
    host.tick(1 + (a.length >> 4));
    return P.shift.call(a);
  },
  unshift(host, a, args) {
    mutable(host, a, 'unshift');
    if (args.length > MAX_SPREAD) return unsupported(host, 'Array.prototype.unshift', 'too many arguments');
    host.tick(1 + args.length + (a.length >> 4));
    chargeElements(host, args.length);
    P.unshift.apply(a, args);
    return a.length;
  },
  slice(host, a, args) {
    const len = a.length;
    const start = relIndex(host, arg(args, 0), len, 0);
    const end = relIndex(host, arg(args, 1), len, len);
    const n = Math.max(0, end - start);
    host.tick(1 + COPY_UNITS * n);
    chargeArray(host, n);
    // Holes are kept, as Node keeps them: V8's own slice, on an array no user code can change.
    if (host.supportsHoles) return P.slice.call(a, start, end);
    const out: unknown[] = [];
    for (let k = start; k < end; k++) {
      if (has(a, k)) out.push(a[k]);
      else if (host.supportsHoles) out.length++; // keep the hole, as Node does
      else return unsupported(host, 'Array.prototype.slice', 'holes');
    }
    return out;
  },
  splice(host, a, args) {
    mutable(host, a, 'splice');
    const len = a.length;
    const start = relIndex(host, arg(args, 0), len, 0);
    let del: number;
    if (args.length === 0) del = 0;
    else if (args.length === 1) del = len - start;
    else del = Math.min(Math.max(toIntegerOrInfinity(host, args[1]), 0), len - start);
    if (a.length !== len) return unsupported(host, 'Array.prototype.splice', 'array changed during argument conversion');
    const items = args.slice(2);
    if (items.length > MAX_SPREAD) return unsupported(host, 'Array.prototype.splice', 'too many arguments');
    host.tick(1 + items.length + del + ((len - start) >> 4));
    chargeArray(host, del); // the removed elements
    chargeElements(host, items.length);
    return P.splice.call(a, start, del, ...items);
  },
  concat(host, a, args) {
    const out: unknown[] = [];
    chargeArray(host, 0);
    for (const e of [a, ...args]) {
      if (Array.isArray(e)) {
        host.tick(1 + COPY_UNITS * e.length);
        chargeElements(host, e.length);
        for (let k = 0; k < e.length; k++) {
          if (has(e, k)) out.push(e[k]);
          else if (host.supportsHoles) out.length++;
          else return unsupported(host, 'Array.prototype.concat', 'holes');
        }
      } else {
        refuseExotic(host, e, 'Array.prototype.concat');
        chargeElements(host, 1);
        out.push(e);
      }
    }
    return out;
  },
  join: (host, a, args) => arrayJoin(host, a, arg(args, 0)),
  toString: (host: Host, a: unknown[]) => arrayJoin(host, a, undefined),
  reverse(host, a) {
    mutable(host, a, 'reverse');
    host.tick(1 + COPY_UNITS * a.length);
    P.reverse.call(a);
    return a;
  },
  indexOf: (host, a, args) => indexOfImpl(host, a, args),
  lastIndexOf(host, a, args) {
    const len = a.length;
    if (len === 0) return -1;
    const n = args.length > 1 ? toIntegerOrInfinity(host, args[1]) : len - 1;
    if (n === -Infinity) return -1;
    const search = arg(args, 0);
    const units = compareUnits(search);
    const from = n >= 0 ? Math.min(n, len - 1) : len + n;
    for (let k = from; k >= 0; k--) {
      loopTick(host, from - k, 0, from + 1, units);
      if (a[k] === search && has(a, k)) return k;
    }
    return -1;
  },
  includes(host, a, args) {
    const len = a.length;
    if (len === 0) return false;
    const n = toIntegerOrInfinity(host, arg(args, 1));
    if (n === Infinity) return false;
    const search = arg(args, 0);
    const nan = search !== search;
    const units = compareUnits(search);
    const from = n >= 0 ? n : Math.max(len + n, 0);
    for (let k = from; k < len; k++) {
      loopTick(host, k, from, len, units);
      const v = get(a, k);
      if (v === search || (nan && v !== v)) return true;
    }
    return false;
  },
  find: (host, a, args) => findImpl(host, a, args, 'find', false)[1],
  findIndex: (host, a, args) => findImpl(host, a, args, 'findIndex', false)[0],
  findLast: (host, a, args) => findImpl(host, a, args, 'findLast', true)[1],
  findLastIndex: (host, a, args) => findImpl(host, a, args, 'findLastIndex', true)[0],
  filter(host, a, args) {
    const out: unknown[] = [];
    chargeArray(host, 0);
    iterate(host, a, args, 'filter', (v, _k, r) => {
      if (r) { chargeElements(host, 1); out.push(v); }
      return false;
    });
    return out;
  },
  map(host, a, args) {
    const len = a.length;
    const out: unknown[] = [];
    chargeArray(host, len);
    let holes = false;
    iterate(host, a, args, 'map', (_v, k, r) => {
      if (k !== out.length) holes = true;
      out[k] = r;
      return false;
    });
    if (holes || out.length !== len) {
      // ArraySpeciesCreate(len) then only present indices written: the result keeps the holes.
      if (!host.supportsHoles) return unsupported(host, 'Array.prototype.map', 'holes');
      out.length = len;
    }
    return out;
  },
  forEach(host, a, args) {
    iterate(host, a, args, 'forEach', () => false);
    return undefined;
  },
  some(host, a, args) {
    let found = false;
    iterate(host, a, args, 'some', (_v, _k, r) => (found = !!r));
    return found;
  },
  every(host, a, args) {
    let all = true;
    iterate(host, a, args, 'every', (_v, _k, r) => !(all = !!r));
    return all;
  },
  reduce: (host, a, args) => reduceImpl(host, a, args, false),
  reduceRight: (host, a, args) => reduceImpl(host, a, args, true),
  sort(host, a, args) {
    const cmp = arg(args, 0);
    if (cmp !== undefined && !host.isCallable(cmp)) host.throwError('TypeError', 'The comparison function must be either a function or undefined');
    if (a.length < 2) return a; // V8 returns before touching the array
    const len = a.length;
    const sorted = sortInto(host, a, cmp, 'Array.prototype.sort', false);
    mutable(host, a, 'sort');
    // As V8: the sorted copy (undefineds last) is written over indices 0..n-1 in order, then the
    // indices up to the original length that held holes are deleted; later indices are kept, and
    // in-order writes keep a dense array dense even if the comparator changed its length.
    host.tick(1 + len);
    for (let k = 0; k < sorted.length; k++) a[k] = sorted[k];
    for (let k = sorted.length; k < len; k++) Reflect.deleteProperty(a, k);
    return a;
  },
  flat(host, a, args) {
    const d = arg(args, 0);
    let depth = d === undefined ? 1 : toIntegerOrInfinity(host, d);
    if (depth < 0) depth = 0;
    const out: unknown[] = [];
    chargeArray(host, 0);
    flattenInto(host, out, a, depth, 0);
    return out;
  },
  flatMap(host, a, args) {
    const out: unknown[] = [];
    chargeArray(host, 0);
    iterate(host, a, args, 'flatMap', (_v, _k, r) => {
      refuseExotic(host, r, 'Array.prototype.flatMap');
      if (Array.isArray(r)) flattenInto(host, out, r, 0, 0);
      else { chargeElements(host, 1); out.push(r); }
      return false;
    });
    return out;
  },
  fill(host, a, args) {
    mutable(host, a, 'fill');
    const len = a.length;
    const start = relIndex(host, arg(args, 1), len, 0);
    const end = relIndex(host, arg(args, 2), len, len);
    const v = arg(args, 0);
    host.tick(1 + FILL_UNITS * Math.max(0, end - start));
    if (start >= end) return a;
    // No user code runs from here: the array's length and extensibility are those checked.
    if (start > a.length || !Object.isExtensible(a)) return unsupported(host, 'Array.prototype.fill', 'holes or frozen');
    P.fill.call(a, v, start, end);
    return a;
  },
  at(host, a, args) {
    const len = a.length;
    const n = toIntegerOrInfinity(host, arg(args, 0));
    const k = n >= 0 ? n : len + n;
    return k < 0 || k >= len ? undefined : get(a, k);
  },
  toReversed(host, a) {
    host.tick(1 + a.length);
    chargeArray(host, a.length);
    const out: unknown[] = [];
    for (let k = a.length - 1; k >= 0; k--) out.push(get(a, k));
    return out;
  },
  toSorted(host, a, args) {
    const cmp = arg(args, 0);
    if (cmp !== undefined && !host.isCallable(cmp)) host.throwError('TypeError', 'The comparison function must be either a function or undefined');
    return sortInto(host, a, cmp, 'Array.prototype.toSorted', true);
  },
  with(host, a, args) {
    const len = a.length;
    const index = arg(args, 0);
    const rel = toIntegerOrInfinity(host, index);
    const k = rel >= 0 ? rel : len + rel;
    if (k >= len || k < 0) {
      // V8 prints the argument as given; let V8 make the message for a number, abort otherwise.
      if (typeof index !== 'number') return unsupported(host, 'Array.prototype.with', 'error message');
      const withFn = (P as unknown as { with: (i: number, v: unknown) => unknown[] }).with;
      return native(host, 'Array.prototype.with', () => withFn.call(new Array<unknown>(len).fill(0), index, 0));
    }
    host.tick(1 + len);
    chargeArray(host, len);
    const out: unknown[] = [];
    for (let i = 0; i < len; i++) out.push(i === k ? arg(args, 1) : get(a, i));
    return out;
  },
  toSpliced(host, a, args) {
    const len = a.length;
    const start = relIndex(host, arg(args, 0), len, 0);
    let skip: number;
    if (args.length === 0) skip = 0;
    else if (args.length === 1) skip = len - start;
    else skip = Math.min(Math.max(toIntegerOrInfinity(host, args[1]), 0), len - start);
    const items = args.slice(2);
    const newLen = len + items.length - skip;
    if (newLen > Number.MAX_SAFE_INTEGER) host.throwError('TypeError', 'Invalid array length');
    if (a.length < len) return unsupported(host, 'Array.prototype.toSpliced', 'array changed during argument conversion');
    host.tick(1 + newLen);
    chargeArray(host, newLen);
    const out: unknown[] = [];
    for (let i = 0; i < start; i++) out.push(get(a, i));
    for (const x of items) out.push(x);
    for (let i = start + skip; i < len; i++) out.push(get(a, i));
    return out;
  },
};

export function callArrayMethod(host: Host, a: unknown[], name: string, args: unknown[]): unknown {
  const m = hasOwn(arrayMethods, name) ? arrayMethods[name] : undefined;
  if (!m) return unsupported(host, `Array.prototype.${name}`);
  return m(host, a, args);
}

// ---- statics and the constructor ----

function arrayFrom(host: Host, items: unknown, mapFn: unknown, thisArg: unknown): unknown[] {
  if (mapFn !== undefined) requireCallable(host, mapFn, 'Array.from');
  const out: unknown[] = [];
  chargeArray(host, 0);
  const add = (v: unknown, k: number) => {
    host.tick(1);
    chargeElements(host, 1);
    if (typeof v === 'string') chargeString(host, v.length); // a code point's string
    out.push(mapFn === undefined ? v : host.call(mapFn, thisArg, [v, k]));
  };
  const iterable = typeof items === 'object' && items !== null && !Array.isArray(items) ? host.iterable?.(items) : undefined;
  if (typeof items === 'string') {
    // The string iterator goes by code points.
    let k = 0;
    for (const ch of items) add(ch, k++);
  } else if (Array.isArray(items)) {
    // The array iterator re-reads the length at every step.
    for (let k = 0; k < items.length; k++) add(get(items, k), k);
  } else if (typeof items === 'number' || typeof items === 'boolean') {
    // A wrapper object has no iterator and no length.
  } else if (iterable !== undefined) {
    // A generator (its code runs step by step, each value mapped before the next step, as in Node), a
    // Map, a Set or an iterator of theirs.
    let k = 0;
    for (const v of iterable) add(v, k++);
  } else if (isDataObject(host, items)) {
    const len = toLength(host, hasOwn(items, 'length') ? items.length : undefined);
    for (let k = 0; k < len; k++) {
      const key = String(k);
      add(hasOwn(items, key) ? items[key] : undefined, k);
    }
  } else {
    return unsupported(host, 'Array.from', items === null || items === undefined ? 'null or undefined' : 'non-iterable value');
  }
  return out;
}

function arrayCreate(host: Host, args: unknown[]): unknown[] {
  if (args.length === 1 && typeof args[0] === 'number') {
    const n = args[0];
    if (n >>> 0 !== n) host.throwError('RangeError', 'Invalid array length');
    if (n === 0) return [];
    // `new Array(n)` has n holes: only when the core's array operations are exact on holes too.
    if (!host.supportsHoles) return unsupported(host, 'Array(n)');
    host.tick(1 + (n >> 6));
    chargeArray(host, n);
    return new Array<unknown>(n);
  }
  host.tick(1 + args.length);
  chargeArray(host, args.length);
  return args.slice();
}

const isArray = new BuiltinFunction({
  name: 'isArray', length: 1, path: 'Array.isArray',
  impl: (h, _t, args) => { refuseExotic(h, arg(args, 0), 'Array.isArray'); return Array.isArray(arg(args, 0)); },
});

/**
 * Array.prototype's methods as values (`[].splice`, `Array.prototype.splice`: one builtin each, so
 * both are the same value, as in Node). They take their receiver from the call; Node's are generic
 * over array-likes, which these are not: a receiver that is not an array aborts.
 */
const protoFns: ReadonlyMap<string, BuiltinFunction> = new Map(Object.keys(arrayMethods).map((name) => [name, new BuiltinFunction({
  name, length: (P as unknown as Record<string, { length: number }>)[name]!.length, path: `Array.prototype.${name}`,
  impl: (h, t, args) => (Array.isArray(t) ? callArrayMethod(h, t, name, args) : unsupported(h, `Array.prototype.${name}`, 'receiver not an array')),
})]));

/**
 * `Array.prototype` as a value (lodash: `arrayProto.splice`): a read-only stand-in whose members are
 * the builtins above and Object.prototype's (hasOwnProperty, propertyIsEnumerable, valueOf); the
 * realm's real prototype never reaches compiled code. In Node it is an array, so whatever would tell
 * (Array.isArray, iteration, concat, flat, JSON, console.log) aborts; it is no runtime array, so
 * `x === Array.prototype` is true of it alone.
 */
export const ArrayProto = new Namespace('Array.prototype', {
  ...Object.fromEntries(protoFns),
  ...Object.fromEntries(['hasOwnProperty', 'propertyIsEnumerable', 'valueOf'].map((n) => [n, objectProtoMember(n)])),
}, P, 'an array in Node');
registerArrayPrototype(ArrayProto);
const from = new BuiltinFunction({ name: 'from', length: 1, path: 'Array.from', impl: (h, _t, args) => arrayFrom(h, arg(args, 0), arg(args, 1), arg(args, 2)) });
const of = new BuiltinFunction({
  name: 'of', length: 0, path: 'Array.of',
  impl(h, _t, args) { h.tick(1 + args.length); chargeArray(h, args.length); return args.slice(); },
});

export const ArrayFn = new BuiltinFunction({
  name: 'Array', length: 1, path: 'Array', real: Array,
  impl: (h, _t, args) => arrayCreate(h, args),
  construct: (h, args) => arrayCreate(h, args),
  statics: { isArray, from, of, prototype: ArrayProto },
});
