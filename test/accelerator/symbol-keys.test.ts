// Made symbols as property keys (../../src/accelerator/symbols.ts): `this[kState] = …`,
// `{ [k]: v }`, `k in o`, delete, Object.hasOwn, Object.getOwnPropertySymbols; listing paths skip
// them as Node does, copying paths copy them, console.log prints them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelerate, agreeWithNode, assertAbortsNaming, raw } from './helpers.ts';

const H = `const c = require('containerless');\nconst util = require('util');\n`;

agreeWithNode('symbol keys', H, [
  ['get, put, in, delete, hasOwn on plain objects', `const kState = Symbol('state');
const kNone = Symbol();
c.listen(function (req) {
  const x = req.query.x;
  const o = { a: 1 };
  const before = [o[kState], kState in o, Object.hasOwn(o, kState), o.hasOwnProperty(kState)];
  o[kState] = x;
  o[kNone] = { n: x.length };
  const after = [o[kState], kState in o, Object.hasOwn(o, kState), o.hasOwnProperty(kState), o.propertyIsEnumerable(kState), o[kNone].n];
  const d = [delete o[kState], o[kState], kState in o, delete o[kState], Object.hasOwn(o, kState)];
  const lit = { [kState]: x, b: 2, [Symbol.iterator]: undefined };
  c.respond({ before, after, d, lit: [lit[kState], Object.keys(lit)], keys: Object.keys(o), syms: Object.getOwnPropertySymbols(o).map(String),
    other: Symbol('state') in o });
});`, ['v', '', 'long value']],
  ['listing paths skip symbol keys', `const k = Symbol('k');
c.listen(function (req) {
  const o = { a: 1, [k]: req.query.x, b: [2] };
  o[Symbol('late')] = 3;
  const forIn = [];
  for (const key in o) forIn.push(key);
  c.respond([Object.keys(o), Object.values(o), Object.entries(o), forIn, JSON.stringify(o), JSON.stringify(o, null, 1), Object.getOwnPropertyNames(o),
    JSON.stringify(structuredClone(o)), Object.getOwnPropertySymbols(structuredClone(o)).length, Object.getOwnPropertySymbols(o).map((s) => s.description),
    JSON.stringify(Object.fromEntries(Object.entries(o))), require('querystring').stringify(o), JSON.stringify(o, (key, v) => v)]);
});`, ['x', '']],
  ['spread, Object.assign and rest copy enumerable symbol keys after the others', `const k = Symbol('k');
const j = Symbol('j');
class P { constructor(v) { this.v = v; this[j] = 'inst'; } }
c.listen(function (req) {
  const x = req.query.x;
  const o = { [k]: x, a: 1 };
  const s = { ...o, b: 2 };
  const t = Object.assign({ z: 0 }, o, new P(x));
  const { [k]: got, ...rest } = { [k]: 1, [j]: 2, c: 3 };
  const { a, ...rest2 } = o;
  const inst = { ...new P(x) };
  const target = new P('t');
  Object.assign(target, { [k]: 'onto instance' });
  c.respond([s[k], Object.getOwnPropertySymbols(s).map(String), t[k], t[j], Object.getOwnPropertySymbols(t).map(String), got, rest[j], rest[k],
    Object.getOwnPropertySymbols(rest).map(String), rest2[k], inst[j], target[k], Object.getOwnPropertySymbols(target).map(String), util.format('%o', 1)]);
});`, ['x', '']],
  ['class instances and prototypes', `const kState = Symbol('kState');
const kRead = Symbol('read');
const anon = Symbol();
class Stream {
  [kState] = { flowing: false };
  constructor(n) { this[anon] = n; }
  [kRead](n) { return this[kState].flowing ? n : -n; }
  [anon]() { return 'anon'; }
  get flowing() { return this[kState].flowing; }
}
class Sub extends Stream { resume() { this[kState].flowing = true; return this; } }
c.listen(function (req) {
  const s = new Sub(Number(req.query.x));
  const r1 = s[kRead](2);
  s.resume();
  c.respond([r1, s[kRead](2), s.flowing, kRead in s, Object.hasOwn(s, kRead), Object.hasOwn(s, kState), s[kRead].name, Stream.prototype[anon].name,
    Object.getOwnPropertySymbols(s).map(String), Object.getOwnPropertySymbols(Stream.prototype).map(String), Object.keys(s), JSON.stringify(s),
    Object.prototype.propertyIsEnumerable.call(s, kState), Object.prototype.propertyIsEnumerable.call(Stream.prototype, kRead), Object.prototype.hasOwnProperty.call(s, kRead), s[anon], s[anon] === Stream.prototype[anon], delete s[kRead], typeof s[kRead],
    delete s[kState], kState in s, { f() {}, [kRead]() {}, [anon]: function () {} }[anon].name, { [kRead]: () => 1 }[kRead].name]);
});`, ['1', '5']],
  ['getters and setters under symbol keys', `const kState = Symbol('state');
const kSize = Symbol('size');
const anon = Symbol();
class Box {
  constructor(v) { this[kState] = { v, writes: 0 }; }
  get [kSize]() { return String(this[kState].v).length; }
  set [kSize](n) { this[kState].v = 'x'.repeat(n); this[kState].writes++; }
  get [anon]() { return 'anon'; }
}
class Big extends Box { get [kSize]() { return 100; } }
class Range { constructor(n) { this.n = n; } get [Symbol.iterator]() { const n = this.n; return function* () { for (let i = 0; i < n; i++) yield i; }; } }
c.listen(function (req) {
  const b = new Box(req.query.x);
  const r = [b[kSize], kSize in b, Object.hasOwn(b, kSize), b[anon]];
  b[kSize] = 3;
  c.respond([r, b[kSize], b[kState], { ...b }[kSize], Object.getOwnPropertySymbols(Box.prototype).map(String), Object.getOwnPropertySymbols(b).map(String),
    new Big('y')[kSize], util.format(b), JSON.stringify(b), Object.keys(b), [...new Range(3)]]);
});`, ['x', '']],
  ['arrays, functions and primitives find nothing', `const k = Symbol('k');
function f() {}
c.listen(function (req) {
  const t = (g) => { try { return g(); } catch (e) { return e.name + ': ' + e.message; } };
  const vals = [[1, 2], f, () => 1, 'str', 1, true, req.query.x, Math.max, class {}];
  c.respond([vals.map((v) => v[k] === undefined), [[1], f].map((v) => k in v), vals.map((v) => delete v[k]), vals.filter((v) => v !== Math.max).map((v) => Object.getOwnPropertySymbols(v).length),
    t(() => null[k]), t(() => undefined[k]), t(() => k in 1), t(() => k in 'a'), t(() => { null[k] = 1; }), t(() => { 'use strict'; (1)[k] = 1; }),
    t(() => { 'use strict'; 'abc'[k] = 1; }), t(() => Object.getOwnPropertySymbols(null)), t(() => delete null[k]), t(() => Object.hasOwn([], k)),
    t(() => Object.hasOwn(f, k)), t(() => 'x'.hasOwnProperty(k))]);
});`, ['a']],
  ['util.format and console.log print symbol keys', `const k = Symbol('k');
class A { constructor() { this.a = 1; this[k] = [2]; } }
c.listen(function (req) {
  const o = { a: 1, [k]: req.query.x, [Symbol()]: { n: 1 }, [Symbol.iterator]: function* () {} };
  const nested = { in: { [k]: 1 } };
  c.respond([util.format(o), util.format(new A()), util.format(nested), util.format('%j', o), util.format('%s', o), util.format('%o', { [k]: 1 })]);
});`, ['x', '']],
  ['spread and Object.assign copy a well-known key too: the copy is iterable', `c.listen(function (req) {
  const o = { a: req.query.x, *[Symbol.iterator]() { yield this.a; yield 2; } };
  const copy = { ...o };
  const assigned = Object.assign({}, o);
  c.respond([[...copy], [...assigned], Object.keys(copy), util.format(copy), Object.getOwnPropertySymbols(assigned).map(String)]);
});`, ['x']],
  ['the request and its parts, and arguments', `const k = Symbol('k');
function args() { return arguments; }
c.listen(function (req) {
  const t = (g) => { try { return g(); } catch (e) { return e.name + ': ' + e.message; } };
  const a = args(1, 2);
  c.respond([Object.getOwnPropertySymbols(req).length, Object.getOwnPropertySymbols(req.query).length, Object.getOwnPropertySymbols(req.headers).length,
    Object.keys({ ...req.query }), k in req.query, req[k], a[k], a[Symbol.asyncIterator], [...a]]);
});`, ['x']],
  ['functions under symbol keys are named by them', `const k = Symbol('k');
const e = Symbol();
class A { [k] = () => 1; [e] = function () {}; static s = 1; }
c.listen(function (req) {
  const a = new A();
  const o = { [k]: () => 2, [e]: function () {} };
  c.respond([a[k].name, a[e].name, o[k].name, o[e].name, a[k](), Object.getOwnPropertySymbols(a).length, JSON.stringify(a), req.query.x]);
});`, ['x']],
  ['Object.defineProperty and getOwnPropertyDescriptor under a symbol key', `const k = Symbol('k');
const hidden = Symbol('hidden');
c.listen(function (req) {
  const o = { a: 1 };
  Object.defineProperty(o, hidden, { value: req.query.x, writable: true, configurable: true });
  Object.defineProperty(o, k, { value: 2, writable: true, enumerable: true, configurable: true });
  const before = [Object.getOwnPropertyDescriptor(o, hidden), Object.getOwnPropertyDescriptor(o, k), Object.getOwnPropertyDescriptor(o, Symbol('k')), o.propertyIsEnumerable(hidden)];
  o[hidden] += '!';
  const copies = [{ ...o }, Object.assign({}, o)].map((x) => Object.getOwnPropertySymbols(x).map(String));
  c.respond([before, o[hidden], copies, Object.getOwnPropertySymbols(o).map(String), util.format(o), delete o[hidden], hidden in o]);
});`, ['x']],
  ['Object.freeze and isFrozen see symbol keys', `const k = Symbol('k');
c.listen(function (req) {
  const o = { [k]: 1 };
  const f = Object.freeze({ [k]: req.query.x });
  c.respond([Object.isFrozen(o), Object.isFrozen(f), f[k], Object.isFrozen(Object.freeze(o))]);
});`, ['x']],
]);

