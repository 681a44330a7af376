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

test('accessors, read-only properties, redefinitions and other targets abort', async () => {
  for (const code of [
    "Object.defineProperty({}, 'x', { get: function () { return 1; } })",
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
