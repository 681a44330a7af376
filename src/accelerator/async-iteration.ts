/**
 * `for await (… of v)` (docs/accelerator.md, "Async iteration"), in an async function's body, where
 * the compiler's `yield` is Await (async.ts). The compiler emits, with fresh `$` temporaries:
 *
 *   $a = rt.afor(v, text); $d = rt.depth();
 *   try { for (;;) { rt.tick(); if (rt.adone($a, (yield rt.anext($a)))) break; x = rt.avalue($a); body } }
 *   catch ($c) { let $x = rt.caught($c, $d); if (rt.acloses($a, true)) { try { (yield rt.aclose($a)); } catch … } throw rt.thr($x); }
 *   finally { rt.fin($d); if (rt.acloses($a, false)) rt.achk((yield rt.aclose($a))); }
 *
 * so that every Await the specification makes is one `yield` (ForIn/OfBodyEvaluation and
 * AsyncIteratorClose): a break, a return or a throw out of the body closes the iterator and awaits
 * its `return()`, a throw keeping its own error; an iterator whose `next` failed is not closed. An
 * object without `[Symbol.asyncIterator]` is iterated through CreateAsyncFromSyncIterator over the
 * sync iterator of iterators.ts, as Node 20 does it: each value awaited in a job of its own, and a
 * rejected value not closing the sync iterator (the newer specification's close is not in Node 20).
 * The record is the runtime's; compiled code only hands it back to these operations.
 */
import type { Runtime } from './runtime.ts';
import * as cls from './classes.ts';
import { openSteps, type Steps } from './iterators.ts';
import { NativeHandler, capabilityOf, newPromise, performThen, promiseResolve, type PromiseValue } from './promise.ts';
import { symbolGet } from './symbols.ts';
import { OBJECT_HEADER, LITERAL_PROPERTY } from './builtins/costs.ts';
import { Thrown } from './values.ts';
import { AsyncGeneratorValue, asyncGeneratorRequest, type AsyncInner } from './async-generators.ts';

/** The iterator of one `for await`: a realm async iterator, or a sync one behind CreateAsyncFromSyncIterator. */
export class AsyncLoop {
  /** The last result `next` gave, read by avalue. */
  result: unknown;
  /** False once the loop may not close the iterator: its `next` threw or it is done, or it was closed. */
  open = true;
  constructor(
    readonly iterator: object | undefined,
    /** `next`, read once at the start. */
    readonly next: unknown,
    readonly sync: Steps | undefined,
  ) {}
  /** `return`, read when the loop closes (asyncCloses), called by asyncClose. */
  returnMethod: unknown;
}

const RECORD_BYTES = OBJECT_HEADER + 4 * LITERAL_PROPERTY;

function isObjectValue(rt: Runtime, v: unknown): v is object {
  return typeof v === 'object' && v !== null && (rt.isPlain(v) || cls.isUserObject(v));
}

/** GetIterator(v, async). `text`: the source of the iterated expression, for Node's TypeError. */
export function openAsync(rt: Runtime, v: unknown, text: string | null): AsyncLoop {
  rt.tick(1);
  rt.alloc(RECORD_BYTES);
  if (v === undefined || v === null) return rt.throwError('TypeError', `Cannot read properties of ${String(v)} (reading 'Symbol(Symbol.asyncIterator)')`);
  // The runtime's own async generator: %AsyncGeneratorPrototype%'s [Symbol.asyncIterator], next and
  // return, which compiled code cannot replace, so reading them is not observable.
  if (v instanceof AsyncGeneratorValue) return new AsyncLoop(v, undefined, undefined);
  if (isObjectValue(rt, v)) {
    const m = symbolGet(rt, v, Symbol.asyncIterator);
    if (m !== undefined && m !== null) {
      const it = callAsyncIterator(rt, v, m);
      return new AsyncLoop(it, it instanceof AsyncGeneratorValue ? undefined : rt.get(it, 'next'), undefined);
    }
  }
  const steps = openSteps(rt, v);
  if (steps === undefined) {
    if (text === null) return rt.abort('unsupported:value', 'error-message (for await over a value that is not iterable)');
    return rt.throwError('TypeError', `${text} is not async iterable`);
  }
  return new AsyncLoop(undefined, undefined, steps);
}

/** `v[Symbol.asyncIterator]()`: a plain object or instance, or one of the runtime's async generators. */
function callAsyncIterator(rt: Runtime, v: object, m: unknown): object {
  if (!rt.isCallable(m)) return rt.abort('unsupported:value', 'Symbol.asyncIterator that is not a function');
  const it = rt.call(m, v, []);
  if (it instanceof AsyncGeneratorValue || isObjectValue(rt, it)) return it;
  if (typeof it === 'object' && it !== null) return rt.abort('unsupported:value', 'Symbol.asyncIterator returning an object that is not plain');
  return rt.throwError('TypeError', 'Result of the Symbol.asyncIterator method is not an object');
}

