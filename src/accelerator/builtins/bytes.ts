// ArrayBuffer, Uint8Array, TextEncoder and TextDecoder in compiled code: realm values backed by a
// private host store (compiled code never gets the host's buffer or typed array, only the members
// listed here). Elements are read and written by canonical numeric keys with Uint8Array's own
// wrapping; views of one buffer share its bytes; everything else Node has on these objects aborts
// naming it (other element types, DataView, resizable buffers).
import { randomBytes } from 'node:crypto';
import type { Host } from './host.ts';
import { ARRAY_HEADER, ELEMENT, JOIN_UNITS, charUnits } from './costs.ts';
import { BuiltinFunction, str, throwDomException, toIntegerOrInfinity, unsupported } from './values.ts';
import { WebValue, hostOp, isWebValue, madeString, type WebKind } from './web-value.ts';
import { withoutNew } from './url.ts';

/** A canonical numeric string (what typed arrays treat as an element key, never a property). */
function numericKey(key: string): number | undefined {
  if (key === '-0') return -0;
  const n = Number(key);
  return String(n) === key ? n : undefined;
}

/**
 * One ArrayBuffer's bytes, host-side, and every realm view over them. A view keeps its elements as
 * its own sealed data properties (compiled code reads them natively); a write through any view
 * updates the store and then the own properties of every view over the bytes written.
 */
export interface Store {
  readonly buffer: ArrayBuffer;
  readonly views: WebValue[];
  ab?: WebValue;
}

/** A realm Uint8Array: a host view over its store's buffer (never handed to compiled code). */
export interface Bytes { readonly length: number; readonly host: Uint8Array; readonly store: Store }

export function newStore(h: Host, bytes: Uint8Array): Store {
  h.alloc(ARRAY_HEADER + bytes.length);
  return { buffer: bytes.buffer as ArrayBuffer, views: [] };
}

/** Copies the store's bytes [from, to) into the own properties of every view over them. */
function mirror(h: Host, store: Store, from: number, to: number): void {
  h.tick(store.views.length);
  const all = new Uint8Array(store.buffer);
  for (const view of store.views) {
    const s = bytesState(view)!;
    const lo = Math.max(from, s.host.byteOffset);
    const hi = Math.min(to, s.host.byteOffset + s.length);
    if (lo >= hi) continue;
    h.tick(hi - lo);
    for (let i = lo; i < hi; i++) (view as unknown as number[])[i - s.host.byteOffset] = all[i]!;
  }
}

/** A number or undefined argument (what may reach a host typed-array method unchanged). */
export function plainArgs(h: Host, what: string, args: unknown[]): Array<number | undefined> {
  for (const a of args) if (a !== undefined && typeof a !== 'number') return unsupported(h, what, `with a ${typeof a} argument`);
  return args as Array<number | undefined>;
}

/** The value each state belongs to (toPrimitive and iterate get the state only). */
const owners = new WeakMap<Bytes, WebValue>();

/** Uint8Array's kind and its subclasses' (Node's Buffer, node-buffer.ts): views over a store. */
const viewKinds: Array<WebKind<Bytes>> = [];

/** The state of a realm Uint8Array or Buffer, or undefined for any other value. */
export function bytesState(v: unknown): Bytes | undefined {
  if (!isWebValue(v)) return undefined;
  for (const k of viewKinds) {
    const s = WebValue.state(v, k);
    if (s) return s;
  }
  return undefined;
}

/** Adds a subclass's kind (Buffer) to the views bytesState and mirror recognise. */
export function registerViewKind(kind: WebKind<Bytes>): void {
  viewKinds.push(kind);
}

