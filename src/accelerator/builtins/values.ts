// The builtins' own value classes (BuiltinFunction, Namespace) and the helpers every builtin file
// shares: coercions in spec order, charging fuel and memory, aborting, and turning the rare native
// exception into the runtime's own. Native functions are only ever called with primitives or with
// runtime data objects, so they cannot run user code; their results are primitives or fresh arrays.
import type { Host } from './host.ts';
import { isErrorName } from './host.ts';
import { ARRAY_HEADER, ELEMENT, ELEMENT_UNITS, ERROR_VALUE, NEW_PROPERTY, OBJECT_HEADER, STRING_HEADER, WIDE_CHAR_BYTES } from './costs.ts';

export type Impl = (host: Host, thisArg: unknown, args: unknown[]) => unknown;
export type CtorImpl = (host: Host, args: unknown[]) => unknown;

/** Every string-keyed name reachable from `real` in Node, own or inherited: a key in this set that we
 * do not implement must abort (Node has something there); a key outside it reads as undefined. */
function nodeNames(real: object): ReadonlySet<string> {
  const out = new Set<string>();
  for (let o: object | null = real; o; o = Object.getPrototypeOf(o) as object | null) {
    for (const k of Object.getOwnPropertyNames(o)) out.add(k);
  }
  return out;
}

const functionNames = nodeNames(function f() {});

export interface BuiltinSpec {
  /** Node's `fn.name`. */
  name: string;
  /** Node's `fn.length`. */
  length: number;
  /** The path used in abort reasons, e.g. `Math.max` or `String`. */
  path: string;
  impl: Impl;
  /** `new F(...)`; absent means the builtin aborts on `new`. */
  construct?: CtorImpl;
  /** Static members (`String.fromCharCode`); values are runtime values. */
  statics?: Record<string, unknown>;
  /** The real Node object, only to learn which names exist on it (see nodeNames). */
  real?: object;
  /** `name`/`length` are not known (a function bound from a closure): reading them aborts. */
  opaque?: boolean;
  /** Names that must abort even if this process's Node lacks them (e.g. Error.prepareStackTrace). */
  alsoAbort?: string[];
}

/**
 * A builtin function used as a value (`arr.map(String)`, `const m = Math.max`). It carries no public
 * path to its implementation: the implementation is a private field reached only through
 * callBuiltin/construct, and instances are frozen with no own properties.
 */
export class BuiltinFunction {
  readonly #name: string;
  readonly #length: number;
  readonly #path: string;
  readonly #impl: Impl;
  readonly #construct: CtorImpl | undefined;
  readonly #statics: ReadonlyMap<string, unknown>;
  readonly #names: ReadonlySet<string>;
  readonly #opaque: boolean;
  /** Node's value has enumerable own properties (Error.stackTraceLimit, DOMException's constants). */
  readonly #listed: boolean;

  constructor(spec: BuiltinSpec) {
    this.#opaque = spec.opaque ?? false;
    this.#listed = spec.real !== undefined && Object.keys(spec.real).length > 0;
    this.#name = spec.name;
    this.#length = spec.length;
    this.#path = spec.path;
    this.#impl = spec.impl;
    this.#construct = spec.construct;
    this.#statics = new Map(Object.entries(spec.statics ?? {}));
    const names = spec.real ? nodeNames(spec.real) : functionNames;
    this.#names = spec.alsoAbort ? new Set([...names, ...spec.alsoAbort]) : names;
    Object.freeze(this);
  }

