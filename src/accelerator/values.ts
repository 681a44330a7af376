/**
 * Runtime values that are not plain data (docs/pipeline-interfaces.md, "Runtime values"). Compiled
 * code never holds a native function or a host object: functions are `Closure`s whose native code is
 * in a private field, errors are `ErrorValue`s. Classes here keep their internals in private fields so
 * that no own-property lookup can ever reach them.
 */

/** A compiled function as a value. The native function never escapes (private field). */
export class Closure {
  readonly #fn: (...args: unknown[]) => unknown;
  readonly name: string;
  readonly length: number;
  constructor(name: string, length: number, fn: (...args: unknown[]) => unknown) {
    this.#fn = fn;
    this.name = name;
    this.length = length;
  }
  /** Only the core runtime calls this (it counts fuel and depth around it). */
  static native(c: Closure): (...args: unknown[]) => unknown {
    return c.#fn;
  }
}

/** An Error as Node makes it: own non-enumerable `message`, `name`; `String(e)` is "Name: message". */
export class ErrorValue {
  declare name: string;
  declare message: string;
  constructor(name: string, message: string) {
    Object.defineProperty(this, 'name', { value: name, writable: true, enumerable: false, configurable: true });
    Object.defineProperty(this, 'message', { value: message, writable: true, enumerable: false, configurable: true });
  }
  toString(): string {
    const name = this.name === undefined ? 'Error' : String(this.name);
    const msg = this.message === undefined ? '' : String(this.message);
    if (name === '') return msg;
    if (msg === '') return name;
    return `${name}: ${msg}`;
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

export type AbortReason = string;

/** The request stops here: unknown path, unsupported operation or exhausted limit. Never catchable. */
export class AbortError extends Error {
  constructor(
    readonly reason: AbortReason,
    readonly detail?: string,
    public loc?: { line: number; column: number },
  ) {
    super(`abort: ${reason}${detail ? ` (${detail})` : ''}`);
  }
}
