/**
 * console.log's text for runtime values: the arguments are copied into host stand-ins that Node's own
 * util.format prints exactly as it prints the original values in a container (plain objects and
 * arrays as host copies, cycles and shared references kept; a closure as a host function of the same
 * name; an error as a host error of the same class, message and own properties), so formatting,
 * quoting, depth, line breaking and `%` specifiers are Node's own code. What cannot be the same is
 * documented in docs/accelerator.md: an error's stack frames, `%s` of a function (its source text),
 * and the runtime's own objects (but for generators, whose stand-ins are host generators that never run).
 *
 * Stand-ins are host objects made here and handed only to util.format, never to compiled code. No
 * user code runs while formatting: stand-in functions do nothing, and a specifier that would call a
 * function the program wrote (`toString`, `valueOf`, `toJSON`) aborts instead.
 */
import { formatWithOptions } from 'node:util';
import { isGeneratorObject } from 'node:util/types';
import { BuiltinFunction, GlobalObject, Namespace } from './builtins/index.ts';
import { ProcessValue, isEnv } from './process-env.ts';
import { PRINT_ENTRY_UNITS } from './builtins/costs.ts';
import { WebValue, binaryOf, isMatchArray, isWebValue, regexpState } from './builtins/index.ts';
import { timeValue } from './builtins/date.ts';
import { ENTRY_BYTES, hostCollection } from './builtins/collections.ts';
import type { Runtime } from './runtime.ts';
import { Closure, CoreFunction, CoreObject, ErrorValue, functionKind, type FunctionKind } from './values.ts';
import { isAsyncValue } from './async-values.ts';
import { isAsyncGenerator } from './async-generators.ts';
import { isGenerator } from './generators.ts';
import { closureHasProps, hasConversionHook, instanceLogName, isUserObject } from './classes.ts';
import { ownSymbols } from './symbols.ts';

/** Byte kinds util.inspect prints from host copies of the same class. */
const BYTE_CLASSES = new Set(['Uint8Array', 'Buffer', 'ArrayBuffer']);

/** Deeper than any depth console's formatting looks (`%o`: 4), so the cut never shows. */
const MAX_DEPTH = 8;
/** util.inspect prints at most 100 entries of an array (maxArrayLength), each reached by one own index. */
const ARRAY_ENTRIES = 101;
/** Where Node prints a frame, a stand-in error prints this one (compiled code has no stack). */
export const ERROR_FRAME = '    at <accelerated>';

/**
 * What Node prints as the stack of error v: its first line is String(v) (V8 writes it when the stack
 * is first read, which compiled code cannot do before this), then one stand-in frame.
 */
export function errorStack(rt: Runtime, v: ErrorValue): string {
  const name = rt.get(v, 'name');
  const msg = rt.get(v, 'message');
  // What V8 prints for a symbol there is not modelled (ToString would throw inside a log).
  if (typeof name === 'symbol' || typeof msg === 'symbol') return rt.abort('unsupported:value', 'error-text (a symbol name or message)');
  const n = name === undefined ? 'Error' : rt.toString(name);
  const m = msg === undefined ? '' : rt.toString(msg);
  const head = n === '' ? m : m === '' ? n : `${n}: ${m}`;
  return `${head}\n${ERROR_FRAME}`;
}

/** What src/api's stackText logs of a thrown value: an error's stack, any other value as a string. */
export function thrownStack(rt: Runtime, v: unknown): string {
  return v instanceof ErrorValue ? errorStack(rt, v) : rt.stringOf(v);
}

const ERROR_CLASSES: Record<string, ErrorConstructor> = { Error, TypeError, RangeError, SyntaxError, ReferenceError, URIError };
const HOOKS = ['toString', 'valueOf', 'toJSON'];

class process {}