  get name(): string { return this.#name; }
  get length(): number { return this.#length; }
  get path(): string { return this.#path; }

  static invoke(host: Host, fn: BuiltinFunction, thisArg: unknown, args: unknown[]): unknown {
    host.tick(1);
    return fn.#impl(host, thisArg, args);
  }

  static construct(host: Host, fn: BuiltinFunction, args: unknown[]): unknown {
    if (!fn.#construct) return unsupported(host, `new ${fn.#path}`);
    host.tick(1);
    return fn.#construct(host, args);
  }

  static get(host: Host, fn: BuiltinFunction, key: string): unknown {
    if (fn.#statics.has(key)) return fn.#statics.get(key);
    if ((key === 'name' || key === 'length') && fn.#opaque) return unsupported(host, `${fn.#path}.${key}`);
    if (key === 'name') return fn.#name;
    if (key === 'length') return fn.#length;
    if (fn.#names.has(key)) return unsupported(host, `${fn.#path}.${key}`);
    return undefined;
  }

  static hasStatic(fn: BuiltinFunction, key: string): boolean {
    return fn.#statics.has(key);
  }

  /** Whether Node's value has enumerable own properties (which Object.keys and kin would list). */
  static listed(fn: BuiltinFunction): boolean {
    return fn.#listed;
  }

  /** The names of its statics (for inventories: docs and the charges test). */
  static staticNames(fn: BuiltinFunction): string[] {
    return [...fn.#statics.keys()];
  }
}

/** A builtin object that is not callable (`Math`, `JSON`): typeof 'object', statics only. */
export class Namespace {
  readonly #path: string;
  readonly #statics: ReadonlyMap<string, unknown>;
  readonly #names: ReadonlySet<string>;
  readonly #listed: boolean;
  readonly #exotic: string | undefined;

  /**
   * `exotic` says what Node's value is that an ordinary object is not (`Array.prototype` is an array):
   * whatever would see the difference (Array.isArray, iteration, concat, JSON, console.log) aborts.
   */
  constructor(path: string, statics: Record<string, unknown>, real: object, exotic?: string) {
    this.#path = path;
    this.#statics = new Map(Object.entries(statics));
    this.#names = nodeNames(real);
    this.#listed = Object.keys(real).length > 0;
    this.#exotic = exotic;
    Object.freeze(this);
  }

  get path(): string { return this.#path; }

  static get(host: Host, ns: Namespace, key: string): unknown {
    if (ns.#statics.has(key)) return ns.#statics.get(key);
    if (ns.#names.has(key)) return unsupported(host, `${ns.#path}.${key}`);
    return undefined;
  }

  static hasStatic(ns: Namespace, key: string): boolean {
    return ns.#statics.has(key);
  }

  /** Whether Node's value has enumerable own properties (which Object.keys and kin would list). */
  static listed(ns: Namespace): boolean {
    return ns.#listed;
  }

  static staticNames(ns: Namespace): string[] {
    return [...ns.#statics.keys()];
  }

  /** What Node's value is that the stand-in is not, or undefined for an ordinary object. */
  static exotic(ns: Namespace): string | undefined {
    return ns.#exotic;
  }
}

/** Aborts when v stands in for an exotic builtin (an array in Node) and `what` would see the difference. */
export function refuseExotic(host: Host, v: unknown, what: string): void {
  if (v instanceof Namespace && Namespace.exotic(v) !== undefined) unsupported(host, what, `${v.path}: ${Namespace.exotic(v)!}`);
}

export function isBuiltinValue(v: unknown): v is BuiltinFunction | Namespace {
  return v instanceof BuiltinFunction || v instanceof Namespace;
}

/** `typeof` of a builtin value, or undefined when v is not one. */
export function typeofBuiltin(v: unknown): 'function' | 'object' | undefined {
  if (v instanceof BuiltinFunction) return 'function';
  if (v instanceof Namespace) return 'object';
  return undefined;
}

/**
 * Locale-dependent methods are exact only under the locale the container's Node resolves by default.
 * Containers run the same Node with the same environment as the dispatcher, and with LANG unset or
 * C/C.UTF-8 both resolve to en-US; any other default locale makes these methods abort.
 */
export const defaultLocaleIsEnUS = new Intl.Collator().resolvedOptions().locale === 'en-US'
  && new Intl.NumberFormat().resolvedOptions().locale === 'en-US';

/** What the library does not cover: the abort's detail is `what`, then the case in parentheses. */
export function unsupported(host: Host, what: string, detail?: string): never {
  return host.abort('unsupported:builtin', detail === undefined ? what : `${what} (${detail})`);
}

/** The realm's DOMException `name: message` (charged), or an abort naming `what` where the host has none. */
export function newDomException(host: Host, what: string, name: string, message: string): unknown {
  if (!host.makeDomException) return unsupported(host, what, `throws DOMException ${name}`);
  host.alloc(ERROR_VALUE);
  chargeString(host, name.length + message.length);
  return host.makeDomException(name, message);
}

/** Throws Node's DOMException `name: message` (QuotaExceededError, …) as the realm's. */
export function throwDomException(host: Host, what: string, name: string, message: string): never {
  return host.throwValue(newDomException(host, what, name, message));
}

/** Objects in the runtime's sense: plain objects, arrays, closures, errors, builtin values. */
export function isObject(v: unknown): v is object {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

/**
 * An object whose own enumerable properties are its data, as Node sees it: a plain object (made as
 * `{}` in some realm), or an ErrorValue when the host can tell (its message is non-enumerable and its
 * name inherited, as in Node). Other objects of the core (its module objects, …) are not: operations
 * that would read them as data abort.
 */
export function isDataObject(host: Host, v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || isBuiltinValue(v) || host.isCallable(v)) return false;
  return isOrdinaryPlain(v) || host.isError?.(v) === true;
}

export const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

// ---- coercions (ES abstract operations on top of the host's ToNumber/ToString) ----

export function toIntegerOrInfinity(host: Host, v: unknown): number {
  const n = typeof v === 'number' ? v : host.toNumber(v);
  if (Number.isNaN(n)) return 0;
  const t = Math.trunc(n);
  return t === 0 ? 0 : t; // never -0 (trunc(-0.5) is -0)
}

export function toLength(host: Host, v: unknown): number {
  const n = toIntegerOrInfinity(host, v);
  return n <= 0 ? 0 : Math.min(n, Number.MAX_SAFE_INTEGER);
}

/** Relative index clamped to [0, len] as used by slice/splice/fill/…; `v` undefined means `dflt`. */
export function relIndex(host: Host, v: unknown, len: number, dflt: number): number {
  if (v === undefined) return dflt;
  const n = toIntegerOrInfinity(host, v);
  if (n < 0) return Math.max(len + n, 0);
  return Math.min(n, len);
}

export function str(host: Host, v: unknown): string {
  return typeof v === 'string' ? v : host.toString(v);
}

/** SymbolDescriptiveString (`Symbol(desc)`): what `String(s)` and `s.toString()` give, charged as a new string. */
export function symbolText(host: Host, s: symbol): string {
  const d = s.toString();
  chargeString(host, d.length);
  return d;
}

/** ToPropertyKey; a symbol key aborts (symbols.ts models the well-known ones on objects that use them). */
export function toPropertyKey(host: Host, v: unknown): string {
  if (typeof v === 'symbol') return host.abort('unsupported:value', 'symbol-key');
  return typeof v === 'string' ? v : str(host, v);
}

// ---- charging (rates and sizes: costs.ts) ----

/** A new string of n characters. */
export function chargeString(host: Host, chars: number): void {
  if (host.allocString) host.allocString(chars);
  else host.alloc(STRING_HEADER + WIDE_CHAR_BYTES * chars);
}

/** A string made of characters that may be new (see Host.noteString), charged by its length. */
export function newString(host: Host, s: string): string {
  host.noteString?.(s);
  chargeString(host, s.length);
  return s;
}

/** A new array of n elements. */
export function chargeArray(host: Host, elements: number): void {
  host.alloc(ARRAY_HEADER + ELEMENT * elements);
}

/** n more elements in an existing array. */
export function chargeElements(host: Host, elements: number): void {
  host.alloc(ELEMENT * elements);
}

/** n properties added to an object (their keys exist already: they are property keys elsewhere). */
export function chargeProperties(host: Host, keys: number): void {
  host.alloc(NEW_PROPERTY * keys);
}

/** A new object with n properties. */
export function chargeObject(host: Host, keys: number): void {
  host.alloc(OBJECT_HEADER + NEW_PROPERTY * keys);
}

/**
 * Fuel for a loop written here over the elements [from, to) of an array, charged in blocks as it
 * goes (before each block), so that a loop that stops early pays for what it visited (to within a
 * block) and a long one stops where the fuel does. Call with each index k the loop reaches.
 */
export function loopTick(host: Host, k: number, from: number, to: number, units = ELEMENT_UNITS): void {
  if (((k - from) & (LOOP_BLOCK - 1)) === 0) host.tick(units * Math.min(LOOP_BLOCK, to - k));
}
const LOOP_BLOCK = 256;

// ---- native exceptions ----


/**
 * Runs a native computation on primitives; a native exception becomes the runtime's own error with
 * the same name and message (V8 made it, so the message is Node's). Never wrap host calls in this:
 * their exceptions belong to the core.
 */
export function native<T>(host: Host, what: string, f: () => T): T {
  let result: T;
  try {
    result = f();
  } catch (e) {
    const name = e instanceof Error || (isObject(e) && 'name' in e) ? String((e as Error).name) : '';
    const message = isObject(e) && 'message' in e ? String((e as Error).message) : String(e);
    if (isErrorName(name)) return host.throwError(name, message);
    return unsupported(host, what, `${name}: ${message}`);
  }
  return result;
}

/**
 * How V8 prints a value in "X is not a function" (NoSideEffectsToString), for the values where it is
 * certain; anything else aborts rather than guess.
 */
export function describeValue(host: Host, v: unknown, what: string): string {
  if (v === undefined || v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return String(v);
  if (Array.isArray(v)) return '[object Array]';
  if (v instanceof Namespace) return '#<Object>';
  if (host.isEnv?.(v)) return '[object Object]'; // V8's rendering of process.env (an API object)
  if (isDataObject(host, v) && isOrdinaryPlain(v)) {
    // V8 names the constructor only when toString is Object.prototype.toString and the constructor,
    // found through the prototype, is a named function: for `{}` literals that is Object.
    if (hasOwn(v, 'constructor') && isObject(v.constructor)) return unsupported(host, what, 'error message with an own constructor');
    if (hasOwn(v, 'toString') || hasOwn(v, 'constructor') || Object.getPrototypeOf(v) === null) return '[object Object]';
    return '#<Object>';
  }
  return unsupported(host, what, 'error message for a non-callable object');
}

/** True for objects made as `{}` or `Object.create(null)` in some realm, as opposed to class instances
 * (the core's ErrorValue, …) whose inherited members this library cannot know. */
export function isOrdinaryPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

export function requireCallable(host: Host, v: unknown, what: string): void {
  if (!host.isCallable(v)) host.throwError('TypeError', `${describeValue(host, v, what)} is not a function`);
}

/** Writes an own data property the way CreateDataProperty would; `__proto__` aborts (runtime rule). */
export function setOwn(host: Host, o: Record<string, unknown>, key: string, v: unknown, what: string): void {
  if (key === '__proto__') unsupported(host, what, '__proto__');
  o[key] = v;
}
