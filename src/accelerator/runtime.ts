/**
 * The core runtime: the `rt` of compiled code (one method per operation of src/subset/rt-ops.ts)
 * and the `Host` of the builtins library. It is the only code that touches values: compiled code
 * holds values but can do nothing with them except through these methods.
 *
 * Rules that keep DESIGN invariant 2 (no path to the host):
 * - plain objects are read through own properties only; inherited names of Object.prototype abort;
 * - Closures, ErrorValues, the runtime's own objects and builtin values are recognised by class and
 *   handled explicitly; any other object reaching an operation is a runtime bug → `internal` abort;
 * - user exceptions travel wrapped in `Thrown`; anything else caught (aborts, native errors) is
 *   never handed to user code.
 * Fast paths come first in each operation and are small, so V8 inlines them into compiled code.
 */
import { AsyncLoop, asyncClose, asyncCloses, asyncDone, asyncNext, asyncValue, checkResult, openAsync, openDelegate } from './async-iteration.ts';
import {
  BuiltinFunction,
  Namespace,
  callBuiltin,
  callMethod,
  construct as constructBuiltin,
  getGlobal,
  getStatic,
  GlobalObject,
} from './builtins/index.ts';
import {
  ARRAY_HEADER, CLOSURE, CONS_NODE, ELEMENT, ELEMENT_UNITS, ERROR_VALUE, FAST_CHARS_PER_UNIT, LITERAL_PROPERTY, NEW_PROPERTY, OBJECT_HEADER, PROPERTY_UNITS, VALUE_UNITS,
  LARGE_STRING, STRING_HEADER, WIDE, WIDE_CHAR_BYTES, charUnits, fastCharUnits, ropeUnits,
} from './builtins/costs.ts';
import { clampPosition, searchBackward, searchForward } from './builtins/search.ts';
import { isErrorName, type ErrorName, type Host, type HostOwnDescriptor } from './host.ts';
import type { AbortReason } from './aborts.ts';
import type { Limits } from './limits.ts';
import { isNativeError } from 'node:util/types';
import { locateInStack, type SourceLoc } from './location.ts';
import { ProcessValue, defineEnv, envKey, envValue, isEnv } from './process-env.ts';
import { AbortError, Closure, CoreFunction, CoreObject, ErrorValue, Thrown } from './values.ts';
import { domMember } from './dom-exception.ts';
import { TYPED_ARRAY_NAMES, WebValue, builtinModule, isMatchArray, isWebValue, makeRegExp, refuseExotic, symbolText } from './builtins/index.ts';
import { asyncMethod, asyncRead, asyncToPrimitive, isAsyncValue, isPromise } from './async-values.ts';
import { asyncFunction } from './async.ts';
import { asyncReceiverFunction, asyncReceiverSelfFunction, generatorReceiverFunction, generatorReceiverSelfFunction, asyncGeneratorReceiverFunction, asyncGeneratorReceiverSelfFunction } from './receiver-suspendable.ts';
import { generatorFunction, isGenerator, iterateGenerator, spreadGenerator } from './generators.ts';
import { asyncGeneratorFunction, delegateMark, yieldMark, type DelegateMark, type YieldMark } from './async-generators.ts';
import * as cls from './classes.ts';
import { formatLog } from './log-format.ts';
import { hasOwnSymbols, isKeySymbol, ownSymbols, symbolDelete, symbolGet, symbolHas, symbolHasOwn, symbolPut } from './symbols.ts';
import { PatternSteps, delegate, notIterableValue, openPattern, patternEnd, patternQuit, patternRest, patternStep, symbolCall, takeSteps, userIterable, webIterable } from './iterators.ts';
import { nameByKey } from './function-names.ts';
import { INHERITED, ordinaryToPrimitive } from './to-primitive.ts';
import { objectTag } from './object-tag.ts';

const getProto = Object.getPrototypeOf;
const isExtensible = Object.isExtensible;
const FROZEN_MESSAGE = /object is not extensible|^Cannot assign to read only property|^Cannot delete property|^Cannot (?:add|redefine) property/;
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isArray = Array.isArray;
const HOST_OBJECT_PROTO = Object.prototype;

/** Names on Object.prototype: reading them from a plain object that lacks them as own aborts. */
const OBJECT_PROTO_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
/** Every name an array finds along its prototypes in Node (Array.prototype's, then Object.prototype's). */
const ARRAY_PROTO_NAMES = new Set([...Object.getOwnPropertyNames(Array.prototype), ...OBJECT_PROTO_NAMES]);
/** The containerless object of src/api: listen and respond are named methods, the outbound ones arrows. */
const ANONYMOUS_API_MEMBERS = new Set(['get', 'post', 'put', 'delete']);
/** Names Node has on functions besides name/length. */
const FUNCTION_PROTO_NAMES = new Set([...Object.getOwnPropertyNames(Function.prototype), 'prototype', ...OBJECT_PROTO_NAMES]);
/** Function.prototype's methods a function's property read gives as values. */
const FUNCTION_VALUE_NAMES: ReadonlySet<string> = new Set(['call', 'apply', 'bind', 'toString']);

/** The TDZ marker held by a `let` that is not initialised yet. */
class Hole {}
const HOLE = Object.freeze(new Hole());

/** `...x` in an array literal or call, flattened by rt.arrs / rt.spreadargs. */
class Spread {
  constructor(readonly value: unknown, readonly text: string | null) {}
}

/** What a request (or the top-level run) has spent so far: fuel units and bytes charged. */
export interface Usage {
  fuel: number;
  memory: number;
}

/** State of one request (or of the top-level run) inside an instance. */
export class RequestState {
  fuel: number;
  /** What is left of the request's own memory cap (the instance's budget is the runtime's). */
  memory: number;
  aborted: AbortError | null = null;
  /** The fuel left when it aborted (an abort sets the runtime's fuel to -1). */
  fuelAtAbort = 0;
  done = false;
  pending = 0;
  /** The 504 body's text for this request. */
  timeoutText = '';
  /** Updated each time the request leaves the runtime (after each run of its code). */
  readonly usage: Usage = { fuel: 0, memory: 0 };
  constructor(readonly limits: Limits, readonly id: string) {
    this.fuel = limits.fuel;
    this.memory = limits.memoryBytes;
  }
}

export interface ProgramRealm {
  /** Object.prototype of the compiled code's vm context. */
  objectProto: object;
  newObject: () => Record<string, unknown>;
  newArray: () => unknown[];
  filename: string;
  lineMap: (SourceLoc | undefined)[];
  /** The `rt` compiled code gets: a Runtime whose prototype holds the fast paths living in the
   * program's context (fast-ops.ts), one prototype for all the program's instances. */
  newRuntime: (limits: Limits) => Runtime;
}

const SYMBOL_TO_STRING = 'Cannot convert a Symbol value to a string';
const SYMBOL_TO_NUMBER = 'Cannot convert a Symbol value to a number';

/** Names that exist in a CommonJS function's scope in Node but not as globals: never 'not defined'. */
const CJS_NAMES = new Set(['require', 'module', 'exports', '__filename', '__dirname', 'arguments', 'this']);

/**
 * Instances are made by `Runtime.create` (not `new`): an object with the program's prototype (its
 * fast-ops, which inherit these methods) and the fields below, assigned in one order, so that every
 * instance of a program has the same shape and code optimised for one stays monomorphic in the next.
 */
export class Runtime implements Host {
  declare readonly realm: ProgramRealm;
  declare fuel: number;
  /** What the running request may still allocate: the smaller of its cap and the instance's budget. */
  declare mem: number;
  /** `mem` when the request entered: what it spent is charged to it and to the instance on leave. */
  declare memAtEnter: number;
  /** What is left of the instance's memory budget, shared by the top level and all its requests. */
  declare instanceMemory: number;
  /**
   * Bytes per character strings are charged at: 1 while no string of the instance can hold a
   * character outside Latin-1 (V8 stores such strings with one byte per character), 2 from the first
   * one on. Characters outside Latin-1 only enter through the program's literals, host data (requests,
   * responses, env) and the few library operations that make new characters (noteString).
   */
  declare charBytes: number;
  declare depthNow: number;
  declare cur: RequestState | null;
  declare readonly maxDepth: number;
  declare private readonly vmProto: object;
  declare api: CoreObject | null;
  declare console: CoreObject | null;
  declare process: ProcessValue | null;
  /** CommonJS `module` of the instance's top level (`module.exports` starts as `exports`). */
  declare module: Record<string, unknown> | null;
  declare exports: Record<string, unknown> | null;
  /** Set by the instance (Host.awaitHost, Host.fetchHost). */
  declare awaitHost: Host['awaitHost'];
  declare fetchHost: Host['fetchHost'];

  private constructor() {
    throw new Error('Runtime.create makes runtimes');
  }

  /** A runtime for one instance of a program; `proto` is the program's (fast-ops.ts, load.ts). */
  static create(proto: object, realm: ProgramRealm, limits: Limits): Runtime {
    const rt = Object.create(proto) as Runtime;
    const w = rt as unknown as Record<string, unknown>;
    w.realm = realm;
    w.fuel = 0;
    w.mem = 0;
    w.memAtEnter = 0;
    w.instanceMemory = limits.instanceMemoryBytes;
    w.charBytes = 1;
    w.depthNow = 0;
    w.cur = null;
    w.maxDepth = limits.maxDepth;
    w.vmProto = realm.objectProto;
    w.api = null;
    w.console = null;
    w.process = null;
    w.module = null;
    w.exports = null;
    w.awaitHost = undefined;
    w.fetchHost = undefined;
    return rt;
  }

  // ---- entering and leaving a request ------------------------------------------------------

  enter(r: RequestState): void {
    this.cur = r;
    this.fuel = r.fuel;
    // One counter on the fast path: the request's cap or the instance's budget, whichever is less.
    const m = r.memory < this.instanceMemory ? r.memory : this.instanceMemory;
    this.mem = m;
    this.memAtEnter = m;
    this.depthNow = 0;
  }

  leave(): void {
    const r = this.cur;
    if (r) {
      const spent = this.memAtEnter - this.mem;
      r.fuel = this.fuel;
      r.memory -= spent;
      this.instanceMemory -= spent;
      const left = r.aborted ? r.fuelAtAbort : r.fuel;
      r.usage.fuel = r.limits.fuel - (left < 0 ? 0 : left);
      r.usage.memory = r.limits.memoryBytes - r.memory;
    }
    this.cur = null;
  }

  // ---- aborts ---------------------------------------------------------------------------------

  /** Stops the request. Every later operation of it rethrows (see tick, caught, fin). */
  abort(reason: AbortReason, detail: string, loc?: SourceLoc): never {
    const r = this.cur;
    if (r && r.aborted) throw r.aborted;
    const err = new AbortError(reason, detail, loc);
    if (!loc) {
      const holder: { stack?: string } = {};
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 30;
      Error.captureStackTrace(holder);
      Error.stackTraceLimit = limit;
      err.loc = locateInStack(holder.stack, this.realm.filename, this.realm.lineMap);
    }
    if (r) {
      r.aborted = err;
      r.fuelAtAbort = this.fuel;
    }
    this.fuel = -1; // every later tick or call now reaches outOfFuel, which rethrows this abort
    throw err;
  }

  /** Converts anything caught outside user `try` into an AbortError (aborts pass through). */
  asAbort(e: unknown): AbortError {
    if (e instanceof AbortError) return e;
    const r = this.cur;
    if (r && r.aborted) return r.aborted;
    try {
      if (isStackOverflow(e)) this.abort('stack', 'native stack exhausted');
      // A library operation that mutates a frozen array in place (push, splice, …) meets V8's own
      // TypeError; Node would throw one with the same text, but from a place this runtime cannot name.
      if (isNativeError(e) && FROZEN_MESSAGE.test(e.message)) this.abort('unsupported:value', `frozen-object (${e.message})`);
      this.abort('internal', e instanceof Error ? `${e.name}: ${e.message}` : 'non-error exception');
    } catch (a) {
      return a as AbortError;
    }
  }

