/**
 * The interface between the core runtime and the builtins library (docs/pipeline-interfaces.md).
 * The core runtime implements `Host`; the builtins library (src/accelerator/builtins) implements
 * `BuiltinsModule` and reaches values and limits only through the `Host` it is given.
 */

import type { AbortReason } from './aborts.ts';

/** The Error constructors compiled code has, each with its own realm value (errors.ts). */
export const ERROR_NAMES = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'URIError'] as const;
export type ErrorName = (typeof ERROR_NAMES)[number];
export const isErrorName = (n: string): n is ErrorName => (ERROR_NAMES as readonly string[]).includes(n);

/** A property as Object.defineProperty and getOwnPropertyDescriptor see it (getters are runtime functions). */
export type HostOwnDescriptor =
  | { accessor: true; get: unknown; set: unknown; enumerable: boolean; configurable: boolean }
  | { accessor: false; value: unknown; writable: boolean; enumerable: boolean; configurable: boolean };

export interface Host {
  /** Calls a Closure or BuiltinFunction; spends fuel and counts depth. */
  call(fn: unknown, thisArg: unknown, args: unknown[]): unknown;
  isCallable(v: unknown): boolean;
  /** Spends fuel for work proportional to n (default 1). */
  tick(n?: number): void;
  /** Charges the request's memory budget. */
  alloc(bytes: number): void;
  /** Charges a string of n characters at the bytes per character the host counts (2 when absent). */
  allocString?(n: number): void;
  /**
   * Tells the host about a string whose characters may be new, not copied from existing strings
   * (case mapping, fromCharCode, decoding): one outside Latin-1 makes V8 store strings with two bytes
   * per character, and the host charges strings accordingly from then on.
   */
  noteString?(s: string): void;
  /** Aborts the request, e.g. abort('unsupported:builtin', 'String.prototype.normalize'). */
  abort(reason: AbortReason, detail: string): never;
  /** Throws a JavaScript exception visible to the function, as Node would. */
  throwError(name: ErrorName, message: string): never;
  /**
   * A host promise as the realm's: the request waits for it (as for an outbound call), and when it
   * settles, the realm's promise is resolved with `convert(value)` or rejected (a host rejection the
   * realm has no value for aborts, detail `what`). Absent where nothing can wait (the top level).
   */
  awaitHost?(p: Promise<unknown>, convert: (v: unknown) => unknown, what: string): unknown;
  /**
   * The platform's fetch (src/api/fetch.ts) over the instance's I/O: its calls are the request's
   * outbound calls (egress policy, replay). Absent where nothing can wait (the top level).
   */
  fetchHost?(input: RequestInfo, init: RequestInit | undefined): Promise<Response>;
  /** Throws a runtime value (an error the library made and completed) as the function's exception. */
  throwValue(v: unknown): never;
  toString(v: unknown): string;
  toNumber(v: unknown): number;
  toPrimitive(v: unknown, hint: 'string' | 'number' | 'default'): unknown;
  sameValueZero(a: unknown, b: unknown): boolean;
  strictEquals(a: unknown, b: unknown): boolean;
  /** JSON.parse results and other host data into runtime values (copies, charged). */
  fromHost(v: unknown): unknown;
  /** An ErrorValue, for `new Error(…)` and friends; without a message it has no own `message`, as in Node. */
  makeError(name: string, message: string | undefined): unknown;
  /** A DOMException (Node's internal name and message, code from the name); no own properties. */
  makeDomException?(name: string, message: string): unknown;
  /** True for a DOMException made by makeDomException (its members are getters: writes abort). */
  isDomException?(v: unknown): boolean;
  /** True for the core's ErrorValue (the builtins treat it as a data object). */
  isError?(v: unknown): boolean;
  /**
   * True for the core's `process.env`: a data object to read, but written only by the core (Node
   * converts what is stored to strings), so builtins that would write into it or name it abort.
   */
  isEnv?(v: unknown): boolean;
  /**
   * True for an instance of a class or constructor function (src/accelerator/classes.ts) whose own
   * enumerable properties are all that Object.keys and JSON.stringify see: own data properties only,
   * and no toJSON anywhere along its prototypes.
   */
  isInstance?(v: unknown): boolean;
  /**
   * V8's text of a receiver in "called on incompatible receiver …" (NoSideEffectsToString): `#<K>`
   * for an instance, `#<Object>` for a plain object; null where the runtime is not certain of it.
   */
  receiverText?(v: unknown): string | null;
  /** True for any object of classes.ts (instances, accessor objects, arguments): reads go through prototypes and getters. */
  isBranded?(v: unknown): boolean;
  /** For a branded object: its `toJSON` as JSON.stringify reads it (along its prototypes, a getter called), or undefined. */
  toJSONOf?(v: object): unknown;
  /**
   * The own properties of a function that never sees `this` (data only, in insertion order, none
   * number-like; empty when it has none), or undefined for any other value (Object.keys, assign).
   */
  functionProps?(v: unknown): Readonly<Record<string, unknown>> | undefined;
  /** `f[key] = v` on such a function, as compiled code writes it (`name`, `length`, `prototype` abort). */
  putFunction?(f: object, key: string, v: unknown): void;
  /** For a branded object: `o[key] = v` as compiled code writes it (a setter along its prototypes runs). */
  putBranded?(o: object, key: string, v: unknown): void;
  /**
   * Symbol keys (src/accelerator/symbols.ts): the own symbol keys of an object, all or only the
   * enumerable ones, in Node's order (none for an array, a function or a primitive; other values
   * abort naming `what`); HasOwnProperty, Get and Set under one (a key the program may not use aborts).
   */
  ownSymbols?(o: object, enumerableOnly: boolean, what: string): symbol[];
  symbolHasOwn?(o: unknown, k: symbol): boolean;
  symbolGet?(o: unknown, k: symbol): unknown;
  symbolPut?(o: unknown, k: symbol, v: unknown): void;
  /** `util.format(...args)`: the text console.log would print for these arguments (log-format.ts), charged as it. */
  format?(args: unknown[]): string;
  /** The values of an iterable the core iterates itself (a generator, a Map, a Set, their iterators), step by step; else undefined. */
  iterable?(v: unknown): Iterable<unknown> | undefined;
  /**
   * True when the core's own array operations are exact on arrays with holes; then `new Array(n)`
   * (n > 0) returns n holes, as Node does, instead of aborting.
   */
  readonly supportsHoles?: boolean;
  /** The function's TZ environment variable now (its container's zone), undefined when unset (UTC). */
  timeZone?(): string | undefined;
  /** True for an object with accessors of its own (a literal with getters, or a plain object given one by defineProperty). */
  isAccessorObject?(v: unknown): boolean;
  /** Object.defineProperty onto a plain object or an accessor object, for what the builtins cannot do alone (an accessor). */
  defineOwn?(o: object, key: string, d: HostOwnDescriptor): void;
  /** An accessor object's own property as Object.getOwnPropertyDescriptor shows it. */
  describeOwn?(o: object, key: string): HostOwnDescriptor | undefined;
  /** Object.getPrototypeOf of an instance or other object of the core's classes (its prototype, which the program reaches itself), or undefined where it is not modelled. */
  prototypeOf?(o: object): unknown;
  /** `Object.create(proto)` of a prototype the core models (a program's object or class prototype), else undefined. */
  objectCreate?(proto: object | null): unknown;
  /** Object.prototype.toString's builtin tag of v (`Array`, `Arguments`, `Date`, …); aborts where the core cannot tell it exactly. */
  objectTag?(v: unknown): string;
}

/** What src/accelerator/builtins/index.ts exports (looked up at run time, see builtins-link.ts). */
export interface BuiltinsModule {
  callMethod(host: Host, receiver: unknown, name: string, args: unknown[]): unknown;
  getGlobal(name: string): unknown | undefined;
  getStatic(host: Host, namespace: unknown, key: string): unknown;
  callBuiltin(host: Host, fn: unknown, thisArg: unknown, args: unknown[]): unknown;
  construct(host: Host, fn: unknown, args: unknown[]): unknown;
  BuiltinFunction?: abstract new (...a: never[]) => object;
  Namespace?: abstract new (...a: never[]) => object;
}
