// The typed arrays other than Uint8Array (bytes.ts) in compiled code, as far as libraries use them:
// `new X()`, `new X(length)`, `new X(array of numbers | typed array)`, length, element reads and
// writes with X's own conversion, instanceof, ArrayBuffer.isView, Object.prototype.toString,
// String(x), iteration; and the prototype chain safe-stable-stringify reads at load
// (`Object.getPrototypeOf(Object.getPrototypeOf(new Int8Array()))`, then the
// `Symbol.toStringTag` getter of %TypedArray%.prototype, called on any value). Each array owns its
// elements (no ArrayBuffer is shared: `buffer`, construction over an ArrayBuffer and every method
// abort naming it), so a write updates only the array written.
import type { Host } from './host.ts';
import { ARRAY_HEADER, ELEMENT, JOIN_UNITS } from './costs.ts';
import { BuiltinFunction, Namespace, toIntegerOrInfinity, unsupported } from './values.ts';
import { WebValue, hostOp, isWebValue, madeString, type WebKind } from './web-value.ts';
import { withoutNew } from './url.ts';
import { bytesState, registerViewCheck, uint8Kind } from './bytes.ts';

type Typed = Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array | Uint8ClampedArray;
type TypedCtor = { new (n: number | ArrayLike<number>): Typed; from(a: ArrayLike<number>): Typed; readonly name: string; readonly prototype: object; readonly BYTES_PER_ELEMENT: number };

interface TypedState { readonly host: Typed }

const CTORS: readonly TypedCtor[] = [Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array, Uint8ClampedArray];

/** Their names: `instanceof` and Object.prototype.toString tags (the core's lists). */
export const TYPED_ARRAY_NAMES: readonly string[] = CTORS.map((C) => C.name);

/** A canonical numeric string (what typed arrays treat as an element key, never a property). */
function numericKey(key: string): number | undefined {
  if (key === '-0') return -0;
  const n = Number(key);
  return String(n) === key ? n : undefined;
}

function kindOf(C: TypedCtor): WebKind<TypedState> {
  const name = C.name;
  return {
    name,
    real: C.prototype,
    getters: {
      length: (_h, s) => s.host.length,
      byteLength: (_h, s) => s.host.byteLength,
      byteOffset: () => 0,
    },
    methods: {},
    setElement(h, s, key, v, self) {
      const n = numericKey(key);
      if (n === undefined) return false;
      if (typeof v !== 'number') return unsupported(h, `${name} element write`, `a ${typeof v}`);
      h.tick(1);
      if (Number.isInteger(n) && !Object.is(n, -0) && n >= 0 && n < s.host.length) {
        s.host[n] = v;
        (self as unknown as number[])[n] = s.host[n]!;
      }
      return true;
    },
    toPrimitive: (h, s) => {
      h.tick(s.host.length * JOIN_UNITS);
      return madeString(h, s.host.join(','));
    },
    *iterate(h, s) {
      for (let i = 0; i < s.host.length; i++) {
        h.tick(1);
        yield s.host[i];
      }
    },
  };
}

const kinds = new Map<string, WebKind<TypedState>>(CTORS.map((C) => [C.name, kindOf(C)]));

function make(h: Host, kind: WebKind<TypedState>, host: Typed): WebValue {
  h.tick(1 + Math.ceil(host.length / 16));
  return WebValue.make(h, kind, { host }, ARRAY_HEADER + ELEMENT * host.length, host);
}

/** The elements of a typed array this library models (these kinds, Uint8Array, Buffer), or undefined. */
function elementsOf(v: unknown): ArrayLike<number> | undefined {
  if (!isWebValue(v)) return undefined;
  const b = bytesState(v);
  if (b) return b.host;
  for (const k of kinds.values()) {
    const s = WebValue.state(v, k);
    if (s) return s.host;
  }
  return undefined;
}