  outOfFuel(): never {
    if (this.cur && this.cur.aborted) throw this.cur.aborted;
    this.fuel = 0;
    return this.abort('fuel', this.cur ? `more than ${this.cur.limits.fuel} units` : 'the fuel ran out');
  }

  unknown(line: number, column: number): never {
    return this.abort('unknown-path', 'no traced request took this path', { line, column });
  }

  /** Compiled code's abort for a construct it does not run (the compiler's and tracer's names). */
  unsupported(what: string, line: number, column: number): never {
    return this.abort('unsupported:syntax', what, { line, column });
  }

  // ---- Host: limits -------------------------------------------------------------------------

  tick(n?: number): void {
    if ((this.fuel -= n === undefined ? 1 : n) < 0) this.outOfFuel();
  }

  alloc(bytes: number): void {
    if ((this.mem -= bytes) < 0) {
      const r = this.cur;
      if (r && r.aborted) throw r.aborted;
      this.abort('memory', r && this.instanceMemory < r.memory ? 'the instance budget (memory_mb)' : 'the request cap');
    }
  }

  /** A property a write adds to an object: a map transition or a dictionary entry, and its key's
   * internalized copy. */
  private newProperty(key: string): void {
    this.alloc(NEW_PROPERTY + key.length * this.charBytes);
    this.tick(PROPERTY_UNITS);
  }

  /** A string of n characters (flat), at the instance's bytes per character. */
  allocString(n: number): void {
    this.alloc(STRING_HEADER + n * this.charBytes);
  }

  /** A string made of characters that may be new (case mapping, fromCharCode, decoding, host data). */
  noteString(s: string): void {
    if (this.charBytes < WIDE_CHAR_BYTES && WIDE.test(s)) this.charBytes = WIDE_CHAR_BYTES;
  }

  depth(): number {
    return this.depthNow;
  }

  // ---- exceptions ---------------------------------------------------------------------------

  throwError(name: ErrorName, message: string): never {
    this.alloc(ERROR_VALUE + message.length * this.charBytes);
    throw new Thrown(new ErrorValue(name, message));
  }

  throwValue(v: unknown): never {
    throw new Thrown(v);
  }

  makeError(name: string, message: string | undefined): unknown {
    return new ErrorValue(name, message);
  }

  makeDomException(name: string, message: string): unknown {
    return ErrorValue.dom(name, message);
  }

  isDomException(v: unknown): boolean {
    return v instanceof ErrorValue && ErrorValue.domSlots(v) !== null;
  }

  thr(v: unknown): Thrown {
    return new Thrown(v);
  }

  /** First statement of every compiled `catch`: user exceptions in, everything else rethrown as an abort. */
  caught(e: unknown, depth: number): unknown {
    if (e instanceof Thrown && this.cur !== null && this.cur.aborted === null) {
      // `depth` was read when the try began: an async function or generator resumed since then runs
      // lower than that (a resumed body starts at its job's depth); the throw never unwound below it.
      if (depth < this.depthNow) this.depthNow = depth;
      return e.value;
    }
    throw this.asAbort(e);
  }

  /** First statement of every compiled `finally`: no user code runs once the request aborted. */
  fin(depth: number): void {
    if (this.cur === null || this.cur.aborted !== null) throw this.cur?.aborted ?? this.asAbort(new Error('finally outside a request'));
    if (depth < this.depthNow) this.depthNow = depth; // as in caught()
  }

  private typeError(text: string | null, suffix: string): never {
    if (text === null) return this.abort('unsupported:value', `error-message (${suffix})`);
    return this.throwError('TypeError', `${text}${suffix}`);
  }

  // ---- functions and calls ------------------------------------------------------------------

  fn(name: string, length: number, f: (...args: unknown[]) => unknown): Closure {
    this.alloc(CLOSURE);
    return new Closure(name, length, f);
  }

  fnrec(name: string, length: number, maker: (self: Closure) => (...args: unknown[]) => unknown): Closure {
    this.alloc(CLOSURE);
    const c = new Closure(name, length, null);
    Closure.init(c, maker(c));
    return c;
  }

  /** An async function: its body is a generator that only the runtime drives (async.ts). */
  afn(name: string, length: number, body: (...args: unknown[]) => Generator<unknown, unknown, unknown>): Closure {
    return asyncFunction(this, name, length, body);
  }

  /** A generator function: its generator object is a GeneratorValue (generators.ts). */
  gfn(name: string, length: number, body: (...args: unknown[]) => Generator<unknown, unknown, unknown>): Closure {
    return generatorFunction(this, name, length, body);
  }

  /** An async generator function: its objects are AsyncGeneratorValues (async-generators.ts). */
  agfn(name: string, length: number, body: (...args: unknown[]) => Generator<unknown, unknown, unknown>): Closure {
    return asyncGeneratorFunction(this, name, length, body);
  }

  /** `yield v` in an async generator's body, as `(yield rt.agy(v))`. */
  agy(v: unknown): YieldMark {
    return yieldMark(this, v);
  }

  /** `yield* v` in an async generator's body, as `(yield rt.agdel(v))`: GetIterator(v, async) now, the loop in async-generators.ts. */
  agdel(v: unknown): DelegateMark {
    return delegateMark(this, openDelegate(this, v));
  }

  /** rt.afn and rt.gfn with rt.fnt's receiver (receiver-suspendable.ts). */
  afnt(name: string, length: number, flags: number, body: (...args: unknown[]) => Generator<unknown, unknown, unknown>): Closure {
    return asyncReceiverFunction(this, name, length, flags, body);
  }
  gfnt(name: string, length: number, flags: number, body: (...args: unknown[]) => Generator<unknown, unknown, unknown>): Closure {
    return generatorReceiverFunction(this, name, length, flags, body);
  }
  agfnt(name: string, length: number, flags: number, body: (...args: unknown[]) => Generator<unknown, unknown, unknown>): Closure {
    return asyncGeneratorReceiverFunction(this, name, length, flags, body);
  }
  agfntrec(name: string, length: number, flags: number, maker: (self: Closure) => (...args: unknown[]) => Generator<unknown, unknown, unknown>): Closure {
    return asyncGeneratorReceiverSelfFunction(this, name, length, flags, maker);
  }
  afntrec(name: string, length: number, flags: number, maker: (self: Closure) => (...args: unknown[]) => Generator<unknown, unknown, unknown>): Closure {
    return asyncReceiverSelfFunction(this, name, length, flags, maker);
  }
  gfntrec(name: string, length: number, flags: number, maker: (self: Closure) => (...args: unknown[]) => Generator<unknown, unknown, unknown>): Closure {
    return generatorReceiverSelfFunction(this, name, length, flags, maker);
  }

  private enterCall(): void {
    if (--this.fuel < 0) this.outOfFuel();
    if (++this.depthNow > this.maxDepth) this.abort('stack', `more than ${this.maxDepth} nested calls`);
  }

  c0(f: unknown, text: string | null): unknown {
    if (f instanceof Closure) {
      this.enterCall();
      const r = Closure.native(f)();
      this.depthNow--;
      return r;
    }
    return this.callOther(f, text, undefined, []);
  }

  c1(f: unknown, text: string | null, a: unknown): unknown {
    if (f instanceof Closure) {
      this.enterCall();
      const r = Closure.native(f)(a);
      this.depthNow--;
      return r;
    }
    return this.callOther(f, text, undefined, [a]);
  }

  c2(f: unknown, text: string | null, a: unknown, b: unknown): unknown {
    if (f instanceof Closure) {
      this.enterCall();
      const r = Closure.native(f)(a, b);
      this.depthNow--;
      return r;
    }
    return this.callOther(f, text, undefined, [a, b]);
  }

  c3(f: unknown, text: string | null, a: unknown, b: unknown, c: unknown): unknown {
    if (f instanceof Closure) {
      this.enterCall();
      const r = Closure.native(f)(a, b, c);
      this.depthNow--;
      return r;
    }
    return this.callOther(f, text, undefined, [a, b, c]);
  }

  cn(f: unknown, text: string | null, args: unknown[]): unknown {
    if (f instanceof Closure) {
      this.enterCall();
      const r = Closure.native(f)(...args);
      this.depthNow--;
      return r;
    }
    return this.callOther(f, text, undefined, args);
  }

  /** Host.call: for builtins calling back into closures (map, sort, …). */
  call(f: unknown, thisArg: unknown, args: unknown[]): unknown {
    if (f instanceof Closure) {
      this.enterCall();
      const r = cls.callWith(f, thisArg, args);
      this.depthNow--;
      return r;
    }
    return this.callOther(f, null, thisArg, args);
  }

  private callOther(f: unknown, text: string | null, thisArg: unknown, args: unknown[]): unknown {
    if (f instanceof BuiltinFunction) {
      this.enterCall();
      const r = callBuiltin(this, f, thisArg, args);
      this.depthNow--;
      return r;
    }
    if (f instanceof CoreFunction) {
      if (--this.fuel < 0) this.outOfFuel();
      return CoreFunction.impl(f)(args);
    }
    return this.typeError(text, ' is not a function');
  }

  /** For the builtins library: ErrorValues are data objects (JSON.stringify, Object.keys, spread). */
  isError(v: unknown): boolean {
    return v instanceof ErrorValue && cls.isPlainError(v);
  }

  /** For the builtins library: process.env reads as data but only the core writes it. */
  isEnv(v: unknown): boolean {
    return isEnv(v);
  }

  isBranded(v: unknown): boolean {
    return cls.isUserObject(v);
  }

  isAccessorObject(v: unknown): boolean {
    return cls.isAccessorObject(v);
  }

  defineOwn(o: object, key: string, d: HostOwnDescriptor): void {
    if (d.accessor && ((d.get !== undefined && !(d.get instanceof Closure)) || (d.set !== undefined && !(d.set instanceof Closure)))) {
      return this.abort('unsupported:builtin', 'Object.defineProperty (an accessor that is not a function of the program)');
    }
    cls.defineOwn(this, o, key, d as cls.OwnDescriptor);
  }

  describeOwn(o: object, key: string): HostOwnDescriptor | undefined {
    return cls.isAccessorObject(o) ? cls.describeOwn(o, key) : undefined;
  }

  prototypeOf(o: object): unknown {
    return cls.userPrototypeOf(this, o);
  }

  objectCreate(proto: object | null): unknown {
    const r = cls.objectCreate(this, [proto]);
    return r === cls.NOT_HANDLED ? undefined : r;
  }

  objectTag(v: unknown): string {
    return objectTag(this, v);
  }

  isInstance(v: unknown): boolean {
    return cls.isPlainInstance(this, v);
  }

