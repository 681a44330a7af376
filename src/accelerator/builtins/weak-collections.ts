// WeakMap and WeakSet, host-backed like Map and Set (collections.ts): a host WeakMap or WeakSet holds
// the realm's objects, so entries go when their keys do, as in Node. Keys are objects or symbols that
// are not registered (Node 20 holds those weakly too: a program's `Symbol()`s and the well-known
// ones; it cannot make registered ones, Symbol.for aborts); any other primitive throws Node's TypeError.
import type { Host } from './host.ts';
import { ELEMENT, ELEMENT_UNITS } from './costs.ts';
import { BuiltinFunction, unsupported } from './values.ts';
import { WebValue, type WebKind } from './web-value.ts';
import { valuesOf } from './collections.ts';

/** A weak table's entry: key, value and the ephemeron's bookkeeping. */
const ENTRY_BYTES = 3 * ELEMENT;

const isKey = (k: unknown): k is object => (typeof k === 'object' && k !== null) || typeof k === 'function'
  || (typeof k === 'symbol' && Symbol.keyFor(k) === undefined);

function mapKey(h: Host, k: unknown): object {
  return isKey(k) ? k : h.throwError('TypeError', 'Invalid value used as weak map key');
}

function setValue(h: Host, k: unknown): object {
  return isKey(k) ? k : h.throwError('TypeError', 'Invalid value used in weak set');
}

type WMap = WeakMap<object, unknown>;
type WSet = WeakSet<object>;

const weakMapKind: WebKind<WMap> = {
  name: 'WeakMap',
  real: WeakMap.prototype,
  getters: {},
  methods: {
    get: (_h: Host, m: WMap, a: unknown[]) => (isKey(a[0]) ? m.get(a[0]) : undefined),
    has: (_h: Host, m: WMap, a: unknown[]) => isKey(a[0]) && m.has(a[0]),
    delete: (_h: Host, m: WMap, a: unknown[]) => isKey(a[0]) && m.delete(a[0]),
    set(h: Host, m: WMap, a: unknown[], self: WebValue) {
      const k = mapKey(h, a[0]);
      if (!m.has(k)) h.alloc(ENTRY_BYTES);
      m.set(k, a[1]);
      return self;
    },
  },
};

const weakSetKind: WebKind<WSet> = {
  name: 'WeakSet',
  real: WeakSet.prototype,
  getters: {},
  methods: {
    has: (_h: Host, s: WSet, a: unknown[]) => isKey(a[0]) && s.has(a[0]),
    delete: (_h: Host, s: WSet, a: unknown[]) => isKey(a[0]) && s.delete(a[0]),
    add(h: Host, s: WSet, a: unknown[], self: WebValue) {
      const k = setValue(h, a[0]);
      if (!s.has(k)) h.alloc(ENTRY_BYTES);
      s.add(k);
      return self;
    },
  },
};

export const WeakMapFn = new BuiltinFunction({
  name: 'WeakMap', length: 0, path: 'WeakMap', real: WeakMap,
  impl: (h) => h.throwError('TypeError', "Constructor WeakMap requires 'new'"),
  construct(h, args) {
    const m: WMap = new WeakMap();
    for (const e of valuesOf(h, args[0], 'new WeakMap', false)) {
      h.tick(ELEMENT_UNITS);
      if (!Array.isArray(e)) return unsupported(h, 'new WeakMap', 'an entry that is not an array');
      const k = mapKey(h, e[0]);
      if (!m.has(k)) h.alloc(ENTRY_BYTES);
      m.set(k, e[1]);
    }
    return WebValue.make(h, weakMapKind, m, 128);
  },
});

export const WeakSetFn = new BuiltinFunction({
  name: 'WeakSet', length: 0, path: 'WeakSet', real: WeakSet,
  impl: (h) => h.throwError('TypeError', "Constructor WeakSet requires 'new'"),
  construct(h, args) {
    const s: WSet = new WeakSet();
    for (const v of valuesOf(h, args[0], 'new WeakSet', false)) {
      h.tick(ELEMENT_UNITS);
      const k = setValue(h, v);
      if (!s.has(k)) h.alloc(ENTRY_BYTES);
      s.add(k);
    }
    return WebValue.make(h, weakSetKind, s, 128);
  },
});

export const weakKinds = [weakMapKind, weakSetKind];
