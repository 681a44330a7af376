/**
 * Async functions (docs/accelerator.md, "Promises and timers"). The compiler turns
 * `async function f(…) { … await x … }` into `rt.afn("f", n, function* (…) { … (yield x) … })`:
 * the generator function is only ever the direct argument of `rt.afn` (src/subset admits `function*`
 * and `yield` nowhere else), and the generator object it makes never leaves this file. Each call
 * starts the generator at once (the body runs synchronously up to its first await, as in Node) and
 * returns a promise; each `yield` is an await, resumed by a reaction on `PromiseResolve(value)`, so
 * that awaiting a native promise takes one job and a thenable more, as in V8. A user exception
 * reaches compiled code's `catch` as a `Thrown`, so a rejection is thrown into the generator as one.
 */
import { CLOSURE, OBJECT_HEADER } from './builtins/costs.ts';
import { NativeHandler, capabilityOf, newPromise, performThen, promiseResolve, type PromiseHost, type PromiseValue } from './promise.ts';
import { Closure, Thrown, markFunctionKind } from './values.ts';

type Body = (...args: unknown[]) => Generator<unknown, unknown, unknown>;

/** A suspended generator and its frame, as V8 keeps them. */
const GENERATOR_BYTES = OBJECT_HEADER + 128;

export function asyncFunction(host: PromiseHost, name: string, length: number, body: Body): Closure {
  host.alloc(CLOSURE);
  return markFunctionKind(new Closure(name, length, (...args: unknown[]) => startAsync(host, body, args)), 'AsyncFunction');
}

/** One call of an async function: its body runs to its first await; its promise is returned. */
export function startAsync(host: PromiseHost, body: Body, args: unknown[]): PromiseValue {
  const p = newPromise(host);
  const cap = capabilityOf(host, p);
  host.alloc(GENERATOR_BYTES);
  const gen = body(...args);
  step(host, gen, cap, false, undefined);
  return p;
}

/** Resumes the body with an awaited value (or throws a rejection into it) until its next await. */
function step(host: PromiseHost, gen: Generator<unknown, unknown, unknown>, cap: ReturnType<typeof capabilityOf>, throwIn: boolean, value: unknown): void {
  let r: IteratorResult<unknown, unknown>;
  try {
    r = throwIn ? gen.throw(new Thrown(value)) : gen.next(value);
  } catch (e) {
    if (!(e instanceof Thrown)) throw e; // an abort: the request stops here
    cap.reject(e.value);
    return;
  }
  if (r.done) {
    cap.resolve(r.value);
    return;
  }
  // Await: PromiseResolve, then PerformPromiseThen with no result promise (V8's await).
  const awaited = promiseResolve(host, r.value);
  performThen(host, awaited, new NativeHandler((v) => step(host, gen, cap, false, v)), new NativeHandler((e) => step(host, gen, cap, true, e)), undefined);
}
