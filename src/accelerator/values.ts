/**
 * Runtime values that are not plain data (docs/pipeline-interfaces.md, "Runtime values"). Compiled
 * code never holds a native function or a host object: functions are `Closure`s whose native code is
 * in a private field, errors are `ErrorValue`s. Classes here keep their internals in private fields so
 * that no own-property lookup can ever reach them.
 */

import { boundDetail, type AbortReason } from './aborts.ts';

/** A compiled function as a value. The native function never escapes (private field). */
export class Closure {
  #fn: ((...args: unknown[]) => unknown) | null;
  /** For functions that see their receiver (classes.ts): the call with `this`, `new.target` and the arguments. */
  #recv: ((thisArg: unknown, newTarget: unknown, args: unknown[]) => unknown) | null = null;
  readonly name: string;
  readonly length: number;
  constructor(name: string, length: number, fn: ((...args: unknown[]) => unknown) | null) {
    this.#fn = fn;
    this.name = name;
    this.length = length;
  }
  /** Only the core runtime calls this (it counts fuel and depth around it). */
  static native(c: Closure): (...args: unknown[]) => unknown {
    return c.#fn!;
  }
  /** The receiver-taking call of a closure made by classes.ts, or null for every other closure. */
  static recv(c: Closure): ((thisArg: unknown, newTarget: unknown, args: unknown[]) => unknown) | null {
    return c.#recv;
  }
  static initRecv(c: Closure, fn: (...args: unknown[]) => unknown, recv: (thisArg: unknown, newTarget: unknown, args: unknown[]) => unknown): void {
    if (c.#fn !== null) throw new Error('Closure.initRecv: already initialised');
    c.#fn = fn;
    c.#recv = recv;
  }
  /** Completes a closure made with a null function (a named function expression that sees itself). */
  static init(c: Closure, fn: (...args: unknown[]) => unknown): void {
    if (c.#fn !== null) throw new Error('Closure.init: already initialised');
    c.#fn = fn;
  }
}

/** What util.inspect calls a function that is not an ordinary one (`[GeneratorFunction: g]`). */
export type FunctionKind = 'GeneratorFunction' | 'AsyncFunction' | 'AsyncGeneratorFunction';

const FUNCTION_KINDS = new WeakMap<Closure, FunctionKind>();

/** Marks a closure made for an async function, a generator function or an async generator function. */
export function markFunctionKind(c: Closure, kind: FunctionKind): Closure {
  FUNCTION_KINDS.set(c, kind);
  return c;
}

/** The kind a closure was marked with; undefined for ordinary functions, arrows, methods and classes. */
export function functionKind(c: Closure): FunctionKind | undefined {
  return FUNCTION_KINDS.get(c);
}

/** What a DOMException holds besides its stack (Node's internals map). */
export interface DomSlots {
  readonly name: string;
  readonly message: string;
}

/**
 * An Error as Node makes it: an own non-enumerable `message` when one was given (`new Error()` and
 * `new Error(undefined)` have none and read Error.prototype's `''`); `name` comes from the
 * constructor (like Error.prototype.name) unless the function assigns its own; `String(e)` is
 * "Name: message".
 */
export class ErrorValue {
  readonly #kind: string;
  /** A DOMException's name and message (internal slots in Node, read through its prototype's getters). */
  readonly #dom: DomSlots | null = null;
  declare message: unknown;
  constructor(kind: string, message: string | undefined, dom?: DomSlots) {
    this.#kind = kind;
    if (dom) this.#dom = dom;
    else if (message !== undefined) Object.defineProperty(this, 'message', { value: message, writable: true, enumerable: false, configurable: true });
  }
  /** A DOMException as Node makes it: no own properties but its stack, name and message in slots. */
  static dom(name: string, message: string): ErrorValue {
    return new ErrorValue('DOMException', undefined, { name, message });
  }
  /** A DOMException's slots, or null for every other error. */
  static domSlots(e: ErrorValue): DomSlots | null {
    return e.#dom;
  }
  /** The constructor's name: Error, TypeError, … (what `instanceof` and the inherited `name` see). */
  static kind(e: ErrorValue): string {
    return e.#kind;
  }
  /** `e.name` as Node reads it: an own property, else the prototype's. */
  get name(): unknown {
    if (this.#dom) return this.#dom.name;
    return Object.prototype.hasOwnProperty.call(this, 'name') ? (this as unknown as { name: unknown }).name : this.#kind;
  }
}

/** A function of the core runtime itself (the containerless API, console): callable, not a Closure. */
export class CoreFunction {
  readonly #impl: (args: unknown[]) => unknown;
  readonly name: string;
  constructor(name: string, impl: (args: unknown[]) => unknown) {
    this.#impl = impl;
    this.name = name;
  }
  static impl(f: CoreFunction): (args: unknown[]) => unknown {
    return f.#impl;
  }
}

/** An object of the core runtime with fixed function members (`require('containerless')`, `console`). */
export class CoreObject {
  readonly #members: ReadonlyMap<string, CoreFunction>;
  readonly label: string;
  constructor(label: string, members: CoreFunction[]) {
    this.label = label;
    this.#members = new Map(members.map((m) => [m.name, m]));
  }
  static member(o: CoreObject, name: string): CoreFunction | undefined {
    return o.#members.get(name);
  }
  static names(o: CoreObject): string[] {
    return [...o.#members.keys()];
  }
}

/** A value thrown by the function (user `throw` or a JS exception the runtime raises for it). */
export class Thrown {
  constructor(readonly value: unknown) {}
}

/**
 * The request stops here: unknown path, unsupported operation or exhausted limit. Never catchable.
 * `reason` is one of a closed set (aborts.ts); `detail` says what exactly, bounded in length.
 */
export class AbortError extends Error {
  readonly detail: string;
  constructor(
    readonly reason: AbortReason,
    detail: string,
    public loc?: { line: number; column: number },
  ) {
    const d = boundDetail(detail);
    super(`abort: ${reason} (${d})`);
    this.detail = d;
  }
}
