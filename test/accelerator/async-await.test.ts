// Async functions and await accelerated, against Node: the order of events around awaits (one job
// for a promise, more for thenables and for returning a promise), async handlers, and what goes
// through the tracer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceLocally } from '../../src/tracer/index.ts';
import { compile } from '../../src/compiler/index.ts';
import { createInstance, loadCompiled } from '../../src/accelerator/index.ts';
import { loadFunction } from '../../src/api/index.ts';
import { compileSource as compileWhole, raw, recordingIO } from './helpers.ts';
import { accelerated, program, sameAsNode } from './async-helpers.ts';

const programs: Record<string, string> = {
  'awaits interleave with then chains and microtasks': `
  const out = [];
  async function a(x) { out.push('a start ' + x); const v = await x; out.push('a got ' + v); return v * 2; }
  const b = async (y) => { try { await Promise.reject(new Error('no ' + y)); } catch (e) { out.push('caught ' + e.message); } finally { out.push('fin'); } return 'b'; };
  a(1).then(function (v) { out.push('a done ' + v); });
  b(2).then(function (v) { out.push('b done ' + v); });
  Promise.resolve().then(function () { out.push('p1'); }).then(function () { out.push('p2'); }).then(function () { out.push('p3'); }).then(function () { out.push('p4'); });
  (async function () { out.push('iife'); await null; out.push('iife 2'); throw new TypeError('late'); })().catch(function (e) { out.push(e.message); });
  const o = { async m(k) { return await a(k) + 1; } };
  o.m(10).then(function (v) { out.push('m ' + v); });
  queueMicrotask(function () { out.push('qm'); });
  out.push('sync end');
  setTimeout(function () { c.respond(out); }, 5);`,
  'returning a promise takes more jobs than returning a value; awaiting a thenable too': `
  const out = [];
  async function value() { return 1; }
  async function promise() { return Promise.resolve(2); }
  async function thenable() { return await { then: function (r) { out.push('then'); r(3); } }; }
  promise().then(function (v) { out.push('promise ' + v); });
  value().then(function (v) { out.push('value ' + v); });
  thenable().then(function (v) { out.push('thenable ' + v); });
  Promise.resolve().then(function () { out.push('t1'); }).then(function () { out.push('t2'); }).then(function () { out.push('t3'); }).then(function () { out.push('t4'); });
  setTimeout(function () { c.respond(out); }, 5);`,
  'await in loops, conditions, arguments and destructuring': `
  const sleep = function (ms, v) { return new Promise(function (r) { setTimeout(function () { r(v); }, ms); }); };
  async function run() {
    let total = 0;
    for (let i = 0; i < 4; i++) total += await sleep(1, i);
    const [p, q] = await Promise.all([sleep(2, 'p'), sleep(1, 'q')]);
    const { k } = await sleep(1, { k: 'kv' });
    const label = (await sleep(1, true)) ? 'yes' : 'no';
    return [total, p, q, k, label, Math.max(await sleep(1, 5), await sleep(1, 7))];
  }
  run().then(function (r) { c.respond(r); });`,
  'an async handler answering after awaits on promisified outbound calls': `
  const get = function (url) { return new Promise(function (resolve) { c.get(url, function (body) { resolve(body); }); }); };
  const a = await get('http://backend/a');
  const [b, d] = await Promise.all([get('http://backend/b'), get('http://backend/d?x=' + a.url)]);
  console.log('fetched', a.url, b.url, d.url);
  c.respond({ a: a, b: b, d: d });`,
  'an async handler that throws after an await is a 500 only if the oracle says so': `
  await null;
  c.respond('answered first');
  throw new Error('after the answer');`,
  'async functions are values: typeof, name, length, result type': `
  async function named(a, b) { return a; }
  const arrow = async (x) => x;
  const p = named(1);
  c.respond([typeof named, named.name, named.length, arrow.name, arrow.length, p instanceof Promise, String(p)]);`,
};

for (const [name, body] of Object.entries(programs)) {
  test(`Node's order: ${name}`, async () => {
    const isHandler = name.startsWith('an async handler');
    const src = isHandler ? `const c = require('containerless');\nc.listen(async function (req) {\n${body}\n});` : program(body);
    await sameAsNode(src);
  });
}

