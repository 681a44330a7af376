// Which compiled programs stay loaded (src/acceleration/resident-runner.ts), on real compiled code in
// a real InlineRunner: lazily loaded stored code, least-recently-used eviction, reloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTree, InlineRunner, ResidentRunner, type Binding } from '../../src/acceleration/index.ts';
import type { RawRequest } from '../../src/api/index.ts';
import { traceLocally } from '../../src/tracer/index.ts';

const raw = (path: string): RawRequest => ({ method: 'GET', path, query: {}, headers: {}, body: '' });
const binding: Binding = { io: { request: async () => undefined }, log() {} };

// Counts its requests in a global: the count tells whether the instance survived.
const COUNTER = `const c = require('containerless');
let served = 0;
c.listen(function (req) { served = served + 1; c.respond({ served: served, path: req.path }); });`;

async function program(): Promise<string> {
  const { tree, skeleton } = await traceLocally(COUNTER, [raw('/a')], { request: async () => undefined });
  const c = compileTree(JSON.parse(JSON.stringify(tree)), skeleton);
  assert.ok(c.ok, JSON.stringify(c));
  return c.code;
}

async function served(r: ResidentRunner, key: string, path = '/a'): Promise<number> {
  const a = await r.handle(key, raw(path), { timeoutMs: 2000, id: `${key}-${Math.random()}` });
  assert.equal(a.result.kind, 'response', JSON.stringify(a.result));
  return JSON.parse((a.result as { response: { body: string } }).response.body).served;
}

test('a stored program loads on its first request, not before', async () => {
  const code = await program();
  const inner = new InlineRunner();
  let reloads = 0;
  const r = new ResidentRunner(inner, { maxResident: 10, onReload: () => reloads++ });
  r.loadLazily('f@1', { code, env: {} }, binding, () => assert.fail('it loads'));
  assert.equal(r.residentCount, 0);
  assert.equal(inner.instancesMade, 0, 'nothing loaded at start-up');
  assert.equal(await served(r, 'f@1'), 1);
  assert.equal(await served(r, 'f@1'), 2, 'one instance serves on');
  assert.equal(r.residentCount, 1);
  assert.equal(reloads, 0);
  await r.close();
});

test('past maxResident the least recently used idle program is unloaded, and reloads afresh when needed', async () => {
  const code = await program();
  const inner = new InlineRunner();
  let reloads = 0;
  const r = new ResidentRunner(inner, { maxResident: 2, onReload: () => reloads++ });
  for (const k of ['a', 'b', 'c']) r.loadLazily(k, { code, env: {} }, binding, () => assert.fail('it loads'));
  assert.equal(await served(r, 'a'), 1);
  assert.equal(await served(r, 'b'), 1);
  assert.equal(await served(r, 'a'), 2, 'a is now the most recently used');
  assert.equal(await served(r, 'c'), 1);
  assert.equal(r.residentCount, 2, 'b, least recently used, made room for c');
  assert.equal(await served(r, 'a'), 3, 'a kept its instance');
  assert.equal(await served(r, 'b'), 1, 'b was unloaded: its globals start afresh, as after a scale to zero');
  assert.equal(reloads, 1);
  assert.equal(r.residentCount, 2);
  await r.close();
});

test('a program with a request in flight is never the one unloaded', async () => {
  const slow = `const c = require('containerless');
let served = 0;
c.listen(function (req) { served = served + 1; const n = served; setTimeout(function () { c.respond({ served: n }); }, 200); });`;
  const { tree, skeleton } = await traceLocally(slow, [raw('/')], { request: async () => undefined });
  const c = compileTree(JSON.parse(JSON.stringify(tree)), skeleton);
  assert.ok(c.ok);
  const r = new ResidentRunner(new InlineRunner(), { maxResident: 1 });
  r.loadLazily('slow', { code: c.code, env: {} }, binding, () => assert.fail('it loads'));
  r.loadLazily('other', { code: await program(), env: {} }, binding, () => assert.fail('it loads'));
  const inflight = r.handle('slow', raw('/'), { timeoutMs: 2000, id: 's1' });
  await new Promise((res) => setTimeout(res, 20));
  assert.equal(await served(r, 'other'), 1);
  assert.equal(r.residentCount, 2, 'over the limit for as long as slow is busy');
  const a = await inflight;
  assert.equal(a.result.kind, 'response', JSON.stringify(a.result));
  assert.equal(await served(r, 'other'), 2);
  await r.close();
});

test('stored code that fails to load aborts its request (a container answers) and tells its owner once', async () => {
  const r = new ResidentRunner(new InlineRunner(), { maxResident: 4 });
  const told: string[] = [];
  r.loadLazily('bad', { code: 'this is not compiled code', env: {} }, binding, (e) => told.push(e));
  const a = await r.handle('bad', raw('/'), { timeoutMs: 2000, id: 'b1' });
  assert.equal(a.result.kind, 'abort');
  assert.match((a.result as { detail?: string }).detail ?? '', /^the compiled code did not load: /);
  await r.handle('bad', raw('/'), { timeoutMs: 2000, id: 'b2' });
  assert.equal(told.length, 1);
  assert.equal(r.residentCount, 0);
  await r.close();
});