test('symbol keys: what is not modelled aborts', async () => {
  await assertAbortsNaming(H, [
    ['const o = []; o[Symbol("k")] = 1', 'unsupported:value', 'symbol-key'],
    ['const f = function () {}; f[Symbol("k")] = 1', 'unsupported:value', 'symbol-key'],
    ['const e = new Error("x"); e[Symbol("k")] = 1', 'unsupported:value', 'symbol-key'],
    ['class E extends Error { constructor() { super("m"); this[Symbol("k")] = 1; } }; new E()', 'unsupported:value', 'symbol-key'],
    ['class E extends Error { *[Symbol.iterator]() { yield 1; } }; const a = [...new E("m")]', 'unsupported:value', 'symbol-key'],
    ['class E extends Error { [Symbol("k")]() { return 1; } }', 'unsupported:value', 'symbol-key'],
    ['class E extends Error { [Symbol("k")] = 1 }; new E()', 'unsupported:value', 'symbol-key'],
    ['const m = new Map(); m[Symbol("k")] = 1', 'unsupported:value', 'symbol-key'],
    ['const v = new Map()[Symbol("k")]', 'unsupported:value', 'symbol-key'],
    ['const b = Symbol("k") in new Map()', 'unsupported:value', 'symbol-key'],
    ['const o = Object.freeze({}); o[Symbol("k")] = 1', 'unsupported:value', 'symbol-key'],
    ['const k = Symbol("k"); const o = Object.freeze({ [k]: 1 }); delete o[k]', 'unsupported:value', 'frozen-delete'],
    ['function f() { return arguments; } const a = f(1); a[Symbol("k")] = 1', 'unsupported:value', 'symbol-key'],
    ['function f() { return arguments; } const b = Symbol.iterator in f(1)', 'unsupported:value', 'symbol-key'],
    ['function f() { return arguments; } const s = Object.getOwnPropertySymbols(f(1))', 'unsupported:value', 'Object.getOwnPropertySymbols'],
    ['function f() { return arguments; } const it = f(1)[Symbol.iterator]', 'unsupported:value', 'symbol-key'],
    ['const o = {}; o[Symbol.isConcatSpreadable] = true', 'unsupported:value', 'symbol-key'],
    ['const o = {}; o[Symbol.toStringTag] = "T"', 'unsupported:value', 'symbol-key'],
    ['const o = { [Symbol.toStringTag]: "T" }', 'unsupported:value', 'symbol-key'],
    ['const b = Symbol.toStringTag in {}', 'unsupported:value', 'symbol-key'],
    ['const o = {}; Object.defineProperty(o, Symbol("k"), { value: 1 })', 'Object.defineProperty'],
    ['const o = {}; Object.defineProperty(o, Symbol("k"), { value: 1, writable: true })', 'Object.defineProperty'],
    ['const o = {}; Object.defineProperty(o, Symbol("k"), { get() { return 1; }, configurable: true })', 'Object.defineProperty'],
    ['const k = Symbol("k"); const o = { [k]: 1 }; Object.defineProperty(o, k, { value: 2, writable: true, configurable: true })', 'Object.defineProperty'],
    ['const o = {}; Object.defineProperty(o, Symbol.toStringTag, { value: "T", writable: true, configurable: true })', 'unsupported:value', 'symbol-key'],
    ['const d = Object.getOwnPropertyDescriptor({}, Symbol.toStringTag)', 'unsupported:value', 'symbol-key'],
    ['class A {} const d = Object.getOwnPropertyDescriptor(new A(), Symbol("k"))', 'unsupported:value', 'symbol-key'],
    ['const o = { get [Symbol("k")]() { return 1; } }', 'unsupported:syntax', 'object-accessor-with-spread-or-computed-key'],
    ['class A { static [Symbol("k")]() {} }', 'unsupported:value', 'symbol-key'],
    ['class A { static get [Symbol("k")]() { return 1; } }', 'unsupported:value', 'symbol-key'],
    ['const k = Symbol("k"); class A { get [k]() { return 1; } } const a = new A(); a[k] = 2', 'unsupported:value', 'error-message'],
    ['const k = Symbol("k"); class A { get [k]() { return 1; } } const d = Object.getOwnPropertyDescriptor(A.prototype, k)', 'unsupported:value', 'symbol-key'],
    ['class A { static [Symbol("k")] = 1 }', 'unsupported:value', 'symbol-key'],
    ['const o = Object.fromEntries([[Symbol("k"), 1]])', 'unsupported:value', 'symbol-key'],
    ['const s = Object.getOwnPropertySymbols(Math)', 'Object.getOwnPropertySymbols'],
    ['const s = Object.getOwnPropertySymbols(Array)', 'Object.getOwnPropertySymbols'],
    ['const s = Object.getOwnPropertySymbols(Promise)', 'Object.getOwnPropertySymbols'],
    ['const u = new URLSearchParams({ a: 1, [Symbol("k")]: 2 })', 'new URLSearchParams'],
    ['const u = new Headers({ a: "1", [Symbol("k")]: "2" })', 'new Headers'],
    ['const f = function () {}; Object.assign(f, { [Symbol("k")]: 1 })', 'Object.assign'],
    ['const o = { __proto__: null, [Symbol("k")]: 1 }', 'unsupported:value', '__proto__-literal'],
  ]);
});

