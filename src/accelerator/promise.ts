/**
 * `Promise` for compiled code (docs/accelerator.md, "Promises and timers"): a runtime value of its
 * own, never the host's Promise, following the specification's algorithms step by step so that the
 * order of reactions (and of everything they log or change) is Node's: resolving with a promise or
 * a thenable takes the extra jobs V8 takes, `await` of a promise one job (async.ts).
 * Resolving functions handed to user code are BuiltinFunctions; the promise's state lives in a
 * private field that only this file reads.
 */
import type { Host } from './host.ts';
import { ARRAY_HEADER, CLOSURE, ELEMENT, ERROR_VALUE, OBJECT_HEADER, NEW_PROPERTY } from './builtins/costs.ts';
import { BuiltinFunction, describeValue, unsupported } from './builtins/values.ts';
import { addWaiting, currentOwner, enqueueJob, trackRejection, untrackRejection, type Owner } from './microtasks.ts';
import { Thrown } from './values.ts';

/** What this file needs of the core runtime beyond Host: property reads (a thenable's `then`). */
export interface PromiseHost extends Host {
  get(o: unknown, k: unknown): unknown;
}

/** A promise and its reaction lists, as V8 lays them out (roughly). */
export const PROMISE_BYTES = OBJECT_HEADER + 3 * ELEMENT;
const REACTION_BYTES = OBJECT_HEADER + 3 * ELEMENT;

/** A handler the runtime itself attaches (await, the handler's result, combinators): no user code. */
export class NativeHandler {
  constructor(readonly fn: (v: unknown) => void) {}
}

type Handler = unknown; // a callable runtime value, a NativeHandler, or undefined

interface Capability {
  promise: PromiseValue;
  resolve(v: unknown): void;
  reject(v: unknown): void;
}

interface Reaction {
  /** The request that registered it: its handler runs as that request's code. */
  owner: Owner;
  cap: Capability | undefined;
  onFulfilled: Handler;
  onRejected: Handler;
}

interface Slot {
  state: 'pending' | 'fulfilled' | 'rejected';
  value: unknown;
  reactions: Reaction[] | null;
  handled: boolean;
}

/** A promise as a runtime value: no own properties; its slots are private. */
export class PromiseValue {
  readonly #slot: Slot = { state: 'pending', value: undefined, reactions: [], handled: false };
  static slot(p: PromiseValue): Slot {
    return p.#slot;
  }
}

export function isPromise(v: unknown): v is PromiseValue {
  return v instanceof PromiseValue;
}

export function newPromise(host: Host): PromiseValue {
  host.alloc(PROMISE_BYTES);
  return new PromiseValue();
}

/** The state of a promise, for the instance (the handler's result) and tests. */
export function promiseState(p: PromiseValue): { state: Slot['state']; value: unknown } {
  const s = PromiseValue.slot(p);
  return { state: s.state, value: s.value };
}

// ---- the specification's abstract operations -----------------------------------------------

function settle(host: Host, p: PromiseValue, state: 'fulfilled' | 'rejected', value: unknown): void {
  const s = PromiseValue.slot(p);
  const reactions = s.reactions!;
  s.state = state;
  s.value = value;
  s.reactions = null;
  if (state === 'rejected' && !s.handled) trackRejection(host, p, value);
  for (const r of reactions) {
    addWaiting(r.owner, -1);
    enqueueReaction(host, r, state, value);
  }
}

function enqueueReaction(host: Host, r: Reaction, state: 'fulfilled' | 'rejected', value: unknown): void {
  enqueueJob(host, () => reactionJob(host, r, state, value), r.owner);
}

/** NewPromiseReactionJob. */
function reactionJob(host: Host, r: Reaction, state: 'fulfilled' | 'rejected', value: unknown): void {
  const handler = state === 'fulfilled' ? r.onFulfilled : r.onRejected;
  if (handler instanceof NativeHandler) {
    handler.fn(value);
    return;
  }
  if (handler === undefined) {
    if (!r.cap) return;
    if (state === 'fulfilled') r.cap.resolve(value);
    else r.cap.reject(value);
    return;
  }
  let result: unknown;
  try {
    result = host.call(handler, undefined, [value]);
  } catch (e) {
    if (!(e instanceof Thrown)) throw e;
    r.cap?.reject(e.value);
    return;
  }
  r.cap?.resolve(result);
}

