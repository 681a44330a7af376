/**
 * Receivers, constructors and classes (docs/accelerator.md, "Objects with prototypes"). The core
 * runtime (runtime.ts) calls in here from small hooks; compiled code reaches it through the `rt`
 * operations fnt, fntrec, sthis, dthis, args, cls, defm, deff, pname, pdef, sinit, supc, supget,
 * supcall, dret.
 *
 * The model:
 * - A function that uses `this`, `arguments` or `new.target` is a Closure with a receiver-taking call
 *   (Closure.recv): its native function takes `(this, new.target, argumentsList, ...params)`.
 * - An instance (`new F`, `new C`) is a native object whose prototype is the constructor's
 *   `prototype`; it is branded (USER) and never plain, so compiled code's native-read guards (rt.po,
 *   rt.pk) are false for it and every read comes here: the prototype chain is walked (a unit of fuel
 *   per link) and accessors are called as functions. A class's prototype has a prototype of its own
 *   (ROOT, or its parent's prototype), so it is never plain either.
 * - Accessors are `Accessor` values stored as data properties of branded objects only; nothing but
 *   this file reads a branded object's properties, so they never reach compiled code.
 * - A function's own properties (`prototype`, statics) live in a null-prototype object of its meta,
 *   never on the Closure.
 * - Private names are PrivateName values with a WeakMap: no key of any object reaches them.
 */
import { nameMemberByKey } from './function-names.ts';
import { isKeySymbol } from './builtins/symbol.ts';
import { OBJECT_HEADER, NEW_PROPERTY, CLOSURE, ELEMENT, ARRAY_HEADER, PROPERTY_UNITS } from './builtins/costs.ts';
import type { Runtime } from './runtime.ts';
import { Closure, ErrorValue } from './values.ts';
import { ERROR_NAMES } from './host.ts';
import { INHERITED, ordinaryToPrimitive } from './to-primitive.ts';
import { BuiltinFunction, construct, getGlobal, getStatic } from './builtins/index.ts';

const getProto = Object.getPrototypeOf;
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const defineProperty = Object.defineProperty;

/** fnt flags (the compiler's emit-this.ts writes them). */
export const FN_CONSTRUCTIBLE = 1;
export const FN_ARGUMENTS = 2;
export const FN_SLOPPY = 4;
/** The arguments object is mapped (sloppy code, simple parameters): writes to it abort. */
export const FN_MAPPED = 8;

type Recv = (thisArg: unknown, newTarget: unknown, args: unknown[]) => unknown;

interface FnMeta {
  kind: 'function' | 'method' | 'class';
  /** Own properties of the function: `prototype`, statics (null prototype; a class's inherits its parent's). */
  props: Record<string, unknown>;
  name: string;
  // classes only
  /** A class's parent: a class or function, or one of the Error constructors (ERROR_PARENTS). */
  parent?: Closure | BuiltinFunction | null;
  derived?: boolean;
  ctor?: Closure | null;
  init?: Closure | null;
}

class Accessor {
  constructor(
    public get: Closure | undefined,
    public set: Closure | undefined,
  ) {}
}

/** A class's `#name`: the objects that have it and their values. */
export class PrivateName {
  /** Private: nothing but the functions below reaches the objects and their values. */
  readonly #values = new WeakMap<object, unknown>();
  static values(p: PrivateName): WeakMap<object, unknown> {
    return p.#values;
  }
  constructor(
    readonly name: string,
    readonly method: boolean,
    readonly className: string,
  ) {}
}

/** `this` of a derived constructor before super() returns. */
class Uninitialised {}
const UNINIT = Object.freeze(new Uninitialised());

const META = new WeakMap<Closure, FnMeta>();
/** Own properties written to closures that have no meta (functions that never see `this`). */
const PLAIN_PROPS = new WeakMap<Closure, Record<string, unknown>>();
/** Instances, class prototypes and arguments objects: objects only this file reads. */
const USER = new WeakSet<object>();
const ARGUMENTS = new WeakMap<object, number>();
const ROOTS = new WeakMap<object, object>();
/** Object literals with getters or setters of their own (Object.keys and JSON would see Accessors). */
const OWN_ACCESSORS = new WeakSet<object>();

export function isUserObject(o: unknown): boolean {
  return typeof o === 'object' && o !== null && USER.has(o);
}

export function closureMeta(f: Closure): FnMeta | undefined {
  return META.get(f);
}

/** The empty object every class prototype chain ends in, before the program's Object.prototype. */
function root(rt: Runtime): object {
  const vm = rt.realm.objectProto;
  let r = ROOTS.get(vm);
  if (r === undefined) {
    r = Object.freeze(Object.create(vm) as object);
    ROOTS.set(vm, r);
  }
  return r;
}

