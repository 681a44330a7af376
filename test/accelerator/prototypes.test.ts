// `Object.prototype` read as a value, as older code and bundled libraries use it (builtins/object.ts,
// ../object-tag.ts), and properties written to functions that never see `this` (classes.ts): every
// answer equals Node's, and the rest aborts (Array.prototype's stand-in wherever Node would see it is an array).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAbortsNaming, both, raw } from './helpers.ts';

const H = `const c = require('containerless');\n`;

test('Object.prototype.toString.call gives Node\'s tag for every value it answers', async () => {
  const src = `${H}
function args() { return arguments; }
class A {}
c.listen(function (req) {
  const tag = (v) => Object.prototype.toString.call(v);
  const values = [undefined, null, 'x', 1.5, NaN, true, [], [1, [2]], {}, { toString() { return 'own'; } }, new A(), new Error('e'), new TypeError('t'),
    args(1, 2), new Date(0), /a/g, new Map(), new Set(), new WeakMap(), new WeakSet(), new URL('http://a/'), new URLSearchParams('a=1'), new Headers(),
    new Request('http://a/'), new Response('x'), new Uint8Array(2), new ArrayBuffer(1), new TextEncoder(), new TextDecoder(), new Intl.NumberFormat('en'),
    new Intl.DateTimeFormat('en'), new Intl.Collator('en'), new Intl.PluralRules('en'), new Intl.RelativeTimeFormat('en'), new Intl.ListFormat('en'),
    Math, JSON, Intl, process, process.env, Object, Array.isArray, Object.prototype];
  c.respond({ tags: values.map(tag), plain: tag({ a: 1 }) === '[object Object]', call: Object.prototype.toString.call([1]) });
});`;
  const { node, accel } = await both(src, [raw()]);
  assert.deepEqual(accel[0], node[0]);
});

test('hasOwnProperty and propertyIsEnumerable take their receiver from the call; Object.prototype reads as Node\'s', async () => {
  const src = `${H}'use strict';
var __hasOwnProp = Object.prototype.hasOwnProperty;
c.listen(function (req) {
  const o = { a: 1, b: undefined };
  const keys = [];
  for (const k in o) if (__hasOwnProp.call(o, k)) keys.push(k);
  const out = { keys, has: [__hasOwnProp.call(o, 'toString'), Object.prototype.hasOwnProperty.call([1], 0), Object.prototype.hasOwnProperty.call('ab', 'length')],
    en: [Object.prototype.propertyIsEnumerable.call(o, 'a'), Object.prototype.propertyIsEnumerable.call([1], 'length')],
    same: Object.prototype === Object.prototype, t: typeof Object.prototype.toString, name: Object.prototype.toString.name, missing: Object.prototype.nope,
    json: JSON.stringify(Object.prototype), keysOf: Object.keys(Object.prototype), own: Object.prototype.toString() };
  let err = null;
  try { Object.prototype.hasOwnProperty.call(null, 'a'); } catch (e) { err = e.name + ': ' + e.message; }
  out.err = err;
  c.respond(out);
});`;
  const { node, accel } = await both(src, [raw()]);
  assert.deepEqual(accel[0], node[0]);
});

test('constructor and inherited methods read from values are the builtins Node\'s identity checks expect', async () => {
  const src = `${H}
class A {}
c.listen(function (req) {
  const o = JSON.parse(req.query.x);
  c.respond({ plain: o.constructor === Object, name: o.constructor.name, arr: [[].constructor === Array, 's'.constructor === String, (1).constructor === Number, true.constructor === Boolean],
    made: new ([1, 2].constructor)(3).length, own: ({ constructor: 5 }).constructor, cls: new A().constructor === A,
    same: [o.valueOf === Object.prototype.valueOf, o.toString === Object.prototype.toString, o.hasOwnProperty === Object.prototype.hasOwnProperty],
    call: [o.valueOf() === o, o.toString(), typeof o.toString], proto: o.constructor.prototype === Object.prototype });
});`;
  const { node, accel } = await both(src, ['{}', '{"a":1}'].map((x) => raw({ query: { x } })));
  assert.deepEqual(accel, node);
});