/** CreateResolvingFunctions, as the runtime calls them (the user-visible ones wrap these). */
export function capabilityOf(host: PromiseHost, p: PromiseValue): Capability {
  let already = false;
  return {
    promise: p,
    resolve(resolution) {
      if (already) return;
      already = true;
      resolvePromise(host, p, resolution);
    },
    reject(reason) {
      if (already) return;
      already = true;
      settle(host, p, 'rejected', reason);
    },
  };
}

function resolvePromise(host: PromiseHost, p: PromiseValue, resolution: unknown): void {
  if (resolution === p) {
    host.alloc(ERROR_VALUE);
    settle(host, p, 'rejected', host.makeError('TypeError', 'Chaining cycle detected for promise #<Promise>'));
    return;
  }
  if (!isObjectValue(host, resolution)) {
    settle(host, p, 'fulfilled', resolution);
    return;
  }
  let then: unknown;
  if (resolution instanceof PromiseValue) then = INTRINSIC_THEN;
  else {
    try {
      then = host.get(resolution, 'then');
    } catch (e) {
      if (!(e instanceof Thrown)) throw e;
      settle(host, p, 'rejected', e.value);
      return;
    }
  }
  if (!host.isCallable(then)) {
    settle(host, p, 'fulfilled', resolution);
    return;
  }
  // NewPromiseResolveThenableJob: the thenable's `then` runs in a job of its own.
  enqueueJob(host, () => {
    const { resolve, reject } = resolvingFunctions(host, p);
    try {
      host.call(then, resolution, [resolve, reject]);
    } catch (e) {
      if (!(e instanceof Thrown)) throw e;
      host.call(reject, undefined, [e.value]);
    }
  });
}

function isObjectValue(host: Host, v: unknown): boolean {
  return (typeof v === 'object' && v !== null) || typeof v === 'function' || host.isCallable(v);
}

/** The resolve and reject functions user code receives (executor, a thenable's `then`). */
export function resolvingFunctions(host: PromiseHost, p: PromiseValue): { resolve: BuiltinFunction; reject: BuiltinFunction } {
  const cap = capabilityOf(host, p);
  host.alloc(2 * CLOSURE);
  const resolve = new BuiltinFunction({ name: '', length: 1, path: 'Promise resolve function', impl: (_h, _t, args) => (cap.resolve(args[0]), undefined) });
  const reject = new BuiltinFunction({ name: '', length: 1, path: 'Promise reject function', impl: (_h, _t, args) => (cap.reject(args[0]), undefined) });
  return { resolve, reject };
}

/** PerformPromiseThen. */
export function performThen(host: Host, p: PromiseValue, onFulfilled: Handler, onRejected: Handler, cap: Capability | undefined): void {
  host.alloc(REACTION_BYTES);
  const r: Reaction = {
    owner: currentOwner(host),
    cap,
    onFulfilled: onFulfilled instanceof NativeHandler || host.isCallable(onFulfilled) ? onFulfilled : undefined,
    onRejected: onRejected instanceof NativeHandler || host.isCallable(onRejected) ? onRejected : undefined,
  };
  const s = PromiseValue.slot(p);
  if (s.state === 'pending') {
    s.reactions!.push(r);
    addWaiting(r.owner, 1);
  } else {
    if (s.state === 'rejected' && !s.handled) untrackRejection(host, p);
    enqueueReaction(host, r, s.state, s.value);
  }
  s.handled = true;
}

/** `p.then(f, r)`: a new promise resolved by the handler's result. */
export function then(host: PromiseHost, p: PromiseValue, onFulfilled: Handler, onRejected: Handler): PromiseValue {
  const derived = newPromise(host);
  performThen(host, p, onFulfilled, onRejected, capabilityOf(host, derived));
  return derived;
}

/** PromiseResolve(%Promise%, v): v itself when it is a promise (no subclasses here). */
export function promiseResolve(host: PromiseHost, v: unknown): PromiseValue {
  if (v instanceof PromiseValue) return v;
  const p = newPromise(host);
  capabilityOf(host, p).resolve(v);
  return p;
}

export function rejected(host: PromiseHost, reason: unknown): PromiseValue {
  const p = newPromise(host);
  settle(host, p, 'rejected', reason);
  return p;
}

// ---- Promise.prototype ------------------------------------------------------------------------

/** The `then` every promise inherits, as a value (resolving with a promise calls it in a job). */
const INTRINSIC_THEN = new BuiltinFunction({
  name: 'then', length: 2, path: 'Promise.prototype.then',
  impl: (h, t, args) => then(h as PromiseHost, t as PromiseValue, args[0], args[1]),
});