  receiverText(v: unknown): string | null {
    if (v === undefined || v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string' || typeof v === 'bigint') return String(v);
    if (typeof v === 'symbol') return v.toString();
    if (typeof v !== 'object' || isEnv(v)) return null;
    if (isArray(v)) return '[object Array]';
    if (hasOwnSymbols(v)) return null;
    if (this.isPlain(v)) {
      // V8 names the constructor found through the prototype when toString is Object.prototype's.
      if (hasOwn(v, 'constructor') || hasOwn(v, 'toString')) return null;
      return getProto(v) === null ? '[object Object]' : '#<Object>';
    }
    return cls.instanceReceiverName(this, v);
  }

  toJSONOf(v: object): unknown {
    return cls.userToJSON(this, v);
  }

  functionProps(v: unknown): Readonly<Record<string, unknown>> | undefined {
    return v instanceof Closure ? cls.plainFunctionProps(v) : undefined;
  }

  putFunction(f: object, key: string, v: unknown): void {
    if (!(f instanceof Closure) || cls.closurePut(this, f, key, v) === cls.NOT_HANDLED) {
      this.abort('unsupported:builtin', `Object.assign (function property ${key})`);
    }
  }

  putBranded(o: object, key: string, v: unknown): void {
    cls.userPut(this, o, key, v);
  }

  ownSymbols(o: object, enumerableOnly: boolean, what: string): symbol[] {
    return ownSymbols(this, o, enumerableOnly, what);
  }

  symbolHasOwn(o: unknown, k: symbol): boolean {
    return symbolHasOwn(this, o, k);
  }

  symbolGet(o: unknown, k: symbol): unknown {
    return symbolGet(this, o, k);
  }

  symbolPut(o: unknown, k: symbol, v: unknown): void {
    symbolPut(this, o, k, v, true);
  }

  format(args: unknown[]): string {
    const text = formatLog(this, args);
    this.allocString(text.length);
    return text;
  }

  iterable(v: unknown): Iterable<unknown> | undefined {
    if (isGenerator(v)) return iterateGenerator(this, v);
    refuseExotic(this, v, 'iteration');
    return isWebValue(v) ? webIterable(this, v) : userIterable(this, v);
  }

  isCallable(v: unknown): boolean {
    return v instanceof Closure || v instanceof BuiltinFunction || v instanceof CoreFunction;
  }

  /** The receiver check of a method call whose arguments have effects (Node reads the callee first). */
  recv(o: unknown, k: unknown): unknown {
    if (o === undefined || o === null) this.throwError('TypeError', `Cannot read properties of ${String(o)} (reading '${this.strKey(k)}')`);
    return o;
  }

  m0(o: unknown, k: unknown, text: string | null): unknown {
    if (isArray(o) && k === 'pop') {
      if (--this.fuel < 0) this.outOfFuel();
      return o.pop();
    }
    if (typeof o === 'string') return this.stringMethod(o, k, text, [], undefined, undefined);
    const f = this.ownMethod(o, k);
    if (f !== undefined) {
      this.enterCall();
      const r = Closure.native(f)();
      this.depthNow--;
      return r;
    }
    return this.method(o, k, text, []);
  }

  m1(o: unknown, k: unknown, text: string | null, a: unknown): unknown {
    // The hottest builtin methods, inline (same semantics as the builtins library's).
    if (typeof o === 'string') return this.stringMethod(o, k, text, [a], a, undefined);
    if (isArray(o)) {
      if (k === 'push') {
        if (--this.fuel < 0) this.outOfFuel();
        this.alloc(ELEMENT);
        return o.push(a);
      }
      return this.method(o, k, text, [a]);
    }
    const f = this.ownMethod(o, k);
    if (f !== undefined) {
      this.enterCall();
      const r = Closure.native(f)(a);
      this.depthNow--;
      return r;
    }
    return this.method(o, k, text, [a]);
  }

  m2(o: unknown, k: unknown, text: string | null, a: unknown, b: unknown): unknown {
    if (typeof o === 'string') return this.stringMethod(o, k, text, [a, b], a, b);
    const f = this.ownMethod(o, k);
    if (f !== undefined) {
      this.enterCall();
      const r = Closure.native(f)(a, b);
      this.depthNow--;
      return r;
    }
    return this.method(o, k, text, [a, b]);
  }

  m3(o: unknown, k: unknown, text: string | null, a: unknown, b: unknown, c: unknown): unknown {
    const f = this.ownMethod(o, k);
    if (f !== undefined) {
      this.enterCall();
      const r = Closure.native(f)(a, b, c);
      this.depthNow--;
      return r;
    }
    return this.method(o, k, text, [a, b, c]);
  }

  mn(o: unknown, k: unknown, text: string | null, args: unknown[]): unknown {
    const f = this.ownMethod(o, k);
    if (f !== undefined) {
      this.enterCall();
      const r = Closure.native(f)(...args);
      this.depthNow--;
      return r;
    }
    return this.method(o, k, text, args);
  }

  /**
   * Pure String.prototype methods with primitive arguments run natively: on primitives V8's result is
   * the specification's, so it is Node's. Anything else goes to the builtins library.
   */
  private stringMethod(o: string, k: unknown, text: string | null, args: unknown[], a: unknown, b: unknown): unknown {
    const ta = typeof a;
    const tb = typeof b;
    if ((ta === 'string' || ta === 'number' || ta === 'undefined') && (tb === 'number' || tb === 'undefined') && args.length <= 2) {
      let r: unknown;
      // Charged for the work each does: searches for what they scan (search.ts), case mapping and
      // trimming per character, results by their length.
      switch (k) {
        case 'charCodeAt': r = o.charCodeAt(a as number); break;
        case 'codePointAt': r = o.codePointAt(a as number); break;
        case 'charAt': r = o.charAt(a as number); break;
        case 'indexOf': r = ta === 'string' ? searchForward(this, o, a as string, clampPosition(b, o.length)) : undefined; break;
        case 'lastIndexOf': r = ta === 'string' && args.length === 1 ? searchBackward(this, o, a as string, o.length) : undefined; break;
        case 'includes': r = ta === 'string' ? searchForward(this, o, a as string, clampPosition(b, o.length)) >= 0 : undefined; break;
        case 'startsWith':
        case 'endsWith':
          if (ta !== 'string') break;
          this.tick(fastCharUnits((a as string).length));
          r = k === 'startsWith' ? o.startsWith(a as string, b as number) : o.endsWith(a as string, b as number);
          break;
        case 'slice': r = ta !== 'string' ? o.slice(a as number, b as number) : undefined; break;
        case 'substring': r = ta !== 'string' ? o.substring(a as number, b as number) : undefined; break;
        case 'toLowerCase':
        case 'toUpperCase':
          if (args.length !== 0) break;
          this.tick(charUnits(o.length));
          r = k === 'toLowerCase' ? o.toLowerCase() : o.toUpperCase();
          this.noteString(r as string);
          break;
        case 'trim':
          if (args.length !== 0) break;
          r = o.trim();
          this.tick(charUnits(o.length - (r as string).length));
          break;
        default: r = undefined;
      }
      if (r !== undefined) {
        if (--this.fuel < 0) this.outOfFuel();
        if (typeof r === 'string') {
          this.tick(fastCharUnits(r.length));
          this.allocString(r.length);
        }
        return r;
      }
    }
    return this.method(o, k, text, args);
  }

  /** A closure stored as an own property of a plain object (the common `obj.f()` case), else undefined. */
  private ownMethod(o: unknown, k: unknown): Closure | undefined {
    if (typeof o !== 'object' || o === null || isArray(o) || typeof k !== 'string') return undefined;
    const p = getProto(o);
    if (p !== this.vmProto && p !== HOST_OBJECT_PROTO && p !== null) return undefined;
    const f = (o as Record<string, unknown>)[k];
    // A closure that sees its receiver takes the method path (call with `this`).
    return f instanceof Closure && Closure.recv(f) === null ? f : undefined;
  }

  private method(o: unknown, k: unknown, text: string | null, args: unknown[]): unknown {
    if (k instanceof cls.PrivateName) return this.privateMethod(o, k, text, args);
    if (typeof k === 'symbol') return symbolCall(this, o, k, text, args);
    const key = this.strKey(k);
    if (o === undefined || o === null) return this.throwError('TypeError', `Cannot read properties of ${String(o)} (reading '${key}')`);
    if (o instanceof ProcessValue) return key === 'env' ? this.typeError(text, ' is not a function') : this.abort('unsupported:process', `process:${key}`);
    if (o instanceof GlobalObject) {
      // `global.parseInt(s)`: the global's value, called (the builtins reachable so ignore `this`).
      const f = this.globalRead(key);
      if (!this.isCallable(f)) return this.typeError(text, ' is not a function');
      return this.call(f, undefined, args);
    }
    if (o instanceof CoreObject) {
      const f = CoreObject.member(o, key);
      if (!f) return this.typeError(text, ' is not a function');
      if (--this.fuel < 0) this.outOfFuel();
      return CoreFunction.impl(f)(args);
    }
    if (typeof o === 'object' && !isArray(o) && (this.isPlain(o as object) || isEnv(o))) {
      if (hasOwn(o as object, key)) {
        const f = (o as Record<string, unknown>)[key];
        if (this.isCallable(f)) return this.call(f, o, args);
        return this.typeError(text, ' is not a function');
      }
      if (!OBJECT_PROTO_NAMES.has(key)) return this.typeError(text, ' is not a function');
    } else if (isArray(o)) {
      // An own element or `length`, else a name Array.prototype's chain lacks: Node's TypeError.
      if (hasOwn(o, key)) {
        const f = (o as unknown as Record<string, unknown>)[key];
        if (this.isCallable(f)) return this.call(f, o, args);
        return this.typeError(text, ' is not a function');
      }
      if (!ARRAY_PROTO_NAMES.has(key)) return this.typeError(text, ' is not a function');
    } else if (o instanceof ErrorValue) {
      if (hasOwn(o, key)) {
        const f = (o as unknown as Record<string, unknown>)[key];
        if (this.isCallable(f)) return this.call(f, o, args);
        return this.typeError(text, ' is not a function');
      }
      const inh = cls.errorInherited(this, o, key);
      if (inh !== cls.NOT_HANDLED) return this.isCallable(inh) ? this.call(inh, o, args) : this.typeError(text, ' is not a function');
      if (key === 'toString' && args.length === 0) {
        this.tick();
        return this.errorToString(o);
      }
      // Object.prototype's, which the builtins library implements for errors (all but `stack`).
      if (key !== 'hasOwnProperty' && key !== 'propertyIsEnumerable') return this.abort('unsupported:builtin', `Error.prototype.${key}`);
    } else if (cls.isUserObject(o)) {
      return cls.userMethod(this, o as object, key, text, args);
    } else if (o instanceof Closure || o instanceof CoreFunction) {
      const own = o instanceof Closure ? cls.closureGet(this, o, key) : cls.NOT_HANDLED;
      if (own !== cls.NOT_HANDLED) return this.isCallable(own) ? this.call(own, o, args) : this.typeError(text, ' is not a function');
      if (!FUNCTION_PROTO_NAMES.has(key)) return this.typeError(text, ' is not a function');
    } else if (isWebValue(o)) {
      // Object.prototype's hasOwnProperty and propertyIsEnumerable on a value that takes expandos
      // (a RegExp) are the builtins library's; every other name is its kind's.
      const objectProto = (key === 'hasOwnProperty' || key === 'propertyIsEnumerable') && WebValue.ownKeys(o) !== undefined && WebValue.props(o)?.has(key) !== true;
      if (!objectProto) return WebValue.call(this, o, key, args, () => this.typeError(text, ' is not a function'));
    } else if (isAsyncValue(o)) {
      return asyncMethod(this, o, key, args, () => this.typeError(text, ' is not a function'));
    } else if (!(typeof o !== 'object' || isArray(o) || o instanceof Namespace || o instanceof BuiltinFunction)) {
      return this.abort('internal', 'method call on a foreign object');
    }
    if (key === 'create' && o instanceof BuiltinFunction && o.path === 'Object') {
      // Object.create(proto) of a prototype the core models (ES5 inheritance): classes.ts.
      const r = cls.objectCreate(this, args);
      if (r !== cls.NOT_HANDLED) return r;
    }
    if (--this.fuel < 0) this.outOfFuel();
    return callMethod(this, o, key, args);
  }

  private privateMethod(o: unknown, k: cls.PrivateName, text: string | null, args: unknown[]): unknown {
    const f = cls.privateGet(this, o, k);
    return this.isCallable(f) ? this.call(f, o, args) : this.typeError(text, ' is not a function');
  }

  construct(f: unknown, text: string | null, args: unknown[]): unknown {
    if (f instanceof BuiltinFunction) {
      this.enterCall();
      const r = constructBuiltin(this, f, args);
      this.depthNow--;
      return r;
    }
    if (f instanceof Closure) {
      const r = cls.constructWith(this, f, args, f);
      if (r !== cls.NOT_HANDLED) return r;
      if (cls.closureMeta(f) !== undefined) return this.typeError(text, ' is not a constructor');
      return this.abort('unsupported:syntax', 'new-function');
    }
    return this.typeError(text, ' is not a constructor');
  }

  // ---- receivers, constructors, classes (classes.ts) ------------------------------------------

  fnt(name: string, length: number, flags: number, f: (...args: unknown[]) => unknown): Closure {
    return cls.makeFnt(this, name, length, flags, () => f);
  }
  fntrec(name: string, length: number, flags: number, maker: (self: Closure) => (...args: unknown[]) => unknown): Closure {
    return cls.makeFnt(this, name, length, flags, maker);
  }
  sthis(t: unknown): unknown {
    return cls.sloppyThis(this, t);
  }
  dthis(t: unknown): unknown {
    return cls.derivedThis(this, t);
  }
  args(list: unknown[], flags: number): object {
    return cls.argumentsObject(this, list, flags);
  }
  cls(name: string, parent: unknown, hasParent: boolean, ctor: Closure | null, init: Closure | null, length: number): Closure {
    return cls.makeClass(this, name, parent, hasParent, ctor, init, length);
  }
  defm(k: Closure, isStatic: boolean, kind: number, key: unknown, f: Closure): void {
    cls.defineMember(this, k, isStatic, kind, key, f);
  }
  deff(o: unknown, key: unknown, v: unknown, byKey?: boolean): void {
    if (byKey === true) nameByKey(this, v, key);
    cls.defineField(this, o, key, v);
  }
  pname(name: string, method: boolean, className: string): cls.PrivateName {
    return new cls.PrivateName(name, method, className);
  }
  pdef(o: unknown, p: cls.PrivateName, v: unknown): void {
    cls.privateDefine(this, o, p, v);
  }
  sinit(k: Closure, f: Closure): void {
    cls.staticInit(this, k, f);
  }
  supc(k: Closure, nt: unknown, current: unknown, args: unknown[]): unknown {
    return cls.superCall(this, k, nt, current, args);
  }
  supget(k: Closure, isStatic: boolean, t: unknown, key: unknown): unknown {
    return cls.superGet(this, k, isStatic, t, key);
  }
  supcall(k: Closure, isStatic: boolean, t: unknown, key: unknown, text: string | null, args: unknown[]): unknown {
    return cls.superCallMethod(this, k, isStatic, t, key, text, args);
  }
  dret(v: unknown, t: unknown): unknown {
    return cls.derivedReturn(this, v, t);
  }
  /** A regular expression literal: a new RegExp each time it is evaluated (builtins/regexp.ts). */
  re(source: string, flags: string): unknown {
    return makeRegExp(this, source, flags);
  }
  tsite(site: number, cooked: unknown[], raw: unknown[]): unknown[] {
    return cls.templateStrings(this, site, cooked, raw);
  }
  obja(keys: unknown[], kinds: unknown[], values: unknown[]): object {
    return cls.objectWithAccessors(this, keys, kinds, values);
  }

  spread(v: unknown, text: string | null): Spread {
    return new Spread(v, text);
  }

  /** Arguments of a call with spread: arrays and strings spread; anything else aborts (V8's messages vary). */
  spreadargs(list: unknown[]): unknown[] {
    const out = this.flatten(list, [], () => this.abort('unsupported:value', 'spread-argument'));
    this.alloc(ARRAY_HEADER + ELEMENT * out.length);
    return out;
  }

  /** Pushes the items of `list` onto `out`, expanding Spread entries of arrays and strings. */
  private flatten(list: unknown[], out: unknown[], notIterable: (x: Spread) => never): unknown[] {
    for (const x of list) {
      if (!(x instanceof Spread)) {
        out.push(x);
        continue;
      }
      const v = x.value;
      if (isArray(v)) {
        this.tick(1 + ELEMENT_UNITS * v.length);
        for (let i = 0; i < v.length; i++) out.push(v[i]);
      } else if (typeof v === 'string') {
        // One string per code point (Latin-1 ones are V8's cached single characters, others are new).
        this.tick(1 + ELEMENT_UNITS * v.length);
        this.alloc(v.length * (ELEMENT + (this.charBytes > 1 ? STRING_HEADER + 4 : 0)));
        for (const ch of v) out.push(ch);
      } else if (isGenerator(v)) spreadGenerator(this, v, out);
      else {
        const it = this.iterable(v);
        if (it === undefined) notIterable(x);
        for (const e of it!) {
          this.alloc(ELEMENT);
          out.push(e);
        }
      }
    }
    return out;
  }

  rest(a: unknown[]): unknown[] {
    this.alloc(ARRAY_HEADER + ELEMENT * a.length);
    return a;
  }

  // ---- values ---------------------------------------------------------------------------------

  obj(o: Record<string, unknown>, keys?: number): Record<string, unknown> {
    this.alloc(OBJECT_HEADER + LITERAL_PROPERTY * (keys ?? 8));
    return o;
  }

  arr(a: unknown[]): unknown[] {
    this.alloc(ARRAY_HEADER + ELEMENT * a.length);
    return a;
  }

  /** An array literal with holes (`[1, , 3]`): the listed indices are deleted, as Node leaves them. */
  arrh(a: unknown[], holes: number[]): unknown[] {
    this.alloc(ARRAY_HEADER + ELEMENT * a.length);
    for (const i of holes) delete a[i];
    return a;
  }

  /** Arrays may have holes (sparse arrays); the builtins library keeps Node's semantics for them. */
  get supportsHoles(): boolean {
    return true;
  }

  arrs(list: unknown[]): unknown[] {
    const out = this.flatten(list, this.realm.newArray(), (x) => {
      refuseExotic(this, x.value, 'iteration');
      return this.typeError(x.text, ' is not iterable');
    });
    this.alloc(ARRAY_HEADER + ELEMENT * out.length);
    return out;
  }

  /** `{ __proto__: null, … }`: the literal `o` just made by obj/objs, its properties moved onto a
   * null prototype (as Object.create(null) makes); a literal with accessors or symbol keys aborts. */
  nproto(o: unknown): object {
    if (typeof o !== 'object' || o === null || isArray(o) || !this.isPlain(o) || getProto(o) === null || hasOwnSymbols(o)) {
      return this.abort('unsupported:value', '__proto__-literal');
    }
    const keys = Object.keys(o);
    this.tick(1 + keys.length);
    this.alloc(OBJECT_HEADER + NEW_PROPERTY * keys.length);
    const r = Object.create(null) as Record<string, unknown>;
    for (const k of keys) {
      if (k === '__proto__') return this.abort('unsupported:value', '__proto__-literal');
      r[k] = (o as Record<string, unknown>)[k];
    }
    return r;
  }

  /** Object literal with computed keys, spreads or methods: [key, value, …] with Spread entries. */
  objs(list: unknown[], byKey?: number[]): Record<string, unknown> {
    const o = this.realm.newObject();
    let n = 0;
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      if (x instanceof Spread) {
        this.copyOwn(o, x.value, null);
        continue;
      }
      // A function under a computed key is named by the key (computed-name.ts, function-names.ts).
      if (byKey !== undefined && byKey.includes(i + 1)) nameByKey(this, list[i + 1], x);
      if (isKeySymbol(x)) {
        (o as Record<symbol, unknown>)[x] = list[++i];
        n += LITERAL_PROPERTY;
        this.tick(PROPERTY_UNITS);
        continue;
      }
      const key = this.strKey(x);
      this.define(o, key, list[++i]);
      n += LITERAL_PROPERTY + key.length * this.charBytes; // a computed key may be a new string
      this.tick(PROPERTY_UNITS);
    }
    // Spread properties were charged as they were copied (copyOwn).
    this.alloc(OBJECT_HEADER + n);
    return o;
  }

