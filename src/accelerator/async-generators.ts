/**
 * Async generators (docs/accelerator.md, "Async generators"). The compiler turns
 * `async function* g(…) { … await x … yield y … return z … }` into
 * `rt.agfn("g", n, function* (…) { … (yield x) … (yield rt.agy(y)) … return (yield z) … })`: a bare
 * `yield` is an Await (as in async.ts) and `yield rt.agy(v)` is the generator's Yield, whose marker
 * only this file reads (the validator admits rt.agy only as the operand of `yield` in rt.agfn's body).
 * The native generator lives in a private field of an `AsyncGeneratorValue`; its `next`, `return`
 * and `throw` follow the specification's AsyncGenerator abstract operations: each call makes a
 * promise and queues a request (AsyncGeneratorEnqueue), one request runs at a time, `yield v`
 * awaits v, a `return(v)` request awaits v (at a yield, inside the body, so its finally blocks run),
 * and a finished generator drains its queue (AsyncGeneratorDrainQueue / AsyncGeneratorAwaitReturn).
 */
import { CLOSURE, OBJECT_HEADER, LITERAL_PROPERTY } from './builtins/costs.ts';
import { BuiltinFunction, unsupported } from './builtins/values.ts';
import type { Host } from './host.ts';
import { NativeHandler, capabilityOf, newPromise, performThen, promiseResolve, type PromiseHost, type PromiseValue } from './promise.ts';
import { Closure, Thrown, markFunctionKind } from './values.ts';

type Body = (...args: unknown[]) => Generator<unknown, unknown, unknown>;
type Capability = ReturnType<typeof capabilityOf>;
export type Kind = 'next' | 'return' | 'throw';

/** What an async generator's runtime needs: promises, and the realm's plain objects for results. */
export interface AsyncGeneratorHost extends PromiseHost {
  readonly realm: { newObject(): Record<string, unknown> };
}

/** A suspended generator and its frame, as V8 keeps them. */
const GENERATOR_BYTES = OBJECT_HEADER + 160;
/** One queued request: its completion and its promise capability. */
const REQUEST_BYTES = OBJECT_HEADER + 3 * LITERAL_PROPERTY;
const RESULT_BYTES = OBJECT_HEADER + 2 * LITERAL_PROPERTY;

/** `yield v`'s operand in the body: the runtime's own, never seen by compiled code. */
export class YieldMark {
  constructor(readonly value: unknown) {}
}

/**
 * The inner iterator of `yield* v`, opened by GetIterator(v, async) (async-iteration.ts): the
 * realm's own operations on it, each of which may throw the runtime's `Thrown`.
 */
export interface AsyncInner {
  /** Call(method, iterator, « v ») for next, throw or return: what the loop awaits; undefined when GetMethod found no throw or return. */
  send(kind: Kind, v: unknown): { value: unknown } | undefined;
  /** AsyncIteratorClose's Call(return, iterator): undefined when there is no return method. */
  close(): { value: unknown } | undefined;
  /** An awaited result of close(): a TypeError when it is not an object. */
  check(r: unknown): void;
  /** An awaited result: a TypeError when it is not an object, else IteratorComplete and IteratorValue. */
  read(r: unknown): { done: boolean; value: unknown };
  /** The TypeError of a throw() into an iterator without throw (its close having succeeded). */
  noThrow(): never;
}

/** `yield* v`'s operand in the body, written `(yield rt.agdel(v))`: the whole delegation runs here. */
export class DelegateMark {
  constructor(readonly inner: AsyncInner) {}
}

interface Request {
  readonly kind: Kind;
  readonly value: unknown;
  readonly cap: Capability;
}

type State = 'suspendedStart' | 'suspendedYield' | 'executing' | 'awaiting-return' | 'completed';

