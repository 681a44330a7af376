import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelPlatform, call, corpus, deploy, mode, untilAccelerated } from './helpers.ts';

const H = `const c = require('containerless');\n`;

/** The small programs of the paper's test suite, written fresh, with the requests each is invoked with. */
const PROGRAMS: Array<{ name: string; source: string; paths: string[] }> = [
  { name: 'fixed', source: `${H}c.listen(function (req) { c.respond('fixed response'); });`, paths: ['/', '/x'] },
  {
    name: 'count-array',
    source: `${H}c.listen(function (req) {
  const xs = [3, 1, 4, 1, 5, 9, 2, 6];
  let n = 0; let ones = 0;
  for (let i = 0; i < xs.length; i++) { n = n + 1; if (xs[i] === 1) ones++; }
  c.respond({ n: n, ones: ones });
});`,
    paths: ['/', '/again'],
  },
  {
    name: 'if-const',
    source: `${H}c.listen(function (req) {
  const a = 10; const b = 20; let out;
  if (a > b) { out = 'a'; } else if (a === b) { out = 'same'; } else { out = 'b'; }
  c.respond(out + (true ? '!' : '?'));
});`,
    paths: ['/'],
  },
  {
    name: 'while-counter',
    source: `${H}c.listen(function (req) {
  let i = 0; let acc = '';
  while (i < 5) { acc = acc + i; i = i + 1; }
  c.respond(acc + ':' + i);
});`,
    paths: ['/'],
  },
  {
    name: 'pop-loop',
    source: `${H}c.listen(function (req) {
  const stack = [1, 2, 3, 4];
  let sum = 0;
  while (stack.length > 0) { sum += stack.pop(); }
  c.respond({ sum: sum, left: stack.length });
});`,
    paths: ['/'],
  },
  {
    name: 'make-adder',
    source: `${H}function makeAdder(x) { return function (y) { return x + y; }; }
const add5 = makeAdder(5);
c.listen(function (req) { const add = makeAdder(Number(req.query.n)); c.respond(String(add5(1)) + ',' + add(10)); });`,
    paths: ['/?n=1', '/?n=32'],
  },
  {
    name: 'two-closures',
    source: `${H}function counter() {
  let n = 0;
  return { inc: function () { n = n + 1; return n; }, add: function (k) { n = n + k; return n; }, get: function () { return n; } };
}
c.listen(function (req) { const k = counter(); k.inc(); k.add(10); k.inc(); c.respond('n=' + k.get()); });`,
    paths: ['/'],
  },
  {
    name: 'nested-arith',
    source: `${H}c.listen(function (req) {
  const x = Number(req.query.x);
  c.respond(String(((x * 3 + 4) / 2 - (x % 5)) * (x - 1) + Math.floor(x / 3) - -x));
});`,
    paths: ['/?x=7', '/?x=12', '/?x=-3'],
  },
  { name: 'autocomplete', source: corpus('autocomplete'), paths: ['/?q=ba', '/?q=ka&limit=3', '/?q=zzz'] },
  { name: 'maze', source: corpus('maze'), paths: ['/', '/?r0=0&c0=0&r1=5&c1=5', '/?r0=2&c0=3&r1=30&c1=20'] },
];

test("the paper's integration flow: create, invoke in containers, compile, invoke again: same answers, now accelerated", async (t) => {
  // Compiles only when asked (POST …/compile), as in the paper's flow.
  const p = await accelPlatform(t, { compileAfterRequests: 1_000_000, compileWhenStableFor: 0 });
  for (const prog of PROGRAMS) {
    await deploy(p, prog.name, prog.source);
    const answers: Array<{ status: number; text: string; type: string | null }> = [];
    for (const path of prog.paths) {
      const r = await call(p, `/fn/${prog.name}${path}`);
      assert.equal(mode(r), 'tracing', `${prog.name}: served by a (tracing) container`);
      answers.push({ status: r.status, text: r.text, type: r.headers.get('content-type') });
    }
    const compiled = await call(p, `/api/functions/${prog.name}/compile`, { method: 'POST' });
    assert.equal(compiled.status, 200, `${prog.name}: ${compiled.text}`);
    assert.equal(compiled.json().mode, 'accelerated');
    for (let i = 0; i < prog.paths.length; i++) {
      const r = await call(p, `/fn/${prog.name}${prog.paths[i]}`);
      assert.equal(mode(r), 'accelerated', `${prog.name}${prog.paths[i]}: ${r.text}`);
      assert.equal(r.headers.get('x-containerless-reexecuted'), null, prog.name);
      assert.deepEqual({ status: r.status, text: r.text, type: r.headers.get('content-type') }, answers[i], `${prog.name}${prog.paths[i]}`);
    }
  }
});

test('POST …/compile without a trace answers 422 with the reason; a containers pin is never traced', async (t) => {
  const p = await accelPlatform(t, { traceNewVersions: false });
  await deploy(p, 'plain', `${H}c.listen(function (req) { c.respond('plain'); });`);
  const r = await call(p, '/fn/plain/');
  assert.equal(mode(r), 'container');
  const compiled = await call(p, '/api/functions/plain/compile', { method: 'POST' });
  assert.equal(compiled.status, 422);
  assert.match(compiled.json().error, /no trace yet/);
  assert.equal((await call(p, '/api/functions/plain/compiled')).status, 404);
  // Pinned to accelerated: traced now, compiled as soon as a trace exists.
  const pin = await call(p, '/api/functions/plain/mode', { method: 'PUT', body: '{"mode":"accelerated"}' });
  assert.equal(pin.json().mode, 'tracing');
  assert.equal(mode(await call(p, '/fn/plain/')), 'tracing');
  const acc = await untilAccelerated(p, '/fn/plain/');
  assert.equal(acc.text, 'plain');
  const back = await call(p, '/api/functions/plain/mode', { method: 'PUT', body: '{"mode":"containers"}' });
  assert.equal(back.json().mode, 'containers');
  assert.equal(mode(await call(p, '/fn/plain/')), 'container');
});
