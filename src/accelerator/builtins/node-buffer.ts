// Node's Buffer in compiled code (global `Buffer` and `require('buffer').Buffer`): a Uint8Array
// subclass, so a Buffer is a realm view over a store like Uint8Array's (bytes.ts: elements are own
// sealed data properties read natively, writes mirrored into every view of the same bytes) with
// Buffer's own members on top. Encodings, decoding and comparisons are the host's own Buffer code
// run on a host view of the store, so every answer (and every error: ERR_UNKNOWN_ENCODING, range
// errors) is Node's. Names Buffer has that are not listed here abort; so does allocUnsafe, whose
// bytes Node leaves uninitialised, and JSON.stringify/console.log of a Buffer (as of a Uint8Array).
import type { Host } from './host.ts';
import { charUnits, JOIN_UNITS } from './costs.ts';
import { BuiltinFunction, toIntegerOrInfinity, unsupported } from './values.ts';
import { WebValue, hostOp, isWebValue, madeString, type WebKind } from './web-value.ts';
import { bufferKind, bytesState, newStore, plainArgs, registerViewKind, uint8Kind, viewOver, type Bytes } from './bytes.ts';

const MAX_LENGTH = 1 << 24;

/** The host's Buffer over a realm view's bytes (shares them: for reading only, or written with mirror). */
const hostBuffer = (s: Bytes): Buffer => Buffer.from(s.host.buffer, s.host.byteOffset, s.length);

/** An encoding argument: a string or undefined reaches the host (which validates it), anything else aborts. */
function encodingArg(h: Host, what: string, v: unknown): BufferEncoding | undefined {
  if (v === undefined || typeof v === 'string') return v as BufferEncoding | undefined;
  return unsupported(h, what, `an encoding that is a ${typeof v}`);
}

/** A new realm Buffer holding `bytes` (a fresh host Buffer the realm now owns). */
export function makeBuffer(h: Host, bytes: Uint8Array): WebValue {
  const own = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  // A fresh store of exactly these bytes: Node's pool slicing is invisible to the function.
  const copy = own.byteOffset === 0 && own.buffer.byteLength === own.length ? own : own.slice();
  return viewOver(h, newStore(h, copy), copy, nodeBufferKind);
}

function decoded(h: Host, s: Bytes, args: unknown[]): string {
  const enc = encodingArg(h, 'Buffer.prototype.toString', args[0]);
  const [start, end] = plainArgs(h, 'Buffer.prototype.toString', args.slice(1, 3));
  h.tick(1 + s.length);
  return madeString(h, hostOp(h, 'Buffer.prototype.toString', () => hostBuffer(s).toString(enc, start, end)));
}

function otherBytes(h: Host, what: string, v: unknown): Bytes {
  return bytesState(v) ?? unsupported(h, what, `with a ${isWebValue(v) ? WebValue.kind(v).name : typeof v}`);
}

const nodeBufferKind: WebKind<Bytes> = {
  ...uint8Kind,
  name: 'Buffer',
  also: ['Uint8Array'],
  real: Buffer.prototype,
  methods: {
    ...uint8Kind.methods,
    toString: (h: Host, s: Bytes, args: unknown[]) => decoded(h, s, args),
    equals(h, s, args) {
      const o = otherBytes(h, 'Buffer.prototype.equals', args[0]);
      h.tick(1 + Math.ceil(Math.min(s.length, o.length) / 16));
      return hostBuffer(s).equals(o.host);
    },
    compare(h, s, args) {
      if (args.length > 1) return unsupported(h, 'Buffer.prototype.compare', 'with ranges');
      const o = otherBytes(h, 'Buffer.prototype.compare', args[0]);
      h.tick(1 + Math.ceil(Math.min(s.length, o.length) / 16));
      return hostBuffer(s).compare(o.host);
    },
    // Buffer's slice shares the bytes (Uint8Array's copies); both give Buffers.
    slice: (h, s, args) => subView(h, s, 'Buffer.prototype.slice', args),
    subarray: (h, s, args) => subView(h, s, 'Buffer.prototype.subarray', args),
    toJSON(h, s) {
      h.tick(1 + s.length);
      return h.fromHost({ type: 'Buffer', data: Array.from(s.host) });
    },
  },
  toPrimitive: (h, s) => {
    h.tick(s.length * JOIN_UNITS);
    return madeString(h, hostBuffer(s).toString());
  },
};

function subView(h: Host, s: Bytes, what: string, args: unknown[]): WebValue {
  const [a, b] = plainArgs(h, what, args.slice(0, 2));
  h.tick(1);
  return viewOver(h, s.store, s.host.subarray(a, b), nodeBufferKind);
}

registerViewKind(nodeBufferKind);