export class AsyncGeneratorValue {
  readonly #gen: Generator<unknown, unknown, unknown>;
  readonly #queue: Request[] = [];
  #state: State = 'suspendedStart';
  /** The inner iterator while the body is suspended in a `yield*`. */
  #inner: AsyncInner | undefined;
  constructor(gen: Generator<unknown, unknown, unknown>) {
    this.#gen = gen;
  }
  static gen(g: AsyncGeneratorValue): Generator<unknown, unknown, unknown> {
    return g.#gen;
  }
  static queue(g: AsyncGeneratorValue): Request[] {
    return g.#queue;
  }
  static state(g: AsyncGeneratorValue): State {
    return g.#state;
  }
  static setState(g: AsyncGeneratorValue, s: State): void {
    g.#state = s;
  }
  static inner(g: AsyncGeneratorValue): AsyncInner | undefined {
    return g.#inner;
  }
  static setInner(g: AsyncGeneratorValue, d: AsyncInner | undefined): void {
    g.#inner = d;
  }
}

export function isAsyncGenerator(v: unknown): v is AsyncGeneratorValue {
  return v instanceof AsyncGeneratorValue;
}

export function asyncGeneratorFunction(host: AsyncGeneratorHost, name: string, length: number, body: Body): Closure {
  host.alloc(CLOSURE);
  return markFunctionKind(new Closure(name, length, (...args: unknown[]) => startAsyncGenerator(host, body, args)), 'AsyncGeneratorFunction');
}

/** One call of an async generator function: its object, suspended before its first line. */
export function startAsyncGenerator(host: Host, body: Body, args: unknown[]): AsyncGeneratorValue {
  host.alloc(GENERATOR_BYTES);
  return new AsyncGeneratorValue(body(...args));
}

/** `rt.agdel(inner)`: the marker of a `yield*` whose inner iterator is open. */
export function delegateMark(host: Host, inner: AsyncInner): DelegateMark {
  host.tick(1);
  return new DelegateMark(inner);
}

/** `rt.agy(v)`: the marker of a Yield. */
export function yieldMark(host: Host, v: unknown): YieldMark {
  host.tick(1);
  return new YieldMark(v);
}

function iterResult(host: AsyncGeneratorHost, value: unknown, done: boolean): object {
  host.alloc(RESULT_BYTES);
  const o = host.realm.newObject();
  o.value = value;
  o.done = done;
  return o;
}

export function hasAsyncGeneratorMethod(name: string): boolean {
  return name === 'next' || name === 'return' || name === 'throw';
}

/** AsyncGenerator.prototype.next / return / throw: a promise of the request's result. */
export function asyncGeneratorRequest(host: AsyncGeneratorHost, g: AsyncGeneratorValue, kind: Kind, value: unknown): PromiseValue {
  host.tick(1);
  const p = newPromise(host);
  const cap = capabilityOf(host, p);
  let state = AsyncGeneratorValue.state(g);
  if (kind !== 'next' && state === 'suspendedStart') {
    AsyncGeneratorValue.setState(g, 'completed');
    state = 'completed';
  }
  if (state === 'completed') {
    if (kind === 'next') {
      cap.resolve(iterResult(host, undefined, true));
      return p;
    }
    if (kind === 'throw') {
      cap.reject(value);
      return p;
    }
  }
  host.alloc(REQUEST_BYTES);
  AsyncGeneratorValue.queue(g).push({ kind, value, cap });
  if (state === 'completed') {
    AsyncGeneratorValue.setState(g, 'awaiting-return');
    awaitReturn(host, g);
  } else if (state === 'suspendedStart' || state === 'suspendedYield') {
    resumeWith(host, g, kind, value);
  }
  return p;
}

/** AsyncGeneratorUnwrapYieldResumption and AsyncGeneratorResume: the front request runs the body. */
function resumeWith(host: AsyncGeneratorHost, g: AsyncGeneratorValue, kind: Kind, value: unknown): void {
  AsyncGeneratorValue.setState(g, 'executing');
  if (kind === 'return') {
    // At a yield, a return(v) awaits v first; a rejection is thrown in there.
    const awaited = promiseResolve(host, value);
    performThen(host, awaited, new NativeHandler((v) => received(host, g, 'return', v)), new NativeHandler((e) => received(host, g, 'throw', e)), undefined);
    return;
  }
  received(host, g, kind, value);
}

/** A resumption reaches the body, or the inner iterator of the `yield*` the body is suspended in. */
function received(host: AsyncGeneratorHost, g: AsyncGeneratorValue, kind: Kind, value: unknown): void {
  const inner = AsyncGeneratorValue.inner(g);
  if (inner === undefined) run(host, g, kind, value);
  else delegateStep(host, g, inner, kind, value);
}