  private define(o: Record<string, unknown>, key: string, v: unknown): void {
    if (key === '__proto__') Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
    else o[key] = v;
  }

  /** Copies own enumerable properties as `{...v}` does, charged as new properties; returns how many. */
  private copyOwn(o: Record<string, unknown>, v: unknown, except: Set<string> | null): number {
    if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return 0;
    let n = 0;
    if (typeof v === 'string') {
      // Keys "0", "1", …: new strings and properties, one per character.
      this.tick(1 + PROPERTY_UNITS * v.length);
      this.alloc(v.length * (NEW_PROPERTY + 2 * STRING_HEADER + 2 * this.charBytes));
      for (let i = 0; i < v.length; i++) {
        if (except && except.has(String(i))) continue;
        this.define(o, String(i), v[i]);
        n++;
      }
      return n;
    }
    if (isArray(v) || this.isPlain(v as object) || v instanceof ErrorValue || isEnv(v)) {
      const keys = Object.keys(v as object);
      this.tick(1 + PROPERTY_UNITS * keys.length);
      // An array's indices become keys: new strings.
      this.alloc(keys.length * (isArray(v) ? NEW_PROPERTY + STRING_HEADER + 8 : NEW_PROPERTY));
      for (const k of keys) {
        if (except && except.has(k)) continue;
        this.define(o, k, (v as Record<string, unknown>)[k]);
        n++;
      }
      // Then the enumerable symbol keys, as Node copies them (none on arrays, errors or process.env).
      if (hasOwnSymbols(v)) n += this.copySymbols(o, v as object, except);
      return n;
    }
    if (v instanceof Closure && !cls.closureHasProps(v)) return 0;
    const webKeys = isWebValue(v) ? WebValue.ownKeys(v) : undefined;
    if (webKeys !== undefined) {
      this.tick(1 + PROPERTY_UNITS * webKeys.length);
      this.alloc(webKeys.length * NEW_PROPERTY);
      for (const k of webKeys) {
        if (except && except.has(k)) continue;
        this.define(o, k, WebValue.read(this, v as WebValue, k));
        n++;
      }
      return n;
    }
    if (cls.isUserObject(v)) {
      const keys = cls.userKeys(this, v, false);
      this.alloc(keys.length * NEW_PROPERTY);
      for (const k of keys) {
        if (except && except.has(k)) continue;
        this.define(o, k, cls.userGet(this, v as object, k)); // getters run, as in Node
        n++;
      }
      if (hasOwnSymbols(v)) n += this.copySymbols(o, v as object, except);
      return n;
    }
    return this.abort('unsupported:value', 'spread-of-special-object');
  }

  /** The enumerable own symbol keys of a plain object or an instance copied onto o (spread), charged as new properties. */
  private copySymbols(o: Record<string, unknown>, v: object, except: Set<string> | null): number {
    const syms = ownSymbols(this, v, true, 'spread');
    this.tick(PROPERTY_UNITS * syms.length);
    this.alloc(syms.length * NEW_PROPERTY);
    let n = 0;
    for (const s of syms) {
      if (except && except.has(s as unknown as string)) continue;
      (o as Record<symbol, unknown>)[s] = symbolGet(this, v, s);
      n++;
    }
    return n;
  }

  tpl(...parts: unknown[]): string {
    let s = '';
    for (let i = 0; i < parts.length; i++) s += i % 2 === 0 ? (parts[i] as string) : this.toString(parts[i]);
    // As a concatenation (add): rope nodes and the flat copy any later use may make.
    this.alloc(CONS_NODE * (parts.length >> 1) + STRING_HEADER + s.length * this.charBytes);
    this.tick(ropeUnits(s.length));
    return s;
  }

  require(id: unknown): unknown {
    if (id === 'containerless' && this.api) return this.api;
    const m = typeof id === 'string' ? builtinModule(id) : undefined;
    if (m !== undefined) return m;
    return this.abort('unsupported:module', `require:${typeof id === 'string' ? id : '?'}`);
  }

  /** A name no binding of the program declares. `certain`: the compiler saw every declaration. */
  global(name: string, certain?: boolean): unknown {
    if (name === 'console' && this.console) return this.console;
    if (name === 'process' && this.process) return this.process;
    if (name === 'module' && this.module) return this.module;
    if (name === 'exports' && this.exports) return this.exports;
    const g = getGlobal(name);
    if (g !== undefined) return g;
    if (certain !== true || CJS_NAMES.has(name) || name in globalThis) return this.abort('unsupported:global', `global:${name}`);
    return this.throwError('ReferenceError', `${name} is not defined`);
  }