export const uint8Kind: WebKind<Bytes> = {
  name: 'Uint8Array',
  real: Uint8Array.prototype,
  getters: {
    length: (_h, s) => s.length,
    byteLength: (_h, s) => s.length,
    byteOffset: (_h, s) => s.host.byteOffset,
    buffer: (h, s) => (s.store.ab ??= WebValue.make(h, bufferKind, s.store)),
  },
  methods: {
    join(h, s, args) {
      const sep = args[0] === undefined ? ',' : str(h, args[0]);
      h.tick(s.length * JOIN_UNITS);
      return madeString(h, s.host.join(sep));
    },
    subarray(h, s, args) {
      const [a, b] = plainArgs(h, 'Uint8Array.prototype.subarray', args.slice(0, 2));
      h.tick(1);
      const sub = s.host.subarray(a, b);
      return viewOver(h, s.store, sub);
    },
    slice(h, s, args) {
      const [a, b] = plainArgs(h, 'Uint8Array.prototype.slice', args.slice(0, 2));
      const copy = s.host.slice(a, b);
      return makeUint8(h, copy);
    },
    fill(h, s, args, self) {
      const [v, a, b] = plainArgs(h, 'Uint8Array.prototype.fill', args.slice(0, 3));
      h.tick(1 + Math.ceil(s.length / 16));
      s.host.fill(v ?? 0, a, b);
      mirror(h, s.store, s.host.byteOffset, s.host.byteOffset + s.length);
      return self;
    },
    set(h, s, args) {
      const [src, offArg] = args;
      const [off] = plainArgs(h, 'Uint8Array.prototype.set', [offArg]);
      let from: ArrayLike<number>;
      const other = bytesOf(src, uint8Kind);
      if (other) from = other;
      else if (Array.isArray(src) && src.every((x) => typeof x === 'number')) from = src as number[];
      else return unsupported(h, 'Uint8Array.prototype.set', 'from something not a Uint8Array or an array of numbers');
      h.tick(1 + from.length);
      hostOp(h, 'Uint8Array.prototype.set', () => s.host.set(from, off));
      mirror(h, s.store, s.host.byteOffset, s.host.byteOffset + s.length);
      return undefined;
    },
  },
  setElement(h, s, key, v) {
    const n = numericKey(key);
    if (n === undefined) return false;
    if (typeof v !== 'number') return unsupported(h, 'Uint8Array element write', `a ${typeof v}`);
    h.tick(1);
    if (Number.isInteger(n) && !Object.is(n, -0) && n >= 0 && n < s.length) {
      s.host[n] = v;
      mirror(h, s.store, s.host.byteOffset + n, s.host.byteOffset + n + 1);
    }
    return true;
  },
  toPrimitive: (h, s) => {
    h.tick(s.length * JOIN_UNITS);
    return madeString(h, s.host.join(','));
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

registerViewKind(uint8Kind);

export const bufferKind: WebKind<Store> = {
  name: 'ArrayBuffer',
  real: ArrayBuffer.prototype,
  getters: { byteLength: (_h, s) => s.buffer.byteLength },
  methods: {
    slice(h, s, args) {
      const [a, b] = plainArgs(h, 'ArrayBuffer.prototype.slice', args.slice(0, 2));
      const copy = s.buffer.slice(a ?? 0, b);
      h.tick(1 + Math.ceil(copy.byteLength / 16));
      return makeArrayBuffer(h, new Uint8Array(copy));
    },
  },
};

/** A new realm view over `host` (a host view of the store's buffer), registered with the store. */
export function viewOver(h: Host, store: Store, host: Uint8Array, kind: WebKind<Bytes> = uint8Kind): WebValue {
  h.tick(1 + Math.ceil(host.length / 16));
  const state: Bytes = { length: host.length, host, store };
  const v = WebValue.make(h, kind, state, ARRAY_HEADER + ELEMENT * host.length, host);
  owners.set(state, v);
  store.views.push(v);
  return v;
}

/** A new realm Uint8Array holding a copy of `bytes` (over a new ArrayBuffer of its own). */
export function makeUint8(h: Host, bytes: ArrayLike<number>): WebValue {
  const copy = Uint8Array.from(bytes);
  return viewOver(h, newStore(h, copy), copy);
}

/** A new realm ArrayBuffer holding a copy of `bytes`. */
export function makeArrayBuffer(h: Host, bytes: ArrayLike<number>): WebValue {
  const store = newStore(h, Uint8Array.from(bytes));
  return (store.ab = WebValue.make(h, bufferKind, store));
}

function bytesOf(v: unknown, kind: WebKind<Bytes> | WebKind<Store>): Uint8Array | undefined {
  if (!isWebValue(v)) return undefined;
  if (kind === uint8Kind) {
    const s = bytesState(v);
    return s ? s.host.slice() : undefined;
  }
  const b = WebValue.state(v, bufferKind);
  return b ? new Uint8Array(b.buffer.slice(0)) : undefined;
}

/** The bytes of a realm Uint8Array (a host copy), or undefined for any other value. */
export function uint8Of(v: unknown): Uint8Array | undefined {
  return bytesOf(v, uint8Kind);
}

/** The bytes of a realm Uint8Array or ArrayBuffer (a host copy), or undefined for any other value. */
export function binaryOf(v: unknown): Uint8Array | undefined {
  return bytesOf(v, uint8Kind) ?? bytesOf(v, bufferKind);
}

function newUint8(h: Host, args: unknown[]): WebValue {
  const a = args[0];
  const buf = isWebValue(a) ? WebValue.state(a, bufferKind) : undefined;
  if (buf) {
    const [off, len] = plainArgs(h, 'Uint8Array', args.slice(1, 3));
    const host = hostOp(h, 'Uint8Array', () => new Uint8Array(buf.buffer, off, len));
    return viewOver(h, buf, host);
  }
  if (args.length > 1) return unsupported(h, 'Uint8Array', 'with an offset or length over something not an ArrayBuffer');
  if (a === undefined) return makeUint8(h, new Uint8Array(0));
  if (typeof a === 'number') {
    const n = toIntegerOrInfinity(h, a);
    if (n !== a || n < 0 || n > 1 << 24) return unsupported(h, 'Uint8Array', `length ${String(a)}`);
    return makeUint8(h, new Uint8Array(n));
  }
  return fromList(h, 'Uint8Array', a);
}

/** A new Uint8Array copying a Uint8Array or an array of numbers (what `new` and `from` share). */
function fromList(h: Host, what: string, a: unknown): WebValue {
  const other = uint8Of(a);
  if (other) return makeUint8(h, other);
  if (Array.isArray(a)) {
    h.tick(1 + a.length);
    if (a.some((x) => typeof x !== 'number')) return unsupported(h, what, 'from an array of non-numbers');
    return makeUint8(h, Uint8Array.from(a as number[]));
  }
  return unsupported(h, what, `from a ${isWebValue(a) ? WebValue.kind(a).name : typeof a}`);
}

const uint8From = new BuiltinFunction({
  name: 'from', length: 1, path: 'Uint8Array.from',
  impl(h, _t, args) {
    if (args.length > 1) return unsupported(h, 'Uint8Array.from', 'with a map function');
    return fromList(h, 'Uint8Array.from', args[0]);
  },
});

export const Uint8ArrayFn = new BuiltinFunction({
  name: 'Uint8Array', length: 3, path: 'Uint8Array', real: Uint8Array,
  impl: (h) => withoutNew(h, Uint8Array),
  construct: newUint8,
  statics: { from: uint8From, BYTES_PER_ELEMENT: 1 },
});

/** The other typed arrays' test (typed-arrays.ts registers it), for ArrayBuffer.isView. */
let otherView: (v: unknown) => boolean = () => false;
export function registerViewCheck(f: (v: unknown) => boolean): void {
  otherView = f;
}

/** A realm DataView: the ArrayBuffer it views and the host view that checked its bounds. */
interface View { readonly ab: WebValue; readonly host: DataView }

/**
 * DataView: constructed over a realm ArrayBuffer (Node's bounds checks and errors), with its buffer,
 * byteOffset and byteLength and Node's tag (lodash's getTag test); every get/set method aborts.
 */
const dataViewKind: WebKind<View> = {
  name: 'DataView',
  real: DataView.prototype,
  getters: {
    buffer: (_h, s) => s.ab,
    byteOffset: (_h, s) => s.host.byteOffset,
    byteLength: (_h, s) => s.host.byteLength,
  },
  methods: {},
};

export const DataViewFn = new BuiltinFunction({
  name: 'DataView', length: 1, path: 'DataView', real: DataView,
  impl: (h) => withoutNew(h, DataView),
  construct(h, args) {
    const a = args[0];
    const buf = isWebValue(a) ? WebValue.state(a, bufferKind) : undefined;
    if (!buf) return h.throwError('TypeError', 'First argument to DataView constructor must be an ArrayBuffer');
    const [off, len] = plainArgs(h, 'DataView', args.slice(1, 3));
    const host = hostOp(h, 'DataView', () => new DataView(buf.buffer, off, len));
    return WebValue.make(h, dataViewKind, { ab: a as WebValue, host });
  },
});

const isView = new BuiltinFunction({
  name: 'isView', length: 1, path: 'ArrayBuffer.isView',
  impl: (_h, _t, args) => bytesState(args[0]) !== undefined || otherView(args[0]) || (isWebValue(args[0]) && WebValue.state(args[0], dataViewKind) !== undefined),
});

export const ArrayBufferFn = new BuiltinFunction({
  name: 'ArrayBuffer', length: 1, path: 'ArrayBuffer', real: ArrayBuffer,
  impl: (h) => withoutNew(h, ArrayBuffer),
  construct(h, args) {
    if (args.length > 1) return unsupported(h, 'ArrayBuffer', 'with options (resizable)');
    const [n] = plainArgs(h, 'ArrayBuffer', args);
    if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > 1 << 24)) return unsupported(h, 'ArrayBuffer', `length ${String(n)}`);
    h.tick(1 + Math.ceil((n ?? 0) / 16));
    return makeArrayBuffer(h, new Uint8Array(n ?? 0));
  },
  statics: { isView },
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
      const bytes = binaryOf(args[0]);
      if (!bytes) return unsupported(h, 'TextDecoder.prototype.decode', 'of something not a Uint8Array or an ArrayBuffer');
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
  const s = bytesState(v);
  if (!s) return unsupported(h, 'crypto.getRandomValues', `of ${isWebValue(v) ? `a ${WebValue.kind(v).name}` : typeof v}`);
  if (s.length > 65536) return throwDomException(h, 'crypto.getRandomValues', 'QuotaExceededError', 'The requested length exceeds 65,536 bytes');
  h.tick(1 + Math.ceil(s.length / 16));
  const r = randomBytes(s.length);
  s.host.set(r);
  mirror(h, s.store, s.host.byteOffset, s.host.byteOffset + s.length);
  return v as WebValue;
}
