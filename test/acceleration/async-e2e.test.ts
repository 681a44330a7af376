// Async code on the real platform (runc): the same function pinned to containers and accelerated
// answers the same bytes: an async handler awaiting promisified outbound calls in sequence and with
// Promise.all, timers, a generator, and a rejection that the container's runner answers with a 500.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelPlatform, call, deploy, mockBackend, mode, untilAccelerated } from './helpers.ts';

const source = (backend: string) => `const c = require('containerless');
const get = (path) => new Promise((resolve) => c.get('${backend}' + path, (body) => resolve(body)));
const sleep = (ms, v) => new Promise((resolve) => setTimeout(() => resolve(v), ms));
function* ids(n) { for (let i = 0; i < n; i++) yield 'id' + i; }
c.listen(async (req) => {
  const order = [];
  queueMicrotask(() => order.push('micro'));
  setImmediate(() => order.push('immediate'));
  if (req.path === '/reject') {
    await sleep(1);
    throw new RangeError('rejected after a timer');
  }
  const first = await get('/first');
  const rest = await Promise.all([...ids(Number(req.query.n || 2))].map((id) => get('/' + id)));
  order.push(await sleep(2, 'slept'));
  console.log('answered', rest.length);
  c.respond({ first: first.url, rest: rest.map((r) => r.url), order });
});`;

test('async code answers the same bytes in containers and accelerated', async (t) => {
  const backend = await mockBackend(t);
  const p = await accelPlatform(t, {}, { allowOutbound: [new URL(backend.url).host] });
  await deploy(p, 'asyncfn', source(backend.url));
  const paths = ['/?n=2', '/?n=3', '/reject'];
  await call(p, '/api/functions/asyncfn/mode', { method: 'PUT', body: '{"mode":"containers"}' });
  const expected: Array<{ status: number; text: string }> = [];
  for (const path of paths) {
    const r = await call(p, `/fn/asyncfn${path}`);
    assert.equal(mode(r), 'container');
    expected.push({ status: r.status, text: r.text });
  }
  assert.equal(expected[2]!.status, 500);
  assert.match(expected[2]!.text, /Uncaught RangeError: rejected after a timer/);
  await call(p, '/api/functions/asyncfn/mode', { method: 'PUT', body: '{"mode":"accelerated"}' });
  for (const path of paths) await untilAccelerated(p, `/fn/asyncfn${path}`);
  for (let i = 0; i < paths.length; i++) {
    const r = await call(p, `/fn/asyncfn${paths[i]}`);
    assert.equal(mode(r), 'accelerated', `${paths[i]}: ${r.text}`);
    assert.equal(r.headers.get('x-containerless-reexecuted'), null);
    assert.deepEqual({ status: r.status, text: r.text }, expected[i], paths[i]);
  }
});
