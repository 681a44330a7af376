// fast-ops' arr.map(closure) (the context's own map) against the host's path (the builtins library's
// map) on the same runtime: the same elements, holes, calls and charges, also when the callback
// changes the array while it runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@babel/parser';
import { compile } from '../../src/compiler/index.ts';
import { loadCompiled } from '../../src/accelerator/index.ts';
import { resolveLimits } from '../../src/accelerator/limits.ts';
import { Runtime } from '../../src/accelerator/runtime.ts';
import { both, raw } from './helpers.ts';

const program = loadCompiled(compile({ program: parse('const c = require("containerless");', { sourceType: 'script' }).program }).code);

function shape(a: unknown): unknown {
  assert.ok(Array.isArray(a));
  return Array.from({ length: a.length }, (_, i) => (i in a ? a[i] : '<hole>'));
}

test('map with a closure: the same result, calls and charges as the library', () => {
  const rt = program.realm.newRuntime(resolveLimits({}));
  type Cb = (v: unknown, k: number, arr: unknown[]) => unknown;
  const callbacks: Record<string, Cb> = {
    double: (v) => (typeof v === 'number' ? v * 2 : v),
    index: (_v, k) => k,
    'pushes while mapping': (v, k, arr) => {
      if (k === 0) arr.push('late');
      return v;
    },
    'shrinks while mapping': (v, k, arr) => {
      if (k === 1) arr.length = 2;
      return v;
    },
  };
  const make = (kind: number) => {
    const a = program.realm.newArray();
    if (kind === 1) a.push(1, 2, 3, 'x', null);
    if (kind === 2) {
      a.length = 6;
      a[1] = 1;
      a[4] = 4;
    }
    return a;
  };
  for (const [name, cb] of Object.entries(callbacks)) {
    for (const kind of [0, 1, 2]) {
      const run = (how: 'fast' | 'host') => {
        const calls: unknown[] = [];
        rt.fuel = 1_000_000;
        rt.mem = 1_000_000;
        const f = rt.fn(name, 3, (...args: unknown[]) => {
          const [v, k, arr] = args as [unknown, number, unknown[]];
          calls.push([v, k, arr.length]);
          return cb(v, k, arr);
        });
        const a = make(kind);
        rt.fuel = 1_000_000;
        rt.mem = 1_000_000;
        rt.depthNow = 0;
        const r = how === 'fast' ? rt.m1(a, 'map', null, f) : Runtime.prototype.m1.call(rt, a, 'map', null, f);
        assert.equal(Object.getPrototypeOf(r) === Array.prototype, how === 'host', `${how} path taken`);
        return { r: shape(r), after: shape(a), calls, fuel: 1_000_000 - rt.fuel, mem: 1_000_000 - rt.mem, depth: rt.depthNow };
      };
      assert.deepEqual(run('fast'), run('host'), `${name}, array ${kind}`);
    }
  }
});

test('map in compiled code: as in Node, throws and fuel included', async () => {
  const src = `const c = require('containerless');
c.listen(function (req) {
  const a = [1, 2, 3]; const h = [1, , 3];
  const r = [a.map(function (x, i, arr) { return x * 10 + i + arr.length; }), h.map((x) => x + 1).length, 1 in h.map((x) => x)];
  try { a.map(function (x) { if (x === 2) throw new Error('two'); return x; }); } catch (e) { r.push(e.message); }
  r.push(a.map(String), [[1, 2], [3]].map((p) => p.map((q) => q * 2)));
  c.respond(r);
});`;
  const { node, accel } = await both(src, [raw({ method: 'GET', path: '/' })]);
  assert.deepEqual(accel, node);
});

test("map's callback and sort's comparator run one call deeper, and abort at the depth limit as the library's", () => {
  const rt = program.realm.newRuntime(resolveLimits({ maxDepth: 20 }));
  rt.mem = 1_000_000;
  const inner = rt.fn('inner', 0, () => 1);
  const diffs: string[] = [];
  for (const method of ['map', 'sort'] as const) {
    for (const start of [17, 18, 19, 20]) {
      for (const n of [0, 1, 3]) {
        const run = (how: 'fast' | 'host') => {
          const seen: number[] = [];
          rt.mem = 1_000_000;
          const f = rt.fn('cb', 2, () => {
            seen.push(rt.depthNow);
            return (rt.c0(inner, 'inner') as number) - 1;
          });
          const a = program.realm.newArray();
          for (let i = 0; i < n; i++) a.push(n - i);
          rt.fuel = 1_000_000;
          rt.mem = 1_000_000;
          rt.depthNow = start;
          // The library sorts with its own TimSort, charged per comparison at its own rate (costs.ts).
          const fuelOf = () => (method === 'map' ? rt.fuel : 'not compared');
          try {
            const r = how === 'fast' ? rt.m1(a, method, null, f) : Runtime.prototype.m1.call(rt, a, method, null, f);
            return { r: shape(r), seen, depthAfter: rt.depthNow, fuel: fuelOf() };
          } catch (e) {
            return { abort: (e as { reason?: string }).reason, seen, fuel: fuelOf() };
          }
        };
        const f = run('fast'), h = run('host');
        if (JSON.stringify(f) !== JSON.stringify(h)) diffs.push(`${method} ${start} ${n}: ${JSON.stringify(f)} vs ${JSON.stringify(h)}`);
      }
    }
  }
  assert.deepEqual(diffs, []);
});
