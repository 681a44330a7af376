// Object.defineProperty: new writable data properties of plain objects (and the read-only
// `__esModule` flag of converted ES modules) agree with Node; everything else aborts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith, accelerate, both, raw } from './helpers.ts';

test('hidden and visible data properties agree with Node', async () => {
  const src = `'use strict'; const c = require('containerless');
Object.defineProperty(exports, '__esModule', { value: true });
c.listen(function (req) {
  const o = { a: 1 };
  const r = Object.defineProperty(o, 'h', { value: req.query.v, writable: true });
  Object.defineProperty(o, 'e', { value: 3, enumerable: true, writable: true, configurable: true });
  o.h = o.h + '!';
  c.respond({ same: r === o, keys: Object.keys(o), h: o.h, e: o.e, j: JSON.stringify(o), names: Object.getOwnPropertyNames(o), flag: exports.__esModule, ek: Object.keys(exports) });
});`;
  const { node, accel } = await both(src, [raw({ query: { v: 'x' } }), raw()]);
  assert.deepEqual(accel, node);
});

test('builtin or number-keyed accessors, read-only properties, redefinitions and other targets abort', async () => {
  for (const code of [
    "Object.defineProperty({}, 'x', { get: Math.random })",
    "Object.defineProperty({}, '7', { get: function () { return 1; } })",
    "Object.defineProperty({}, 'x', { get: function () { return 1; }, value: 2 })",
    "Object.defineProperty({}, 'x', { value: 1 })",
    "const o = { x: 1 }; Object.defineProperty(o, 'x', { value: 2, writable: true })",
    "Object.defineProperty([], 'x', { value: 1, writable: true })",
    "Object.defineProperty(Object.freeze({}), 'x', { value: 1, writable: true })",
  ]) {
    const inst = accelerate(`const c = require('containerless'); c.listen(function (req) { ${code}; c.respond(1); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.ok(abortedWith(r, 'unsupported:builtin', 'Object.defineProperty'), `${code}: ${JSON.stringify(r)}`);
  }
});

test('accessors defined on plain objects (esbuild\'s ES-module interop) read as Node reads them', async () => {
  const src = `const c = require('containerless');
c.listen(function (req) {
  let n = 0;
  const o = { a: 1 };
  Object.defineProperty(o, 'x', { get: () => ++n, enumerable: true });
  let v = 0;
  const p = {};
  Object.defineProperty(p, 'y', { get() { return v; }, set(w) { v = w * 2; } });
  p.y = Number(req.query.v || 5);
  const m = Object.defineProperty({}, '__esModule', { value: true });
  Object.defineProperty(m, 'f', { get: () => 'F', enumerable: true });
  Object.defineProperty(m, 'g', { value: 2, writable: true, enumerable: false });
  const { x } = o;
  p.z = 3;
  const d = Object.getOwnPropertyDescriptor(p, 'y');
  c.respond({ reads: [o.x, o.x, o['x'], x, o.a, n], y: [p.y, v, d.enumerable, d.configurable, typeof d.get, typeof d.set], m: [m.__esModule, m.f, m.g],
    descs: [Object.getOwnPropertyDescriptor(m, '__esModule'), Object.getOwnPropertyDescriptor(m, 'g'), Object.getOwnPropertyDescriptor(m, 'nope'), Object.getOwnPropertyDescriptor({ a: 1 }, 'a')],
    names: Object.getOwnPropertyNames(p), has: ['y' in p, Object.prototype.hasOwnProperty.call(p, 'y'), Object.prototype.hasOwnProperty.call(p, 'w')],
    tag: Object.prototype.toString.call(p), spread: { ...o }, lit: Object.getOwnPropertyDescriptor({ get q() { return 1; } }, 'q').configurable });
});`;
  const { node, accel } = await both(src, [raw({ query: { v: '4' } }), raw()]);
  assert.deepEqual(accel, node);
});
