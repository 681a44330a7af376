// Map and Set, host-backed like the web objects (web-value.ts): a host Map or Set holds the realm's
// values, so SameValueZero keys, insertion order and live iteration (entries added during a forEach
// or a for…of are visited, deleted ones are not) are V8's own. Their iterators (keys, values,
// entries) wrap the host's, as do arrays' (arrayIteratorOf). WeakMap, WeakSet and iterator helpers
// abort for now.
import type { Host } from './host.ts';
import { ARRAY_HEADER, CALLBACK_UNITS, ELEMENT, ELEMENT_UNITS, NEW_PROPERTY } from './costs.ts';
import { BuiltinFunction, unsupported } from './values.ts';
import { WebValue, isWebValue, type WebKind } from './web-value.ts';

/** What a Map or Set entry costs: a hash table slot (key, value, chain). */
export const ENTRY_BYTES = 3 * ELEMENT;

interface IterState {
  it: Iterator<unknown>;
  /** A Map's entries come out as [key, value] arrays. */
  pairs: boolean;
}

function pair(h: Host, v: unknown, pairs: boolean): unknown {
  if (!pairs) return v;
  h.alloc(ARRAY_HEADER + 2 * ELEMENT);
  return [...(v as [unknown, unknown])];
}

/** One step of a host iterator as the realm's `{ value, done }` (in Node's key order). */
function step(h: Host, s: IterState): unknown {
  h.tick(ELEMENT_UNITS);
  const r = s.it.next();
  const out = h.fromHost({}) as Record<string, unknown>;
  h.alloc(2 * NEW_PROPERTY);
  out.value = r.done ? undefined : pair(h, r.value, s.pairs);
  out.done = r.done === true;
  return out;
}

/** A Set's entries: each value twice, live as its values() is. */
function* twice(it: Iterator<unknown>): Generator<[unknown, unknown]> {
  for (let r = it.next(); !r.done; r = it.next()) yield [r.value, r.value];
}

const iterKind = (name: string): WebKind<IterState> => ({
  name,
  real: Object.getPrototypeOf(new Map().keys()) as object,
  getters: {},
  methods: { next: (h: Host, s: IterState) => step(h, s) },
  iterate: (h: Host, s: IterState) => hostSteps(h, s.it, s.pairs),
});
const mapIterator = iterKind('Map Iterator');
const setIterator = iterKind('Set Iterator');
const arrayIterator: WebKind<IterState> = { ...iterKind('Array Iterator'), real: Object.getPrototypeOf([].keys()) as object };

const hostArrayIterators = { keys: Array.prototype.keys, values: Array.prototype.values, entries: Array.prototype.entries };

/**
 * `a.keys()`, `a.values()`, `a.entries()`: the host's array iterator over the realm's array (this
 * realm's function, not one found through the array's prototype), live as Node's: it reads the
 * length at each step, so elements pushed while iterating are visited.
 */
export function arrayIteratorOf(h: Host, a: unknown[], which: keyof typeof hostArrayIterators): WebValue {
  h.tick(1);
  return iterator(h, arrayIterator, hostArrayIterators[which].call(a) as Iterator<unknown>, which === 'entries');
}

function* hostSteps(h: Host, it: Iterator<unknown>, pairs: boolean): Generator<unknown> {
  for (;;) {
    h.tick(ELEMENT_UNITS);
    const r = it.next();
    if (r.done) return;
    yield pair(h, r.value, pairs);
  }
}

function iterator(h: Host, kind: WebKind<IterState>, it: Iterator<unknown>, pairs: boolean): WebValue {
  return WebValue.make(h, kind, { it, pairs }, 64);
}

function forEach(h: Host, c: Map<unknown, unknown> | Set<unknown>, args: unknown[], self: WebValue, what: string): undefined {
  const cb = args[0];
  if (!h.isCallable(cb)) return unsupported(h, what, 'callback is not a function');
  // The host's forEach is live, as Node's is: the callback's changes are seen.
  c.forEach((v: unknown, k: unknown) => {
    h.tick(CALLBACK_UNITS);
    h.call(cb, args[1], [v, k, self]);
  });
  return undefined;
}

