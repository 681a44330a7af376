/**
 * The iterator protocol over realm values, step by step (docs/accelerator.md, "Iterators"): what
 * `yield*` delegates to, what for…of, spread, Array.from and array patterns read from an object
 * whose `[Symbol.iterator]()` returns an iterator of its own. A `Steps` forwards `next`, `return`
 * and `throw` to the realm's iterator (a generator, an array, a string, a Map or Set or one of their
 * iterators, or a user object with `next`); compiled code never holds one: the runtime hands it to
 * the native `yield*` or for…of that drives it.
 */
import type { Runtime } from './runtime.ts';
import * as cls from './classes.ts';
import { isGenerator, generatorSteps, passThrough } from './generators.ts';
import { isAsyncGenerator } from './async-generators.ts';
import { ARRAY_HEADER, ELEMENT, ELEMENT_UNITS, STRING_HEADER } from './builtins/costs.ts';
import { WebValue, isWebValue } from './builtins/web-value.ts';
import { arrayIteratorOf } from './builtins/collections.ts';
import { hasOwn } from './builtins/values.ts';
import { symbolGet } from './symbols.ts';
import { Thrown } from './values.ts';

type Step = IteratorResult<unknown, unknown>;

/** One open iterator; `return` and `throw` are absent when the realm's iterator has none. */
export interface Steps {
  next(v: unknown): Step;
  return?(v: unknown): Step;
  /** undefined when a user iterator has no throw method (GetMethod, read when it is called). */
  throw?(v: unknown): Step | undefined;
  /**
   * `return` read when it is called, as %AsyncFromSyncIteratorPrototype%.return reads it: undefined
   * when the iterator has no return method (absent: it never has one).
   */
  close?(v: unknown): Step | undefined;
}

const isArray = Array.isArray;

/** GetIterator(v): the steps of an iterable realm value; undefined when it is not iterable. */
export function openSteps(rt: Runtime, v: unknown): Steps | undefined {
  if (isArray(v)) return nativeSteps(rt, Array.prototype.values.call(v), 0);
  if (typeof v === 'string') return nativeSteps(rt, String.prototype[Symbol.iterator].call(v), rt.charBytes > 1 ? STRING_HEADER + 4 : 0);
  if (isGenerator(v)) return closing(generatorSteps(rt, v));
  if (isWebValue(v)) {
    const it = webIterable(rt, v);
    return it === undefined ? undefined : nativeSteps(rt, it[Symbol.iterator](), 0);
  }
  // Node's arguments objects are iterable as arrays are (live length and indices).
  if (cls.isArguments(v)) return nativeSteps(rt, Array.prototype.values.call(v as ArrayLike<unknown>), 0);
  if (typeof v !== 'object' || v === null || !(rt.isPlain(v) || cls.isUserObject(v))) return undefined;
  const f = symbolGet(rt, v, Symbol.iterator);
  if (f === undefined || f === null) return undefined;
  if (!rt.isCallable(f)) return rt.abort('unsupported:value', 'Symbol.iterator that is not a function');
  return iteratorSteps(rt, rt.call(f, v, []));
}

/** The steps of what a `[Symbol.iterator]()` returned: a generator, a Map/Set/array iterator, or a user object with `next`. */
function iteratorSteps(rt: Runtime, it: unknown): Steps {
  if (isGenerator(it)) return closing(generatorSteps(rt, it));
  if (isWebValue(it) && hasOwn(WebValue.kind(it).methods, 'next')) return openSteps(rt, it)!;
  if (typeof it === 'object' && it !== null && (rt.isPlain(it) || cls.isUserObject(it))) return userSteps(rt, it);
  // Node's TypeError names the value as V8 prints it: not modelled.
  return rt.abort('unsupported:value', 'Symbol.iterator returning a value that is not an object with next()');
}

/** A generator's steps: it always has a return method. */
function closing(s: Required<Pick<Steps, 'next' | 'return' | 'throw'>>): Steps {
  return { ...s, close: s.return };
}