test('Object.create(null) makes a dictionary without a prototype, read and written as Node does', async () => {
  const src = `${H}
c.listen(function (req) {
  const d = Object.create(null);
  for (const w of req.query.x.split(' ')) d[w] = (d[w] || 0) + 1;
  let str = null;
  try { str = String(d); } catch (e) { str = e.name + ': ' + e.message; }
  c.respond({ keys: Object.keys(d), json: JSON.stringify(d), has: ['toString' in d, 'a' in d], ctor: d.constructor === undefined, tag: Object.prototype.toString.call(d),
    copy: Object.assign({}, d), spread: { ...d }, entries: Object.entries(d), str, own: Object.prototype.hasOwnProperty.call(d, 'a') });
});`;
  const { node, accel } = await both(src, ['a b a', 'constructor toString a', 'x'].map((x) => raw({ query: { x } })));
  assert.deepEqual(accel, node);
});

test('{ __proto__: null, … } literals are prototype-less dictionaries, as picomatch makes them', async () => {
  const src = `${H}
const CONSTANTS = { __proto__: null, win32: false, 1: 'one', 'x-y': [1] };
c.listen(function (req) {
  const w = req.query.x;
  const d = { a: w, __proto__: null, ...{ b: 2 }, [w]: 3 };
  d.count = (d.count || 0) + 1;
  let str = null;
  try { str = String(d); } catch (e) { str = e.name + ': ' + e.message; }
  c.respond({ keys: Object.keys(d), json: JSON.stringify([d, CONSTANTS]), has: ['toString' in d, w in d, 'win32' in CONSTANTS, 'hasOwnProperty' in CONSTANTS], ctor: d.constructor === undefined,
    tag: Object.prototype.toString.call(CONSTANTS), spread: { ...CONSTANTS }, str, own: Object.prototype.hasOwnProperty.call(d, 'a'), read: [CONSTANTS[w], d[w], CONSTANTS.valueOf] });
});`;
  const { node, accel } = await both(src, ['a', 'constructor', 'toString', '1', 'win32'].map((x) => raw({ query: { x } })));
  assert.deepEqual(accel, node);
});

test('writing a primitive to __proto__ or deleting it changes nothing but an own __proto__, as in Node', async () => {
  const src = `${H}
c.listen(function (req) {
  const o = { a: 1 };
  o.__proto__ = 'x';
  o['__proto__'] = 5;
  const k = req.query.k;
  o[k] = req.query.v;
  delete o[k];
  o.__proto__ = undefined;
  const j = JSON.parse('{"__proto__": 1, "b": 2}');
  const gone = delete j.__proto__;
  c.respond({ keys: Object.keys(o), json: JSON.stringify(o), proto: Object.getPrototypeOf(o) === Object.prototype, own: Object.hasOwn(o, '__proto__'), r: (o.__proto__ = true),
    gone: gone, j: Object.keys(j), jOwn: Object.hasOwn(j, '__proto__'), again: delete j.__proto__, jProto: Object.getPrototypeOf(j) === Object.prototype });
});`;
  const { node, accel } = await both(src, [raw({ query: { k: '__proto__', v: 'readded' } }), raw({ query: { k: 'b', v: '2' } })]);
  assert.deepEqual(accel, node);
  await assertAbortsNaming(H, [
    ["const o = {}; o.__proto__ = null", 'unsupported:value', '__proto__-write'],
    ["const o = {}; o.__proto__ = { x: 1 }", 'unsupported:value', '__proto__-write'],
    ["const o = {}; o.__proto__ = function () {}", 'unsupported:value', '__proto__-write'],
    // JSON.parse makes an own __proto__, which a write would change.
    ["const o = JSON.parse('{\"__proto__\": 1}'); o.__proto__ = 2", 'unsupported:value', '__proto__-write'],
    ["const o = Object.create(null); o.__proto__ = 2", 'unsupported:value', '__proto__-write'],
  ]);
});