  /**
   * `global[name]` / `globalThis[name]`: a binding the accelerator supports reads as the bare name
   * does; CommonJS names (not on Node's global) and names Node's global has that we lack abort; any
   * other name is absent, as in Node.
   */
  globalRead(name: string): unknown {
    if (CJS_NAMES.has(name)) return this.abort('unsupported:global', `global.${name}`);
    if (name === 'console' || name === 'process' || getGlobal(name) !== undefined || name in globalThis) return this.global(name, false);
    return undefined;
  }

  /** `Object.keys(a)` of the global builtin (fast-ops.ts has the plain-object path). */
  okeys(a: unknown): unknown {
    return this.m1(this.global('Object', true), 'keys', 'Object.keys', a);
  }

  setglobal(name: string, _v: unknown): never {
    return this.abort('unsupported:global', `global-assign:${name}`);
  }

  typeofg(name: string, certain?: boolean): string {
    if (name === 'console' || (name === 'process' && this.process) || ((name === 'module' || name === 'exports') && this.module)) return 'object';
    const g = getGlobal(name);
    if (g !== undefined) return this.type(g);
    if (certain !== true || CJS_NAMES.has(name) || name in globalThis) return this.abort('unsupported:global', `global:${name}`);
    return 'undefined';
  }

  // ---- bindings -----------------------------------------------------------------------------

  hole(): unknown {
    return HOLE;
  }

  chk(v: unknown, name: string): unknown {
    if (v === HOLE) this.throwError('ReferenceError', `Cannot access '${name}' before initialization`);
    return v;
  }

  chkw(cur: unknown, name: string, v: unknown): unknown {
    if (cur === HOLE) this.throwError('ReferenceError', `Cannot access '${name}' before initialization`);
    return v;
  }

  constw(_v: unknown): never {
    return this.throwError('TypeError', 'Assignment to constant variable.');
  }

  // ---- properties ---------------------------------------------------------------------------

  isPlain(o: object): boolean {
    const p = getProto(o);
    return p === this.vmProto || p === HOST_OBJECT_PROTO || p === null;
  }

  /**
   * The guard of compiled code's native reads `o != null && (o.name, rt.po(o)) ? o.name : rt.get(o, "name")`: true only for
   * an object whose prototype is an Object.prototype (vm's or host's), where `o.name`, for a name the
   * compiler and validator allow, is an own data property or undefined (src/compiler/plain-read.ts).
   */
  po(o: unknown): boolean {
    if (typeof o !== 'object' || o === null) return false;
    const p = getProto(o);
    return p === this.vmProto || p === HOST_OBJECT_PROTO;
  }

  /**
   * The guard of compiled code's native keyed reads `rt.pk(o, k) ? o[k] : rt.get(o, k)`: true only for
   * a string key, not "__proto__", that is an own property of an object whose prototype is an
   * Object.prototype, so `o[k]` reads that own data property (src/compiler/plain-read.ts).
   */
  pk(o: unknown, k: unknown): boolean {
    return typeof k === 'string' && k !== '__proto__' && this.po(o) && hasOwn(o as object, k);
  }

  /** The guard of compiled code's native `length` reads (src/compiler/plain-read.ts): Array.isArray. */
  ia(o: unknown): boolean {
    return isArray(o);
  }

  /**
   * The name Node gives a core function: src/api's outbound members (`get`, `post`, `put`, `delete`)
   * are arrows returned by a factory, so their `name` is '' in a container.
   */
  coreName(f: CoreFunction): string {
    return this.api !== null && ANONYMOUS_API_MEMBERS.has(f.name) && CoreObject.member(this.api, f.name) === f ? '' : f.name;
  }

  /**
   * ToPropertyKey as compiled code runs it before reading or defining under a computed key (a
   * pattern's `{ [k]: v }`, a class field's `[k] = v`): a symbol the program may use as a key
   * (symbols.ts) stays itself; everything else is strKey's string.
   */
  key(k: unknown): string | symbol {
    return isKeySymbol(k) ? k : this.strKey(k);
  }

  /** ToPropertyKey where only a string key is modelled: a symbol key aborts (symbols.ts handles those before). */
  strKey(k: unknown): string {
    if (typeof k === 'string') return k;
    if (typeof k === 'number') return String(k);
    if (typeof k === 'symbol') return this.abort('unsupported:value', 'symbol-key');
    return this.toString(k);
  }

  /** Property read. The fast paths (array index, array length, own property of a plain object) are small so V8 inlines them. */
  get(o: unknown, k: unknown): unknown {
    if (typeof k === 'symbol') return symbolGet(this, o, k);
    if (typeof o === 'object' && o !== null) {
      // A number key of any object compiled code holds: an element, an own property or nothing, with no
      // accessor or exotic property under such a name anywhere (src/compiler/plain-read.ts).
      if (typeof k === 'number') return (o as Record<number, unknown>)[k];
      if (isArray(o)) {
        if (k === 'length') return o.length;
      } else if (typeof k === 'string') {
        const p = getProto(o);
        if (p === this.vmProto || p === HOST_OBJECT_PROTO) {
          const v = (o as Record<string, unknown>)[k];
          if (typeof v !== 'function' && k !== '__proto__') return v;
        }
      }
    }
    return this.getSlow(o, k);
  }

  private getSlow(o: unknown, k: unknown): unknown {
    if (k instanceof cls.PrivateName) return cls.privateGet(this, o, k);
    if (typeof o === 'object' && o !== null) {
      if (typeof k === 'number') return (o as Record<number, unknown>)[k];
      if (isArray(o)) {
        const key = this.strKey(k);
        if (key === 'length') return o.length;
        const i = arrayIndex(key);
        if (i >= 0) return o[i];
        if (key === 'raw' && cls.isTemplateStrings(o)) return (o as unknown as { raw: unknown }).raw;
        if (isMatchArray(o) && hasOwn(o, key)) return (o as unknown as Record<string, unknown>)[key];
        return this.protoRead('Array', key, Array.prototype);
      }
      const p = getProto(o);
      if (p === this.vmProto || p === HOST_OBJECT_PROTO || p === null) {
        const key = typeof k === 'string' ? k : this.strKey(k);
        const v = (o as Record<string, unknown>)[key];
        if (typeof v === 'function' || key === '__proto__') return this.objectProtoRead(o, key);
        return v;
      }
      return this.getSpecial(o, this.strKey(k));
    }
    if (typeof o === 'string') {
      if (typeof k === 'number') return o[k];
      const key = this.strKey(k);
      if (key === 'length') return o.length;
      const i = arrayIndex(key);
      if (i >= 0) return o[i];
      return this.protoRead('String', key, String.prototype);
    }
    if (o === undefined || o === null) return this.throwError('TypeError', `Cannot read properties of ${String(o)} (reading '${this.strKey(k)}')`);
    const key = this.strKey(k);
    if (typeof o === 'number') return this.protoRead('Number', key, Number.prototype);
    if (typeof o === 'boolean') return this.protoRead('Boolean', key, Boolean.prototype);
    if (typeof o === 'symbol') {
      if (key === 'description') return o.description;
      // Names of Symbol.prototype and Object.prototype are values (functions) not modelled; others are absent.
      return key in Symbol.prototype ? this.abort('unsupported:value', `symbol-property (${key})`) : undefined;
    }
    return this.abort('internal', `property read on ${typeof o}`);
  }

  /** An inherited name of a primitive or array read as a value (`s.toUpperCase` without a call). */
  private protoRead(type: string, key: string, proto: object): unknown {
    // `x.constructor` is the type's global (a builtin value: its own members stay refused).
    if (key === 'constructor') return getGlobal(type);
    // An array's inherited methods are Array.prototype's stand-in's (`[].splice === Array.prototype.splice`).
    if (type === 'Array') return getStatic(this, getStatic(this, getGlobal('Array'), 'prototype'), key);
    if (key in proto) return this.abort('unsupported:builtin', `${type}.prototype.${key}`);
    return undefined;
  }

  private objectProtoRead(o: object, key: string): unknown {
    if (hasOwn(o, key)) {
      const v = (o as Record<string, unknown>)[key];
      if (typeof v === 'function') return this.abort('internal', 'native function in a plain object');
      return v;
    }
    // `o.constructor === Object`, the plain-object test of older libraries: the global builtin.
    if (key === 'constructor') return getGlobal('Object');
    // An inherited method read as a value is Object.prototype's, the same builtin value
    // `Object.prototype.valueOf` reads (`a.valueOf !== Object.prototype.valueOf`); unimplemented names abort there.
    if (OBJECT_PROTO_NAMES.has(key)) return getStatic(this, getStatic(this, getGlobal('Object'), 'prototype'), key);
    return this.abort('internal', `inherited property ${key}`);
  }

  private getSpecial(o: object, key: string): unknown {
    if (o instanceof GlobalObject) return this.globalRead(key);
    if (cls.isUserObject(o)) return cls.userGet(this, o, key);
    if (isEnv(o)) {
      if (hasOwn(o, key)) return o[key];
      if (OBJECT_PROTO_NAMES.has(key)) return this.abort('unsupported:builtin', `Object.prototype.${key}`);
      return undefined;
    }
    if (o instanceof ProcessValue) return key === 'env' ? ProcessValue.env(o) : this.abort('unsupported:process', `process:${key}`);
    if (o instanceof Closure) {
      const own = cls.closureGet(this, o, key);
      if (own !== cls.NOT_HANDLED) return own;
      if (key === 'name') return o.name;
      if (key === 'length') return o.length;
      // Function.prototype's call, apply, bind and toString: the builtins `Function.prototype.call` reads.
      if (FUNCTION_VALUE_NAMES.has(key)) return getStatic(this, getStatic(this, getGlobal('Function'), 'prototype'), key);
      if (FUNCTION_PROTO_NAMES.has(key)) return this.abort('unsupported:builtin', `Function.prototype.${key}`);
      return undefined;
    }
    if (o instanceof ErrorValue) {
      if (hasOwn(o, key)) return (o as unknown as Record<string, unknown>)[key];
      const dom = ErrorValue.domSlots(o);
      if (dom) {
        // DOMException.prototype's getters and constants, then Error.prototype's as for any error.
        const m = domMember(dom, key);
        if (m) return m.value;
        if (key === 'constructor') return getGlobal('DOMException');
      }
      const inh = cls.errorInherited(this, o, key);
      if (inh !== cls.NOT_HANDLED) return inh;
      if (key === 'name') return ErrorValue.kind(o);
      if (key === 'message') return ''; // Error.prototype.message
      // An instance of no class: its constructor is its builtin's (a class's is found just above).
      if (key === 'constructor' && isErrorName(ErrorValue.kind(o))) return getGlobal(ErrorValue.kind(o));
      if (key === 'stack' || key in Error.prototype || OBJECT_PROTO_NAMES.has(key)) return this.abort('unsupported:builtin', `Error.prototype.${key}`);
      return undefined;
    }
    if (o instanceof Namespace || o instanceof BuiltinFunction) return getStatic(this, o, key);
    if (o instanceof CoreObject) {
      const f = CoreObject.member(o, key);
      if (f) return f;
      if (OBJECT_PROTO_NAMES.has(key)) return this.abort('unsupported:builtin', `Object.prototype.${key}`);
      return undefined;
    }
    if (o instanceof CoreFunction) {
      if (key === 'name') return this.coreName(o);
      return this.abort('unsupported:builtin', `Function.prototype.${key}`);
    }
    if (isWebValue(o)) return WebValue.read(this, o, key);
    if (isAsyncValue(o)) return asyncRead(this, o, key);
    return this.abort('internal', 'property read on a foreign object');
  }

  /** Property write; fast paths as in get. */
  put(o: unknown, k: unknown, v: unknown): unknown {
    if (typeof k === 'symbol') return symbolPut(this, o, k, v);
    if (typeof o === 'object' && o !== null && isExtensible(o)) {
      if (isArray(o)) {
        if (typeof k === 'number' && (k | 0) === k && k >= 0 && k < o.length) {
          o[k] = v;
          return v;
        }
      } else if (typeof k === 'string' && k !== '__proto__') {
        const p = getProto(o);
        if (p === this.vmProto || p === HOST_OBJECT_PROTO) {
          const r = o as Record<string, unknown>;
          if (r[k] === undefined) this.newProperty(k);
          r[k] = v;
          return v;
        }
      }
    }
    return this.putSlow(o, k, v);
  }