test('an async handler that rejects before answering is a 500, as the container answers it', async () => {
  const src = `const c = require('containerless');\nc.listen(async function (req) {\n  await null;\n  throw new TypeError('rejected ' + req.path);\n});`;
  const r = await accelerated(src, raw({ path: '/p' }));
  assert.deepEqual(r, { status: 500, body: JSON.stringify({ error: 'Uncaught TypeError: rejected /p' }), logs: ['stderr: Uncaught TypeError: rejected /p'] });
  // The in-process oracle goes through the same paper adapter the container's runner does.
  const node = loadFunction(src, { io: recordingIO(), log() {} });
  const n = await node.invoke(raw({ path: '/p' }), { timeoutMs: 500 });
  assert.equal(n.status, 500);
  assert.equal(n.body, JSON.stringify({ error: 'Uncaught TypeError: rejected /p' }));
});

const traced = `const c = require('containerless');
const get = (url) => new Promise((resolve) => c.get(url, (body) => resolve(body)));
async function price(item) {
  const info = await get('http://catalog/' + item);
  if (info.url.endsWith('/gift')) return 0;
  return info.url.length;
}
c.listen(async (req) => {
  const items = (req.query.items || '').split(',');
  let total = 0;
  for (const item of items) total += await price(item);
  const all = await Promise.all(items.map(price));
  c.respond({ total, all });
});`;

test('through the tracer: async functions are traced and their arms compiled; an untraced arm aborts', async () => {
  const io = recordingIO((r) => ({ url: r.url }));
  const { tree } = await traceLocally(traced, [raw({ query: { items: 'a,bb' } })], io);
  const { code } = compile(tree);
  assert.match(code, /rt\.afn\("price", 1, function\* /);
  const program = loadCompiled(code);
  const inst = createInstance(program, { io: recordingIO((r) => ({ url: r.url })), log() {} });
  const node = loadFunction(traced, { io: recordingIO((r) => ({ url: r.url })), log() {} });
  const r = raw({ query: { items: 'x,yy,zzz' } });
  const a = await inst.handle(r, { timeoutMs: 1000 });
  assert.equal(a.kind, 'response', JSON.stringify(a));
  assert.deepEqual(a.kind === 'response' && a.response, await node.invoke(r, { timeoutMs: 1000 }));
  // The gift arm was never reached in tracing: it aborts there, after the await, with unknown-path.
  const gift = await createInstance(program, { io: recordingIO((x) => ({ url: x.url })), log() {} }).handle(raw({ query: { items: 'gift' } }), { timeoutMs: 1000 });
  assert.equal(gift.kind, 'abort');
  assert.equal(gift.kind === 'abort' && gift.reason, 'unknown-path');
  assert.equal(gift.kind === 'abort' && gift.loc?.line, 5);
});

test('a promise shared between concurrent requests: the waiting one aborts instead of guessing', async () => {
  const src = `const c = require('containerless');
let config;
const load = () => config || (config = new Promise((resolve) => c.get('http://backend/config', (body) => resolve(body))));
c.listen(async (req) => {
  const cfg = await load();
  c.respond({ path: req.path, cfg: cfg.url });
});`;
  const inst = createInstance(loadCompiled(compileWhole(src)), { io: recordingIO((r) => ({ url: r.url })), log() {} });
  const a = inst.handle(raw({ path: '/a' }), { timeoutMs: 1000 });
  const b = inst.handle(raw({ path: '/b' }), { timeoutMs: 1000 });
  const [ra, rb] = await Promise.all([a, b]);
  assert.deepEqual(ra.kind === 'response' && JSON.parse(ra.response.body), { path: '/a', cfg: 'http://backend/config' });
  assert.equal(rb.kind, 'abort');
  assert.equal(rb.kind === 'abort' && rb.reason, 'unsupported:value');
  // Once settled, the shared promise serves later requests (on a fresh instance, as the poisoned one is replaced).
  const later = createInstance(loadCompiled(compileWhole(src)), { io: recordingIO((r) => ({ url: r.url })), log() {} });
  await later.handle(raw({ path: '/first' }), { timeoutMs: 1000 });
  const again = await later.handle(raw({ path: '/second' }), { timeoutMs: 1000 });
  assert.deepEqual(again.kind === 'response' && JSON.parse(again.response.body), { path: '/second', cfg: 'http://backend/config' });
});
