// fast-ops' arr.slice(start, end) with number arguments (the context's own slice) against the host's
// path (the builtins library's slice) on the same runtime: the same elements and holes, and the same
// fuel and memory charged, for every kind of relative index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@babel/parser';
import { compile } from '../../src/compiler/index.ts';
import { loadCompiled } from '../../src/accelerator/index.ts';
import { resolveLimits } from '../../src/accelerator/limits.ts';
import { Runtime } from '../../src/accelerator/runtime.ts';
import { both, raw } from './helpers.ts';

const program = loadCompiled(compile({ program: parse('const c = require("containerless");', { sourceType: 'script' }).program }).code);

/** Elements with holes shown, so that arrays of two realms compare. */
function shape(a: unknown): unknown {
  assert.ok(Array.isArray(a));
  return Array.from({ length: a.length }, (_, i) => (i in a ? a[i] : '<hole>'));
}

const INDICES = [0, 1, 2, 3, 7, 100, -1, -2, -7, -100, 1.5, -1.5, 2.9, -0, NaN, Infinity, -Infinity];

test('slice with number arguments: the same result and charges as the library', () => {
  const rt = program.realm.newRuntime(resolveLimits({}));
  const run = (how: 'fast' | 'host', f: () => unknown) => {
    rt.fuel = 1_000_000;
    rt.mem = 1_000_000;
    const r = f();
    // The fast path makes an array of the program's context, the library one of the host's.
    assert.equal(Object.getPrototypeOf(r) === Array.prototype, how === 'host', `${how} path taken`);
    return { how, r: shape(r), fuel: 1_000_000 - rt.fuel, mem: 1_000_000 - rt.mem };
  };
  const arrays = [program.realm.newArray(), program.realm.newArray(), program.realm.newArray()];
  arrays[1]!.push(1, 'b', { c: 3 }, null, undefined, 6, 7);
  arrays[2]!.length = 5;
  arrays[2]![1] = 'x';
  arrays[2]![3] = 'y';
  for (const a of arrays) {
    for (const s of INDICES) {
      const fast1 = run('fast', () => rt.m1(a, 'slice', null, s));
      const host1 = run('host', () => Runtime.prototype.m1.call(rt, a, 'slice', null, s));
      assert.deepEqual({ ...fast1, how: 'host' }, host1, `slice(${s}) of ${a.length}`);
      for (const e of INDICES) {
        const fast2 = run('fast', () => rt.m2(a, 'slice', null, s, e));
        const host2 = run('host', () => Runtime.prototype.m2.call(rt, a, 'slice', null, s, e));
        assert.deepEqual({ ...fast2, how: 'host' }, host2, `slice(${s}, ${e}) of ${a.length}`);
      }
    }
  }
});

test('slice in compiled code: a copy, as in Node, whatever the arguments', async () => {
  const src = `const c = require('containerless');
c.listen(function (req) {
  const a = [1, 2, 3, 4, 5]; const h = [1, , 3];
  const s = a.slice(1, 3); s.push(9); const t = a.slice(-2); t[0] = 0;
  const r = [a, s, t, a.slice(0, -1), a.slice(NaN, Infinity), a.slice(2.7), h.slice(0, 2).length, 1 in h.slice(0, 3), a.slice('1', '3'), a.slice(undefined, 2), a.slice(1, undefined)];
  r.push(Array.isArray(s), s instanceof Array, a.slice(1, 2).concat(a.slice(3, 4)));
  c.respond(r);
});`;
  const { node, accel } = await both(src, [raw({ method: 'GET', path: '/' })]);
  assert.deepEqual(accel, node);
});