  private putSlow(o: unknown, k: unknown, v: unknown): unknown {
    if (k instanceof cls.PrivateName) return cls.privateSet(this, o, k, v);
    if (o instanceof GlobalObject) return this.abort('unsupported:global', `global-assign:${this.strKey(k)}`);
    if (typeof o === 'object' && o !== null) {
      if (isWebValue(o)) return WebValue.write(this, o, this.strKey(k), v);
      if (this.isFrozen(o)) return this.frozenWrite(o, k, v, false);
      if (isArray(o)) {
        let i = typeof k === 'number' ? k : -1;
        if (i < 0 || i !== (i >>> 0) || i === 4294967295) {
          const key = this.strKey(k);
          if (key === 'length') return this.setLength(o, v);
          i = arrayIndex(key);
          if (i < 0) return this.abort('unsupported:value', `array-property (${key})`);
        }
        // Past the end leaves holes, as in Node; charged as if they were elements (conservative).
        if (i >= o.length) this.alloc(ELEMENT * (1 + i - o.length));
        o[i] = v;
        return v;
      }
      const p = getProto(o);
      if (p === this.vmProto || p === HOST_OBJECT_PROTO || p === null) {
        const key = typeof k === 'string' ? k : this.strKey(k);
        if (key === '__proto__') {
          // Object.prototype's __proto__ setter ignores a value that is neither an object nor null:
          // nothing changes (a query's `remove=__proto__` in the corpus). The rest would set the prototype.
          // (An own `__proto__`, which JSON.parse makes, would take the write instead: that aborts.)
          if (p !== null && !hasOwn(o, '__proto__') && (v === undefined || (typeof v !== 'object' && typeof v !== 'function'))) {
            this.tick(1);
            return v;
          }
          return this.abort('unsupported:value', '__proto__-write');
        }
        const r = o as Record<string, unknown>;
        if (r[key] === undefined) this.newProperty(key);
        r[key] = v;
        return v;
      }
      if (isEnv(o)) return this.envWrite(o, this.strKey(k), v);
      if (o instanceof ProcessValue) return this.abort('unsupported:process', `process-write:${this.strKey(k)}`);
      if (o instanceof ErrorValue) {
        const key = this.strKey(k);
        if (key === '__proto__') return this.abort('unsupported:value', '__proto__-write');
        // A DOMException's name, message and code are getters without setters and its constants
        // read-only (sloppy code ignores a write, strict code throws a TypeError V8 words oddly); its
        // own `stack` is not modelled. Any other name is a new own property, as on any error.
        const dom = ErrorValue.domSlots(o);
        if (dom && (key === 'stack' || domMember(dom, key) !== undefined)) return this.abort('unsupported:value', `write to a DOMException (${key})`);
        if (!hasOwn(o, key) && cls.errorClassHas(this, o, key)) return this.abort('unsupported:value', `error-subclass-write (${key})`);
        this.newProperty(key);
        Object.defineProperty(o, key, hasOwn(o, key) ? { value: v } : { value: v, writable: true, enumerable: true, configurable: true });
        return v;
      }
      if (cls.isUserObject(o)) return cls.userPut(this, o, this.strKey(k), v);
      if (o instanceof Closure) {
        const r = cls.closurePut(this, o, this.strKey(k), v);
        if (r !== cls.NOT_HANDLED) return r;
      }
      return this.abort('unsupported:value', `property-write-on-function-or-builtin (${this.strKey(k)})`);
    }
    if (o === undefined || o === null) return this.throwError('TypeError', `Cannot set properties of ${String(o)} (setting '${this.strKey(k)}')`);
    // Sloppy-mode code: a write to a primitive is silently dropped (its key is still computed).
    this.strKey(k);
    return v;
  }

  /**
   * A value Node refuses writes to: a frozen array, plain object or error (Object.freeze is the only
   * way the library makes a non-extensible value), or the containerless object (src/api freezes it).
   */
  private isFrozen(o: object): boolean {
    if (o === this.api) return true;
    return !isExtensible(o) && (isArray(o) || this.isPlain(o) || o instanceof ErrorValue);
  }

  /**
   * A write to a frozen value (isFrozen): sloppy code ignores it, strict code throws Node's TypeError.
   * An error's message would quote its toString, so a strict write to a frozen error aborts instead.
   */
  private frozenWrite(o: object, k: unknown, v: unknown, strict: boolean): unknown {
    const key = this.strKey(k);
    // Object.prototype's __proto__ setter throws even in sloppy code; writes of __proto__ abort anyway.
    if (key === '__proto__') return this.abort('unsupported:value', '__proto__-write');
    if (!strict) return v;
    if (o instanceof ErrorValue) return this.abort('unsupported:value', `frozen-error-write (${key})`);
    // The containerless object's members are its own properties in Node, not here.
    const own = o instanceof CoreObject ? CoreObject.member(o, key) !== undefined : hasOwn(o, key);
    if (own) return this.throwError('TypeError', `Cannot assign to read only property '${key}' of object '${isArray(o) ? '[object Array]' : '#<Object>'}'`);
    return this.throwError('TypeError', `Cannot add property ${key}, object is not extensible`);
  }

  /** `process.env[key] = v`: stored as setenv stores it (Node ignores a name libc refuses). */
  private envWrite(env: Record<string, string>, key: string, v: unknown): unknown {
    const name = envKey(key);
    if (name === null) return this.abort('unsupported:process', 'process-env-write (NUL in a name)');
    const s = envValue(this.toString(v));
    if (name !== undefined) {
      this.alloc(NEW_PROPERTY + STRING_HEADER + (name.length + s.length) * this.charBytes);
      defineEnv(env, name, s);
    }
    return v;
  }

  /** put in strict-mode code: a write to a primitive throws. */
  puts(o: unknown, k: unknown, v: unknown): unknown {
    if (typeof k === 'symbol') return symbolPut(this, o, k, v, true);
    if (typeof o === 'object' && o !== null && this.isFrozen(o)) return this.frozenWrite(o, k, v, true);
    if (typeof o === 'object' || o === undefined) return this.put(o, k, v);
    const key = this.strKey(k);
    if (typeof o === 'string' && (key === 'length' || arrayIndex(key) >= 0 && arrayIndex(key) < o.length)) {
      return this.throwError('TypeError', `Cannot assign to read only property '${key}' of string '${o}'`);
    }
    return this.throwError('TypeError', `Cannot create property '${key}' on ${typeof o} '${String(o)}'`);
  }

  private setLength(a: unknown[], v: unknown): unknown {
    if (typeof v !== 'number' || v !== v >>> 0) return this.abort('unsupported:value', 'array-length');
    if (v > a.length) this.alloc(ELEMENT * (v - a.length));
    a.length = v;
    return v;
  }

  del(o: unknown, k: unknown): boolean {
    if (typeof k === 'symbol') return symbolDelete(this, o, k);
    // Deleting an own property of a frozen value is false in sloppy code and a TypeError in strict
    // code; the operation does not know which, so it aborts.
    if (typeof o === 'object' && o !== null && this.isFrozen(o) && hasOwn(o, this.strKey(k))) {
      return this.abort('unsupported:value', `frozen-delete (${this.strKey(k)})`);
    }
    if (isArray(o)) {
      const key = this.strKey(k);
      const i = arrayIndex(key);
      if (i >= 0) return delete o[i]; // leaves a hole, as in Node
      if (key === 'length') return this.abort('unsupported:value', 'delete-array-length');
      return true; // arrays hold no other own properties here
    }
    if (typeof o === 'object' && o !== null) {
      const key = this.strKey(k);
      // On a plain object V8's delete is the spec's: an own `__proto__` (JSON.parse's) goes, the
      // inherited accessor is never touched, and nothing else happens.
      if (this.isPlain(o)) return delete (o as Record<string, unknown>)[key];
      if (key === '__proto__') return this.abort('unsupported:value', '__proto__-delete');
      if (isEnv(o)) return delete (o as Record<string, unknown>)[key];
      if (cls.isUserObject(o)) return cls.userDelete(this, o, key);
      if (o instanceof ErrorValue) {
        // A DOMException's own `stack` is not modelled (its other members are its prototype's).
        if (key === 'stack' && ErrorValue.domSlots(o)) return this.abort('unsupported:value', `delete on a DOMException (${key})`);
        return delete (o as unknown as Record<string, unknown>)[key];
      }
      if (isWebValue(o)) {
        const r = WebValue.remove(this, o, key);
        if (r !== undefined) return r;
      }
    }
    if (o === undefined || o === null) return this.throwError('TypeError', 'Cannot convert undefined or null to object');
    return this.abort('unsupported:value', 'delete');
  }

  inop(k: unknown, o: unknown): boolean {
    if (k instanceof cls.PrivateName) return cls.privateIn(this, k, o);
    if (typeof k === 'symbol') return symbolHas(this, o, k);
    if (typeof o !== 'object' || o === null) {
      const ks = typeof k === 'string' ? k : this.strKey(k);
      if (typeof o === 'string' || typeof o === 'number' || typeof o === 'boolean' || o === undefined || o === null) {
        return this.throwError('TypeError', `Cannot use 'in' operator to search for '${ks}' in ${String(o)}`);
      }
      return this.abort('internal', 'in on a foreign value');
    }
    const key = this.strKey(k);
    if (isArray(o) || this.isPlain(o)) return key in o;
    if (o instanceof GlobalObject) return this.globalRead(key) !== undefined; // absent names read as undefined
    if (cls.isUserObject(o)) return cls.userHas(this, o, key);
    if (o instanceof ErrorValue && (hasOwn(o, key) || key === 'name' || key === 'message' || cls.errorClassHas(this, o, key))) return true;
    if (o instanceof ErrorValue) {
      const dom = ErrorValue.domSlots(o);
      // Its own `stack`, then DOMException.prototype's, Error.prototype's and Object.prototype's names.
      if (dom) return key === 'stack' || domMember(dom, key) !== undefined || key === 'constructor' || key in Error.prototype || OBJECT_PROTO_NAMES.has(key);
    }
    // process.env's prototype chain ends in Object.prototype, whose names are all it inherits.
    if (isEnv(o)) return hasOwn(o, key) || OBJECT_PROTO_NAMES.has(key);
    if (isWebValue(o)) {
      const r = WebValue.has(o, key);
      if (r !== undefined) return r;
    }
    return this.abort('unsupported:value', 'in-special-object');
  }

  instof(a: unknown, b: unknown): boolean {
    if (b instanceof BuiltinFunction) {
      const n = b.name;
      if (n === 'Array') return isArray(a);
      if (a instanceof ErrorValue && (n === 'Error' || n === ErrorValue.kind(a))) return true;
      if (typeof a !== 'object' || a === null) return false;
      if (n === 'Object') return !(a instanceof Namespace) && (isArray(a) || a instanceof ErrorValue || getProto(a) !== null) ? true : this.abort('unsupported:value', 'instanceof');
      if (isErrorName(n) || n === 'DOMException') return false;
      if (isWebValue(a) || ['URL', 'URLSearchParams', 'Headers', 'Request', 'Response', 'Map', 'Set', 'Date', 'WeakMap', 'WeakSet', 'RegExp', 'Uint8Array', 'ArrayBuffer', 'DataView', 'Buffer', 'TextEncoder', 'TextDecoder', ...TYPED_ARRAY_NAMES].includes(n)) return isWebValue(a) && (WebValue.kind(a).name === b.path || WebValue.kind(a).also?.includes(b.path) === true); // a kind is named by its constructor's path (Intl.NumberFormat)
      if (n === 'Promise') return isPromise(a);
      return this.abort('unsupported:builtin', `instanceof:${n}`);
    }
    if (b instanceof Closure) {
      const r = cls.instanceOf(this, a, b);
      if (r !== cls.NOT_HANDLED) return r as boolean;
      return this.abort('unsupported:syntax', 'instanceof-function');
    }
    return this.throwError('TypeError', "Right-hand side of 'instanceof' is not callable");
  }