test('{ __proto__: … } literals other than null, and with accessors, abort', async () => {
  await assertAbortsNaming(H, [
    ['const o = { __proto__: {} }', 'unsupported:syntax', '__proto__-literal'],
    ['const o = { __proto__: null, get x() { return 1; } }', 'unsupported:value', '__proto__-literal'],
    ['const o = { __proto__: null, ...{ ["__proto__"]: 1 } }', 'unsupported:value', '__proto__-literal'],
  ]);
});

test('x === Array.prototype is true of it alone, and Number\'s, String\'s, Boolean\'s are no value, as minimist tests them', async () => {
  const src = `${H}
c.listen(function (req) {
  let reads = 0;
  const o = { a: [1], n: 1, s: 'x', p: Object.prototype, e: {}, ap: Array.prototype, ae: [] };
  const at = (k) => { reads++; return o[k]; };
  const out = [];
  for (const k of Object.keys(o).concat([req.query.x])) {
    out.push([at(k) === Array.prototype, Number.prototype === at(k), at(k) !== String.prototype, Boolean['prototype'] !== at(k), at(k) === Object.prototype]);
  }
  c.respond({ out, reads });
});`;
  const { node, accel } = await both(src, ['a', 'zz'].map((x) => raw({ query: { x } })));
  assert.deepEqual(accel, node);
});

test('Number.prototype and kin as values, and loose equality with them, still abort', async () => {
  await assertAbortsNaming(H, [
    ['const p = Number.prototype', 'Number.prototype'],
    ['const b = 0 == Number.prototype', 'Number.prototype'],
    ['const b = [String.prototype].length', 'String.prototype'],
  ]);
});

test('Array.prototype as a value: its methods are the arrays\' own builtins, called with any array', async () => {
  const src = `${H}
var arrayProto = Array.prototype, splice = arrayProto.splice, push = Array.prototype.push;
c.listen(function (req) {
  const x = req.query.x;
  const a = [1, 2, 3, x];
  const removed = splice.call(a, 1, 1);
  push.apply(a, [x, 'y']);
  const names = ['splice', 'slice', 'map', 'join', 'toString', 'hasOwnProperty', 'valueOf', 'propertyIsEnumerable', 'nope', 'concat', 'indexOf'];
  c.respond({ removed, a, same: [[].splice === splice, [1].map === arrayProto.map, arrayProto.hasOwnProperty === Object.prototype.hasOwnProperty,
      arrayProto.valueOf === ({}).valueOf, [].constructor === Array, arrayProto === Array.prototype, arrayProto !== Object.prototype],
    t: [typeof arrayProto, typeof splice, splice.name, splice.length, push.length, arrayProto.slice.name, Object.prototype.toString.call(arrayProto)],
    kinds: names.map((n) => typeof arrayProto[n]),
    calls: [arrayProto.slice.call([1, 2, x], 1), arrayProto.join.call([x, x], '-'), arrayProto.map.call([1, 2], (v) => v * 2), Array.prototype.indexOf.call(a, x),
      arrayProto.hasOwnProperty.call([x], 0), [x].map.call([3], String), Array.prototype.concat.call([1], [x], 2)],
    inst: [arrayProto instanceof Array, [] instanceof Array, Object.keys(arrayProto), x in { [x]: arrayProto }] });
});`;
  const { node, accel } = await both(src, ['a', 'zz'].map((x) => raw({ query: { x } })));
  assert.deepEqual(accel, node);
});

