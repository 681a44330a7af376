// structuredClone in compiled code: the same copies as Node's (shared and cyclic references kept),
// and what Node refuses or clones its own way aborts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith, accelerate, both, raw } from './helpers.ts';

const H = `const c = require('containerless');\n`;

test('structuredClone agrees with Node', async () => {
  const src = `${H}c.listen(function (req) {
  const shared = { n: Number(req.query.x) };
  const orig = { a: [1, 'two', null, undefined, -0, shared, shared], when: new Date(Date.UTC(2026, 1, 2)), m: new Map([[shared, 'v'], ['k', [1]]]), s: new Set([shared, 3]), nested: { deep: { x: req.query.x } } };
  orig.self = orig;
  const copy = structuredClone(orig);
  copy.nested.deep.x = 'changed';
  copy.when.setUTCFullYear(2000);
  const [k0] = copy.m.keys();
  c.respond({ orig: orig.nested.deep.x, copy: copy.nested.deep.x, sameShared: copy.a[5] === copy.a[6], notOrig: copy.a[5] !== shared, cyc: copy.self === copy, negZero: Object.is(copy.a[4], -0), hasU: 3 in copy.a && copy.a[3] === undefined,
    when: orig.when.toISOString(), cwhen: copy.when.toISOString(), isDate: copy.when instanceof Date, mapKey: k0 === copy.a[5], mv: copy.m.get('k'), set: [...copy.s].length, setShared: copy.s.has(copy.a[5]), prim: [structuredClone(1), structuredClone('s'), structuredClone(null), structuredClone(undefined)], keys: Object.keys(copy) });
});`;
  const xs = ['1', 'abc'];
  const { node, accel } = await both(src, xs.map((x) => raw({ query: { x } })));
  for (const [i, x] of xs.entries()) assert.deepEqual(accel[i], node[i], `for ${x}`);
});

test('what Node refuses or clones its own way aborts', async () => {
  for (const code of ['structuredClone(function () {})', 'structuredClone({ f: () => 1 })', 'structuredClone(new Error("x"))', 'structuredClone([1, , 3])', 'structuredClone(new URL("http://a"))', 'structuredClone()', 'class A {}; structuredClone(new A())']) {
    const inst = accelerate(`${H}c.listen(function (req) { ${code}; c.respond('done'); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.ok(abortedWith(r, 'unsupported:builtin', 'structuredClone'), `${code}: ${JSON.stringify(r)}`);
  }
});