/** A host iterator the runtime made (array, string, Map/Set steps): no user code runs, each step charged as an element. */
function nativeSteps(rt: Runtime, it: Iterator<unknown>, bytesPerStep: number): Steps {
  return {
    next: () => {
      rt.tick(ELEMENT_UNITS);
      const r = it.next();
      if (!r.done && bytesPerStep > 0) rt.alloc(ELEMENT + bytesPerStep);
      return r;
    },
  };
}

/**
 * A user iterator: `next` is read once (as GetIterator does), `return` and `throw` when used (as
 * IteratorClose and yield* do); each call runs realm code, charged as a call.
 */
function userSteps(rt: Runtime, it: object): Steps {
  const next = rt.get(it, 'next');
  const close = (v: unknown): Step | undefined => {
    const m = rt.get(it, 'return');
    if (m === undefined || m === null) return undefined;
    return read(rt, callMethod(rt, m, it, v === undefined ? [] : [v], 'return'));
  };
  return {
    next: (v: unknown) => read(rt, callMethod(rt, next, it, v === undefined ? [] : [v], 'next')),
    // No return(): closing does nothing, and a delegating generator returns v.
    return: (v: unknown) => close(v) ?? { done: true, value: v },
    close,
    throw: (v: unknown) => {
      const m = rt.get(it, 'throw');
      if (m === undefined || m === null) return undefined;
      return read(rt, callMethod(rt, m, it, [v], 'throw'));
    },
  };
}

function callMethod(rt: Runtime, f: unknown, it: object, args: unknown[], name: string): unknown {
  // V8's TypeError text for a non-callable method names the expression: not modelled.
  if (!rt.isCallable(f)) return rt.abort('unsupported:value', `iterator ${name} that is not a function`);
  return rt.call(f, it, args);
}

/**
 * IteratorComplete and IteratorValue of a result object. Only plain objects whose `done` and `value`
 * are data properties (or absent) are read: then no realm code runs, and the order of the two reads
 * (for…of reads `value` only when not done) cannot be observed. Anything else aborts.
 */
function read(rt: Runtime, r: unknown): Step {
  if (typeof r !== 'object' || r === null || isArray(r) || !rt.isPlain(r)) {
    return rt.abort('unsupported:value', 'iterator result that is not a plain object');
  }
  field(rt, r, 'done');
  field(rt, r, 'value');
  // The object itself: a generator delegating to this iterator hands it on as its own result (V8's
  // yield* does not copy it), so g.next() returns the very object next() returned.
  return passThrough(r) as Step;
}

function field(rt: Runtime, r: object, name: string): unknown {
  const d = Object.getOwnPropertyDescriptor(r, name);
  if (d === undefined) return undefined;
  if (!('value' in d)) return rt.abort('unsupported:value', `iterator result with a ${name} getter`);
  return d.value;
}

/** The values of an open iterator, for for…of and Array.from: a `break` (or a throw out of the loop) calls its return(). */
export function stepsIterable(s: Steps): Iterable<unknown> {
  const it: Iterator<unknown> = { next: () => s.next(undefined) };
  if (s.return) it.return = (v?: unknown) => s.return!(v);
  return { [Symbol.iterator]: () => it };
}

/** V8's TypeError for `yield* v` over a value that is not iterable (`text`: see the compiler's delegateText). */
function notDelegable(rt: Runtime, v: unknown, text: string | null): never {
  if (text === null) return rt.abort('unsupported:value', 'error-message (yield* over a value that is not iterable)');
  if (text !== '#value') return rt.throwError('TypeError', `yield* ${text} is not iterable`);
  return notIterableValue(rt, v, 'yield* over a value that is not iterable');
}

/** V8's TypeError naming a value that is not iterable by what it is (`yield* 5`, a nested array pattern). */
export function notIterableValue(rt: Runtime, v: unknown, what: string): never {
  const shown = v === undefined ? 'undefined' : v === null ? 'object null' : typeof v === 'number' || typeof v === 'boolean' ? `${typeof v} ${String(v)}`
    : rt.isCallable(v) ? 'function' : typeof v === 'object' && (rt.isPlain(v) || cls.isUserObject(v)) ? 'object' : null;
  if (shown === null) return rt.abort('unsupported:value', `error-message (${what})`);
  return rt.throwError('TypeError', `${shown} is not iterable (cannot read property Symbol(Symbol.iterator))`);
}

