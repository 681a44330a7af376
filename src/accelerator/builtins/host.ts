// The Host interface: what the builtins library needs from the core runtime.
// This is the contract of docs/pipeline-interfaces.md ("Builtins library"); the core implements it.
// Everything here works on runtime values only; none of these calls may hand back a host object.

export type ErrorName = 'Error' | 'TypeError' | 'RangeError' | 'SyntaxError' | 'ReferenceError';

export interface Host {
  /** Calls a Closure or BuiltinFunction with runtime values; spends fuel; exceptions are the core's own. */
  call(fn: unknown, thisArg: unknown, args: unknown[]): unknown;
  isCallable(v: unknown): boolean;
  /** Spends fuel for work proportional to n (default 1). */
  tick(n?: number): void;
  /** Charges the request's memory budget. */
  alloc(bytes: number): void;
  abort(reason: string, detail?: string): never;
  throwError(name: ErrorName, message: string): never;
  /** ES ToString with runtime semantics (may call user toString/valueOf closures). */
  toString(v: unknown): string;
  toNumber(v: unknown): number;
  toPrimitive(v: unknown, hint: 'string' | 'number' | 'default'): unknown;
  sameValueZero(a: unknown, b: unknown): boolean;
  strictEquals(a: unknown, b: unknown): boolean;
  /** Converts a value made by native code (JSON.parse) into runtime values. */
  fromHost(v: unknown): unknown;
  /** An ErrorValue. */
  makeError(name: string, message: string): unknown;
  /**
   * Whether v is an ErrorValue (proposed addition). Without it, the library cannot tell an error from
   * the core's other objects and aborts where it would read one as data (Object.keys(err),
   * JSON.stringify(err), Object.assign(err, …)).
   */
  isError?(v: unknown): boolean;
  /**
   * True when the core's own array operations are exact on arrays with holes (a hole reads as
   * undefined, `in`/hasOwnProperty/for-in/Object.keys skip it, spread and for-of read undefined).
   * The builtins are always exact on holes; with this set, `new Array(n)` (n > 0) returns an array of
   * n holes, as Node does, instead of aborting. Proposed addition, optional.
   */
  readonly supportsHoles?: boolean;
}