test('Array.prototype aborts where Node would see it is an array, on writes and on other receivers', async () => {
  await assertAbortsNaming(H, [
    ['Array.isArray(Array.prototype)', 'Array.isArray'],
    ['[].concat(Array.prototype)', 'Array.prototype.concat'],
    ['[[1], Array.prototype].flat()', 'Array.prototype.flat'],
    ['[1].flatMap(() => Array.prototype)', 'Array.prototype.flatMap'],
    ['const b = [...Array.prototype]', 'iteration'],
    ['for (const v of Array.prototype) {}', 'iteration'],
    ['const [p] = Array.prototype', 'iteration'],
    ['new Set(Array.prototype)', 'iteration'],
    ['JSON.stringify(Array.prototype)', 'JSON.stringify'],
    ['JSON.stringify({ a: Array.prototype })', 'JSON.stringify'],
    ['console.log(Array.prototype)', 'console.log of Array.prototype'],
    ['console.log(Object.prototype)', 'console.log of Object.prototype'],
    ['const n = Array.prototype.length', 'Array.prototype.length'],
    ['Array.prototype.copyWithin', 'Array.prototype.copyWithin'],
    ['Array.prototype.x = 1', 'unsupported:value', 'property-write-on-function-or-builtin'],
    ['Array.prototype.push(1)', 'Array.prototype.push'],
    ["Array.prototype.slice.call('abc')", 'Array.prototype.slice'],
    ['Array.prototype.map.call({ length: 1, 0: 1 }, String)', 'Array.prototype.map'],
    ['const s = String(Array.prototype)', 'unsupported:value', 'namespace-to-string'],
  ] as const);
});

test('a function that never sees this keeps properties written to it, as module.exports = fn does', async () => {
  const src = `${H}
function slugify(s) { return String(s).toLowerCase().replace(/[^a-z0-9]+/g, '-'); }
const module2 = { exports: {} };
module2.exports = slugify;
module2.exports.slugify = slugify;
module2.exports.default = slugify;
module2.exports.VERSION = '1.2.3';
const memo = (x) => memo.cache[x] ?? (memo.cache[x] = x * x);
memo.cache = {};
c.listen(function (req) {
  const lib = module2.exports;
  lib.calls = (lib.calls ?? 0) + 1;
  c.respond({ a: lib('Hello World'), b: lib.slugify('A B'), d: lib.default === lib, v: lib.VERSION, m: [memo(3), memo(3), Object.keys(memo.cache)], calls: lib.calls > 0, missing: lib.nope, name: lib.name, len: lib.length });
});`;
  const { node, accel } = await both(src, [raw(), raw()]);
  assert.deepEqual(accel, node);
});

test('Object.keys, values, entries and assign see the properties of a function that never sees this', async () => {
  const src = `${H}
const pico = (glob) => String(glob).length;
pico.test = (s) => s === 'x';
pico.constants = { a: 1 };
function picomatch(glob) { return pico(glob); }
Object.assign(picomatch, pico);
c.listen(function (req) {
  const x = req.query.x;
  const f = () => x;
  Object.assign(f, { [x]: 1, z: [x] }, picomatch, null);
  c.respond({ keys: Object.keys(picomatch), vals: Object.values(pico).map((v) => typeof v), same: picomatch.test === pico.test, call: [picomatch(x), picomatch.test(x)],
    f: [Object.keys(f), Object.entries(f).length, f.z, f()], empty: Object.keys(() => 1), copy: Object.assign({}, f).z });
});`;
  const { node, accel } = await both(src, ['x', 'abc', 'test'].map((x) => raw({ query: { x } })));
  assert.deepEqual(accel, node);
});

test('Object.assign onto a function: number-like keys, name, length, prototype and functions that see this abort', async () => {
  await assertAbortsNaming(H, [
    ["const g = () => 1; Object.assign(g, { name: 'x' })", 'Object.assign'],
    ["const g = () => 1; Object.assign(g, { 0: 'x' })", 'Object.assign'],
    ["const g = () => 1; Object.assign(g, { prototype: {} })", 'Object.assign'],
    ['function f() { return this; } f.a = 1; Object.keys(f)', 'Object.keys'],
    ['class A { static x = 1; } Object.keys(A)', 'Object.keys'],
  ]);
});