/** A host function util.inspect prints as Node prints the program's: its kind (`[GeneratorFunction: g]`), name and length. */
function namedFunction(name: string, length = 0, kind?: FunctionKind): () => void {
  const f: () => void = kind === 'GeneratorFunction' ? function* () {} as unknown as () => void
    : kind === 'AsyncFunction' ? async function () {} as unknown as () => void
      : kind === 'AsyncGeneratorFunction' ? async function* () {} as unknown as () => void
        : function () {};
  Object.defineProperty(f, 'name', { value: name });
  Object.defineProperty(f, 'length', { value: length }); // `%o` shows it
  return f;
}

export function formatLog(rt: Runtime, args: unknown[]): string {
  const fmt = args.length > 1 && typeof args[0] === 'string' && args[0].includes('%') ? args[0] : null;
  // %j serialises whole values: nothing may be cut then.
  const whole = fmt !== null && fmt.includes('%j');
  const copies = new Map<object, unknown>();
  let hooked = false;
  let functionArg = false;

  const copy = (v: unknown, depth: number): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    const known = copies.get(v);
    if (known !== undefined) return known;
    rt.tick(1);
    if (v instanceof Closure) {
      // Node prints a class as `[class C]` and a function's own properties after it.
      if (closureHasProps(v)) return rt.abort('unsupported:value', 'console.log of a class or a function with properties');
      return remember(v, namedFunction(v.name, v.length, functionKind(v)));
    }
    if (isUserObject(v)) return copyInstance(v, depth);
    if (v instanceof BuiltinFunction) {
      // Node prints Function.prototype as `[Function (anonymous)] Object`.
      if (v.path === 'Function.prototype') return rt.abort('unsupported:builtin', 'console.log of Function.prototype');
      const f = namedFunction(v.name, v.length);
      if (v.path === 'Error') Object.assign(f, { stackTraceLimit: 10 }); // Node's default, an own enumerable property
      return remember(v, f);
    }
    if (v instanceof CoreFunction) return remember(v, namedFunction(rt.coreName(v)));
    // Node prints the builtin prototypes their own way (`Object(0) []`, `[Object: null prototype] {}`).
    if (v instanceof Namespace && v.path.endsWith('.prototype')) return rt.abort('unsupported:builtin', `console.log of ${v.path}`);
    if (v instanceof Namespace) return remember(v, Object.defineProperty({}, Symbol.toStringTag, { value: v.path }));
    if (v instanceof ProcessValue) return remember(v, new process());
    if (v instanceof CoreObject) {
      const o: Record<string, unknown> = {};
      remember(v, o);
      for (const name of CoreObject.names(v)) o[name] = copy(CoreObject.member(v, name), depth + 1);
      return o;
    }
    if (Array.isArray(v)) {
      // util.inspect prints a match array's index, input and groups after its elements.
      if (isMatchArray(v)) return rt.abort('unsupported:value', 'console-format (a match array)');
      const a: unknown[] = new Array(v.length);
      remember(v, a);
      if (!whole && depth > MAX_DEPTH) return a;
      // Most arrays have no holes where Node looks: their indices need no key list.
      const prefix = Math.min(v.length, ARRAY_ENTRIES);
      let dense = 0;
      while (dense < prefix && Object.prototype.hasOwnProperty.call(v, dense)) dense++;
      if (dense === v.length || (!whole && dense === prefix)) {
        rt.tick(1 + dense);
        for (let i = 0; i < dense; i++) a[i] = copy(v[i], depth + 1);
        return a;
      }
      rt.tick(1 + v.length); // listing an array's keys makes a string per index
      rt.alloc(v.length * 32);
      const keys = Object.keys(v);
      const n = whole ? keys.length : Math.min(keys.length, ARRAY_ENTRIES);
      rt.tick(1 + n);
      for (let i = 0; i < n; i++) a[Number(keys[i])] = copy(v[Number(keys[i])], depth + 1);
      return a;
    }
    if (v instanceof ErrorValue) return copyError(v, depth);
    if (rt.isPlain(v) || isEnv(v)) {
      const o: Record<string, unknown> = Object.getPrototypeOf(v) === null ? Object.create(null) : {};
      remember(v, o);
      if (!whole && depth > MAX_DEPTH) return o;
      return copyOwn(v, o, depth);
    }
    // A Date prints as its ISO string (zone-free); under a format, %s would print its local string.
    const t = timeValue(v);
    if (t !== undefined) return fmt === null ? new Date(t) : rt.abort('unsupported:value', 'console-format (a Date under a format string)');
    // Bytes print as host copies of the same class: util.inspect's `Uint8Array(2) [ 1, 2 ]`,
    // `<Buffer 01 02>`, `ArrayBuffer { [Uint8Contents]: <01 02>, byteLength: 2 }`.
    if (isWebValue(v) && BYTE_CLASSES.has(WebValue.kind(v).name)) {
      // `%o` also shows [byteOffset] and [buffer], which a copy cannot stand for (Node pools small Buffers).
      if (fmt !== null && fmt.includes('%o')) return rt.abort('unsupported:value', `console-format (%o of a ${WebValue.kind(v).name})`);
      const bytes = binaryOf(v)!;
      rt.tick(1 + bytes.length);
      const kind = WebValue.kind(v).name;
      return kind === 'Buffer' ? Buffer.from(bytes) : kind === 'ArrayBuffer' ? bytes.buffer : bytes;
    }
    // A RegExp prints as a host RegExp of the same source and flags, with the properties a program added.
    const re = regexpState(v);
    if (re !== undefined) {
      // `%o` also shows lastIndex (a host copy's would be 0, not the program's value).
      if (fmt !== null && fmt.includes('%o')) return rt.abort('unsupported:value', 'console-format (%o of a RegExp)');
      const r = remember(v as object, new RegExp(re.source, re.flags) as unknown as Record<string, unknown>);
      const props = WebValue.props(v as WebValue);
      if (!props) return r;
      if (!whole && depth > MAX_DEPTH) return r;
      rt.tick(1 + props.size);
      for (const [k, x] of props) {
        if (HOOKS.includes(k) && rt.isCallable(x)) hooked = true;
        Object.defineProperty(r, k, { value: copy(x, depth + 1), writable: true, enumerable: true, configurable: true });
      }
      return r;
    }
    // A Map or Set prints as a host Map or Set of the copied entries (`Map(2) { 'a' => 1, … }`);
    // entries past what util.inspect shows are stand-ins that keep its size.
    const coll = isWebValue(v) ? hostCollection(v) : undefined;
    if (coll !== undefined) return copyCollection(v as WebValue, coll, depth);
    // util.inspect prints a web object's internals its own way (URL's context, undici's symbols).
    if (isWebValue(v)) return rt.abort('unsupported:value', `console-format (a ${WebValue.kind(v).name})`);
    // A generator prints as Node prints one (`Object [AsyncGenerator] {}`, `%o` adding its tag): a
    // host generator that never starts stands in (writes to the runtime's abort, so it has no own properties).
    if (isAsyncGenerator(v)) return remember(v, (async function* () {})());
    if (isGenerator(v)) return remember(v, (function* () {})());
    if (isAsyncValue(v)) return rt.abort('unsupported:value', 'console-format (a promise or a timer)');
    if (v instanceof GlobalObject) return rt.abort('unsupported:value', 'console-format (the global object)');
    return rt.abort('internal', 'console.log of a foreign object');
  };

  /** A Map or Set as util.inspect prints it: a host one of the same size, its shown entries copied. */
  function copyCollection(v: WebValue, coll: Map<unknown, unknown> | Set<unknown>, depth: number): unknown {
    const isMap = coll instanceof Map;
    const c: Map<unknown, unknown> | Set<unknown> = isMap ? new Map() : new Set();
    remember(v, c);
    if (!whole && depth > MAX_DEPTH) return c;
    rt.tick(1 + coll.size);
    // The copy is a second hash table of as many entries while it prints.
    rt.alloc(coll.size * ENTRY_BYTES);
    let i = 0;
    for (const [k, x] of coll.entries()) {
      if (!whole && i++ >= ARRAY_ENTRIES) {
        // Not printed: a distinct stand-in, so that the size is the program's.
        if (isMap) (c as Map<unknown, unknown>).set(Symbol(), undefined);
        else (c as Set<unknown>).add(Symbol());
        continue;
      }
      if (isMap) (c as Map<unknown, unknown>).set(copy(k, depth + 1), copy(x, depth + 1));
      else (c as Set<unknown>).add(copy(k, depth + 1));
    }
    // A program cannot add properties to a Map or Set (a write aborts): there are none to print.
    if (WebValue.props(v) !== undefined) return rt.abort('internal', 'console.log of a Map or Set with properties');
    return c;
  }

  /** An instance as util.inspect prints it: its constructor's name, then its own properties (no getters, no private names). */
  function copyInstance(v: object, depth: number): unknown {
    const name = instanceLogName(rt, v);
    // `%o` also shows the prototype's getters and methods.
    if (name === null || (fmt !== null && fmt.includes('%o'))) return rt.abort('unsupported:value', 'console.log of an instance');
    let o: Record<string, unknown>;
    if (name === 'Object') o = {};
    else {
      const proto: object = {};
      const ctor = namedFunction(name);
      Object.defineProperty(ctor, 'prototype', { value: proto });
      Object.defineProperty(proto, 'constructor', { value: ctor, writable: true, enumerable: false, configurable: true });
      o = Object.create(proto) as Record<string, unknown>;
    }
    remember(v, o);
    if (hasConversionHook(rt, v)) hooked = true;
    if (!whole && depth > MAX_DEPTH) return o;
    return copyOwn(v, o, depth);
  }

  /** Copies v's own enumerable properties into o, noting conversion hooks (%s, %d print through them). */
  function copyOwn(v: object, o: Record<string, unknown>, depth: number): Record<string, unknown> {
    const keys = Object.keys(v);
    rt.tick(1 + keys.length);
    for (const k of keys) {
      const x = (v as Record<string, unknown>)[k];
      if (HOOKS.includes(k) && rt.isCallable(x)) hooked = true;
      Object.defineProperty(o, k, { value: copy(x, depth + 1), writable: true, enumerable: true, configurable: true });
    }
    // Node prints the enumerable symbol-keyed properties after the others (`[Symbol(x)]: 2`): the copy
    // has them under the same symbols. None is a conversion hook or util.inspect.custom (compiled
    // code holds neither Symbol.toPrimitive nor Symbol.for's symbols), and none is an accessor
    // (symbol-keyed getters abort).
    if (Object.getOwnPropertySymbols(v).length > 0) {
      for (const s of ownSymbols(rt, v, true, 'console.log')) {
        Object.defineProperty(o, s, { value: copy((v as Record<symbol, unknown>)[s], depth + 1), writable: true, enumerable: true, configurable: true });
      }
    }
    return o;
  }

  function remember<T>(v: object, c: T): T {
    copies.set(v, c);
    return c;
  }

  function copyError(v: ErrorValue, depth: number): Error {
    // util.inspect names a subclass's instances its own way ("NotFound [Error]: …" and more).
    if (Object.getPrototypeOf(v) !== ErrorValue.prototype) return rt.abort('unsupported:value', 'console.log of an error subclass instance');
    const dom = ErrorValue.domSlots(v);
    if (dom) {
      // util.inspect prints "DOMException [name]: message", the stack's frames and its own
      // properties (a `cause` given in its options; writes to it abort).
      const d = remember(v, new DOMException(dom.message, dom.name));
      Object.defineProperty(d, 'stack', { value: errorStack(rt, v), writable: true, configurable: true, enumerable: false });
      for (const k of Object.getOwnPropertyNames(v)) {
        const p = Object.getOwnPropertyDescriptor(v, k)!;
        Object.defineProperty(d, k, { value: copy(p.value, depth + 1), writable: true, enumerable: p.enumerable, configurable: true });
      }
      return d as Error;
    }
    const kind = ErrorValue.kind(v);
    const own = Object.prototype.hasOwnProperty.call(v, 'message');
    const message = own ? (v as unknown as { message: unknown }).message : undefined;
    if (typeof message === 'symbol') return rt.abort('unsupported:value', 'error-text (a symbol message)');
    const text = typeof message === 'string' ? message : rt.toString(message);
    const Class = ERROR_CLASSES[kind] ?? Error;
    const e = own ? new Class(text) : new Class();
    remember(v, e);
    // V8 writes the stack's text when it is first read (compiled code cannot read it, so here, as
    // the container's console does): its first line is String(e) of that moment.
    Object.defineProperty(e, 'stack', { value: errorStack(rt, v), writable: true, configurable: true, enumerable: false });
    for (const k of Object.getOwnPropertyNames(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k)!;
      if (HOOKS.includes(k) && rt.isCallable(d.value)) hooked = true;
      Object.defineProperty(e, k, { value: copy(d.value, depth + 1), writable: true, enumerable: d.enumerable, configurable: true });
    }
    return e;
  }

  const host = args.map((a) => {
    if (a instanceof Closure || a instanceof BuiltinFunction || a instanceof CoreFunction) functionArg = true;
    return copy(a, 0);
  });
  if (fmt !== null && /%[sdifj]/.test(fmt) && (hooked || (functionArg && fmt.includes('%s')))) {
    // Node would call the program's own toString/valueOf/toJSON, or print a function's source text.
    return rt.abort('unsupported:value', 'console-format (a % specifier on a function or an object with toString, valueOf or toJSON)');
  }
  // util.format prints a value shared by several parents once per parent: the text can be much larger
  // than the values copied. Paid for before it is made.
  const { chars, entries } = printedSize(host, whole);
  rt.tick(chars + PRINT_ENTRY_UNITS * entries);
  rt.allocString(chars);
  return formatWithOptions({}, ...host);
}