/**
 * `rt.ydeleg(v, text)`, the operand of `yield*` in a generator's body (only there: the validator).
 * Native `yield*` drives it: next, return and throw reach the inner iterator, a throw() arriving as
 * the runtime's Thrown is unwrapped, and the inner iterator's return value is the value of `yield*`.
 * Each step is counted as a nested call, as the host's stack grows by one resumption per delegation.
 */
export function delegate(rt: Runtime, v: unknown, text: string | null): Iterable<unknown> {
  const s = openSteps(rt, v) ?? notDelegable(rt, v, text);
  const nested = (f: () => Step): Step => {
    if (++rt.depthNow > rt.maxDepth) rt.abort('stack', `more than ${rt.maxDepth} nested calls`);
    const r = f();
    rt.depthNow--;
    return r;
  };
  const it: Iterator<unknown> & Iterable<unknown> = {
    [Symbol.iterator]: () => it,
    next: (x?: unknown) => nested(() => s.next(x)),
    // No throw() on the inner iterator: IteratorClose (a throwing return() wins), then V8's TypeError.
    throw: (e?: unknown) => nested(() => s.throw?.(e instanceof Thrown ? e.value : e) ?? noThrow(rt, s)),
  };
  if (s.return) it.return = (x?: unknown) => nested(() => s.return!(x));
  return it;
}

/** yield*'s throw() into an iterator without throw: it is closed, then V8's TypeError is thrown. */
function noThrow(rt: Runtime, s: Steps): never {
  s.close?.(undefined);
  return rt.throwError('TypeError', "The iterator does not provide a 'throw' method.");
}

/**
 * The values of a plain object or instance with a `[Symbol.iterator]` method (for…of, spread,
 * Array.from, patterns); undefined when `v` has no such method.
 */
export function userIterable(rt: Runtime, v: unknown): Iterable<unknown> | undefined {
  if (typeof v !== 'object' || v === null || !(rt.isPlain(v) || cls.isUserObject(v))) return undefined;
  const s = openSteps(rt, v);
  return s === undefined ? undefined : stepsIterable(s);
}

/**
 * `const [a, , b] = v` over a generator or a user iterable: `n` values (undefined past its end), then
 * IteratorClose when it did not end (a generator's finally blocks run; a throwing return() propagates).
 */
export function takeSteps(rt: Runtime, v: unknown, n: number, notIterable: () => never): unknown[] {
  const s = openSteps(rt, v) ?? notIterable();
  const out: unknown[] = [];
  rt.alloc(ARRAY_HEADER);
  let done = false;
  for (let i = 0; i < n && !done; i++) {
    const r = s.next(undefined);
    if (r.done) done = true;
    else {
      rt.alloc(ELEMENT);
      out.push(r.value);
    }
  }
  if (!done && s.return) s.return(undefined);
  return out;
}

const SELF_ITERATING: ReadonlySet<string> = new Set(['Map Iterator', 'Set Iterator', 'Array Iterator']);

/**
 * `o[sym](…args)`: a method under a well-known symbol of a plain object or an instance, and
 * `[Symbol.iterator]()` of the iterables the runtime makes (an array's values, a Map's entries, a
 * Set's values; a generator or a Map/Set/array iterator is its own iterator), so that a user iterable
 * can hand out another one's iterator; an async generator's `[Symbol.asyncIterator]()` is itself.
 */
