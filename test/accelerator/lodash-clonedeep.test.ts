// lodash.clonedeep 4.5 (this checkout's node_modules), loaded as CommonJS source: its top level reads
// Array.prototype, Function.prototype and Symbol.prototype as values, tests builtins with
// Function.prototype.toString against its reIsNative, checks getTag of a DataView, Map, Promise,
// Set and WeakMap, and builds ListCache/MapCache/Stack with `X.prototype.m = …`. Every clone
// answers as Node's, or aborts (what is not modelled yet), never differently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { both, raw } from './helpers.ts';

const FILE = join(import.meta.dirname, '..', '..', 'node_modules', 'lodash.clonedeep', 'index.js');
const skip = existsSync(FILE) ? false : 'lodash.clonedeep is not in node_modules';
const LIB = skip ? '' : readFileSync(FILE, 'utf8');

const source = (expr: string) => `const c = require('containerless');
const m = { exports: {} };
(function (module, exports) {
${LIB}
})(m, m.exports);
const cloneDeep = m.exports;
c.listen(function (req) { const x = req.query.x; let r; try { r = ${expr}; } catch (e) { r = 'threw ' + e.name + ': ' + e.message; } c.respond({ r }); });`;

const EXACT: Record<string, string> = {
  nested: 'cloneDeep({ a: [1, { b: 2 }], s: x, n: null, u: undefined })',
  array: "cloneDeep([1, 'a', [x, [true]], { k: x }])",
  fresh: '(() => { const o = { a: [1, { b: x }] }; const c = cloneDeep(o); return [c, c !== o, c.a !== o.a, c.a[1] !== o.a[1]]; })()',
  cycle: '(() => { const o = { x }; o.self = o; o.list = [o]; const c = cloneDeep(o); return [c.self === c, c.list[0] === c, c !== o, c.x]; })()',
  shared: '(() => { const s = { v: x }; const o = { a: s, b: s }; const c = cloneDeep(o); return [c.a === c.b, c.a !== s, c]; })()',
  primitives: '[cloneDeep(1), cloneDeep(x), cloneDeep(null), cloneDeep(true), cloneDeep(undefined)]',
  // Past 200 entries the Stack moves its pairs into a MapCache over a Map.
  large: '(() => { const a = []; for (let i = 0; i < 300; i++) a.push({ i, s: x + i }); a.push(a); const c = cloneDeep(a); return [c.length, c[299], c[0] !== a[0], c[300] === c]; })()',
  dictionary: '(() => { const o = Object.create(null); o.k = x; const c = cloneDeep(o); return [c.k, Object.getPrototypeOf(c) === null]; })()',
  holes: '(() => { const a = [1, , 3]; const c = cloneDeep(a); return [c.length, 1 in c, c]; })()',
  error: '(() => { const e = new Error(x); const c = cloneDeep({ e }); return [c.e === e, c]; })()',
  weak: '(() => { const w = new WeakMap(); const p = Promise.resolve(1); const c = cloneDeep({ w, p }); return [c.w === w, c.p === p]; })()',
  // `new value.constructor(…)` of a web value, isPrototype's `value.constructor.prototype`.
  date: '(() => { const d = new Date(86400000); const c = cloneDeep({ d }); return [c.d !== d, c.d.getTime(), c.d instanceof Date]; })()',
  map: '(() => { const m = new Map([[x, { v: 1 }]]); const c = cloneDeep(m); return [c !== m, c.get(x), c.get(x) !== m.get(x), c instanceof Map]; })()',
  set: '(() => { const s = new Set([x, 1, { o: x }]); const c = cloneDeep(s); return [c !== s, [...c]]; })()',
  regexp: '(() => { const r = /a+/gi; r.lastIndex = 2; const c = cloneDeep({ r }); return [c.r !== r, String(c.r), c.r.lastIndex, c.r.test(x + "aa")]; })()',
  arrayBuffer: '(() => { const b = new ArrayBuffer(x.length); const c = cloneDeep(b); return [c !== b, c.byteLength]; })()',
  // initCloneObject: objectCreate(getPrototype(value)); hasOwnProperty.call on instances.
  instance: '(() => { function P(v) { this.v = v; this.o = { x }; } P.prototype.get = function () { return this.v; }; const p = new P(x); const c = cloneDeep(p); return [c.get(), c instanceof P, c !== p, c.o !== p.o, c]; })()',
  classes: '(() => { class A { constructor() { this.a = [x]; } m() { return this.a[0]; } } class B extends A { constructor() { super(); this.b = 1; } } const c = cloneDeep({ b: new B() }); return [c.b.m(), c.b instanceof B, c.b instanceof A, c]; })()',
};

for (const [name, expr] of Object.entries(EXACT)) {
  test(`lodash.clonedeep agrees with Node: ${name}`, { skip }, async () => {
    const { node, accel } = await both(source(expr), ['a', 'zz'].map((x) => raw({ query: { x } })));
    assert.equal(node[0]!.status, 200);
    assert.deepEqual(accel, node);
  });
}

// Not modelled yet: typed arrays and Buffers, the tag of a program function, arguments. Each aborts.
const ABORTS: Record<string, string> = {
  uint8: 'cloneDeep(new Uint8Array([1, 2]))',
  buffer: 'cloneDeep(Buffer.from(x))',
  arguments: '(function () { return cloneDeep(arguments); })(1, x)',
  function: 'cloneDeep({ f: function () {} })',
};

for (const [name, expr] of Object.entries(ABORTS)) {
  test(`lodash.clonedeep aborts, never answering differently: ${name}`, { skip }, async () => {
    const { accel } = await both(source(expr), [raw({ query: { x: 'a' } })]);
    assert.equal((accel[0] as { kind?: string }).kind, 'abort', JSON.stringify(accel[0]));
  });
}