// The runtime's own symbols (classes.ts's NOT_FOUND, fast-ops.ts's NATIVE, which every closure it makes
// carries as an own property, …) and Node's other well-known symbols are never keys a program can
// write or list: only symbols Symbol() made (and Symbol.iterator/asyncIterator).
test('symbol keys: a program lists only the symbols it made, and no host object gains one', async () => {
  const source = `${H}const k = Symbol('not found');
class A { constructor() { this[k] = 1; } *[Symbol.iterator]() { yield 1; } }
c.listen(function (req) {
  const plain = { [k]: 2 };
  const f = function () { return 1; };
  const arrow = () => this;
  const lists = [plain, new A(), A.prototype, Object.create(null), { ...new A() }, Object.assign({}, plain), f, arrow, A, { ...f }, Object.assign({}, f, arrow)]
    .map((o) => Object.getOwnPropertySymbols(o).map(String));
  c.respond({ lists, same: Object.getOwnPropertySymbols(plain)[0] === k, log: require('util').format(f, { f }) });
});`;
  const hostProto = new Set(Reflect.ownKeys(Object.prototype));
  const r = await accelerate(source).handle(raw(), { timeoutMs: 1000 });
  assert.equal(r.kind, 'response');
  if (r.kind !== 'response') return;
  assert.deepEqual(JSON.parse(r.response.body), {
    lists: [['Symbol(not found)'], ['Symbol(not found)'], ['Symbol(Symbol.iterator)'], [], ['Symbol(not found)'], ['Symbol(not found)'], [], [], [], [], []],
    same: true,
    log: '[Function: f] { f: [Function: f] }',
  });
  assert.deepEqual(Reflect.ownKeys(Object.prototype).filter((x) => !hostProto.has(x)), []);
});

test('symbol keys: console.log prints them as Node does', async () => {
  const logs: string[] = [];
  const src = `${H}const k = Symbol('k'); c.listen(function (req) { console.log({ a: 1, [k]: 2 }, { [Symbol()]: [k] }); c.respond('ok'); });`;
  const r = await accelerate(src, undefined, undefined, logs).handle(raw(), { timeoutMs: 1000 });
  assert.equal(r.kind, 'response');
  assert.deepEqual(logs, ['stdout: { a: 1, [Symbol(k)]: 2 } { [Symbol()]: [ Symbol(k) ] }']);
});
