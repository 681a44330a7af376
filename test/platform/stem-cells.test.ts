import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Capacity, DEFAULT_CONFIG, Pool, type FunctionConfig } from '../../src/platform/index.ts';
import { StemCells } from '../../src/platform/stem-cells.ts';
import { createMetrics } from '../../src/metrics/index.ts';
import type { LogStream, RawRequest } from '../../src/api/index.ts';
import { FakeDriver, waitFor } from './fake-driver.ts';

const logger = pino({ level: 'silent' });
const req = (path: string): RawRequest => ({ method: 'GET', path, query: {}, headers: {}, body: '' });

function setup(size: number, capacity = new Capacity(100)) {
  const driver = new FakeDriver();
  const metrics = createMetrics({ defaultMetrics: false });
  const stem = new StemCells({ driver, capacity, logger, metrics, size });
  const pools: Pool[] = [];
  const pool = (name: string, over: Partial<FunctionConfig> = {}, lines: string[] = []) => {
    const p = new Pool({
      driver,
      code: { name, version: 1, source: '', env: {} },
      config: { ...DEFAULT_CONFIG, idle_ms: 60_000, ...over },
      capacity,
      metrics,
      logger,
      io: { request: async (r) => ({ status: 200, headers: {}, body: `${name} ${r.url}` }) },
      log: (stream: LogStream, line: string) => lines.push(`${name} ${stream} ${line}`),
      idPrefix: name,
      stemCells: stem,
    });
    pools.push(p);
    return p;
  };
  const close = async () => {
    await Promise.all(pools.map((p) => p.close()));
    await stem.close();
  };
  return { driver, stem, pool, capacity, metrics, close };
}

test('forty deploys of one shape keep two runners, not forty', async (t) => {
  const s = setup(2);
  t.after(s.close);
  for (let i = 0; i < 40; i++) s.stem.want(s.pool(`f${i}`).stemKey());
  await waitFor('the runners started', () => s.driver.started.length >= 2);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(s.driver.started.length, 2);
  assert.equal(s.stem.count, 2);
  assert.equal(s.capacity.inUse, 2);
});

test('a cold start adopts a waiting runner, loads only, and the runner is replaced', async (t) => {
  const s = setup(2);
  t.after(s.close);
  const a = s.pool('a');
  s.stem.want(a.stemKey());
  await waitFor('the runners started', () => s.driver.started.length === 2);
  const stemId = s.driver.started[0]!.id;
  s.driver.events.push('request');
  const r = await a.invoke(req('/'), { id: 'r1' });
  assert.equal(r.outcome, 'ok');
  assert.equal(r.response.body, stemId, 'the request ran in the adopted runner');
  assert.deepEqual(s.driver.events.slice(s.driver.events.indexOf('request')).filter((e) => !e.startsWith('start')), ['request', `load ${stemId}`, `invoke ${stemId}`]);
  assert.equal(s.driver.events.indexOf(`start ${stemId}`) < s.driver.events.indexOf('request'), true, 'started before the request came');
  await waitFor('a replacement runner', () => s.stem.count === 2 && s.driver.started.length === 3);
  assert.equal(s.capacity.inUse, 3, 'the adopted container and two waiting runners each hold a unit');
  // A second function of the same shape adopts the next one.
  const b = s.pool('b');
  const rb = await b.invoke(req('/'), { id: 'r2' });
  assert.notEqual(rb.response.body, stemId);
  assert.match(rb.response.body as string, /^stem-/);
});

test("an adopted runner's outbound calls and output go to the function that adopted it", async (t) => {
  const s = setup(1);
  t.after(s.close);
  const lines: string[] = [];
  const a = s.pool('a', {}, lines);
  s.stem.want(a.stemKey());
  await waitFor('the runner started', () => s.driver.started.length === 1);
  const c = s.driver.started[0]!;
  assert.equal(await c.spec!.io.request({ method: 'GET', url: 'http://x/before', headers: {}, body: '' }), undefined, 'no owner yet: no call leaves');
  await a.invoke(req('/'), { id: 'r1' });
  const answer = await c.spec!.io.request({ method: 'GET', url: 'http://x/after', headers: {}, body: '' });
  assert.equal(answer?.body, 'a http://x/after');
  c.spec!.log('stdout', 'hello', 'r1');
  assert.deepEqual(lines, ['a stdout hello']);
});