const mapKind: WebKind<Map<unknown, unknown>> = {
  name: 'Map',
  real: Map.prototype,
  getters: { size: (_h: Host, m: Map<unknown, unknown>) => m.size },
  methods: {
    get: (_h: Host, m: Map<unknown, unknown>, a: unknown[]) => m.get(a[0]),
    has: (_h: Host, m: Map<unknown, unknown>, a: unknown[]) => m.has(a[0]),
    set(h: Host, m: Map<unknown, unknown>, a: unknown[], self: WebValue) {
      if (!m.has(a[0])) h.alloc(ENTRY_BYTES);
      m.set(normalKey(a[0]), a[1]);
      return self;
    },
    delete: (_h: Host, m: Map<unknown, unknown>, a: unknown[]) => m.delete(a[0]),
    clear(h: Host, m: Map<unknown, unknown>) {
      h.tick(m.size * ELEMENT_UNITS);
      m.clear();
      return undefined;
    },
    forEach: (h: Host, m: Map<unknown, unknown>, a: unknown[], self: WebValue) => forEach(h, m, a, self, 'Map.prototype.forEach'),
    keys: (h: Host, m: Map<unknown, unknown>) => iterator(h, mapIterator, m.keys(), false),
    values: (h: Host, m: Map<unknown, unknown>) => iterator(h, mapIterator, m.values(), false),
    entries: (h: Host, m: Map<unknown, unknown>) => iterator(h, mapIterator, m.entries(), true),
  },
  iterate: (h: Host, m: Map<unknown, unknown>) => hostSteps(h, m.entries(), true),
};

const setKind: WebKind<Set<unknown>> = {
  name: 'Set',
  real: Set.prototype,
  getters: { size: (_h: Host, s: Set<unknown>) => s.size },
  methods: {
    has: (_h: Host, s: Set<unknown>, a: unknown[]) => s.has(a[0]),
    add(h: Host, s: Set<unknown>, a: unknown[], self: WebValue) {
      if (!s.has(a[0])) h.alloc(ENTRY_BYTES);
      s.add(normalKey(a[0]));
      return self;
    },
    delete: (_h: Host, s: Set<unknown>, a: unknown[]) => s.delete(a[0]),
    clear(h: Host, s: Set<unknown>) {
      h.tick(s.size * ELEMENT_UNITS);
      s.clear();
      return undefined;
    },
    forEach: (h: Host, s: Set<unknown>, a: unknown[], self: WebValue) => forEach(h, s, a, self, 'Set.prototype.forEach'),
    keys: (h: Host, s: Set<unknown>) => iterator(h, setIterator, s.values(), false),
    values: (h: Host, s: Set<unknown>) => iterator(h, setIterator, s.values(), false),
    entries: (h: Host, s: Set<unknown>) => iterator(h, setIterator, twice(s.values()), true),
  },
  iterate: (h: Host, s: Set<unknown>) => hostSteps(h, s.values(), false),
};

/** The host Map or Set behind a realm Map or Set (console.log copies its entries); undefined for anything else. */
export function hostCollection(v: WebValue): Map<unknown, unknown> | Set<unknown> | undefined {
  return WebValue.state(v, mapKind) ?? WebValue.state(v, setKind);
}

/** Map and Set store -0 as +0 (SameValueZero), as the spec's set and add do. */
const normalKey = (k: unknown) => (Object.is(k, -0) ? 0 : k);

/**
 * The values of a constructor's iterable argument (`new Map(pairs)`, `new Set(values)`, and the weak
 * ones): arrays, Maps, Sets, generators, user iterables, and strings where `strings` says so.
 */
export function valuesOf(h: Host, v: unknown, what: string, strings = true): Iterable<unknown> {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v) || (strings && typeof v === 'string')) return v;
  if (isWebValue(v)) {
    const it = WebValue.iterate(h, v);
    if (it) return it;
  }
  // A generator or a user iterable, stepped as for…of steps it (closed if an entry aborts).
  const own = h.iterable?.(v);
  if (own !== undefined) return own;
  return unsupported(h, what, `an argument that is not an iterable`);
}

export const MapFn = new BuiltinFunction({
  name: 'Map', length: 0, path: 'Map', real: Map,
  impl: (h) => h.throwError('TypeError', "Constructor Map requires 'new'"),
  construct(h, args) {
    const m = new Map<unknown, unknown>();
    for (const e of valuesOf(h, args[0], 'new Map')) {
      h.tick(ELEMENT_UNITS);
      if (!Array.isArray(e)) return unsupported(h, 'new Map', 'an entry that is not an array');
      if (!m.has(e[0])) h.alloc(ENTRY_BYTES);
      m.set(normalKey(e[0]), e[1]);
    }
    return WebValue.make(h, mapKind, m, 128);
  },
});

export const SetFn = new BuiltinFunction({
  name: 'Set', length: 0, path: 'Set', real: Set,
  impl: (h) => h.throwError('TypeError', "Constructor Set requires 'new'"),
  construct(h, args) {
    const s = new Set<unknown>();
    for (const v of valuesOf(h, args[0], 'new Set')) {
      h.tick(ELEMENT_UNITS);
      if (!s.has(v)) h.alloc(ENTRY_BYTES);
      s.add(normalKey(v));
    }
    return WebValue.make(h, setKind, s, 128);
  },
});

export const collectionKinds = [mapKind, setKind, mapIterator, setIterator, arrayIterator];