  // ---- iteration and destructuring ----------------------------------------------------------

  iter(v: unknown, text: string | null): Iterable<unknown> {
    if (isArray(v) || typeof v === 'string') return v;
    return this.iterable(v) ?? this.typeError(text, ' is not iterable');
  }

  keys(v: unknown): Iterable<string> {
    if (v === null || v === undefined) return [];
    if (typeof v === 'string') {
      // "0", "1", …: one new string per character.
      this.tick(1 + ELEMENT_UNITS * v.length);
      this.alloc(ARRAY_HEADER + v.length * (ELEMENT + STRING_HEADER + 8));
      return Object.keys(v);
    }
    if (typeof v === 'object' && (isArray(v) || this.isPlain(v) || v instanceof ErrorValue || isEnv(v))) {
      // An array's own keys are new strings; listing a large array's or object's keys is work too.
      if (isArray(v)) {
        this.tick(1 + ELEMENT_UNITS * v.length);
        this.alloc(ARRAY_HEADER + v.length * (ELEMENT + STRING_HEADER + 8));
      }
      const ks = Object.keys(v);
      if (!isArray(v)) {
        this.tick(1 + ELEMENT_UNITS * ks.length);
        this.alloc(ARRAY_HEADER + ELEMENT * ks.length);
      }
      return liveKeys(v, ks);
    }
    if (typeof v === 'number' || typeof v === 'boolean' || (v instanceof Closure && !cls.closureHasProps(v))) return [];
    if (cls.isUserObject(v)) return liveKeys(v, cls.userKeys(this, v, true));
    // A RegExp's own properties a program added (its prototypes have no enumerable names).
    const webKeys = isWebValue(v) ? WebValue.ownKeys(v) : undefined;
    if (webKeys !== undefined) {
      this.tick(1 + ELEMENT_UNITS * webKeys.length);
      this.alloc(ARRAY_HEADER + ELEMENT * webKeys.length);
      return liveWebKeys(v as WebValue, webKeys);
    }
    return this.abort('unsupported:value', 'for-in-special-object');
  }

  destr(v: unknown, text: string | null, first: string | null): unknown {
    if (v !== undefined && v !== null) return v;
    if (text === null || first === null) return this.abort('unsupported:value', 'error-message (destructuring)');
    // '#param': a parameter pattern, where V8 describes the value itself.
    const shown = text === '#param' ? (v === undefined ? 'undefined' : 'object null') : text;
    if (first === '') return this.throwError('TypeError', `Cannot destructure '${shown}' as it is ${String(v)}.`);
    return this.throwError('TypeError', `Cannot destructure property '${first}' of '${shown}' as it is ${String(v)}.`);
  }

  destrn(v: unknown, first: string | null): unknown {
    if (v !== undefined && v !== null) return v;
    if (first === null) return this.abort('unsupported:value', 'error-message (destructuring)');
    return this.throwError('TypeError', `Cannot read properties of ${String(v)} (reading '${first}')`);
  }

  orest(o: unknown, keys: unknown[]): Record<string, unknown> {
    const out = this.realm.newObject();
    // A pattern's symbol key (`{ [kState]: s, ...rest }`) is left out as a string key is.
    this.copyOwn(out, o, new Set(keys.map((k) => (isKeySymbol(k) ? (k as unknown as string) : this.strKey(k)))));
    this.alloc(OBJECT_HEADER);
    return out;
  }

  aiter(v: unknown, text: string | null, whole?: boolean | number): unknown[] {
    if (isArray(v)) return v;
    // A pattern of `whole` plain names (or holes) and no rest: that many values, then the iterator is
    // closed (iterators.ts); strings, Maps and Sets are read below, as no user code can see how far.
    if (typeof whole === 'number' && typeof v !== 'string' && !isWebValue(v)) return takeSteps(this, v, whole, () => this.notIterable(v, text));
    // An arguments object: no user code runs while it is read, so reading it whole is exact.
    if (cls.isArguments(v)) return takeSteps(this, v, Infinity, () => this.notIterable(v, text));
    // A pattern takes only as many values as it names, then closes the generator: not modelled, unless
    // it is plain names ending in a rest element (`whole`, emit-pattern.ts), which reads every value.
    if (isGenerator(v)) {
      if (whole !== true) return this.abort('unsupported:value', 'destructuring-a-generator');
      const all: unknown[] = [];
      spreadGenerator(this, v, all);
      this.alloc(ARRAY_HEADER + ELEMENT * all.length);
      return all;
    }
    if (whole === true) {
      const own = userIterable(this, v);
      if (own !== undefined) {
        const all = Array.from(own);
        this.alloc(ARRAY_HEADER + ELEMENT * all.length);
        return all;
      }
    }
    // A Map or Set: no user code runs while it is read, so taking every value is only extra work.
    if (isWebValue(v) && webIterable(this, v)) {
      const all = Array.from(WebValue.iterate(this, v)!);
      this.alloc(ARRAY_HEADER + ELEMENT * all.length);
      return all;
    }
    if (typeof v === 'string') {
      this.tick(1 + ELEMENT_UNITS * v.length);
      this.alloc(ARRAY_HEADER + v.length * (ELEMENT + (this.charBytes > 1 ? STRING_HEADER + 4 : 0)));
      return Array.from(v);
    }
    if (typeof v === 'object' && v !== null && (this.isPlain(v) || cls.isUserObject(v)) && symbolGet(this, v, Symbol.iterator) !== undefined) {
      return this.abort('unsupported:value', 'destructuring-a-user-iterable');
    }
    return this.notIterable(v, text);
  }

  /** An array pattern's TypeError; '#value': a nested pattern, where V8 describes the value itself. */
  private notIterable(v: unknown, text: string | null): never {
    refuseExotic(this, v, 'iteration');
    if (text === '#value') return notIterableValue(this, v, 'a nested array pattern over a value that is not iterable');
    return this.typeError(text, ' is not iterable');
  }

  /**
   * An array pattern with defaults, nested patterns or member targets, in a statement (emit-pattern.ts
   * shows the compiled form): an array stays itself (its elements are read by index, as `aiter` gives
   * them); a generator or a user iterable is opened and stepped one element at a time, so that
   * defaults and nested patterns run between the steps, as Node runs them.
   */
  aopen(v: unknown, text: string | null): unknown {
    if (isArray(v)) return v;
    if (typeof v === 'string' || isWebValue(v) || cls.isArguments(v)) return this.aiter(v, text);
    return openPattern(this, v) ?? this.notIterable(v, text);
  }

  /** The value of element `i` of what `aopen` gave: the next step of an iterator (undefined once it is done). */
  astep(t: unknown, i: number): unknown {
    if (t instanceof PatternSteps) return patternStep(t);
    return this.get(t, i);
  }

  /** A rest element from element `i` on. */
  arestof(t: unknown, i: number): unknown[] {
    if (t instanceof PatternSteps) return patternRest(this, t);
    return this.arest(t as unknown[], i);
  }

  /** The pattern completed: an iterator not done is closed (IteratorClose; errors and a bad result propagate). */
  aend(t: unknown): void {
    if (t instanceof PatternSteps) patternEnd(t);
  }

  /** The pattern threw a user exception: an iterator not done is closed, anything it throws dropped. */
  aquit(t: unknown): void {
    if (t instanceof PatternSteps) patternQuit(t, (e) => e instanceof Thrown && this.cur !== null && this.cur.aborted === null);
  }

  /**
   * The same pattern inside a larger expression, `rt.apat(v, text, ($t) => (…))` (emit-pattern.ts):
   * the arrow, made by compiled code for this call, runs once here and is never kept; around it the
   * statement form's try/catch/finally (IteratorClose when not done, a throw closing it quietly).
   */
  apat(v: unknown, text: string | null, f: (t: unknown) => unknown): void {
    this.tick(1);
    this.alloc(CLOSURE);
    const t = this.aopen(v, text);
    if (!(t instanceof PatternSteps)) {
      f(t);
      return;
    }
    const d = this.depthNow;
    try {
      f(t);
    } catch (c) {
      const e = this.caught(c, d);
      this.aquit(t);
      throw new Thrown(e);
    } finally {
      this.fin(d);
      this.aend(t);
    }
  }

  /** `yield* v` in a generator's body, written `yield* rt.ydeleg(v, text)` (iterators.ts). */
  ydeleg(v: unknown, text: string | null): Iterable<unknown> {
    return delegate(this, v, text);
  }

  // `for await` in an async function's body (async-iteration.ts shows the compiled form).
  afor(v: unknown, text: string | null): AsyncLoop {
    return openAsync(this, v, text);
  }

  anext(a: AsyncLoop): unknown {
    return asyncNext(this, a);
  }

  adone(a: AsyncLoop, r: unknown): boolean {
    return asyncDone(this, a, r);
  }

  avalue(a: AsyncLoop): unknown {
    return asyncValue(this, a);
  }

  acloses(a: AsyncLoop, quiet: boolean): boolean {
    return asyncCloses(this, a, quiet);
  }

  aclose(a: AsyncLoop): unknown {
    return asyncClose(this, a);
  }

  achk(r: unknown): void {
    checkResult(this, r);
  }

  arest(a: unknown[], i: number): unknown[] {
    const n = a.length > i ? a.length - i : 0;
    this.tick(1 + ELEMENT_UNITS * n);
    this.alloc(ARRAY_HEADER + ELEMENT * n);
    return a.slice(i);
  }

  // ---- operators ----------------------------------------------------------------------------

  add(a: unknown, b: unknown): unknown {
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    if (typeof a === 'string' && typeof b === 'string') {
      const n = a.length + b.length;
      this.alloc(CONS_NODE + STRING_HEADER + n * this.charBytes);
      if (n >= LARGE_STRING) this.tick(ropeUnits(n));
      return a + b;
    }
    const pa = this.toPrimitive(a, 'default');
    const pb = this.toPrimitive(b, 'default');
    // With a string on either side both become strings, else numbers: a symbol throws either way.
    if (typeof pa === 'symbol' || typeof pb === 'symbol') return this.throwError('TypeError', typeof pa === 'string' || typeof pb === 'string' ? SYMBOL_TO_STRING : SYMBOL_TO_NUMBER);
    if (typeof pa === 'string' || typeof pb === 'string') {
      const sa = typeof pa === 'string' ? pa : String(pa);
      const sb = typeof pb === 'string' ? pb : String(pb);
      // A number, boolean, null or undefined converted to its text: a new (small) string.
      this.alloc(STRING_HEADER + (typeof pa === 'string' ? sb.length : sa.length));
      // The result by its full length: V8 makes a rope, which many native operations flatten (once);
      // a large one's flattening is slow enough to cost fuel too (costs.ts, LARGE_STRING).
      const n = sa.length + sb.length;
      this.alloc(CONS_NODE + STRING_HEADER + n * this.charBytes);
      this.tick(ropeUnits(n));
      return sa + sb;
    }
    return (pa as number) + (pb as number);
  }

  sub(a: unknown, b: unknown): number {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    const x = this.toNumber(a);
    return x - this.toNumber(b);
  }

  mul(a: unknown, b: unknown): number {
    if (typeof a === 'number' && typeof b === 'number') return a * b;
    const x = this.toNumber(a);
    return x * this.toNumber(b);
  }

  div(a: unknown, b: unknown): number {
    if (typeof a === 'number' && typeof b === 'number') return a / b;
    const x = this.toNumber(a);
    return x / this.toNumber(b);
  }

  mod(a: unknown, b: unknown): number {
    if (typeof a === 'number' && typeof b === 'number') return a % b;
    const x = this.toNumber(a);
    return x % this.toNumber(b);
  }

