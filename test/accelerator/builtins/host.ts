// A small test Host with plain JS semantics, standing in for the core runtime: closures wrap native
// functions, errors are ErrorValue-like class instances, ToPrimitive follows OrdinaryToPrimitive over
// runtime values. Also the helpers the differential tests share: running an operation on both sides and
// describing the outcome canonically (with -0, NaN, key order and error name/message).
import vm from 'node:vm';
import {
  BuiltinFunction, Namespace, callBuiltin, isWebValue, callMethod, type ErrorName, type Host,
} from '../../../src/accelerator/builtins/index.ts';

export class Closure {
  readonly #f: (thisArg: unknown, args: unknown[]) => unknown;
  constructor(f: (thisArg: unknown, args: unknown[]) => unknown) { this.#f = f; }
  static run(c: Closure, thisArg: unknown, args: unknown[]): unknown { return c.#f(thisArg, args); }
}

/** Like the core's ErrorValue: own non-enumerable message when given, name inherited from the kind. */
export class ErrorValue {
  readonly #kind: string;
  declare message: string | undefined;
  constructor(name: string, message: string | undefined) {
    this.#kind = name;
    if (message !== undefined) Object.defineProperty(this, 'message', { value: message, enumerable: false, writable: true, configurable: true });
  }
  get name(): string {
    return Object.prototype.hasOwnProperty.call(this, 'name') ? (this as unknown as { name: string }).name : this.#kind;
  }
}

export class Abort extends Error {
  constructor(readonly reason: string, readonly detail: string) { super(`${reason}: ${detail}`); }
}

/**
 * True for the library's abort on `what`: reason `unsupported:builtin`, detail `what` or `what (case)`
 * (a RegExp is matched against that `what`).
 */
export function isUnsupported(reason: string, detail: string, what: string | RegExp): boolean {
  if (reason !== 'unsupported:builtin') return false;
  const named = detail.split(' (')[0]!;
  return typeof what === 'string' ? named === what : what.test(named);
}

/** For assert.throws: the library aborted on `what` (see isUnsupported). */
export function unsupportedOn(what: string | RegExp): (e: unknown) => boolean {
  return (e) => e instanceof Abort && isUnsupported(e.reason, e.detail, what);
}

/** A thrown runtime value (what compiled code would catch). */
export class Thrown extends Error {
  constructor(readonly value: unknown) { super('thrown'); }
}

const isObj = (v: unknown): v is object => (typeof v === 'object' && v !== null) || typeof v === 'function';

export interface TestHost extends Host {
  fuel: number;
  memory: number;
}

export function makeHost(opts: { realm?: boolean; fuel?: number; noIsError?: boolean } = {}): TestHost {
  const ctx = opts.realm ? vm.createContext({}) : undefined;
  const mkArray = ctx ? (): unknown[] => vm.runInContext('[]', ctx) as unknown[] : (): unknown[] => [];
  const mkObject = ctx ? (): Record<string, unknown> => vm.runInContext('({})', ctx) as Record<string, unknown> : (): Record<string, unknown> => ({});
  const fromHost = (v: unknown): unknown => {
    if (Array.isArray(v)) { const a = mkArray(); for (const x of v) a.push(fromHost(x)); return a; }
    if (isObj(v)) {
      const o = mkObject();
      for (const [k, x] of Object.entries(v)) Object.defineProperty(o, k, { value: fromHost(x), writable: true, enumerable: true, configurable: true });
      return o;
    }
    return v;
  };
  const limit = opts.fuel ?? 1e7;
  const host: TestHost = {
    fuel: 0,
    memory: 0,
    call(fn, thisArg, args) {
      host.tick(1);
      if (fn instanceof Closure) return Closure.run(fn, thisArg, args);
      if (fn instanceof BuiltinFunction) return callBuiltin(host, fn, thisArg, args);
      return host.throwError('TypeError', 'not a function');
    },
    isCallable: (v) => v instanceof Closure || v instanceof BuiltinFunction,
    tick(n = 1) {
      if (!(n >= 0)) throw new Error(`bad tick ${n}`);
      host.fuel += n;
      if (host.fuel > limit) host.abort('fuel', `more than ${limit} units`);
    },
    alloc(bytes) {
      if (!(bytes >= 0)) throw new Error(`bad alloc ${bytes}`);
      host.memory += bytes;
      if (host.memory > 256e6) host.abort('memory', 'the test host\'s 256 MB');
    },
    abort(reason, detail) { throw new Abort(reason, detail); },
    throwError(name: ErrorName, message: string): never { throw new Thrown(new ErrorValue(name, message)); },
    throwValue(v: unknown): never { throw new Thrown(v); },
    toPrimitive(v, hint) {
      if (!isObj(v)) return v;
      for (const m of hint === 'string' ? ['toString', 'valueOf'] : ['valueOf', 'toString']) {
        let r: unknown;
        if (!(v instanceof Closure) && !(v instanceof BuiltinFunction) && !(v instanceof Namespace) && Object.prototype.hasOwnProperty.call(v, m)) {
          const f = (v as Record<string, unknown>)[m];
          if (!host.isCallable(f)) continue;
          r = host.call(f, v, []);
        } else if (m === 'valueOf') {
          continue; // Object.prototype.valueOf returns the object itself
        } else if (Array.isArray(v)) {
          r = callMethod(host, v, 'join', []);
        } else if (v instanceof ErrorValue) {
          const name = v.name === undefined ? 'Error' : host.toString(v.name);
          const msg = v.message === undefined ? '' : host.toString(v.message);
          r = name === '' ? msg : msg === '' ? name : `${name}: ${msg}`;
        } else if (v instanceof Closure || v instanceof BuiltinFunction || v instanceof Namespace) {
          return host.abort('unsupported:value', 'function-to-string');
        } else {
          r = '[object Object]';
        }
        if (!isObj(r)) return r;
      }
      return host.throwError('TypeError', 'Cannot convert object to primitive value');
    },
    toString: (v) => (isObj(v) ? String(host.toPrimitive(v, 'string')) : String(v)),
    toNumber: (v) => (isObj(v) ? Number(host.toPrimitive(v, 'number')) : Number(v)),
    sameValueZero: (a, b) => a === b || (a !== a && b !== b),
    strictEquals: (a, b) => a === b,
    fromHost,
    makeError: (name, message) => new ErrorValue(name, message),
    isError: opts.noIsError ? undefined : (v) => v instanceof ErrorValue,
  };
  return host;
}

// ---- conversion between the oracle's native values and runtime values ----

/** Native values (as a test writes them) to runtime values: functions become closures. */
export function toRuntime(v: unknown, seen = new Map<object, unknown>()): unknown {
  if (typeof v === 'function') {
    const f = v as (...a: unknown[]) => unknown;
    // A native exception thrown by the test's function becomes a thrown runtime error, as a throw in
    // compiled code would be.
    return new Closure((t, args) => {
      try {
        return f.apply(t, args);
      } catch (e) {
        if (e instanceof Error && !(e instanceof Abort) && !(e instanceof Thrown)) throw new Thrown(new ErrorValue(e.name, e.message));
        throw e;
      }
    });
  }
  if (!isObj(v)) return v;
  if (v instanceof Closure || v instanceof ErrorValue || v instanceof BuiltinFunction || v instanceof Namespace) return v;
  if (seen.has(v)) return seen.get(v);
  if (Array.isArray(v)) { const a: unknown[] = []; seen.set(v, a); for (const x of v) a.push(toRuntime(x, seen)); return a; }
  const o: Record<string, unknown> = {};
  seen.set(v, o);
  for (const [k, x] of Object.entries(v)) o[k] = toRuntime(x, seen);
  return o;
}

/** A canonical, order- and -0-preserving description of a value (runtime or native). */
export function canon(v: unknown, depth = 0): string {
  if (depth > 20) return '…';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined || v === null || typeof v === 'boolean') return String(v);
  if (v instanceof ErrorValue || v instanceof Error) return `Error(${v.name}: ${v.message})`;
  if (typeof v === 'function' || v instanceof Closure || v instanceof BuiltinFunction) return 'fn';
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (let i = 0; i < v.length; i++) parts.push(i in v ? canon(v[i], depth + 1) : '<hole>');
    return `[${parts.join(',')}]`;
  }
  if (isObj(v)) return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k], depth + 1)}`).join(',')}}`;
  return `?${typeof v}`;
}