/** The value `next` gives, which the loop awaits: the iterator's own, or the async-from-sync promise. */
export function asyncNext(rt: Runtime, a: AsyncLoop): unknown {
  a.open = false; // until this step's result is known good: a failing next is not closed
  if (a.sync) return fromSync(rt, a.sync, 'next');
  if (a.iterator instanceof AsyncGeneratorValue) return asyncGeneratorRequest(rt, a.iterator, 'next', undefined);
  if (!rt.isCallable(a.next)) return rt.abort('unsupported:value', 'async iterator next that is not a function');
  return rt.call(a.next, a.iterator, []);
}

/** IteratorComplete of the awaited result (a TypeError when it is not an object). */
export function asyncDone(rt: Runtime, a: AsyncLoop, r: unknown): boolean {
  checkResult(rt, r);
  const done = !!rt.get(r, 'done');
  a.result = r;
  a.open = !done;
  return done;
}

export function asyncValue(rt: Runtime, a: AsyncLoop): unknown {
  return rt.get(a.result, 'value');
}

/**
 * Whether leaving the loop closes the iterator (GetMethod(iterator, "return") is not undefined):
 * then the caller awaits `asyncClose`. Only once per loop. `quiet`: the loop is left by a throw,
 * whose error wins over anything the closing throws.
 */
export function asyncCloses(rt: Runtime, a: AsyncLoop, quiet: boolean): boolean {
  if (!a.open) return false;
  a.open = false;
  if (a.sync) return true; // %AsyncFromSyncIteratorPrototype%.return always exists
  if (a.iterator instanceof AsyncGeneratorValue) return true;
  let m: unknown;
  try {
    m = rt.get(a.iterator, 'return');
  } catch (e) {
    if (quiet && e instanceof Thrown) return false;
    throw e;
  }
  if (m === undefined || m === null) return false;
  a.returnMethod = m;
  return true;
}

/** Call(return, iterator): the value the loop awaits before it goes on leaving. */
export function asyncClose(rt: Runtime, a: AsyncLoop): unknown {
  if (a.sync) return fromSync(rt, a.sync, 'return');
  if (a.iterator instanceof AsyncGeneratorValue) return asyncGeneratorRequest(rt, a.iterator, 'return', undefined);
  if (!rt.isCallable(a.returnMethod)) return rt.abort('unsupported:value', 'async iterator return that is not a function');
  return rt.call(a.returnMethod, a.iterator, []);
}

/** The awaited result of `return()` must be an object (a TypeError otherwise). */
export function checkResult(rt: Runtime, r: unknown): void {
  if (typeof r === 'object' && r !== null) {
    if (!isObjectValue(rt, r)) rt.abort('unsupported:value', 'async iterator result that is not a plain object');
    return;
  }
  if (typeof r === 'function' || typeof r === 'symbol' || typeof r === 'bigint') rt.abort('unsupported:value', 'async iterator result that is not an object');
  rt.throwError('TypeError', `Iterator result ${typeof r === 'string' ? r : String(r)} is not an object`);
}

/**
 * %AsyncFromSyncIteratorPrototype%.next() and .return() without an argument: the sync step, then
 * a promise resolved by PerformPromiseThen on PromiseResolve(value), so that each value is awaited
 * in a job of its own. A sync step that throws rejects the promise instead; a sync iterator without
 * `return` gives an already resolved promise of `{ value: undefined, done: true }`.
 */
function fromSync(rt: Runtime, s: Steps, which: 'next' | 'return'): PromiseValue {
  return asyncFromSync(rt, () => (which === 'next' ? s.next(undefined) : s.close ? s.close(undefined) : undefined), undefined);
}

/**
 * One step of %AsyncFromSyncIteratorPrototype%: `step` undefined when the sync method is absent, then
 * `{ value: absent, done: true }`, or (`reject`, for throw) a promise rejected with `absent`.
 */
function asyncFromSync(rt: Runtime, step: () => IteratorResult<unknown, unknown> | undefined, absent: unknown, reject = false): PromiseValue {
  const p = newPromise(rt);
  const cap = capabilityOf(rt, p);
  let r: IteratorResult<unknown, unknown> | undefined;
  try {
    r = step();
  } catch (e) {
    if (!(e instanceof Thrown)) throw e;
    cap.reject(e.value);
    return p;
  }
  if (r === undefined) {
    if (reject) cap.reject(absent);
    else cap.resolve(iterResult(rt, absent, true));
    return p;
  }
  const done = !!r.done;
  const wrapper = promiseResolve(rt, r.value);
  performThen(rt, wrapper, new NativeHandler((v) => cap.resolve(iterResult(rt, v, done))), new NativeHandler((e) => cap.reject(e)), undefined);
  return p;
}