test('a function of another shape starts its own container; a deploy of that shape takes the oldest slot', async (t) => {
  const s = setup(1);
  t.after(s.close);
  const small = s.pool('small');
  const big = s.pool('big', { memory_mb: DEFAULT_CONFIG.memory_mb * 2 });
  s.stem.want(small.stemKey());
  await waitFor('the runner started', () => s.driver.started.length === 1);
  const r = await big.invoke(req('/'), { id: 'r1' });
  assert.match(r.response.body as string, /^big-/, 'not adopted: another memory limit');
  assert.equal(s.stem.count, 1, 'the waiting runner is still there');
  s.stem.want(big.stemKey());
  await waitFor('the small runner stopped', () => s.driver.started[0]!.dead);
  await waitFor('a big runner started', () => s.driver.started.length === 3);
  assert.equal(s.stem.count, 1);
  const again = await s.pool('big2', { memory_mb: DEFAULT_CONFIG.memory_mb * 2 }).invoke(req('/'), { id: 'r2' });
  assert.match(again.response.body as string, /^stem-/);
});

test('a waiting runner gives its capacity unit to a pool that needs one', async (t) => {
  const capacity = new Capacity(2);
  const s = setup(2, capacity);
  t.after(s.close);
  const a = s.pool('a', { memory_mb: 64 });
  s.stem.want(s.pool('x').stemKey());
  await waitFor('two runners', () => s.driver.started.length === 2);
  assert.equal(capacity.inUse, 2);
  const r = await a.invoke(req('/'), { id: 'r1' });
  assert.equal(r.outcome, 'ok', 'not 503: a waiting runner was given up');
  assert.match(r.response.body as string, /^a-/);
  assert.equal(s.stem.count, 1);
  assert.equal(s.driver.alive().length, 2);
});

test('size 0 keeps no runner; closing stops the waiting ones', async () => {
  const none = setup(0);
  none.stem.want(none.pool('a').stemKey());
  assert.equal(none.stem.enabled, false);
  assert.equal(none.driver.started.length + none.stem.count, 0);
  await none.close();
  const s = setup(2);
  s.stem.want(s.pool('a').stemKey());
  await waitFor('two runners', () => s.driver.started.length === 2);
  await s.close();
  assert.equal(s.driver.alive().length, 0);
  assert.equal(s.capacity.inUse, 0);
});

test('the memory budget: a container that does not fit waits for room, then takes it', async (t) => {
  const capacity = new Capacity(100, 300); // 300 MB: two containers of 128 MB, not three
  const s = setup(0, capacity);
  t.after(s.close);
  const a = s.pool('a', { concurrency: 1 });
  const b = s.pool('b', { concurrency: 1 });
  const c = s.pool('c', { concurrency: 1, timeout_ms: 200 });
  const ha = a.invoke(req('/slow/300'), { id: 'a1' });
  const hb = b.invoke(req('/slow/300'), { id: 'b1' });
  await waitFor('two containers', () => s.driver.started.length === 2);
  assert.equal(capacity.memoryInUseMb, 2 * DEFAULT_CONFIG.memory_mb);
  assert.equal(capacity.fits(DEFAULT_CONFIG.memory_mb), false);
  const rc = c.invoke(req('/'), { id: 'c1' });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(s.driver.started.length, 2, 'no third container while it does not fit');
  await Promise.all([ha, hb]);
  const r = await rc;
  assert.equal(r.outcome, 'ok', 'served once another container was given back');
  assert.equal(s.driver.started.length, 3);
  assert.ok(capacity.memoryInUseMb <= 300);
});