test('what stays out of reach aborts naming it', async () => {
  await assertAbortsNaming(H, [
    ['Object.prototype.x = 1', 'unsupported:value', 'property-write-on-function-or-builtin'],
    ['Object.prototype.isPrototypeOf.call({}, {})', 'unsupported:builtin', 'Object.prototype.isPrototypeOf'],
    ['Object.prototype.toString.call(function () {})', 'unsupported:builtin', 'Object.prototype.toString'],
    ['(function () {}).prototype = {}', 'unsupported:value', 'property-write-on-function-or-builtin'],
    ['({}).constructor.constructor', 'Object.constructor'],
    ['({}).isPrototypeOf', 'Object.prototype.isPrototypeOf'],
    ["Object.prototype.valueOf.call('x')", 'Object.prototype.valueOf'],
  ] as const);
});

test('Function.prototype as a value, and Function.prototype.toString of builtins as Node prints them', async () => {
  const src = `${H}
var funcProto = Function.prototype, objectProto = Object.prototype, funcToString = funcProto.toString, hasOwnProperty = objectProto.hasOwnProperty;
var reRegExpChar = /[\\\\^$.*+?()[\\]{}|]/g;
var reIsNative = RegExp('^' + funcToString.call(hasOwnProperty).replace(reRegExpChar, '\\\\$&')
  .replace(/hasOwnProperty|(function).*?(?=\\\\\\()| for .+?(?=\\\\\\])/g, '$1.*?') + '$');
function user(a) { return a; }
c.listen(function (req) {
  const x = req.query.x;
  const natives = [Map, Set, WeakMap, Promise, Object.is, Object.keys, Array.prototype.splice, [].map, Math.max, parseInt, JSON.stringify, Symbol, Date, RegExp, Array.isArray, funcProto];
  const same = [funcProto.toString === Map.toString, user.toString === funcToString, user.call === funcProto.call, Map.bind === funcProto.bind, Math.max.apply === user.apply,
    funcProto.call === Function.prototype.call, typeof funcProto, funcProto.name, funcProto.length, funcProto(), Object.prototype.toString.call(funcProto)];
  let err = null;
  try { funcToString.call({ a: x }); } catch (e) { err = e.name + ': ' + e.message; }
  c.respond({ texts: natives.map((f) => funcToString.call(f)), native: natives.map((f) => reIsNative.test(funcToString.call(f))), own: Map.toString(), same, err,
    calls: [user.call(null, x), funcProto.call.call(user, null, x), user.apply(null, [x]), user.bind(null, x)(), Math.max.call(null, 1, x.length)], isFn: typeof user.toString === 'function' });
});`;
  const { node, accel } = await both(src, ['a', 'zz'].map((x) => raw({ query: { x } })));
  assert.deepEqual(accel, node);
});

test('Function() and the source text of program functions abort; other receivers of toString throw Node\'s TypeError', async () => {
  await assertAbortsNaming(H, [
    ["Function('return this')()", 'Function()'],
    ["new Function('return 1')", 'new Function()'],
    ['(function f() {}).toString()', 'Function.prototype.toString'],
    ['Function.prototype.toString.call(() => 1)', 'Function.prototype.toString'],
    ["Function.prototype.toString.call(require('path').join)", 'Function.prototype.toString'],
    ['Function.prototype.toString.call(Buffer.from)', 'Function.prototype.toString'],
    ['Function.prototype.toString.call(Math.max.bind(null))', 'Function.prototype.toString'],
    ['Function.prototype.call.call({}, 1)', 'Function.prototype.call'],
    ['Function.prototype.constructor', 'Function.prototype.constructor'],
    ['Function.prototype.x = 1', 'unsupported:value', 'property-write-on-function-or-builtin'],
    ['console.log(Function.prototype)', 'console.log of Function.prototype'],
  ] as const);
});