/** Runs the body from where it stopped until its next await, yield, return or throw. */
function run(host: AsyncGeneratorHost, g: AsyncGeneratorValue, how: Kind, value: unknown): void {
  host.tick(1);
  const gen = AsyncGeneratorValue.gen(g);
  let r: IteratorResult<unknown, unknown>;
  try {
    r = how === 'next' ? gen.next(value) : how === 'return' ? gen.return(value) : gen.throw(new Thrown(value));
  } catch (e) {
    if (!(e instanceof Thrown)) throw e; // an abort: the request stops here
    AsyncGeneratorValue.setState(g, 'completed');
    completeStep(host, g, 'throw', e.value, true);
    drain(host, g);
    return;
  }
  if (r.done) {
    AsyncGeneratorValue.setState(g, 'completed');
    completeStep(host, g, 'next', r.value, true);
    drain(host, g);
    return;
  }
  if (r.value instanceof DelegateMark) {
    AsyncGeneratorValue.setInner(g, r.value.inner);
    delegateStep(host, g, r.value.inner, 'next', undefined);
    return;
  }
  if (r.value instanceof YieldMark) {
    // AsyncGeneratorYield: Await(value), then the front request gets { value, done: false }.
    const awaited = promiseResolve(host, r.value.value);
    performThen(host, awaited, new NativeHandler((v) => yielded(host, g, v)), new NativeHandler((e) => run(host, g, 'throw', e)), undefined);
    return;
  }
  // Await.
  const awaited = promiseResolve(host, r.value);
  performThen(host, awaited, new NativeHandler((v) => run(host, g, 'next', v)), new NativeHandler((e) => run(host, g, 'throw', e)), undefined);
}

/**
 * One turn of `yield*`'s loop (ES2023 14.4.14, generatorKind async): the received completion goes to
 * the inner iterator's next, throw or return, whose result is awaited; a result not done is yielded
 * as it is (AsyncGeneratorYield, no Await of its value), a done one ends the `yield*`: its value is
 * the expression's (next, throw) or the body returns it (return). No throw method: the inner is
 * closed, then a TypeError; no return method: the value is awaited and the body returns it.
 */
function delegateStep(host: AsyncGeneratorHost, g: AsyncGeneratorValue, inner: AsyncInner, kind: Kind, value: unknown): void {
  host.tick(1);
  guarded(host, g, () => {
    const sent = inner.send(kind, value);
    if (sent !== undefined) {
      awaitThen(host, g, sent.value, (r) => {
        const { done, value: v } = inner.read(r);
        if (!done) yielded(host, g, v);
        else leave(host, g, kind === 'return' ? 'return' : 'next', v);
      });
    } else if (kind === 'return') {
      awaitThen(host, g, value, (v) => leave(host, g, 'return', v));
    } else {
      const closed = inner.close();
      if (closed === undefined) inner.noThrow();
      else awaitThen(host, g, closed.value, (r) => {
        // AsyncIteratorClose: only that the result is an object is checked.
        inner.check(r);
        inner.noThrow();
      });
    }
  });
}

/** Runs a step of the delegation; a user exception ends the `yield*`, thrown in the body. */
function guarded(host: AsyncGeneratorHost, g: AsyncGeneratorValue, f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof Thrown)) throw e;
    leave(host, g, 'throw', e.value);
  }
}

/** The generator's Await of v inside the `yield*`: a rejection ends it, thrown in the body. */
function awaitThen(host: AsyncGeneratorHost, g: AsyncGeneratorValue, v: unknown, then: (v: unknown) => void): void {
  const awaited = promiseResolve(host, v);
  performThen(host, awaited, new NativeHandler((x) => guarded(host, g, () => then(x))), new NativeHandler((e) => leave(host, g, 'throw', e)), undefined);
}

/** The `yield*` completes: the body goes on with its value, its throw or its return. */
function leave(host: AsyncGeneratorHost, g: AsyncGeneratorValue, how: Kind, v: unknown): void {
  AsyncGeneratorValue.setInner(g, undefined);
  run(host, g, how, v);
}