/** CreateIterResultObject: a plain object of the realm, `value` first. */
function iterResult(rt: Runtime, value: unknown, done: boolean): object {
  rt.alloc(OBJECT_HEADER + 2 * LITERAL_PROPERTY);
  const o = rt.realm.newObject();
  o.value = value;
  o.done = done;
  return o;
}

/**
 * GetIterator(v, async) for `yield* v` in an async generator (async-generators.ts drives the loop):
 * the runtime's own async generator, a user object's `[Symbol.asyncIterator]()`, or a sync iterable
 * behind %AsyncFromSyncIteratorPrototype% (Node 20's: a throw() into a sync iterator without throw
 * rejects with the thrown value; a return(v) into one without return gives `{ value: v, done: true }`).
 */
export function openDelegate(rt: Runtime, v: unknown): AsyncInner {
  rt.tick(1);
  rt.alloc(RECORD_BYTES);
  if (v === undefined || v === null) return rt.throwError('TypeError', `Cannot read properties of ${String(v)} (reading 'Symbol(Symbol.asyncIterator)')`);
  if (v instanceof AsyncGeneratorValue) return generatorInner(rt, v);
  if (isObjectValue(rt, v)) {
    const m = symbolGet(rt, v, Symbol.asyncIterator);
    if (m !== undefined && m !== null) {
      const it = callAsyncIterator(rt, v, m);
      return it instanceof AsyncGeneratorValue ? generatorInner(rt, it) : userInner(rt, it);
    }
  }
  const steps = openSteps(rt, v);
  if (steps !== undefined) return syncInner(rt, steps);
  // V8 calls the undefined @@iterator method.
  if (typeof v === 'number' || typeof v === 'boolean' || isObjectValue(rt, v)) return rt.throwError('TypeError', 'undefined is not a function');
  return rt.abort('unsupported:value', 'yield* in an async generator over a value that is neither iterable nor async iterable');
}

/** The checks of an awaited inner result, the same for every inner iterator. */
function reading(rt: Runtime): Pick<AsyncInner, 'check' | 'read' | 'noThrow'> {
  return {
    check: (r) => checkResult(rt, r),
    read: (r) => {
      checkResult(rt, r);
      const done = !!rt.get(r, 'done');
      return { done, value: rt.get(r, 'value') };
    },
    noThrow: () => rt.throwError('TypeError', "The iterator does not provide a 'throw' method."),
  };
}

/** Another async generator of the runtime: its requests run its body at once, counted as a nested call. */
function generatorInner(rt: Runtime, g: AsyncGeneratorValue): AsyncInner {
  return {
    ...reading(rt),
    send: (kind, v) => {
      if (++rt.depthNow > rt.maxDepth) rt.abort('stack', `more than ${rt.maxDepth} nested calls`);
      try {
        return { value: asyncGeneratorRequest(rt, g, kind, v) };
      } finally {
        rt.depthNow--;
      }
    },
    close: () => ({ value: asyncGeneratorRequest(rt, g, 'return', undefined) }),
  };
}

/** A user async iterator: `next` read once, `throw` and `return` when used (GetMethod). */
function userInner(rt: Runtime, it: object): AsyncInner {
  const next = rt.get(it, 'next');
  const method = (name: string): unknown => {
    const m = rt.get(it, name);
    if (m === undefined || m === null) return undefined;
    if (!rt.isCallable(m)) return rt.abort('unsupported:value', `async iterator ${name} that is not a function`);
    return m;
  };
  return {
    ...reading(rt),
    send: (kind, v) => {
      if (kind === 'next') {
        if (next === undefined) return rt.throwError('TypeError', 'undefined is not a function');
        if (!rt.isCallable(next)) return rt.abort('unsupported:value', 'async iterator next that is not a function');
        return { value: rt.call(next, it, [v]) };
      }
      const m = method(kind);
      return m === undefined ? undefined : { value: rt.call(m, it, [v]) };
    },
    close: () => {
      const m = method('return');
      return m === undefined ? undefined : { value: rt.call(m, it, []) };
    },
  };
}

/** A sync iterable behind %AsyncFromSyncIteratorPrototype%, whose next, throw and return always exist. */
function syncInner(rt: Runtime, s: Steps): AsyncInner {
  const rejected = (e: unknown): PromiseValue => {
    const p = newPromise(rt);
    capabilityOf(rt, p).reject(e);
    return p;
  };
  return {
    ...reading(rt),
    send: (kind, v) => {
      if (kind === 'next') return { value: asyncFromSync(rt, () => s.next(v), undefined) };
      if (kind === 'return') return { value: asyncFromSync(rt, () => (s.close ? s.close(v) : undefined), v) };
      // No throw method (an array's, or a user iterator's): a promise rejected with v; the sync iterator stays open.
      return { value: s.throw ? asyncFromSync(rt, () => s.throw!(v), v, true) : rejected(v) };
    },
    close: () => ({ value: asyncFromSync(rt, () => (s.close ? s.close(undefined) : undefined), undefined) }),
  };
}