  pow(a: unknown, b: unknown): number {
    const x = this.toNumber(a);
    return x ** this.toNumber(b);
  }

  neg(a: unknown): number {
    return -this.toNumber(a);
  }

  num(a: unknown): number {
    return typeof a === 'number' ? a : this.toNumber(a);
  }

  inc(a: unknown): number {
    return (typeof a === 'number' ? a : this.toNumber(a)) + 1;
  }

  dec(a: unknown): number {
    return (typeof a === 'number' ? a : this.toNumber(a)) - 1;
  }

  bnot(a: unknown): number {
    return ~this.toNumber(a);
  }

  band(a: unknown, b: unknown): number {
    const x = this.toNumber(a);
    return x & this.toNumber(b);
  }

  bor(a: unknown, b: unknown): number {
    const x = this.toNumber(a);
    return x | this.toNumber(b);
  }

  bxor(a: unknown, b: unknown): number {
    const x = this.toNumber(a);
    return x ^ this.toNumber(b);
  }

  shl(a: unknown, b: unknown): number {
    const x = this.toNumber(a);
    return x << this.toNumber(b);
  }

  shr(a: unknown, b: unknown): number {
    const x = this.toNumber(a);
    return x >> this.toNumber(b);
  }

  ushr(a: unknown, b: unknown): number {
    const x = this.toNumber(a);
    return x >>> this.toNumber(b);
  }

  /**
   * Comparing two strings is a memcmp over their common length (and flattens ropes, once, which their
   * creation paid for): charged per FAST_CHARS_PER_UNIT characters, nothing for short strings.
   */
  private compared(a: unknown, b: unknown): void {
    if (typeof a !== 'string' || typeof b !== 'string') return;
    const n = a.length < b.length ? a.length : b.length;
    if (n >= FAST_CHARS_PER_UNIT) this.tick(fastCharUnits(n) - 1);
  }

  /** IsLessThan after ToPrimitive: unless both are strings both become numbers, and a symbol throws. */
  private ordered(a: unknown, b: unknown): void {
    if (typeof a === 'symbol' || typeof b === 'symbol') this.throwError('TypeError', SYMBOL_TO_NUMBER);
    this.compared(a, b);
  }

  lt(a: unknown, b: unknown): boolean {
    if (typeof a === 'number' && typeof b === 'number') return a < b;
    const pa = this.toPrimitive(a, 'number');
    const pb = this.toPrimitive(b, 'number');
    this.ordered(pa, pb);
    return (pa as number) < (pb as number);
  }

  gt(a: unknown, b: unknown): boolean {
    if (typeof a === 'number' && typeof b === 'number') return a > b;
    const pa = this.toPrimitive(a, 'number');
    const pb = this.toPrimitive(b, 'number');
    this.ordered(pa, pb);
    return (pa as number) > (pb as number);
  }

  le(a: unknown, b: unknown): boolean {
    if (typeof a === 'number' && typeof b === 'number') return a <= b;
    const pa = this.toPrimitive(a, 'number');
    const pb = this.toPrimitive(b, 'number');
    this.ordered(pa, pb);
    return (pa as number) <= (pb as number);
  }

  ge(a: unknown, b: unknown): boolean {
    if (typeof a === 'number' && typeof b === 'number') return a >= b;
    const pa = this.toPrimitive(a, 'number');
    const pb = this.toPrimitive(b, 'number');
    this.ordered(pa, pb);
    return (pa as number) >= (pb as number);
  }

  /** `a === b` when `a` is a string (compiled code compares everything else natively). */
  seq(a: unknown, b: unknown): boolean {
    if (typeof b === 'string' && (a as string).length === b.length) this.compared(a, b);
    return a === b;
  }

  /** The discriminant of a switch with n cases that are not literals: their native comparisons with it. */
  sw(d: unknown, n: number): unknown {
    if (typeof d === 'string' && d.length >= FAST_CHARS_PER_UNIT) this.tick(n * (fastCharUnits(d.length) - 1));
    return d;
  }

  eq(a: unknown, b: unknown): boolean {
    if (typeof a === typeof b) {
      if (typeof a === 'string' && (a as string).length === (b as string).length) this.compared(a, b);
      return a === b;
    }
    if (a === null || a === undefined) return b === null || b === undefined;
    if (b === null || b === undefined) return false;
    const pa = typeof a === 'object' ? this.toPrimitive(a, 'default') : a;
    const pb = typeof b === 'object' ? this.toPrimitive(b, 'default') : b;
    this.compared(pa, pb);
    // Both primitives now (no symbols or bigints exist here): native == is the spec's algorithm.
    return pa == pb;
  }

  ne(a: unknown, b: unknown): boolean {
    return !this.eq(a, b);
  }

  type(v: unknown): string {
    const t = typeof v;
    if (t !== 'object' || v === null) return t;
    if (v instanceof Closure || v instanceof BuiltinFunction || v instanceof CoreFunction) return 'function';
    return 'object';
  }

  // ---- Host: coercions ----------------------------------------------------------------------

  toPrimitive(v: unknown, hint: 'string' | 'number' | 'default'): unknown {
    if (typeof v !== 'object' || v === null) return v;
    if (isArray(v)) return this.join(v, 0);
    if (this.isPlain(v) || isEnv(v)) {
      if (hasOwn(v, Symbol.toPrimitive as unknown as string) || (isEnv(v) && (hasOwn(v, 'valueOf') || hasOwn(v, 'toString')))) return this.abort('unsupported:value', 'toPrimitive-hook');
      if (hasOwn(v, 'valueOf') || hasOwn(v, 'toString')) {
        // A plain object's own methods (plain objects have data properties only), else its prototype's.
        const proto = getProto(v);
        return ordinaryToPrimitive(this, v, hint, (name) => (hasOwn(v, name) ? (v as Record<string, unknown>)[name] : proto === null ? undefined : INHERITED));
      }
      // A null-prototype object (a match's `groups`) has neither toString nor valueOf.
      if (getProto(v) === null) return this.throwError('TypeError', 'Cannot convert object to primitive value');
      return '[object Object]';
    }
    if (v instanceof ErrorValue) {
      if (hasOwn(v, 'valueOf') || hasOwn(v, 'toString')) return this.abort('unsupported:value', 'toPrimitive-hook');
      return this.errorToString(v);
    }
    if (v instanceof CoreObject) return '[object Object]';
    if (cls.isUserObject(v)) return cls.userToPrimitive(this, v, hint);
    if (v instanceof ProcessValue) return '[object process]';
    if (v instanceof Closure || v instanceof CoreFunction || v instanceof BuiltinFunction) return this.abort('unsupported:value', 'function-to-string');
    if (v instanceof Namespace || v instanceof GlobalObject) return this.abort('unsupported:value', 'namespace-to-string');
    if (isWebValue(v)) return WebValue.toPrimitive(this, v, hint);
    if (isAsyncValue(v)) return asyncToPrimitive(this, v);
    return this.abort('internal', 'toPrimitive of a foreign object');
  }

  private join(a: unknown[], depth: number): string {
    if (depth > 64) return this.abort('unsupported:value', 'array-join-depth');
    this.tick(1 + ELEMENT_UNITS * a.length);
    this.allocString(0);
    let s = '';
    for (let i = 0; i < a.length; i++) {
      if (i > 0) s += ',';
      const x = a[i];
      if (x === undefined || x === null) continue;
      const piece = isArray(x) ? this.join(x, depth + 1) : this.toString(x);
      // As it grows: a rope node and the characters of the flat copy a later use may make.
      this.alloc(CONS_NODE + (piece.length + 1) * this.charBytes);
      s += piece;
    }
    this.tick(ropeUnits(s.length));
    return s;
  }

  private errorToString(e: ErrorValue): string {
    const n = this.get(e, 'name');
    const m = this.get(e, 'message');
    const name = n === undefined ? 'Error' : this.toString(n);
    const msg = m === undefined ? '' : this.toString(m);
    if (name === '') return msg;
    if (msg === '') return name;
    this.allocString(name.length + 2 + msg.length);
    return `${name}: ${msg}`;
  }

  /** `String(v)`: ToString, but a symbol is its descriptive text (`Symbol(desc)`). */
  stringOf(v: unknown): string {
    return typeof v === 'symbol' ? symbolText(this, v) : this.toString(v);
  }

  /** ToString: a symbol throws Node's TypeError (`String(sym)` is stringOf's). */
  toString(v: unknown): string {
    if (typeof v === 'string') return v;
    if (typeof v === 'symbol') return this.throwError('TypeError', SYMBOL_TO_STRING);
    if (typeof v === 'object' && v !== null) return this.toString(this.toPrimitive(v, 'string'));
    return String(v);
  }

  toNumber(v: unknown): number {
    if (typeof v === 'number') return v;
    if (typeof v === 'symbol') return this.throwError('TypeError', SYMBOL_TO_NUMBER);
    if (typeof v === 'object' && v !== null) return this.toNumber(this.toPrimitive(v, 'number'));
    // Parsing a string reads it character by character.
    if (typeof v === 'string' && v.length >= FAST_CHARS_PER_UNIT) this.tick(charUnits(v.length));
    return Number(v);
  }

  timeZone(): string | undefined {
    const env = this.process ? ProcessValue.env(this.process) : undefined;
    return env && hasOwn(env, 'TZ') ? env.TZ : undefined;
  }

  sameValueZero(a: unknown, b: unknown): boolean {
    return a === b || (a !== a && b !== b);
  }

  strictEquals(a: unknown, b: unknown): boolean {
    return a === b;
  }

  /**
   * Host data (JSON.parse results, requests, responses) copied into the compiled code's realm, charged
   * as made here: a unit per value, strings by their length (they may hold characters outside Latin-1:
   * noteString), objects and arrays as new ones.
   */
  fromHost(v: unknown, depth = 0): unknown {
    if (typeof v !== 'object' || v === null) {
      if (typeof v === 'string') {
        this.tick(VALUE_UNITS + fastCharUnits(v.length));
        this.noteString(v);
        this.allocString(v.length);
        return v;
      }
      if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return this.abort('internal', `fromHost: ${typeof v}`);
      return v;
    }
    if (depth > 5000) return this.abort('unsupported:value', 'deep-json');
    if (isArray(v)) {
      const a = this.realm.newArray();
      this.tick(VALUE_UNITS + ELEMENT_UNITS * v.length);
      this.alloc(ARRAY_HEADER + ELEMENT * v.length);
      for (let i = 0; i < v.length; i++) a.push(this.fromHost(v[i], depth + 1));
      return a;
    }
    const p = getProto(v);
    if (p !== HOST_OBJECT_PROTO && p !== null && p !== this.vmProto) {
      if (v instanceof ErrorValue || v instanceof Closure || v instanceof Namespace || v instanceof BuiltinFunction) return v;
      return this.abort('internal', 'fromHost: not plain data');
    }
    const o = this.realm.newObject();
    const keys = Object.keys(v);
    this.tick(VALUE_UNITS + PROPERTY_UNITS * keys.length);
    let bytes = OBJECT_HEADER;
    for (const k of keys) {
      this.noteString(k);
      bytes += NEW_PROPERTY + k.length * this.charBytes;
    }
    this.alloc(bytes);
    for (const k of keys) this.define(o, k, this.fromHost((v as Record<string, unknown>)[k], depth + 1));
    return o;
  }
}

/** for-in sees a key only while it is still there (keys deleted during the loop are skipped). */
function* liveKeys(o: object, ks: string[]): Generator<string> {
  for (const k of ks) if (hasOwn(o, k)) yield k;
}

function* liveWebKeys(o: WebValue, ks: string[]): Generator<string> {
  for (const k of ks) if (WebValue.hasOwnProp(o, k) === true) yield k;
}

/** The array index a property key denotes, or -1. */
function arrayIndex(key: string): number {
  const n = Number(key);
  if (n >>> 0 === n && n !== 4294967295 && String(n) === key) return n;
  return -1;
}

function isStackOverflow(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'RangeError' && /call stack/i.test(String((e as { message?: unknown }).message));
}