function yielded(host: AsyncGeneratorHost, g: AsyncGeneratorValue, v: unknown): void {
  completeStep(host, g, 'next', v, false);
  const queue = AsyncGeneratorValue.queue(g);
  if (queue.length > 0) {
    resumeWith(host, g, queue[0].kind, queue[0].value);
    return;
  }
  AsyncGeneratorValue.setState(g, 'suspendedYield');
}

/** AsyncGeneratorCompleteStep: the front request's promise settles. */
function completeStep(host: AsyncGeneratorHost, g: AsyncGeneratorValue, kind: 'next' | 'throw', value: unknown, done: boolean): void {
  const req = AsyncGeneratorValue.queue(g).shift();
  if (req === undefined) return;
  if (kind === 'throw') req.cap.reject(value);
  else req.cap.resolve(iterResult(host, value, done));
}

/** AsyncGeneratorDrainQueue: a completed generator answers what is left. */
function drain(host: AsyncGeneratorHost, g: AsyncGeneratorValue): void {
  const queue = AsyncGeneratorValue.queue(g);
  while (queue.length > 0) {
    host.tick(1);
    const front = queue[0];
    if (front.kind === 'return') {
      AsyncGeneratorValue.setState(g, 'awaiting-return');
      awaitReturn(host, g);
      return;
    }
    completeStep(host, g, front.kind, front.kind === 'throw' ? front.value : undefined, true);
  }
}

/** AsyncGeneratorAwaitReturn: the return request's value awaited, then { value, done: true }. */
function awaitReturn(host: AsyncGeneratorHost, g: AsyncGeneratorValue): void {
  const front = AsyncGeneratorValue.queue(g)[0];
  const awaited = promiseResolve(host, front.value);
  const settle = (kind: 'next' | 'throw') => (v: unknown) => {
    AsyncGeneratorValue.setState(g, 'completed');
    completeStep(host, g, kind, v, true);
    drain(host, g);
  };
  performThen(host, awaited, new NativeHandler(settle('next')), new NativeHandler(settle('throw')), undefined);
}

const NAMES: ReadonlySet<string> = new Set(['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/** %AsyncGeneratorPrototype% in Node, only to learn which names its methods have. */
const REAL_PROTO = Object.getPrototypeOf(async function* () {}.prototype) as Record<Kind, object>;

/**
 * AsyncGenerator.prototype.next / return / throw as values (`const n = g.next; n.call(g)`): one of
 * each, shared as Node's are. Called on anything but an async generator, the promise rejects with
 * V8's TypeError naming the receiver (or the request aborts where the runtime cannot print it).
 */
function methodValue(kind: Kind): BuiltinFunction {
  return new BuiltinFunction({
    name: kind, length: 1, path: `AsyncGenerator.prototype.${kind}`, real: REAL_PROTO[kind],
    impl: (h, t, args) => {
      const host = h as AsyncGeneratorHost;
      const value = args.length > 0 ? args[0] : undefined;
      if (t instanceof AsyncGeneratorValue) return asyncGeneratorRequest(host, t, kind, value);
      host.tick(1);
      const shown = host.receiverText?.(t) ?? null;
      if (shown === null) return unsupported(host, `AsyncGenerator.prototype.${kind} (called on a value that is not an async generator)`);
      let error: unknown;
      try {
        host.throwError('TypeError', `Method [AsyncGenerator].prototype.${kind} called on incompatible receiver ${shown}`);
      } catch (e) {
        if (!(e instanceof Thrown)) throw e;
        error = e.value;
      }
      const p = newPromise(host);
      capabilityOf(host, p).reject(error);
      return p;
    },
  });
}

const METHODS: Readonly<Record<Kind, BuiltinFunction>> = { next: methodValue('next'), return: methodValue('return'), throw: methodValue('throw') };

/** `g.name` read as a value: next, return and throw are functions; AsyncGenerator.prototype's other members abort; other names are undefined. */
export function getAsyncGeneratorProperty(host: Host, name: string): unknown {
  if (hasAsyncGeneratorMethod(name)) {
    host.tick(1);
    return METHODS[name as Kind];
  }
  if (NAMES.has(name)) return unsupported(host, `AsyncGenerator.prototype.${name}`);
  return undefined;
}