function fromValue(h: Host, args: unknown[]): WebValue {
  const [v, second, third] = args;
  if (typeof v === 'string') {
    const enc = encodingArg(h, 'Buffer.from', second);
    h.tick(charUnits(v.length));
    return makeBuffer(h, hostOp(h, 'Buffer.from', () => Buffer.from(v, enc)));
  }
  const ab = isWebValue(v) ? WebValue.state(v, bufferKind) : undefined;
  if (ab) {
    // Over an ArrayBuffer: a view sharing its bytes, as Node's.
    const [off, len] = plainArgs(h, 'Buffer.from', [second, third]);
    const view = hostOp(h, 'Buffer.from', () => {
      const b = Buffer.from(ab.buffer, off, len);
      return new Uint8Array(b.buffer, b.byteOffset, b.length);
    });
    return viewOver(h, ab, view, nodeBufferKind);
  }
  const bytes = bytesState(v);
  if (bytes) return makeBuffer(h, bytes.host.slice());
  if (Array.isArray(v)) {
    h.tick(1 + v.length);
    if (v.some((x) => typeof x !== 'number')) return unsupported(h, 'Buffer.from', 'an array of non-numbers');
    return makeBuffer(h, Buffer.from(v as number[]));
  }
  return unsupported(h, 'Buffer.from', `a ${isWebValue(v) ? WebValue.kind(v).name : v === null ? 'null' : typeof v}`);
}

function lengthArg(h: Host, what: string, v: unknown): number {
  if (typeof v !== 'number') return unsupported(h, what, `a size that is a ${typeof v}`);
  const n = toIntegerOrInfinity(h, v);
  if (n > MAX_LENGTH) return unsupported(h, what, `size ${n}`);
  return n;
}

const statics = {
  from: new BuiltinFunction({ name: 'from', length: 3, path: 'Buffer.from', impl: (h, _t, args) => fromValue(h, args) }),
  alloc: new BuiltinFunction({
    name: 'alloc', length: 3, path: 'Buffer.alloc',
    impl(h, _t, args) {
      const n = lengthArg(h, 'Buffer.alloc', args[0]);
      const fill = args[1];
      if (fill !== undefined && typeof fill !== 'number' && typeof fill !== 'string' && !bytesState(fill)) return unsupported(h, 'Buffer.alloc', `a fill that is a ${typeof fill}`);
      const enc = encodingArg(h, 'Buffer.alloc', args[2]);
      h.tick(1 + Math.ceil(Math.max(0, n) / 16));
      const f = bytesState(fill)?.host ?? (fill as number | string | undefined);
      return makeBuffer(h, hostOp(h, 'Buffer.alloc', () => Buffer.alloc(n, f, enc)));
    },
  }),
  concat: new BuiltinFunction({
    name: 'concat', length: 2, path: 'Buffer.concat',
    impl(h, _t, args) {
      const list = args[0];
      if (!Array.isArray(list)) return unsupported(h, 'Buffer.concat', 'of something not an array');
      const parts = list.map((x) => otherBytes(h, 'Buffer.concat', x).host);
      const [total] = plainArgs(h, 'Buffer.concat', [args[1]]);
      h.tick(1 + parts.length + Math.ceil(parts.reduce((n, p) => n + p.length, 0) / 16));
      return makeBuffer(h, hostOp(h, 'Buffer.concat', () => Buffer.concat(parts, total)));
    },
  }),
  byteLength: new BuiltinFunction({
    name: 'byteLength', length: 2, path: 'Buffer.byteLength',
    impl(h, _t, args) {
      const v = args[0];
      if (typeof v === 'string') {
        h.tick(charUnits(v.length));
        const enc = encodingArg(h, 'Buffer.byteLength', args[1]);
        return hostOp(h, 'Buffer.byteLength', () => Buffer.byteLength(v, enc));
      }
      const view = bytesState(v);
      if (view) return view.length;
      const ab = isWebValue(v) ? WebValue.state(v, bufferKind) : undefined;
      if (ab) return ab.buffer.byteLength;
      return unsupported(h, 'Buffer.byteLength', `of a ${isWebValue(v) ? WebValue.kind(v).name : typeof v}`);
    },
  }),
  isBuffer: new BuiltinFunction({ name: 'isBuffer', length: 1, path: 'Buffer.isBuffer', impl: (_h, _t, args) => isWebValue(args[0]) && WebValue.state(args[0], nodeBufferKind) !== undefined }),
  isEncoding: new BuiltinFunction({ name: 'isEncoding', length: 1, path: 'Buffer.isEncoding', impl: (h, _t, args) => (typeof args[0] === 'string' ? (h.tick(1), Buffer.isEncoding(args[0])) : false) }),
  compare: new BuiltinFunction({
    name: 'compare', length: 2, path: 'Buffer.compare',
    impl(h, _t, args) {
      const a = otherBytes(h, 'Buffer.compare', args[0]);
      const b = otherBytes(h, 'Buffer.compare', args[1]);
      h.tick(1 + Math.ceil(Math.min(a.length, b.length) / 16));
      return Buffer.compare(a.host, b.host);
    },
  }),
};

export const BufferFn = new BuiltinFunction({
  name: 'Buffer', length: 2, path: 'Buffer', real: Buffer,
  // `Buffer(x)` and `new Buffer(x)` are deprecated (DEP0005) and print a warning: not modelled.
  impl: (h) => unsupported(h, 'Buffer', 'called as a function (deprecated)'),
  construct: (h) => unsupported(h, 'new Buffer', 'deprecated'),
  statics,
});
