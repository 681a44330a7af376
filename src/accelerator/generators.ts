/**
 * Generators (docs/accelerator.md, "Generators"). The compiler turns `function* g(…) { … yield x … }`
 * into `rt.gfn("g", n, function* (…) { … (yield x) … })`; as with async functions (async.ts), the
 * native generator function is only ever `rt.gfn`'s argument, and the native generator object lives in
 * a private field of a `GeneratorValue`, the only thing compiled code holds. Its `next`, `return` and
 * `throw` go through here; `for…of` and spread iterate it natively through a host iterator that
 * forwards to it (a `break` closes it, running its `finally` blocks, as Node's for-of does). A user
 * exception crosses the generator boundary as the runtime's `Thrown`, so `throw(e)` throws one in.
 */
import { isNativeError } from 'node:util/types';
import type { Host } from './host.ts';
import { CLOSURE, ELEMENT, ELEMENT_UNITS, OBJECT_HEADER, NEW_PROPERTY } from './builtins/costs.ts';
import { BuiltinFunction, unsupported } from './builtins/values.ts';
import { Closure, Thrown, markFunctionKind } from './values.ts';

type Body = (...args: unknown[]) => Generator<unknown, unknown, unknown>;

/** A suspended generator and its frame. */
const GENERATOR_BYTES = OBJECT_HEADER + 128;
const RESULT_BYTES = OBJECT_HEADER + 2 * NEW_PROPERTY;

export class GeneratorValue {
  readonly #gen: Generator<unknown, unknown, unknown>;
  constructor(gen: Generator<unknown, unknown, unknown>) {
    this.#gen = gen;
  }
  static native(g: GeneratorValue): Generator<unknown, unknown, unknown> {
    return g.#gen;
  }
}

export function isGenerator(v: unknown): v is GeneratorValue {
  return v instanceof GeneratorValue;
}

export function generatorFunction(host: Host, name: string, length: number, body: Body): Closure {
  host.alloc(CLOSURE);
  return markFunctionKind(new Closure(name, length, (...args: unknown[]) => startGenerator(host, body, args)), 'GeneratorFunction');
}

/** One call of a generator function: its generator object, suspended before its first line. */
export function startGenerator(host: Host, body: Body, args: unknown[]): GeneratorValue {
  host.alloc(GENERATOR_BYTES);
  return new GeneratorValue(body(...args));
}

/** One step of the native generator; V8's own TypeError (re-entry) becomes the function's. */
function resume(host: Host, g: GeneratorValue, how: 'next' | 'return' | 'throw', v: unknown): IteratorResult<unknown, unknown> {
  host.tick(1);
  const gen = GeneratorValue.native(g);
  try {
    if (how === 'next') return gen.next(v);
    if (how === 'return') return gen.return(v);
    return gen.throw(new Thrown(v));
  } catch (e) {
    // V8 throws it from the program's realm (the generator was made there).
    if (isNativeError(e) && e.name === 'TypeError' && e.message === 'Generator is already running') return host.throwError('TypeError', e.message);
    throw e;
  }
}

/** A user iterator's own result objects (iterators.ts): `yield*` hands them on unchanged, as V8 does. */
const PASSED = new WeakSet<object>();

export function passThrough(r: object): object {
  PASSED.add(r);
  return r;
}

/** `{ value, done }` as Node makes it (a plain object, own data properties in this order). */
function result(host: Host, r: IteratorResult<unknown, unknown>): Record<string, unknown> {
  if (PASSED.has(r)) return r as unknown as Record<string, unknown>;
  host.alloc(RESULT_BYTES);
  return { value: r.value, done: r.done === true };
}

export function hasGeneratorMethod(name: string): boolean {
  return name === 'next' || name === 'return' || name === 'throw';
}

/** `g.next(v)`, `g.return(v)`, `g.throw(e)`; other members of Generator.prototype abort. */
export function callGeneratorMethod(host: Host, g: GeneratorValue, name: string, args: unknown[]): unknown {
  if (!hasGeneratorMethod(name)) return unsupported(host, `Generator.prototype.${name}`);
  return result(host, resume(host, g, name as 'next' | 'return' | 'throw', args.length > 0 ? args[0] : undefined));
}

const GENERATOR_NAMES: ReadonlySet<string> = new Set(['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

type Method = 'next' | 'return' | 'throw';

/** %GeneratorPrototype% in Node, only to learn which names its methods have. */
const REAL_PROTO = Object.getPrototypeOf(function* () {}.prototype) as Record<Method, object>;

/**
 * Generator.prototype.next / return / throw as values (`const n = g.next; n.call(g)`): one of each,
 * shared as Node's are. On another receiver they throw V8's TypeError naming it (Host.receiverText), or
 * abort where the runtime cannot name it (a function, an array iterator, …).
 */
function methodValue(name: Method): BuiltinFunction {
  return new BuiltinFunction({
    name, length: 1, path: `Generator.prototype.${name}`, real: REAL_PROTO[name],
    impl: (host, t, args) => {
      if (t instanceof GeneratorValue) return callGeneratorMethod(host, t, name, args);
      host.tick(1);
      const shown = host.receiverText?.(t) ?? null;
      if (shown === null) return unsupported(host, `Generator.prototype.${name} (called on a value that is not a generator)`);
      return host.throwError('TypeError', `Method [Generator].prototype.${name} called on incompatible receiver ${shown}`);
    },
  });
}

const METHODS: Readonly<Record<Method, BuiltinFunction>> = { next: methodValue('next'), return: methodValue('return'), throw: methodValue('throw') };

/** `g.name` read as a value: next, return and throw are functions; Generator.prototype's other members abort; other names are undefined. */
export function getGeneratorProperty(host: Host, name: string): unknown {
  if (hasGeneratorMethod(name)) {
    host.tick(1);
    return METHODS[name as Method];
  }
  if (GENERATOR_NAMES.has(name)) return unsupported(host, `Generator.prototype.${name}`);
  return undefined;
}

/** `for (x of g)`: a host iterator over the generator (compiled code only ever sees its values). */
export function iterateGenerator(host: Host, g: GeneratorValue): Iterable<unknown> {
  return {
    [Symbol.iterator]: () => ({
      next: () => resume(host, g, 'next', undefined),
      return: (v?: unknown) => resume(host, g, 'return', v),
    }),
  };
}

/** The generator's own protocol, for yield* (iterators.ts): next(v), return(v), throw(e) reach it as sent. */
export function generatorSteps(host: Host, g: GeneratorValue): { next(v: unknown): IteratorResult<unknown, unknown>; return(v: unknown): IteratorResult<unknown, unknown>; throw(v: unknown): IteratorResult<unknown, unknown> } {
  return {
    next: (v) => resume(host, g, 'next', v),
    return: (v) => resume(host, g, 'return', v),
    throw: (v) => resume(host, g, 'throw', v),
  };
}

/** `[...g]` and `f(...g)`: every value, in order, charged as elements. */
export function spreadGenerator(host: Host, g: GeneratorValue, out: unknown[]): void {
  for (;;) {
    const r = resume(host, g, 'next', undefined);
    if (r.done) return;
    host.tick(ELEMENT_UNITS);
    host.alloc(ELEMENT);
    out.push(r.value);
  }
}
