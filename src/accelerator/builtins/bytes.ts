// Uint8Array, TextEncoder and TextDecoder in compiled code: realm values backed by a private host
// store (compiled code never gets the host's typed array, only the members listed here). Elements
// are read and written by canonical numeric keys with Uint8Array's own wrapping; everything else
// Node has on these objects aborts naming it (ArrayBuffer, subarray, buffer, other element types).
import { randomBytes } from 'node:crypto';
import type { Host } from './host.ts';
import { ARRAY_HEADER, ELEMENT, JOIN_UNITS, charUnits } from './costs.ts';
import { BuiltinFunction, str, toIntegerOrInfinity, unsupported } from './values.ts';
import { WebValue, isWebValue, madeString, type WebKind } from './web-value.ts';
import { withoutNew } from './url.ts';

interface Bytes { readonly length: number }

/** A canonical numeric string (what typed arrays treat as an element key, never a property). */
function numericKey(key: string): number | undefined {
  if (key === '-0') return -0;
  const n = Number(key);
  return String(n) === key ? n : undefined;
}

/** The elements of a realm Uint8Array (its own data properties) as a fresh host copy. */
function copyOut(v: WebValue, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (v as unknown as number[])[i]!;
  return out;
}

/** The value each state belongs to (toPrimitive and iterate get the state only). */
const owners = new WeakMap<Bytes, WebValue>();

const uint8Kind: WebKind<Bytes> = {
  name: 'Uint8Array',
  real: Uint8Array.prototype,
  getters: {
    length: (_h, s) => s.length,
    byteLength: (_h, s) => s.length,
    byteOffset: () => 0,
  },
  methods: {
    join(h, s, args, self) {
      const sep = args[0] === undefined ? ',' : str(h, args[0]);
      h.tick(s.length * JOIN_UNITS);
      return madeString(h, copyOut(self, s.length).join(sep));
    },
  },
  setElement(h, s, key, v, self) {
    const n = numericKey(key);
    if (n === undefined) return false;
    if (typeof v !== 'number') return unsupported(h, 'Uint8Array element write', `a ${typeof v}`);
    h.tick(1);
    if (Number.isInteger(n) && !Object.is(n, -0) && n >= 0 && n < s.length) {
      const one = new Uint8Array(1);
      one[0] = v;
      (self as unknown as number[])[n] = one[0];
    }
    return true;
  },
  toPrimitive: (h, s) => {
    h.tick(s.length * JOIN_UNITS);
    return madeString(h, copyOut(owners.get(s)!, s.length).join(','));
  },
  *iterate(h, s) {
    // The elements at each step, as Node's iterator reads them (a write during the loop is seen).
    const self = owners.get(s)!;
    for (let i = 0; i < s.length; i++) {
      h.tick(1);
      yield (self as unknown as number[])[i];
    }
  },
};


/** A new realm Uint8Array holding a copy of `bytes` (the realm owns its elements alone). */
export function makeUint8(h: Host, bytes: ArrayLike<number>): WebValue {
  h.tick(1 + Math.ceil(bytes.length / 16));
  const state: Bytes = { length: bytes.length };
  const v = WebValue.make(h, uint8Kind, state, ARRAY_HEADER + ELEMENT * bytes.length, bytes);
  owners.set(state, v);
  return v;
}

/** The bytes of a realm Uint8Array (a host copy), or undefined for any other value. */
export function uint8Of(v: unknown): Uint8Array | undefined {
  if (!isWebValue(v)) return undefined;
  const s = WebValue.state(v, uint8Kind);
  return s ? copyOut(v, s.length) : undefined;
}

function newUint8(h: Host, args: unknown[]): WebValue {
  if (args.length > 1) return unsupported(h, 'Uint8Array', 'with an offset or length');
  const a = args[0];
  if (a === undefined) return makeUint8(h, new Uint8Array(0));
  if (typeof a === 'number') {
    const n = toIntegerOrInfinity(h, a);
    if (n !== a || n < 0 || n > 1 << 24) return unsupported(h, 'Uint8Array', `length ${String(a)}`);
    return makeUint8(h, new Uint8Array(n));
  }
  const other = uint8Of(a);
  if (other) return makeUint8(h, other);
  if (Array.isArray(a)) {
    h.tick(1 + a.length);
    if (a.some((x) => typeof x !== 'number')) return unsupported(h, 'Uint8Array', 'from an array of non-numbers');
    return makeUint8(h, Uint8Array.from(a as number[]));
  }
  return unsupported(h, 'Uint8Array', `from a ${isWebValue(a) ? WebValue.kind(a).name : typeof a}`);
}

export const Uint8ArrayFn = new BuiltinFunction({
  name: 'Uint8Array', length: 3, path: 'Uint8Array', real: Uint8Array,
  impl: (h) => withoutNew(h, Uint8Array),
  construct: newUint8,
});

const encoderKind: WebKind<null> = {
  name: 'TextEncoder',
  real: TextEncoder.prototype,
  getters: { encoding: (h) => madeString(h, 'utf-8') },
  methods: {
    encode(h, _s, args) {
      const s = args[0] === undefined ? '' : str(h, args[0]);
      h.tick(charUnits(s.length));
      return makeUint8(h, new TextEncoder().encode(s));
    },
  },
};

export const TextEncoderFn = new BuiltinFunction({
  name: 'TextEncoder', length: 0, path: 'TextEncoder', real: TextEncoder,
  impl: (h) => withoutNew(h, TextEncoder),
  construct: (h) => WebValue.make(h, encoderKind, null),
});

const decoderKind: WebKind<null> = {
  name: 'TextDecoder',
  real: TextDecoder.prototype,
  getters: { encoding: (h) => madeString(h, 'utf-8'), fatal: () => false, ignoreBOM: () => false },
  methods: {
    decode(h, _s, args) {
      if (args.length > 1) return unsupported(h, 'TextDecoder.prototype.decode', 'with options');
      if (args[0] === undefined) return '';
      const bytes = uint8Of(args[0]);
      if (!bytes) return unsupported(h, 'TextDecoder.prototype.decode', 'of something not a Uint8Array');
      h.tick(1 + bytes.length);
      return madeString(h, new TextDecoder().decode(bytes));
    },
  },
};

export const TextDecoderFn = new BuiltinFunction({
  name: 'TextDecoder', length: 0, path: 'TextDecoder', real: TextDecoder,
  impl: (h) => withoutNew(h, TextDecoder),
  construct: (h, args) => {
    if (args.length > 0) return unsupported(h, 'TextDecoder', 'with an encoding or options');
    return WebValue.make(h, decoderKind, null);
  },
});

/** crypto.getRandomValues on a realm Uint8Array: filled in place from the host's generator. */
export function fillRandom(h: Host, v: unknown): WebValue {
  const s = isWebValue(v) ? WebValue.state(v, uint8Kind) : undefined;
  if (!s) return unsupported(h, 'crypto.getRandomValues', `of ${isWebValue(v) ? `a ${WebValue.kind(v).name}` : typeof v}`);
  // Over 65536 bytes Node throws a DOMException (QuotaExceededError), which the realm has no value for.
  if (s.length > 65536) return unsupported(h, 'crypto.getRandomValues', 'over 65536 bytes');
  h.tick(1 + Math.ceil(s.length / 16));
  const r = randomBytes(s.length);
  for (let i = 0; i < s.length; i++) (v as unknown as number[])[i] = r[i]!;
  return v as WebValue;
}