export function symbolCall(rt: Runtime, o: unknown, k: symbol, text: string | null, args: unknown[]): unknown {
  if (k === Symbol.iterator) {
    if (isArray(o)) return arrayIteratorOf(rt, o, 'values');
    if (isGenerator(o)) {
      rt.tick(1);
      return o;
    }
    if (isWebValue(o)) {
      const name = WebValue.kind(o).name;
      const notAFunction = (): never => rt.abort('internal', `${name} without its iterator`);
      if (name === 'Map') return WebValue.call(rt, o, 'entries', [], notAFunction);
      if (name === 'Set') return WebValue.call(rt, o, 'values', [], notAFunction);
      if (SELF_ITERATING.has(name)) {
        rt.tick(1);
        return o;
      }
    }
  }
  // An async generator is its own async iterator (%AsyncIteratorPrototype%[Symbol.asyncIterator]).
  if (k === Symbol.asyncIterator && isAsyncGenerator(o)) {
    rt.tick(1);
    return o;
  }
  if (typeof o === 'object' && o !== null && !isArray(o) && !isWebValue(o) && !isGenerator(o) && (rt.isPlain(o) || cls.isUserObject(o))) {
    const f = symbolGet(rt, o, k);
    if (rt.isCallable(f)) return rt.call(f, o, args);
    if (text === null) return rt.abort('unsupported:value', 'error-message (a symbol-keyed member that is not a function)');
    return rt.throwError('TypeError', `${text} is not a function`);
  }
  return rt.abort('unsupported:value', 'symbol-key (a method of a value that is not a plain object or an instance)');
}

/**
 * The values of a host-backed object its kind iterates (Map, Set, their iterators); undefined when
 * Node's object is not iterable either. One Node iterates that its kind does not (URLSearchParams,
 * Headers, FormData) aborts: answering "is not iterable" would differ.
 */
export function webIterable(rt: Runtime, v: WebValue): Iterable<unknown> | undefined {
  const it = WebValue.iterate(rt, v);
  if (it !== undefined) return it;
  const kind = WebValue.kind(v);
  if (Symbol.iterator in kind.real) return rt.abort('unsupported:value', `iterating a ${kind.name}`);
  return undefined;
}

/**
 * An array pattern reading a generator or a user iterable one step at a time (IteratorBindingInitialization):
 * compiled code holds it in a temporary between `rt.aopen` and `rt.aend`/`rt.aquit` and never
 * reads it. `done` is the iterator record's [[Done]]: set before each `next` call, so that a `next`
 * that throws (or aborts) leaves an iterator that is not closed, as the spec says.
 */
export class PatternSteps {
  done = false;
  constructor(readonly steps: Steps) {}
}

/** Opens `v` for a stepping pattern; undefined when `v` is no generator and no user iterable. */
export function openPattern(rt: Runtime, v: unknown): PatternSteps | undefined {
  if (!isGenerator(v) && (typeof v !== 'object' || v === null || isArray(v) || !(rt.isPlain(v) || cls.isUserObject(v)))) return undefined;
  const s = openSteps(rt, v);
  return s === undefined ? undefined : new PatternSteps(s);
}

/** IteratorStep then IteratorValue for one element: undefined once the iterator is done. */
export function patternStep(p: PatternSteps): unknown {
  if (p.done) return undefined;
  p.done = true;
  const r = p.steps.next(undefined);
  if (r.done) return undefined;
  p.done = false;
  return r.value;
}

/** A rest element: every value left, into a new array. */
export function patternRest(rt: Runtime, p: PatternSteps): unknown[] {
  const out: unknown[] = [];
  rt.alloc(ARRAY_HEADER);
  while (!p.done) {
    p.done = true;
    const r = p.steps.next(undefined);
    if (r.done) break;
    p.done = false;
    rt.tick(ELEMENT_UNITS);
    rt.alloc(ELEMENT);
    out.push(r.value);
  }
  return out;
}

/** The pattern completed (normally, or by a generator's return()): IteratorClose when not done; its errors propagate. */
export function patternEnd(p: PatternSteps): void {
  if (p.done) return;
  p.done = true;
  const s = p.steps;
  if (s.close) s.close(undefined);
  else if (s.return) s.return(undefined);
}

/**
 * A default or a nested pattern threw: IteratorClose with a throw completion, which keeps the
 * original exception. A user exception out of `return` is dropped, and its result is not looked at
 * (no realm code runs reading it: a result that is no plain object aborts, which is always sound);
 * an abort still propagates.
 */
export function patternQuit(p: PatternSteps, isUserThrow: (e: unknown) => boolean): void {
  if (p.done) return;
  try {
    patternEnd(p);
  } catch (e) {
    if (!isUserThrow(e)) throw e;
  }
}