export type Outcome = { ok: string } | { error: string } | { abort: string };

export function describeOutcome(f: () => unknown): Outcome {
  try {
    return { ok: canon(f()) };
  } catch (e) {
    if (e instanceof Abort) return { abort: e.reason };
    if (e instanceof Thrown) return { error: canon(e.value) };
    if (e instanceof Error) return { error: `Error(${e.name}: ${e.message})` };
    return { error: `raw ${String(e)}` };
  }
}

/** Checks that a value from the library is a runtime value: no host function, prototype or exotic. */
export function assertRuntimeValue(v: unknown, path = 'result', seen = new Set<object>()): void {
  if (typeof v === 'function') throw new Error(`${path} is a host function`);
  if (!isObj(v) || seen.has(v)) return;
  seen.add(v);
  if (v instanceof Closure || v instanceof ErrorValue || v instanceof BuiltinFunction || v instanceof Namespace || isWebValue(v)) return;
  if (Array.isArray(v)) { v.forEach((x, i) => assertRuntimeValue(x, `${path}[${i}]`, seen)); return; }
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto !== null && Object.getPrototypeOf(proto) !== null) throw new Error(`${path} is not a plain object`);
  if (proto === Object.prototype && v === Object.prototype) throw new Error(`${path} is Object.prototype`);
  for (const k of Reflect.ownKeys(v)) {
    if (typeof k !== 'string') throw new Error(`${path} has a symbol key`);
    const d = Object.getOwnPropertyDescriptor(v, k);
    if (d && (d.get || d.set)) throw new Error(`${path}.${k} is an accessor`);
    assertRuntimeValue((v as Record<string, unknown>)[k], `${path}.${k}`, seen);
  }
}

/** `typeof` as compiled code sees it (closures and builtin functions are functions). */
export function typeOf(v: unknown): string {
  if (v instanceof Closure || v instanceof BuiltinFunction) return 'function';
  if (v instanceof Namespace) return 'object';
  return typeof v;
}