test('Object.getOwnPropertySymbols of errors, functions, arrays and the keyless web values is [], as in Node', async () => {
  const src = `${H}
c.listen(function (req) {
  const values = [new Error('e'), new TypeError('t'), function () {}, () => 1, [1], 'x', 1, new Date(0), new Map(), /a/, new URL('http://a/')];
  c.respond(values.map((v) => Object.getOwnPropertySymbols(v).length));
});`;
  const { node, accel } = await both(src, [raw()]);
  assert.deepEqual(accel[0], node[0]);
});

test('Object.getPrototypeOf, Object.create and Object.getOwnPropertySymbols as lodash uses them', async () => {
  const src = `${H}
var objectProto = Object.prototype, getPrototype = Object.getPrototypeOf, objectCreate = Object.create, nativeGetSymbols = Object.getOwnPropertySymbols;
function Hash() { this.size = 0; }
Hash.prototype.get = function (k) { return k; };
c.listen(function (req) {
  const x = req.query.x;
  const o = { a: x };
  const made = objectCreate(getPrototype(o));
  made[x] = 1;
  const d = objectCreate(null);
  d.k = x;
  const inst = objectCreate(Hash.prototype);
  const tagged = { [Symbol.iterator]: x, b: 1 };
  let errs = [];
  for (const f of [() => getPrototype(null), () => objectCreate(1), () => objectCreate(undefined), () => objectCreate('s'), () => nativeGetSymbols(undefined)]) {
    try { f(); errs.push('none'); } catch (e) { errs.push(e.name + ': ' + e.message); }
  }
  c.respond({ protos: [getPrototype(o) === objectProto, getPrototype([x]) === Array.prototype, getPrototype(Array.prototype) === objectProto, getPrototype(objectProto),
      getPrototype(d), getPrototype(Function.prototype) === objectProto, getPrototype(made) === Object.prototype, getPrototype({ __proto__: null, a: 1 })],
    made: [made, Object.keys(made), made.constructor === Object, JSON.stringify(made), Object.prototype.toString.call(made)], d: [Object.keys(d), d.k, 'toString' in d],
    inst: [inst.get(x), inst instanceof Hash, 'size' in inst],
    syms: [nativeGetSymbols(o).length, nativeGetSymbols(tagged).map(String), nativeGetSymbols([1]), nativeGetSymbols(x), nativeGetSymbols(1)], errs });
});`;
  const { node, accel } = await both(src, ['a', 'zz'].map((x) => raw({ query: { x } })));
  assert.deepEqual(accel, node);
});

test('Object.getPrototypeOf and Object.create abort on what is not modelled', async () => {
  await assertAbortsNaming(H, [
    ['Object.getPrototypeOf(new Error("e"))', 'Object.getPrototypeOf'],
    ['Object.getPrototypeOf(function () {})', 'Object.getPrototypeOf'],
    ['Object.getPrototypeOf(Math.max)', 'Object.getPrototypeOf'],
    ["Object.getPrototypeOf('s')", 'Object.getPrototypeOf'],
    ['Object.create(Array.prototype)', 'Object.create'],
    ['Object.create(Function.prototype)', 'Object.create'],
    ['Object.create(Math)', 'Object.create'],
    ['Object.create({}, { a: { value: 1 } })', 'Object.create'],
    // (An error's and a function's are [], as in Node: the next test.)
    ['Object.getOwnPropertySymbols(Math)', 'Object.getOwnPropertySymbols'],
  ] as const);
});