const PROTO_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Promise.prototype));

/** Whether `p.name(...)` is a method this file implements; inherited names it does not implement abort. */
export function hasPromiseMethod(host: Host, name: string): boolean {
  if (name === 'then' || name === 'catch' || name === 'finally') return true;
  if (PROTO_NAMES.has(name) || name in Object.prototype) return unsupported(host, `Promise.prototype.${name}`);
  return false;
}

/** `p.then/catch/finally(...args)` (the core's method call hands promises here after hasPromiseMethod). */
export function callPromiseMethod(host: PromiseHost, p: PromiseValue, name: string, args: unknown[]): unknown {
  host.tick(1);
  const a0 = args.length > 0 ? args[0] : undefined;
  if (name === 'then') return then(host, p, a0, args.length > 1 ? args[1] : undefined);
  if (name === 'catch') return then(host, p, undefined, a0);
  return promiseFinally(host, p, a0);
}

/** `p.name` read as a value: the methods abort (they would be functions of the host), others are undefined. */
export function getPromiseProperty(host: Host, name: string): unknown {
  if (PROTO_NAMES.has(name) || name in Object.prototype) return unsupported(host, `Promise.prototype.${name}`);
  return undefined;
}

/** Promise.prototype.finally: thenFinally / catchFinally as the specification builds them. */
function promiseFinally(host: PromiseHost, p: PromiseValue, onFinally: unknown): PromiseValue {
  if (!host.isCallable(onFinally)) return then(host, p, onFinally, onFinally);
  host.alloc(2 * CLOSURE);
  const thenFinally = new BuiltinFunction({
    name: '', length: 1, path: 'Promise thenFinally function',
    impl: (h, _t, args) => {
      const value = args[0];
      const result = h.call(onFinally, undefined, []);
      const q = promiseResolve(h as PromiseHost, result);
      h.alloc(CLOSURE);
      return then(h as PromiseHost, q, new BuiltinFunction({ name: '', length: 0, path: 'Promise valueThunk', impl: () => value }), undefined);
    },
  });
  const catchFinally = new BuiltinFunction({
    name: '', length: 1, path: 'Promise catchFinally function',
    impl: (h, _t, args) => {
      const reason = args[0];
      const result = h.call(onFinally, undefined, []);
      const q = promiseResolve(h as PromiseHost, result);
      h.alloc(CLOSURE);
      return then(h as PromiseHost, q, new BuiltinFunction({ name: '', length: 0, path: 'Promise thrower', impl: () => { throw new Thrown(reason); } }), undefined);
    },
  });
  return then(host, p, thenFinally, catchFinally);
}

// ---- the Promise constructor and its statics --------------------------------------------------

function construct(host: PromiseHost, args: unknown[]): PromiseValue {
  const executor = args.length > 0 ? args[0] : undefined;
  if (!host.isCallable(executor)) return host.throwError('TypeError', `Promise resolver ${describeValue(host, executor, 'new Promise')} is not a function`);
  const p = newPromise(host);
  const { resolve, reject } = resolvingFunctions(host, p);
  try {
    host.call(executor, undefined, [resolve, reject]);
  } catch (e) {
    if (!(e instanceof Thrown)) throw e;
    host.call(reject, undefined, [e.value]);
  }
  return p;
}

/**
 * The elements of the iterable a combinator is given: an array (read by index, live), or a Map, Set,
 * generator or user iterable, stepped by a native for…of in `fill` so that each step interleaves
 * with its element's promiseResolve as in Node, and a throw there closes the iterator.
 */
function elements(host: Host, iterable: unknown, what: string): unknown[] | Iterable<unknown> {
  if (Array.isArray(iterable)) return iterable;
  if (typeof iterable === 'string') return unsupported(host, what, 'a string as the iterable');
  if (iterable === undefined || iterable === null || typeof iterable === 'number' || typeof iterable === 'boolean') {
    return host.throwError('TypeError', `${typeof iterable === 'object' ? 'object null' : typeof iterable === 'undefined' ? 'undefined' : `${typeof iterable} ${String(iterable)}`} is not iterable (cannot read property Symbol(Symbol.iterator))`);
  }
  return host.iterable?.(iterable) ?? unsupported(host, what, 'a value that is not iterable');
}