function isObjectValue(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

// ---- making functions ------------------------------------------------------------------------

export function makeFnt(rt: Runtime, name: string, length: number, flags: number, maker: (self: Closure) => (...a: unknown[]) => unknown): Closure {
  rt.alloc(CLOSURE);
  const c = new Closure(name, length, null);
  const f = maker(c);
  const plain = (...a: unknown[]): unknown => f(undefined, undefined, a, ...a);
  const recv: Recv = (t, nt, a) => f(t, nt, a, ...a);
  Closure.initRecv(c, plain, recv);
  META.set(c, { kind: flags & FN_CONSTRUCTIBLE ? 'function' : 'method', props: Object.create(null) as Record<string, unknown>, name });
  return c;
}

/** Calls a closure with a receiver (the caller counts fuel and depth around it). */
export function callWith(f: Closure, thisArg: unknown, args: unknown[], newTarget?: unknown): unknown {
  const r = Closure.recv(f);
  if (r !== null) return r(thisArg, newTarget, args);
  return Closure.native(f)(...args);
}

/** A call with `new.target`, charged as every call is. */
function invoke(rt: Runtime, f: Closure, thisArg: unknown, args: unknown[], nt: unknown): unknown {
  if (--rt.fuel < 0) rt.outOfFuel();
  if (++rt.depthNow > rt.maxDepth) rt.abort('stack', `more than ${rt.maxDepth} nested calls`);
  const r = callWith(f, thisArg, args, nt);
  rt.depthNow--;
  return r;
}

// ---- this, arguments ---------------------------------------------------------------------------

/** `this` in sloppy code: the global object or a boxed primitive there would be Node's, not ours. */
export function sloppyThis(rt: Runtime, t: unknown): unknown {
  if (t === undefined || t === null) return rt.abort('unsupported:value', 'sloppy-this (the global object)');
  if (typeof t !== 'object') return rt.abort('unsupported:value', `sloppy-this (a boxed ${typeof t})`);
  return t;
}

export function derivedThis(rt: Runtime, t: unknown): unknown {
  if (t === UNINIT) return rt.throwError('ReferenceError', "Must call super constructor in derived class before accessing 'this' or returning from derived constructor");
  return t;
}

/** An `arguments` object (iterated as an array-like: iterators.ts). */
export function isArguments(o: unknown): boolean {
  return typeof o === 'object' && o !== null && ARGUMENTS.has(o);
}

export function argumentsObject(rt: Runtime, list: unknown[], flags: number): object {
  rt.alloc(OBJECT_HEADER + NEW_PROPERTY * (list.length + 1));
  rt.tick(1 + list.length);
  const o = Object.create(root(rt)) as Record<string, unknown>;
  for (let i = 0; i < list.length; i++) o[i] = list[i];
  defineProperty(o, 'length', { value: list.length, writable: true, enumerable: false, configurable: true });
  USER.add(o);
  ARGUMENTS.set(o, flags);
  return o;
}

// ---- reading and writing branded objects --------------------------------------------------------

const NOT_FOUND = Symbol('not found');

/** Looks `key` up along the chain of a branded object: an Accessor, a value or NOT_FOUND. */
function lookup(rt: Runtime, o: object, key: string): unknown {
  const vm = rt.realm.objectProto;
  const r = root(rt);
  for (let cur: object | null = o; cur !== null; cur = getProto(cur) as object | null) {
    rt.tick(1);
    if (cur === vm || cur === r || cur === Object.prototype || cur === ERROR_ROOT) break;
    if (!USER.has(cur) && !rt.isPlain(cur)) return rt.abort('internal', 'prototype chain through a foreign object');
    if (hasOwn(cur, key)) return (cur as Record<string, unknown>)[key];
  }
  return NOT_FOUND;
}

export function userGet(rt: Runtime, o: object, key: string, receiver: unknown = o): unknown {
  if (key === '__proto__') return rt.abort('unsupported:value', '__proto__');
  if (key === 'callee' && ARGUMENTS.has(o)) return rt.abort('unsupported:value', 'arguments.callee');
  const v = lookup(rt, o, key);
  if (v === NOT_FOUND) return inheritedFromObject(rt, key);
  if (v instanceof Accessor) return v.get === undefined ? undefined : rt.call(v.get, receiver, []);
  return v;
}

/** JSON.stringify's GetV(value, "toJSON") on an object of this file: along its prototypes, getters called. */
export function userToJSON(rt: Runtime, o: object): unknown {
  if (ARGUMENTS.has(o)) return rt.abort('unsupported:value', 'arguments-to-JSON');
  const v = lookup(rt, o, 'toJSON');
  if (v === NOT_FOUND) return undefined;
  return v instanceof Accessor ? (v.get === undefined ? undefined : rt.call(v.get, o, [])) : v;
}

function inheritedFromObject(rt: Runtime, key: string): unknown {
  // Object.prototype's builtins as values (`instance.toString === Object.prototype.toString`, lodash's
  // isHostObject); its names the library does not implement abort there.
  // Object.prototype.constructor (an arguments object's, a getter literal's): the global Object.
  if (key === 'constructor') return getGlobal('Object');
  if (key in Object.prototype) return getStatic(rt, getStatic(rt, getGlobal('Object'), 'prototype'), key);
  return undefined;
}

/**
 * Object.getPrototypeOf of an object of this file (an arguments object's is Object.prototype): the prototype a program made and
 * reaches itself (`F.prototype`, a class's, an object it gave Object.create), Object.prototype's
 * stand-in, or null; undefined (abort) for anything else.
 */
export function userPrototypeOf(rt: Runtime, o: object): unknown {
  if (!USER.has(o)) return undefined;
  const p = getProto(o) as object | null;
  rt.tick(1);
  if (p === null) return null;
  // ROOT stands in for Object.prototype at the end of the chains of this file (never handed out).
  if (p === root(rt) || p === rt.realm.objectProto || p === Object.prototype) return getStatic(rt, getGlobal('Object'), 'prototype');
  if (USER.has(p) || rt.isPlain(p)) return p;
  return undefined;
}

export function userPut(rt: Runtime, o: object, key: string, v: unknown): unknown {
  if (key === '__proto__') return rt.abort('unsupported:value', '__proto__-write');
  const flags = ARGUMENTS.get(o);
  if (flags !== undefined && flags & FN_MAPPED) return rt.abort('unsupported:value', 'mapped-arguments-write');
  const found = lookup(rt, o, key);
  if (found instanceof Accessor) {
    if (found.set === undefined) return rt.abort('unsupported:value', `error-message (setter-less accessor ${String(key)})`);
    rt.call(found.set, o, [v]);
    return v;
  }
  if (!Object.isExtensible(o)) return rt.abort('unsupported:value', 'frozen-instance-write');
  if (!hasOwn(o, key)) {
    rt.alloc(NEW_PROPERTY);
    defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
  } else (o as Record<string, unknown>)[key] = v;
  return v;
}

export function userHas(rt: Runtime, o: object, key: string): boolean {
  if (lookup(rt, o, key) !== NOT_FOUND) return true;
  return key in Object.prototype;
}

export function userDelete(rt: Runtime, o: object, key: string): boolean {
  if (ARGUMENTS.has(o)) return rt.abort('unsupported:value', 'arguments-delete');
  if (key === '__proto__') return rt.abort('unsupported:value', '__proto__-delete');
  return delete (o as Record<string, unknown>)[key];
}

/** `o.k(…)` on a branded object. */
export function userMethod(rt: Runtime, o: object, key: string, text: string | null, args: unknown[]): unknown {
  const f = userGet(rt, o, key);
  if (!rt.isCallable(f)) {
    if (text === null) return rt.abort('unsupported:value', 'error-message ( is not a function)');
    return rt.throwError('TypeError', `${text} is not a function`);
  }
  return rt.call(f, o, args);
}

/** The own enumerable keys of a branded object (for-in also walks prototypes: abort when they have any). */
export function userKeys(rt: Runtime, o: object, forIn: boolean): string[] {
  if (ARGUMENTS.has(o)) return rt.abort('unsupported:value', 'arguments-keys');
  if (forIn) {
    for (let p = getProto(o) as object | null; p !== null && USER.has(p); p = getProto(p) as object | null) {
      if (Object.keys(p).length > 0) return rt.abort('unsupported:value', 'for-in-inherited-keys');
    }
    const q = lastLink(o);
    if (q !== null && rt.isPlain(q) && Object.keys(q).length > 0) return rt.abort('unsupported:value', 'for-in-inherited-keys');
  }
  const ks = Object.keys(o);
  rt.tick(1 + ks.length);
  rt.alloc(ARRAY_HEADER + ELEMENT * ks.length);
  return ks;
}

function lastLink(o: object): object | null {
  let p = getProto(o) as object | null;
  while (p !== null && USER.has(p)) p = getProto(p) as object | null;
  return p;
}

// ---- functions' own properties ----------------------------------------------------------------

const NOT_HANDLED = Symbol('not handled');
export { NOT_HANDLED };

function functionPrototype(rt: Runtime, f: Closure, m: FnMeta): unknown {
  if (!hasOwn(m.props, 'prototype')) {
    const p = rt.realm.newObject();
    rt.alloc(OBJECT_HEADER + NEW_PROPERTY);
    defineProperty(p, 'constructor', { value: f, writable: true, enumerable: false, configurable: true });
    m.props.prototype = p;
  }
  return m.props.prototype;
}

/** A read of a closure's property: its own properties (meta), or NOT_HANDLED for the core's usual answer. */
export function closureGet(rt: Runtime, f: Closure, key: string): unknown {
  const m = META.get(f);
  if (m === undefined) {
    const own = PLAIN_PROPS.get(f);
    if (own === undefined || !(key in own)) return NOT_HANDLED;
    rt.tick(1);
    return own[key];
  }
  if (key === 'prototype' && m.kind === 'function') return functionPrototype(rt, f, m);
  if (key in m.props) {
    rt.tick(1);
    const v = m.props[key];
    if (v instanceof Accessor) return v.get === undefined ? undefined : rt.call(v.get, f, []);
    return v;
  }
  if (errorParent(m) && key in Error && key !== 'name' && key !== 'length') return rt.abort('unsupported:builtin', `Error.${key}`);
  return NOT_HANDLED;
}

export function closurePut(rt: Runtime, f: Closure, key: string, v: unknown): unknown {
  const m = META.get(f);
  if (key === 'name' || key === 'length' || key === '__proto__' || key === 'caller' || key === 'arguments') return NOT_HANDLED;
  // Compiled code reads number keys of any object natively (docs/compiled-code.md): a closure has none.
  if (isNumberLike(key)) return NOT_HANDLED;
  if (m === undefined) {
    // A function that never sees `this` (`module.exports = fn; module.exports.helper = …`, a cache on
    // a memoised function): data properties only. Its `prototype` is not modelled, so it stays refused.
    if (key === 'prototype') return NOT_HANDLED;
    let own = PLAIN_PROPS.get(f);
    if (own === undefined) PLAIN_PROPS.set(f, (own = Object.create(null) as Record<string, unknown>));
    if (!hasOwn(own, key)) {
      rt.tick(PROPERTY_UNITS);
      rt.alloc(NEW_PROPERTY);
    }
    own[key] = v;
    return v;
  }
  if (m.kind === 'class' && key === 'prototype') return rt.abort('unsupported:value', 'class-prototype-write');
  if (key === 'prototype' && m.kind !== 'function') return NOT_HANDLED;
  if (key in m.props) {
    const cur = m.props[key];
    if (cur instanceof Accessor) {
      if (cur.set === undefined) return rt.abort('unsupported:value', `error-message (setter-less accessor ${key})`);
      rt.call(cur.set, f, [v]);
      return v;
    }
  }
  if (!hasOwn(m.props, key)) rt.alloc(NEW_PROPERTY);
  defineProperty(m.props, key, { value: v, writable: true, enumerable: key !== 'prototype', configurable: true });
  return v;
}

const NO_PROPS: Readonly<Record<string, unknown>> = Object.freeze(Object.create(null) as Record<string, unknown>);

/** The own properties of a closure that never sees `this` (PLAIN_PROPS), or undefined for one with a receiver. */
export function plainFunctionProps(f: Closure): Readonly<Record<string, unknown>> | undefined {
  if (META.has(f)) return undefined;
  return PLAIN_PROPS.get(f) ?? NO_PROPS;
}

/** Whether a closure has own enumerable properties (spread, for-in, Object.keys, console.log would see them). */
export function closureHasProps(f: Closure): boolean {
  const m = META.get(f);
  if (m === undefined) return PLAIN_PROPS.has(f);
  return Object.keys(m.props).length > 0 || m.kind === 'class';
}

// ---- new, instanceof --------------------------------------------------------------------------

function prototypeFor(rt: Runtime, nt: Closure): object {
  const m = META.get(nt);
  const p = m === undefined ? undefined : m.kind === 'function' ? functionPrototype(rt, nt, m) : m.props.prototype;
  return isObjectValue(p) ? p : rt.realm.objectProto;
}

function newObject(rt: Runtime, proto: object): object {
  if (proto === rt.realm.objectProto) return rt.obj(rt.realm.newObject(), 0);
  if (!USER.has(proto) && !rt.isPlain(proto)) return rt.abort('unsupported:value', 'new with a special prototype');
  rt.alloc(OBJECT_HEADER);
  const o = Object.create(proto) as object;
  USER.add(o);
  return o;
}

/** `new f(...args)` with new.target `nt`, or NOT_HANDLED when f is no constructor this file knows. */
export function constructWith(rt: Runtime, f: Closure, args: unknown[], nt: Closure): unknown {
  const m = META.get(f);
  if (m === undefined) return NOT_HANDLED;
  if (m.kind === 'function') {
    const o = newObject(rt, prototypeFor(rt, nt));
    const r = invoke(rt, f, o, args, nt);
    return isObjectValue(r) ? r : o;
  }
  if (m.kind !== 'class') return NOT_HANDLED;
  if (m.derived) {
    if (m.ctor) return invoke(rt, m.ctor, UNINIT, args, nt);
    const o = superConstruct(rt, f, m, args, nt);
    return o;
  }
  const o = newObject(rt, prototypeFor(rt, nt));
  runInit(rt, m, o);
  if (!m.ctor) return o;
  const r = invoke(rt, m.ctor, o, args, nt);
  return isObjectValue(r) ? r : o;
}

function runInit(rt: Runtime, m: FnMeta, o: object): void {
  if (m.init) rt.call(m.init, o, []);
}

function superConstruct(rt: Runtime, k: Closure, m: FnMeta, args: unknown[], nt: unknown): object {
  const parent = m.parent;
  if (parent instanceof BuiltinFunction) {
    // super(message) of `extends Error`: the builtin makes the error, which then takes the class's prototype.
    const e = construct(rt, parent, args) as object;
    Object.setPrototypeOf(e, prototypeFor(rt, nt as Closure));
    runInit(rt, m, e);
    return e;
  }
  if (!(parent instanceof Closure)) return rt.throwError('TypeError', `Super constructor null of ${m.name || 'anonymous class'} is not a constructor`);
  const o = constructWith(rt, parent, args, nt as Closure);
  if (o === NOT_HANDLED) return rt.abort('unsupported:value', 'super of an unknown constructor');
  runInit(rt, m, o as object);
  return o as object;
}

export function isConstructor(f: Closure): boolean {
  const m = META.get(f);
  return m !== undefined && (m.kind === 'function' || m.kind === 'class');
}

/** `a instanceof f` for a closure f, or NOT_HANDLED. */
export function instanceOf(rt: Runtime, a: unknown, f: Closure): unknown {
  const m = META.get(f);
  if (m === undefined) return NOT_HANDLED;
  if (m.kind === 'method') return rt.throwError('TypeError', "Function has non-object prototype 'undefined' in instanceof check");
  const p = m.kind === 'function' ? functionPrototype(rt, f, m) : m.props.prototype;
  if (!isObjectValue(p)) return rt.abort('unsupported:value', 'error-message (instanceof with a non-object prototype)');
  if (!isObjectValue(a)) return false;
  for (let cur = getProto(a) as object | null; cur !== null; cur = getProto(cur) as object | null) {
    rt.tick(1);
    if (cur === p) return true;
  }
  return false;
}

// ---- classes ------------------------------------------------------------------------------------

function classError(name: string): string {
  return `Class constructor ${name} cannot be invoked without 'new'`;
}

export function makeClass(rt: Runtime, name: string, parent: unknown, hasParent: boolean, ctor: Closure | null, init: Closure | null, length: number): Closure {
  let protoParent: object = root(rt);
  let props: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (hasParent) {
    if (parent === null) return rt.abort('unsupported:value', 'extends null');
    if (parent instanceof BuiltinFunction && ERROR_PARENTS.has(parent.name)) {
      protoParent = ERROR_ROOT;
    } else if (!(parent instanceof Closure) || !isConstructor(parent)) {
      if (rt.isCallable(parent) || parent instanceof ErrorValue) return rt.abort('unsupported:value', 'extends a builtin or a function the runtime cannot construct');
      return rt.abort('unsupported:value', 'error-message (Class extends value … is not a constructor or null)');
    } else {
      const pm = META.get(parent)!;
      const pp = pm.kind === 'function' ? functionPrototype(rt, parent, pm) : pm.props.prototype;
      if (!isObjectValue(pp)) return rt.abort('unsupported:value', 'extends a function whose prototype is not an object');
      protoParent = pp;
      props = Object.create(pm.kind === 'class' ? pm.props : null) as Record<string, unknown>;
    }
  }
  rt.alloc(CLOSURE + 2 * OBJECT_HEADER);
  const k = new Closure(name, length, null);
  const proto = Object.create(protoParent) as object;
  USER.add(proto);
  defineProperty(proto, 'constructor', { value: k, writable: true, enumerable: false, configurable: true });
  defineProperty(props, 'prototype', { value: proto, writable: false, enumerable: false, configurable: false });
  const fail = (): never => rt.throwError('TypeError', classError(name));
  Closure.initRecv(k, fail, (_t, nt, a) => (nt === undefined ? fail() : constructWith(rt, k, a, nt as Closure)));
  META.set(k, { kind: 'class', props, name, parent: hasParent ? (parent as Closure | BuiltinFunction) : null, derived: hasParent, ctor, init });
  return k;
}

function staticName(rt: Runtime, key: string): void {
  if (key === 'name' || key === 'length' || key === 'prototype' || isNumberLike(key)) rt.abort('unsupported:value', `static member ${key}`);
}

function isNumberLike(key: string): boolean {
  return key !== '' && (String(Number(key)) === key || key === '-0' || key === 'NaN' || /^-?Infinity$/.test(key));
}

/** A method (kind 0), getter (1) or setter (2) of class k; static ones on the class itself. */
export function defineMember(rt: Runtime, k: Closure, isStatic: boolean, kind: number, keyValue: unknown, fn: Closure): void {
  const m = META.get(k);
  if (m === undefined || m.kind !== 'class') return rt.abort('internal', 'defm on a non-class');
  // A method, getter or setter under a symbol key (`*[Symbol.iterator]() {…}`, `[kRead]() {…}`,
  // `get [kState]() {…}`, symbols.ts), read through userGet as string-keyed ones are; a static one
  // aborts in rt.strKey (a class is a function, which symbols.ts treats as holding none).
  const symbolKey = !isStatic && isKeySymbol(keyValue);
  // An error's symbol paths are not modelled (its instances are ErrorValues: `[...e]` would not see
  // a `*[Symbol.iterator]()`), so such a member of a class that extends Error aborts.
  if (symbolKey && (m.props.prototype as object) instanceof ErrorValue) return rt.abort('unsupported:value', 'symbol-key (a method of a class that extends Error)');
  const key = symbolKey ? (keyValue as unknown as string) : rt.strKey(keyValue);
  if (key === '__proto__' && !isStatic) return rt.abort('unsupported:value', '__proto__ member');
  nameMemberByKey(fn, kind, keyValue, key);
  const target = isStatic ? m.props : (m.props.prototype as Record<string, unknown>);
  if (isStatic) staticName(rt, key);
  rt.alloc(NEW_PROPERTY);
  if (kind === 0) {
    defineProperty(target, key, { value: fn, writable: true, enumerable: false, configurable: true });
    return;
  }
  // No accessor under a number-like name: compiled code reads those natively (docs/compiled-code.md).
  if (!symbolKey && isNumberLike(key)) return rt.abort('unsupported:value', `accessor with a number-like name (${key})`);
  const cur = hasOwn(target, key) ? target[key] : undefined;
  const acc = cur instanceof Accessor ? cur : new Accessor(undefined, undefined);
  if (kind === 1) acc.get = fn;
  else acc.set = fn;
  defineProperty(target, key, { value: acc, writable: true, enumerable: false, configurable: true });
}

/** A public field: CreateDataPropertyOrThrow on an instance (or on the class, static). */
export function defineField(rt: Runtime, o: unknown, keyValue: unknown, v: unknown): void {
  // A field under a symbol key (`[kState] = …`) on an instance that is no error (symbols.ts); static ones abort in rt.key.
  const symbolKey = isKeySymbol(keyValue) && !(o instanceof Closure) && !(o instanceof ErrorValue);
  const key = symbolKey ? (keyValue as unknown as string) : rt.strKey(keyValue);
  if (o instanceof Closure) {
    const m = META.get(o);
    if (m === undefined) return rt.abort('internal', 'field on a plain function');
    staticName(rt, key);
    rt.alloc(NEW_PROPERTY);
    defineProperty(m.props, key, { value: v, writable: true, enumerable: true, configurable: true });
    return;
  }
  if (!isObjectValue(o)) return rt.abort('internal', 'field on a primitive');
  if (key === '__proto__') return rt.abort('unsupported:value', '__proto__ field');
  if (!Object.isExtensible(o)) return rt.abort('unsupported:value', 'field on a frozen object');
  if (!(USER.has(o) || rt.isPlain(o) || (o instanceof ErrorValue && isErrorInstance(o)))) return rt.abort('unsupported:value', 'field on a special object');
  rt.alloc(NEW_PROPERTY);
  defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
}

// ---- private names ----------------------------------------------------------------------------------

export function privateGet(rt: Runtime, o: unknown, p: PrivateName): unknown {
  rt.tick(1);
  if (!isObjectValue(o) || !PrivateName.values(p).has(o)) return privateMissing(rt, o, p, 'read');
  return PrivateName.values(p).get(o);
}

export function privateSet(rt: Runtime, o: unknown, p: PrivateName, v: unknown): unknown {
  rt.tick(1);
  if (!isObjectValue(o) || !PrivateName.values(p).has(o)) return privateMissing(rt, o, p, 'write');
  if (p.method) return rt.abort('unsupported:value', 'error-message (private method write)');
  PrivateName.values(p).set(o, v);
  return v;
}

function privateMissing(rt: Runtime, o: unknown, p: PrivateName, what: 'read' | 'write'): never {
  if (p.method) {
    if (p.className === '') return rt.abort('unsupported:value', 'error-message (private method of an anonymous class)');
    return rt.throwError('TypeError', `Receiver must be an instance of class ${p.className}`);
  }
  if (!isObjectValue(o) && (o === undefined || o === null)) return rt.abort('unsupported:value', 'error-message (private member of null)');
  return rt.throwError('TypeError', what === 'read'
    ? `Cannot read private member ${p.name} from an object whose class did not declare it`
    : `Cannot write private member ${p.name} to an object whose class did not declare it`);
}

export function privateDefine(rt: Runtime, o: unknown, p: PrivateName, v: unknown): void {
  if (!isObjectValue(o)) return rt.abort('internal', 'private field on a primitive');
  if (PrivateName.values(p).has(o)) return rt.abort('unsupported:value', 'error-message (private field initialised twice)');
  rt.alloc(NEW_PROPERTY);
  PrivateName.values(p).set(o, v);
}

export function privateIn(rt: Runtime, p: PrivateName, o: unknown): boolean {
  rt.tick(1);
  if (!isObjectValue(o)) {
    if (typeof o === 'string' || typeof o === 'number' || typeof o === 'boolean') return rt.throwError('TypeError', `Cannot use 'in' operator to search for '${p.name}' in ${String(o)}`);
    return rt.abort('unsupported:value', 'error-message (private in of a non-object)');
  }
  return PrivateName.values(p).has(o);
}

// ---- super ------------------------------------------------------------------------------------------

export function superCall(rt: Runtime, k: Closure, nt: unknown, current: unknown, args: unknown[]): unknown {
  const m = META.get(k);
  if (m === undefined || m.kind !== 'class' || !m.derived) return rt.abort('internal', 'super() outside a derived class');
  if (nt === undefined) return rt.abort('internal', 'super() without new.target');
  const o = superConstruct(rt, k, m, args, nt);
  if (current !== UNINIT) return rt.throwError('ReferenceError', 'Super constructor may only be called once');
  return o;
}

/** Where `super.x` looks: the parent's prototype (or the parent class, in static code). */
function superHome(rt: Runtime, k: Closure, isStatic: boolean): object | null {
  const m = META.get(k);
  if (m === undefined || m.kind !== 'class') return rt.abort('internal', 'super outside a class');
  const home = isStatic ? m.props : (m.props.prototype as object);
  const up = getProto(home) as object | null;
  // Error.prototype's members (toString, …) are not modelled as a prototype.
  if (up === ERROR_ROOT) return rt.abort('unsupported:value', 'super.x in a class that extends Error');
  return up;
}

export function superGet(rt: Runtime, k: Closure, isStatic: boolean, thisv: unknown, keyValue: unknown): unknown {
  const t = derivedThis(rt, thisv);
  const key = rt.strKey(keyValue);
  const home = superHome(rt, k, isStatic);
  if (home === null) return isStatic ? rt.abort('unsupported:value', 'super in a static method of a base class') : undefined;
  if (home === root(rt)) return inheritedFromObject(rt, key);
  const v = lookup(rt, home, key);
  if (v === NOT_FOUND) return inheritedFromObject(rt, key);
  if (v instanceof Accessor) return v.get === undefined ? undefined : rt.call(v.get, t, []);
  return v;
}

export function superCallMethod(rt: Runtime, k: Closure, isStatic: boolean, thisv: unknown, keyValue: unknown, text: string | null, args: unknown[]): unknown {
  const f = superGet(rt, k, isStatic, thisv, keyValue);
  if (!rt.isCallable(f)) {
    if (text === null) return rt.abort('unsupported:value', 'error-message ( is not a function)');
    return rt.throwError('TypeError', `${text} is not a function`);
  }
  return rt.call(f, thisv, args);
}

export function derivedReturn(rt: Runtime, v: unknown, t: unknown): unknown {
  if (v === undefined) return derivedThis(rt, t);
  if (isObjectValue(v)) return v;
  return rt.throwError('TypeError', 'Derived constructors may only return object or undefined');
}

/** Static field initialisers and static blocks run with `this` the class. */
export function staticInit(rt: Runtime, k: Closure, f: Closure): void {
  rt.call(f, k, []);
}

/** ToPrimitive of a branded object: its chain's toString and valueOf (getters called), as Node's. */
export function userToPrimitive(rt: Runtime, o: object, hint: 'string' | 'number' | 'default'): unknown {
  if (ARGUMENTS.has(o)) return rt.abort('unsupported:value', 'arguments-to-primitive');
  return ordinaryToPrimitive(rt, o, hint, (name) => {
    const v = lookup(rt, o, name);
    if (v === NOT_FOUND) return INHERITED;
    if (v instanceof Accessor) return v.get === undefined ? undefined : rt.call(v.get, o, []);
    return v;
  });
}

/** An instance the builtins may list and serialise by its own properties (Host.isInstance). */
export function isPlainInstance(rt: Runtime, v: unknown): boolean {
  if (!isObjectValue(v) || !USER.has(v) || ARGUMENTS.has(v) || OWN_ACCESSORS.has(v)) return false;
  return lookup(rt, v, 'toJSON') === NOT_FOUND;
}

/**
 * An object literal with getters or setters: `keys`, `kinds` (0 a value, 1 a getter, 2 a setter) and
 * `values` in source order. It is branded like an instance (its prototype is ROOT, never plain), so
 * every read comes here and calls the getter.
 */
export function objectWithAccessors(rt: Runtime, keys: unknown[], kinds: unknown[], values: unknown[]): object {
  if (keys.length !== kinds.length || keys.length !== values.length) return rt.abort('internal', 'obja lists of different lengths');
  rt.alloc(OBJECT_HEADER + NEW_PROPERTY * keys.length);
  rt.tick(1 + keys.length);
  const o = Object.create(root(rt)) as Record<string, unknown>;
  USER.add(o);
  OWN_ACCESSORS.add(o);
  for (let i = 0; i < keys.length; i++) {
    const key = rt.strKey(keys[i]);
    const kind = kinds[i];
    const v = values[i];
    if (key === '__proto__') return rt.abort('unsupported:value', '__proto__-literal');
    if (kind === 0) {
      defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
      continue;
    }
    if (!(v instanceof Closure) || (kind !== 1 && kind !== 2)) return rt.abort('internal', 'obja accessor');
    if (isNumberLike(key)) return rt.abort('unsupported:value', `accessor with a number-like name (${key})`);
    const cur = hasOwn(o, key) ? o[key] : undefined;
    const acc = cur instanceof Accessor ? cur : new Accessor(undefined, undefined);
    if (kind === 1) acc.get = v;
    else acc.set = v;
    defineProperty(o, key, { value: acc, writable: true, enumerable: true, configurable: true });
  }
  return o;
}

/** What Object.getOwnPropertyDescriptor shows of an accessor object's own property (Host.describeOwn). */
export type OwnDescriptor =
  | { accessor: true; get: Closure | undefined; set: Closure | undefined; enumerable: boolean; configurable: boolean }
  | { accessor: false; value: unknown; writable: boolean; enumerable: boolean; configurable: boolean };

/** `configurable` of accessors made by Object.defineProperty (a literal's are configurable). */
const FIXED_ACCESSORS = new WeakSet<Accessor>();

export function isAccessorObject(o: unknown): boolean {
  return typeof o === 'object' && o !== null && OWN_ACCESSORS.has(o);
}

/**
 * Object.defineProperty of an accessor onto a plain object (esbuild's ES-module interop defines
 * getters on an exports object), or of any property onto an object that already has accessors: the
 * object becomes one of this file's accessor objects in place (its prototype becomes the classes'
 * root, which ends in the same Object.prototype), so every later read, compiled or not, comes here
 * and calls the getter; compiled code's native reads are guarded by the prototype (rt.po) and skip it.
 * Number-like names are refused by the caller (compiled code reads those natively).
 */
export function defineOwn(rt: Runtime, o: object, key: string, d: OwnDescriptor): void {
  if (!OWN_ACCESSORS.has(o)) {
    Object.setPrototypeOf(o, root(rt));
    USER.add(o);
    OWN_ACCESSORS.add(o);
  }
  rt.tick(PROPERTY_UNITS);
  rt.alloc(NEW_PROPERTY);
  if (d.accessor) {
    const acc = new Accessor(d.get, d.set);
    if (!d.configurable) FIXED_ACCESSORS.add(acc);
    defineProperty(o, key, { value: acc, writable: true, enumerable: d.enumerable, configurable: true });
  } else {
    defineProperty(o, key, { value: d.value, writable: d.writable, enumerable: d.enumerable, configurable: d.configurable });
  }
}

/** An accessor object's own property as Object.getOwnPropertyDescriptor shows it, or undefined. */
export function describeOwn(o: object, key: string): OwnDescriptor | undefined {
  const p = Object.getOwnPropertyDescriptor(o, key);
  if (p === undefined) return undefined;
  const v: unknown = p.value;
  if (v instanceof Accessor) return { accessor: true, get: v.get, set: v.set, enumerable: p.enumerable === true, configurable: !FIXED_ACCESSORS.has(v) };
  return { accessor: false, value: v, writable: p.writable === true, enumerable: p.enumerable === true, configurable: p.configurable === true };
}

// ---- tagged templates -------------------------------------------------------------------------------

const SITES = new WeakMap<Runtime, Map<number, unknown[]>>();
const TEMPLATE_STRINGS = new WeakSet<object>();

/**
 * The strings array of a tagged template's site: one frozen array per site and instance (V8 keeps
 * one per site and realm), with its frozen `raw` array as an own non-enumerable property.
 */
export function templateStrings(rt: Runtime, site: number, cooked: unknown[], raw: unknown[]): unknown[] {
  let sites = SITES.get(rt);
  if (sites === undefined) {
    sites = new Map();
    SITES.set(rt, sites);
  }
  const known = sites.get(site);
  if (known !== undefined) return known;
  rt.alloc(2 * (ARRAY_HEADER + ELEMENT * cooked.length) + NEW_PROPERTY);
  rt.tick(1 + cooked.length);
  const strings = rt.realm.newArray();
  const raws = rt.realm.newArray();
  for (const s of cooked) strings.push(s);
  for (const s of raw) raws.push(s);
  Object.freeze(raws);
  defineProperty(strings, 'raw', { value: raws, writable: false, enumerable: false, configurable: false });
  Object.freeze(strings);
  TEMPLATE_STRINGS.add(strings);
  sites.set(site, strings);
  return strings;
}

export function isTemplateStrings(o: object): boolean {
  return TEMPLATE_STRINGS.has(o);
}

/**
 * `Object.create(proto)` with one argument, a plain or branded object (`Child.prototype =
 * Object.create(Parent.prototype)`): a branded object with that prototype. Anything else is left to
 * the builtins library (NOT_HANDLED).
 */
export function objectCreate(rt: Runtime, args: unknown[]): unknown {
  if (args.length !== 1) return NOT_HANDLED;
  const p = args[0];
  // A dictionary without a prototype (`Object.create(null)`): a plain object the core already reads
  // natively (its prototype is null), as a regexp's groups.
  if (p === null) {
    rt.tick(1);
    rt.alloc(OBJECT_HEADER);
    return Object.create(null) as object;
  }
  if (!isObjectValue(p) || Array.isArray(p) || !(USER.has(p) || rt.isPlain(p)) || getProto(p) === null) return NOT_HANDLED;
  rt.tick(1);
  return newObject(rt, p);
}

/**
 * The name console.log prints before an instance's properties, as util.inspect finds it: the first
 * object of its chain (itself included) with an own `constructor` that is a named function the
 * instance is an instance of; 'Object' at Object.prototype. Null (abort) for anything util.inspect
 * would print otherwise (own accessors, arguments, a builtin or unknown function as constructor).
 */
export function instanceLogName(rt: Runtime, o: object): string | null {
  if (!isPlainInstance(rt, o)) return null;
  const vm = rt.realm.objectProto;
  for (let cur: object | null = o; cur !== null; cur = getProto(cur) as object | null) {
    rt.tick(1);
    if (cur === vm || cur === Object.prototype) return 'Object';
    if (!hasOwn(cur, 'constructor')) continue;
    const c = (cur as Record<string, unknown>).constructor;
    if (c instanceof Accessor) return null;
    if (c instanceof Closure) {
      if (c.name === '') continue;
      const m = META.get(c);
      if (m === undefined) return null;
      if (m.kind === 'method') continue;
      const r = instanceOf(rt, o, c);
      if (r === true) return c.name;
      if (r !== false) return null;
    } else if (rt.isCallable(c)) return null;
  }
  return null;
}

/**
 * How V8 names an instance in a TypeError (NoSideEffectsToString, e.g. "called on incompatible
 * receiver #<K>"): the first `constructor` of its chain, when it is a named function and no toString
 * comes before Object.prototype's. Null (abort) for anything V8 would print otherwise.
 */
export function instanceReceiverName(rt: Runtime, o: object): string | null {
  if (!USER.has(o) || ARGUMENTS.has(o) || OWN_ACCESSORS.has(o)) return null;
  const vm = rt.realm.objectProto;
  for (let cur: object | null = o; cur !== null; cur = getProto(cur) as object | null) {
    rt.tick(1);
    if (cur === vm || cur === Object.prototype) return '#<Object>';
    if (hasOwn(cur, 'toString')) return null;
    if (!hasOwn(cur, 'constructor')) continue;
    const c = (cur as Record<string, unknown>).constructor;
    return c instanceof Closure && c.name !== '' ? `#<${c.name}>` : null;
  }
  return null;
}

/** Whether a branded object's chain defines toString or valueOf (console's `%s` would call them). */
export function hasConversionHook(rt: Runtime, o: object): boolean {
  return lookup(rt, o, 'toString') !== NOT_FOUND || lookup(rt, o, 'valueOf') !== NOT_FOUND;
}

// ---- classes that extend Error ------------------------------------------------------------------
//
// `class NotFound extends Error`: an instance is the builtin's own ErrorValue (message, kind, String(e),
// the uncaught log line and JSON stay the core's), whose prototype is the class's. The class's
// prototype chain ends in ERROR_ROOT, whose own prototype is ErrorValue's, so the core still knows it
// as an error; reads that miss the error's own properties walk the class prototypes first.

const ERROR_PARENTS: ReadonlySet<string> = new Set(ERROR_NAMES);
const ERROR_ROOT: object = Object.freeze(Object.create(ErrorValue.prototype) as object);

function errorParent(m: FnMeta): boolean {
  for (let cur: FnMeta | undefined = m; cur !== undefined; cur = cur.parent instanceof Closure ? META.get(cur.parent) : undefined) {
    if (cur.parent instanceof BuiltinFunction) return true;
  }
  return false;
}

/** True for an instance of a class that extends an Error constructor. */
export function isErrorInstance(e: ErrorValue): boolean {
  return getProto(e) !== ErrorValue.prototype;
}

/** An error's inherited property from its classes' prototypes, or NOT_HANDLED (then the core's answer). */
export function errorInherited(rt: Runtime, e: ErrorValue, key: string): unknown {
  if (!isErrorInstance(e)) return NOT_HANDLED;
  const v = lookup(rt, getProto(e) as object, key);
  if (v === NOT_FOUND) return NOT_HANDLED;
  if (v instanceof Accessor) return v.get === undefined ? undefined : rt.call(v.get, e, []);
  return v;
}

/** Whether a class of the error has an own name `key` (writes over it and data views of it abort). */
export function errorClassHas(rt: Runtime, e: ErrorValue, key: string): boolean {
  return isErrorInstance(e) && lookup(rt, getProto(e) as object, key) !== NOT_FOUND;
}

/** An error whose classes add nothing but their constructors: the builtins may read it as data. */
export function isPlainError(e: ErrorValue): boolean {
  for (let p = getProto(e) as object; p !== ERROR_ROOT && p !== ErrorValue.prototype; p = getProto(p) as object) {
    if (Object.getOwnPropertyNames(p).some((k) => k !== 'constructor')) return false;
  }
  return true;
}