test('DataView over an ArrayBuffer, Symbol.prototype, and the tags lodash\'s getTag checks at load', async () => {
  const src = `${H}
var symbolProto = Symbol ? Symbol.prototype : undefined, symbolValueOf = symbolProto ? symbolProto.valueOf : undefined;
var tag = (v) => Object.prototype.toString.call(v);
c.listen(function (req) {
  const x = req.query.x;
  const buf = new ArrayBuffer(x.length + 2);
  const dv = new DataView(buf), dv2 = new DataView(buf, 1), dv3 = new DataView(buf, 1, x.length);
  const errs = [];
  for (const f of [() => new DataView(1), () => new DataView(buf, 9), () => new DataView(buf, 1, 9), () => DataView(buf), () => symbolValueOf.call(1), () => symbolProto.toString.call({})]) {
    try { f(); errs.push('none'); } catch (e) { errs.push(e.name + ': ' + e.message); }
  }
  const s = Symbol(x);
  c.respond({ dv: [tag(dv), dv.byteLength, dv2.byteOffset, dv2.byteLength, dv3.byteLength, dv.buffer === buf, dv instanceof DataView, ArrayBuffer.isView(dv), JSON.stringify(dv), String(dv), DataView.name, DataView.length],
    tags: [tag(Promise.resolve(1)), tag(new Promise(() => {})), tag(new WeakMap()), tag(new Map()), tag(new Set()), tag(symbolProto)],
    sym: [symbolValueOf.call(s) === s, symbolProto.toString.call(s), typeof symbolProto, symbolProto === Symbol.prototype, symbolValueOf.name, symbolValueOf.length], errs });
});`;
  const { node, accel } = await both(src, ['a', 'zzz'].map((x) => raw({ query: { x } })));
  assert.deepEqual(accel, node);
});

test('DataView\'s methods and Symbol.prototype\'s other members abort', async () => {
  await assertAbortsNaming(H, [
    ['new DataView(new ArrayBuffer(2)).getUint8(0)', 'unsupported:builtin', /DataView/],
    ['console.log(new DataView(new ArrayBuffer(2)))', 'unsupported:value', 'console-format'],
    ['Symbol.prototype.description', 'Symbol.prototype.description'],
    ['Symbol.prototype.x = 1', 'unsupported:value', 'property-write-on-function-or-builtin'],
  ] as const);
});

test('Object(x) of an object is x, of null or undefined a new object; arr.constructor(n) is Array(n)', async () => {
  const src = `${H}
var nativeKeys = function (o) { return Object.keys(Object(o)); };
c.listen(function (req) {
  const x = req.query.x;
  const o = { [x]: 1 }, a = [x], f = function () {};
  const made = [Object(), Object(null), new Object(undefined), new Object()];
  made[0].k = x;
  const arr = a.constructor(x.length), arr2 = [1, 2].constructor(x, 2);
  c.respond({ same: [Object(o) === o, Object(a) === a, Object(f) === f, new Object(o) === o, Object(Math) === Math, Object(Object.prototype) === Object.prototype],
    made, distinct: made[1] !== made[2], keys: [nativeKeys(o), nativeKeys(a)], arr: [arr.length, 0 in arr, arr2] });
});`;
  const { node, accel } = await both(src, ['a', 'zz'].map((x) => raw({ query: { x } })));
  assert.deepEqual(accel, node);
});

test('Object() of a primitive aborts (a wrapper object is no runtime value)', async () => {
  await assertAbortsNaming(H, [
    ["Object('s')", 'Object()'],
    ['new Object(1)', 'Object()'],
    ['Object(Symbol())', 'Object()'],
  ] as const);
});

test('a web value\'s constructor, its constructor\'s prototype, Object.keys and symbols, as lodash reads them', async () => {
  const src = `${H}
function isPrototype(value) { var Ctor = value && value.constructor, proto = (typeof Ctor == 'function' && Ctor.prototype) || Object.prototype; return value === proto; }
c.listen(function (req) {
  const x = req.query.x;
  const vals = [new Date(0), new Map([[x, 1]]), new Set([x]), /a/g, new WeakMap(), new WeakSet(), new ArrayBuffer(1), new DataView(new ArrayBuffer(1)), new URL('http://h/' + x), new URLSearchParams('a=' + x), new Headers()];
  c.respond({ ctors: vals.map((v) => [v.constructor.name, isPrototype(v), Object.keys(v), Object.getOwnPropertySymbols(v).length, Object.values(v), typeof v.constructor.prototype]),
    same: [vals[0].constructor === Date, new vals[1].constructor([[1, x]]).get(1), Map.prototype === Map.prototype, Date.prototype !== Map.prototype, Object.keys(Date.prototype), Object.assign({}, vals[0])],
    date: new vals[0].constructor(+vals[0]).getTime(), re: String(new vals[3].constructor(vals[3].source, /\\w*$/.exec(vals[3]))) });
});`;
  const { node, accel } = await both(src, ['a', 'zz'].map((x) => raw({ query: { x } })));
  assert.deepEqual(accel, node);
});