/** Deeper than util.inspect prints for console.log (2) or `%o` (4). */
const PRINT_DEPTH = 4;

/**
 * An upper bound of the characters util.format prints for the stand-ins, and of its entries: every entry util.inspect
 * shows (arrays up to ARRAY_ENTRIES, PRINT_DEPTH levels; everything for `%j`, which is JSON), a
 * shared value once per place it appears, a cycle once. Memoised per value and level, so it costs
 * about what the copy did.
 */
function printedSize(args: unknown[], whole: boolean): { chars: number; entries: number } {
  const memo = new Map<object, number[]>();
  const path = new Set<object>();
  let entries = 0;
  const size = (v: unknown, depth: number): number => {
    entries++;
    if (typeof v === 'string') return v.length + 2;
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null) return 24;
    if (path.has(v)) return 16;
    if (!whole && depth > PRINT_DEPTH) return 16;
    const level = whole ? 0 : depth;
    const known = memo.get(v)?.[level];
    if (known !== undefined) {
      entries += known / 16; // about as many entries again as the first time (16 characters at least each)
      return known;
    }
    path.add(v);
    // A generator's stand-in prints its tag (`Object [AsyncGenerator] {}`, with `%o` its [Symbol.toStringTag] too).
    let n = isGeneratorObject(v) ? 80 : 16;
    if (Array.isArray(v)) {
      const end = whole ? v.length : Math.min(v.length, ARRAY_ENTRIES);
      for (let i = 0; i < end; i++) n += 2 + size(v[i], depth + 1);
    } else {
      if (v instanceof Map || v instanceof Set) {
        // `k => v, ` per entry shown (a Set's: `v, `).
        let i = 0;
        for (const [k, x] of v.entries()) {
          if (!whole && i++ >= ARRAY_ENTRIES) break;
          n += 6 + size(k, depth + 1) + (v instanceof Map ? size(x, depth + 1) : 0);
        }
      }
      for (const k of v instanceof Error ? Object.getOwnPropertyNames(v) : Object.keys(v)) {
        n += k.length + 4 + size((v as Record<string, unknown>)[k], depth + 1);
      }
      if (v instanceof Error) n += (v.stack ?? '').length;
    }
    path.delete(v);
    const row = memo.get(v) ?? [];
    row[level] = n;
    memo.set(v, row);
    return n;
  };
  let chars = 0;
  for (const a of args) chars += size(a, 0);
  return { chars, entries: Math.ceil(entries) };
}