type Combinator = 'all' | 'allSettled' | 'race' | 'any';

/** Promise.all, allSettled, race and any (PerformPromiseAll &c.), over an array's elements in order. */
function combinator(host: PromiseHost, kind: Combinator, args: unknown[]): PromiseValue {
  const result = newPromise(host);
  const cap = capabilityOf(host, result);
  try {
    fill(host, kind, cap, elements(host, args.length > 0 ? args[0] : undefined, `Promise.${kind}`));
  } catch (e) {
    // IfAbruptRejectPromise: a combinator rejects, it does not throw.
    if (!(e instanceof Thrown)) throw e;
    cap.reject(e.value);
  }
  return result;
}

function fill(host: PromiseHost, kind: Combinator, cap: Capability, items: unknown[] | Iterable<unknown>): void {
  const values: unknown[] = [];
  let remaining = 1;
  const done = (): void => {
    if (--remaining > 0) return;
    if (kind === 'any') {
      host.alloc(ERROR_VALUE);
      const err = host.makeError('AggregateError', 'All promises were rejected');
      Object.defineProperty(err, 'errors', { value: values, writable: true, enumerable: false, configurable: true });
      cap.reject(err);
    } else cap.resolve(values);
  };
  // The array iterator reads the live length, as Node's does (a thenable's `then` may push).
  const each = Array.isArray(items) ? null : items[Symbol.iterator]();
  const list = each === null ? (items as unknown[]) : [];
  for (let i = 0; ; i++) {
    let item: unknown;
    if (each === null) {
      if (i >= list.length) break;
      item = list[i];
    } else {
      const r = each.next();
      if (r.done === true) break;
      item = r.value;
    }
    host.tick(1);
    const next = stepResolve(host, item, each);
    if (kind === 'race') {
      performThen(host, next, new NativeHandler((v) => cap.resolve(v)), new NativeHandler((e) => cap.reject(e)), undefined);
      continue;
    }
    host.alloc(ELEMENT);
    values.push(undefined);
    remaining++;
    let called = false;
    const index = i;
    const element = (status: 'fulfilled' | 'rejected') => new NativeHandler((v) => {
      if (called) return;
      called = true;
      if (kind === 'allSettled') {
        host.alloc(OBJECT_HEADER + 2 * NEW_PROPERTY);
        values[index] = status === 'fulfilled' ? { status, value: v } : { status, reason: v };
      } else values[index] = v;
      done();
    });
    if (kind === 'all') performThen(host, next, element('fulfilled'), new NativeHandler((e) => cap.reject(e)), undefined);
    else if (kind === 'allSettled') performThen(host, next, element('fulfilled'), element('rejected'), undefined);
    else performThen(host, next, new NativeHandler((v) => cap.resolve(v)), element('rejected'), undefined);
  }
  host.alloc(ARRAY_HEADER);
  if (kind !== 'race') done();
}

/** promiseResolve of one step's value; if it throws, the iterator is closed first (IteratorClose, throw completion). */
function stepResolve(host: PromiseHost, item: unknown, each: Iterator<unknown> | null): PromiseValue {
  if (each === null) return promiseResolve(host, item);
  try {
    return promiseResolve(host, item);
  } catch (e) {
    try {
      each.return?.();
    } catch {
      // The first exception wins, as IteratorClose keeps a throw completion.
    }
    throw e;
  }
}

const staticFn = (name: string, length: number, impl: (h: PromiseHost, args: unknown[]) => unknown) =>
  new BuiltinFunction({ name, length, path: `Promise.${name}`, impl: (h, _t, args) => impl(h as PromiseHost, args) });

export const PromiseFn = new BuiltinFunction({
  name: 'Promise', length: 1, path: 'Promise', real: Promise,
  impl: (h) => h.throwError('TypeError', "Promise constructor cannot be invoked without 'new'"),
  construct: (h, args) => construct(h as PromiseHost, args),
  statics: {
    resolve: staticFn('resolve', 1, (h, args) => promiseResolve(h, args[0])),
    reject: staticFn('reject', 1, (h, args) => rejected(h, args[0])),
    all: staticFn('all', 1, (h, args) => combinator(h, 'all', args)),
    allSettled: staticFn('allSettled', 1, (h, args) => combinator(h, 'allSettled', args)),
    race: staticFn('race', 1, (h, args) => combinator(h, 'race', args)),
    any: staticFn('any', 1, (h, args) => combinator(h, 'any', args)),
  },
});