test('the web kinds\' prototypes are opaque: members, iteration, JSON and tags abort', async () => {
  await assertAbortsNaming(H, [
    ['Date.prototype.getTime', 'Date.prototype.getTime'],
    ['Map.prototype.get.call(new Map(), 1)', 'Map.prototype.get'],
    ['[...Map.prototype]', 'iteration'],
    ['JSON.stringify(Date.prototype)', 'JSON.stringify'],
    ['Object.prototype.toString.call(Map.prototype)', 'Object.prototype.toString'],
    ['Array.isArray(Set.prototype)', 'Array.isArray'],
    ['Date.prototype.x = 1', 'unsupported:value', 'property-write-on-function-or-builtin'],
    ['Object.keys(new TextEncoder())', 'Object.keys'],
    ['Object.getOwnPropertySymbols(new TextDecoder())', 'unsupported:value', 'Object.getOwnPropertySymbols'],
    ['new Int8Array(1).constructor.prototype.x', 'Int8Array.prototype'],
    ['new TextEncoder().constructor.prototype.encode', 'TextEncoder.prototype.encode'],
  ] as const);
});

test('instances: Object.prototype\'s members as values, getPrototypeOf along their chain, hasOwnProperty and symbols', async () => {
  const src = `${H}
function P(v) { this.v = v; }
P.prototype.get = function () { return this.v; };
class A { m() { return 1; } }
class B extends A { constructor(x) { super(); this.b = x; this[Symbol.iterator] = null; } }
c.listen(function (req) {
  const x = req.query.x;
  const p = new P(x), a = new A(), b = new B(x), lit = { get g() { return 1; }, x: 1 };
  const gp = Object.getPrototypeOf, own = Object.prototype.hasOwnProperty;
  const q = Object.create(P.prototype);
  c.respond([typeof p.toString, typeof a.toString, p.toString === Object.prototype.toString, typeof p.hasOwnProperty, String(p), a.valueOf === Object.prototype.valueOf,
    gp(p) === P.prototype, gp(gp(p)) === Object.prototype, gp(a) === A.prototype, gp(A.prototype) === Object.prototype, gp(b) === B.prototype, gp(B.prototype) === A.prototype,
    gp(lit) === Object.prototype, gp(q) === P.prototype, q.get.call({ v: x }), gp(gp(gp(p))),
    (function () { return [gp(arguments) === Object.prototype, arguments.constructor === Object]; })(x), lit.constructor === Object,
    own.call(p, 'v'), own.call(p, 'get'), own.call(b, 'b'), own.call(b, 'm'), Object.getOwnPropertySymbols(b).length, Object.getOwnPropertySymbols(p).length]);
});`;
  const { node, accel } = await both(src, ['a', 'zz'].map((x) => raw({ query: { x } })));
  assert.deepEqual(accel, node);
});

test('instances\' unimplemented inherited members, and hasOwnProperty on one with toJSON, abort', async () => {
  await assertAbortsNaming(H, [
    ['class A {} new A().isPrototypeOf', 'Object.prototype.isPrototypeOf'],
    ['class A { toJSON() { return 1; } } Object.prototype.hasOwnProperty.call(new A(), "x")', 'Object.prototype.hasOwnProperty'],
  ] as const);
});