function construct(h: Host, C: TypedCtor, args: unknown[]): WebValue {
  const kind = kinds.get(C.name)!;
  const a = args[0];
  if (args.length > 1) return unsupported(h, C.name, 'with an offset or length (over an ArrayBuffer)');
  if (a === undefined) return make(h, kind, new C(0));
  if (typeof a === 'number') {
    const n = toIntegerOrInfinity(h, a);
    if (n !== a || n < 0 || n > (1 << 24) / C.BYTES_PER_ELEMENT) return unsupported(h, C.name, `length ${String(a)}`);
    return make(h, kind, new C(n));
  }
  const from = elementsOf(a);
  if (from) {
    h.tick(1 + from.length);
    return make(h, kind, hostOp(h, C.name, () => C.from(from)));
  }
  if (Array.isArray(a)) {
    h.tick(1 + a.length);
    if (a.some((x) => typeof x !== 'number')) return unsupported(h, C.name, 'from an array of non-numbers');
    return make(h, kind, C.from(a as number[]));
  }
  return unsupported(h, C.name, `from a ${isWebValue(a) ? WebValue.kind(a).name : typeof a}`);
}

/** The constructors, by global name. */
export const typedArrayGlobals: Record<string, BuiltinFunction> = Object.fromEntries(CTORS.map((C) => [C.name, new BuiltinFunction({
  name: C.name, length: 3, path: C.name, real: C,
  impl: (h) => withoutNew(h, C),
  construct: (h, args) => construct(h, C, args),
  statics: { BYTES_PER_ELEMENT: C.BYTES_PER_ELEMENT },
})]));

/** The typed array's name (`Int8Array`, `Uint8Array` for a Buffer too) of a modelled typed array, else undefined. */
export function typedArrayName(v: unknown): string | undefined {
  if (!isWebValue(v)) return undefined;
  if (bytesState(v)) return 'Uint8Array';
  const k = WebValue.kind(v);
  return kinds.get(k.name) === k ? k.name : undefined;
}

// ArrayBuffer.isView: every typed array is a view (DataView is not modelled).
registerViewCheck((v) => typedArrayName(v) !== undefined);

// The prototypes, as opaque stand-ins (every member read aborts): only their identity is used.
const TypedArrayProto = new Namespace('TypedArray.prototype', {}, Object.getPrototypeOf(Int8Array.prototype) as object);
const protos = new Map<string, Namespace>([...CTORS, Uint8Array].map((C) => [C.name, new Namespace(`${C.name}.prototype`, {}, C.prototype as object)]));

/**
 * Object.getPrototypeOf as far as the typed arrays go: a typed array (not a Buffer, whose prototype
 * is Buffer.prototype) gives its constructor's prototype, and that prototype %TypedArray%.prototype.
 * Anything else aborts.
 */
export function typedArrayPrototypeOf(h: Host, v: unknown): unknown {
  h.tick(1);
  if (isWebValue(v) && (WebValue.kind(v) === uint8Kind || kinds.get(WebValue.kind(v).name) === WebValue.kind(v))) return protos.get(WebValue.kind(v).name)!;
  for (const p of protos.values()) if (v === p) return TypedArrayProto;
  return unsupported(h, 'Object.getPrototypeOf', 'of anything but a typed array or its prototype');
}

/** %TypedArray%.prototype's `Symbol.toStringTag` getter: the name of a typed array, else undefined. */
const toStringTagGetter = new BuiltinFunction({
  name: 'get [Symbol.toStringTag]', length: 0, path: 'TypedArray.prototype[Symbol.toStringTag]',
  impl: (h, thisArg) => {
    h.tick(1);
    return typedArrayName(thisArg);
  },
});

/** Object.getOwnPropertyDescriptor(%TypedArray%.prototype, Symbol.toStringTag), else undefined (not handled). */
export function typedArrayDescriptor(o: unknown, k: unknown): object | undefined {
  if (o !== TypedArrayProto || k !== Symbol.toStringTag) return undefined;
  return { get: toStringTagGetter, set: undefined, enumerable: false, configurable: true };
}
