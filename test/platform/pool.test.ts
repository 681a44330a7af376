import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Capacity, DEFAULT_CONFIG, Pool, type FunctionConfig, type PoolOptions } from '../../src/platform/index.ts';
import { createMetrics } from '../../src/metrics/index.ts';
import type { RawRequest } from '../../src/api/index.ts';
import { StartGate } from '../../src/platform/start-gate.ts';
import { FakeDriver, sleep, waitFor } from './fake-driver.ts';

const logger = pino({ level: 'silent' });
const req = (path: string): RawRequest => ({ method: 'GET', path, query: {}, headers: {}, body: '' });

function makePool(driver: FakeDriver, over: Partial<FunctionConfig> = {}, capacity = new Capacity(100), now?: () => number) {
  return makePoolWith(driver, over, capacity, { now });
}

function makePoolWith(driver: FakeDriver, over: Partial<FunctionConfig>, capacity: Capacity, opts: Partial<PoolOptions>) {
  const config: FunctionConfig = { ...DEFAULT_CONFIG, idle_ms: 60_000, ...over };
  return new Pool({
    ...opts,
    driver,
    code: { name: 'f', version: 1, source: '', env: {} },
    config,
    capacity,
    metrics: createMetrics({ defaultMetrics: false }),
    logger,
    io: { request: async () => undefined },
    log() {},
    idPrefix: 'f-test',
    timeoutGraceMs: 200,
  });
}

test('cold start on first request, then warm reuse', async (t) => {
  const d = new FakeDriver();
  const pool = makePool(d);
  t.after(() => pool.close());
  const a = await pool.invoke(req('/'), { id: 'r1' });
  assert.equal(a.outcome, 'ok');
  assert.equal(a.coldStart, true);
  const b = await pool.invoke(req('/'), { id: 'r2' });
  assert.equal(b.coldStart, false);
  assert.equal(b.response.body, a.response.body, 'same warm container');
  assert.equal(d.started.length, 1);
});

test('the pre-started runner is used for the first request: only load() is on its path', async (t) => {
  const d = new FakeDriver();
  d.startMs = 100;
  const pool = makePool(d);
  t.after(() => pool.close());
  pool.prestart();
  await waitFor('the pre-start', () => d.started.length === 1);
  d.events.push('request');
  await pool.invoke(req('/'), { id: 'r1' });
  const id = d.started[0]!.id;
  assert.deepEqual(d.events, [`start ${id}`, 'request', `load ${id}`, `invoke ${id}`]);
  assert.equal(d.started.length, 1);
});

test('a pool that has had no request keeps only its pre-started runner, until idle_ms', async (t) => {
  // A version in tracing mode sends nothing to its plain pool: it must not start containers there.
  const d = new FakeDriver();
  const pool = makePool(d, { idle_ms: 400 });
  t.after(() => pool.close());
  pool.prestart();
  await sleep(250); // the ticker ran twice (every idle_ms / 4)
  assert.equal(d.started.length, 1, 'the pre-started runner only');
  assert.deepEqual([pool.stats().ready, pool.stats().starting, pool.stats().spare], [0, 0, true]);
  await waitFor('the pre-started runner stopped once idle_ms old', () => pool.stats().spare === false);
  assert.equal(d.alive().length, 0);
  const r = await pool.invoke(req('/'), { id: 'r1' });
  assert.equal(r.outcome, 'ok');
  assert.equal(d.started.length, 2);
});

test('concurrency per container is respected and the pool grows up to max_containers', async (t) => {
  const d = new FakeDriver();
  const pool = makePool(d, { concurrency: 4, max_containers: 3, max_queue: 100 });
  t.after(() => pool.close());
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) => pool.invoke(req('/slow/60'), { id: `r${i}` })));
  assert.ok(results.every((r) => r.outcome === 'ok'));
  assert.ok(d.maxInflightSeen <= 4, `at most 4 in flight per container, saw ${d.maxInflightSeen}`);
  assert.equal(d.started.length, 3, 'grew to max_containers and no further');
  assert.equal(new Set(results.map((r) => r.response.body)).size, 3);
});

test('a full queue gives 429 at the function limit', async (t) => {
  const d = new FakeDriver();
  const pool = makePool(d, { concurrency: 1, max_containers: 1, max_queue: 2 });
  t.after(() => pool.close());
  const rs = await Promise.all(Array.from({ length: 6 }, (_, i) => pool.invoke(req('/slow/50'), { id: `r${i}` })));
  const statuses = rs.map((r) => r.response.status).sort();
  assert.equal(statuses.filter((s) => s === 200).length, 3, 'one for the starting container, two queued');
  assert.ok(statuses.includes(429));
  assert.ok(!statuses.includes(503));
});

test('no capacity on the platform: the request waits for a unit, then 503 at its queue deadline', async (t) => {
  const d = new FakeDriver();
  const cap = new Capacity(1);
  const busy = makePool(d, { concurrency: 1 }, cap);
  const other = makePoolWith(d, { concurrency: 1, timeout_ms: 200 }, cap, { queueTimeoutMs: 300 });
  t.after(() => Promise.all([busy.close(), other.close()]));
  const hold = busy.invoke(req('/slow/2000'), { id: 'a' });
  await waitFor('the busy container', () => d.started.length === 1);
  const r = await other.invoke(req('/'), { id: 'b' });
  assert.equal(r.response.status, 503);
  assert.match(JSON.parse(r.response.body).error, /no capacity: no container could be started within 300 ms/);
  assert.equal(d.started.length, 1, 'nothing started beyond the budget');
  assert.equal((await hold).outcome, 'ok');
});

test('no capacity: a waiting request is served once another function gives its container back', async (t) => {
  const d = new FakeDriver();
  const cap = new Capacity(1);
  const busy = makePool(d, { concurrency: 1 }, cap);
  const other = makePool(d, { concurrency: 1 }, cap);
  t.after(() => Promise.all([busy.close(), other.close()]));
  const hold = busy.invoke(req('/slow/300'), { id: 'a' });
  await waitFor('the busy container', () => d.started.length === 1);
  const r = await other.invoke(req('/'), { id: 'b' });
  assert.equal(r.outcome, 'ok', 'served, not 503');
  assert.equal(r.coldStart, true);
  assert.equal(d.started.length, 2);
  assert.equal(d.alive().length, 1, "the busy function's idle container was reclaimed for it");
  assert.equal((await hold).outcome, 'ok');
  assert.equal(cap.inUse, 1);
});

test('no capacity: a unit released is handed to the waiting pool at once', async (t) => {
  const d = new FakeDriver();
  const cap = new Capacity(1);
  const busy = makePool(d, { concurrency: 1, timeout_ms: 150 }, cap);
  const other = makePool(d, { concurrency: 1 }, cap);
  t.after(() => Promise.all([busy.close(), other.close()]));
  const hung = busy.invoke(req('/hang'), { id: 'a' }); // its container is killed at the timeout: a unit frees
  await waitFor('the busy container', () => d.started.length === 1);
  const waiting = other.invoke(req('/'), { id: 'b' });
  assert.equal((await hung).response.status, 504);
  const r = await waiting;
  assert.equal(r.outcome, 'ok');
  assert.equal(cap.inUse, 1);
});

test('timeout: 504, the container is killed and a new one serves the next request', async (t) => {
  const d = new FakeDriver();
  const pool = makePool(d, { timeout_ms: 100 });
  t.after(() => pool.close());
  const first = await pool.invoke(req('/'), { id: 'r0' });
  const r = await pool.invoke(req('/hang'), { id: 'r1' });
  assert.equal(r.response.status, 504);
  assert.equal(r.outcome, 'timeout');
  assert.ok(d.started[0]!.dead);
  const next = await pool.invoke(req('/'), { id: 'r2' });
  assert.equal(next.outcome, 'ok');
  assert.notEqual(next.response.body, first.response.body);
});

test('a retired container is counted as stopping until its kill has completed', async (t) => {
  const d = new FakeDriver();
  let finishKills!: () => void;
  d.killGate = new Promise<void>((r) => (finishKills = r));
  const pool = makePool(d, { timeout_ms: 100 });
  t.after(() => {
    finishKills();
    return pool.close();
  });
  const first = await pool.invoke(req('/'), { id: 'r0' });
  assert.equal((await pool.invoke(req('/hang'), { id: 'r1' })).outcome, 'timeout');
  assert.equal(d.started[0]!.dead, false, 'the kill has not completed');
  assert.deepEqual([pool.stats().stopping, pool.stats().containers.includes(d.started[0]!.id)], [1, false], 'counted as stopping, not as serving');
  const next = await pool.invoke(req('/'), { id: 'r2' });
  assert.equal(next.outcome, 'ok', 'a replacement serves meanwhile');
  assert.notEqual(next.response.body, first.response.body);
  finishKills();
  await waitFor('the kill', () => pool.stats().stopping === 0);
  assert.equal(d.started[0]!.dead, true);
});

test('a container dying mid-request: one re-execution in a fresh container, then 502', async (t) => {
  const d = new FakeDriver();
  const pool = makePool(d);
  t.after(() => pool.close());
  const once = await pool.invoke(req('/die-once'), { id: 'r1' });
  assert.equal(once.outcome, 'ok');
  assert.equal(once.reexecuted, true);
  const started = d.started.length;
  const twice = await pool.invoke(req('/die'), { id: 'r2' });
  assert.equal(twice.response.status, 502);
  assert.equal(twice.reexecuted, true);
  assert.ok(d.started.length > started, 'the re-execution ran in a container started for it');
  assert.match(JSON.parse(twice.response.body).error, /died/);
  assert.equal((await pool.invoke(req('/'), { id: 'r3' })).outcome, 'ok');
});

test('scale to zero after idle_ms, then a cold start', async (t) => {
  const d = new FakeDriver();
  const pool = makePool(d, { idle_ms: 100, concurrency: 2 });
  t.after(() => pool.close());
  await Promise.all(Array.from({ length: 6 }, (_, i) => pool.invoke(req('/slow/30'), { id: `r${i}` })));
  assert.ok(pool.stats().ready >= 2);
  await waitFor('scale to zero', () => pool.stats().ready + pool.stats().starting === 0);
  assert.equal(d.alive().length, 0);
  const r = await pool.invoke(req('/'), { id: 'again' });
  assert.equal(r.coldStart, true);
  assert.equal(r.outcome, 'ok');
});

test('a load error answers 500 with the reason', async (t) => {
  const d = new FakeDriver();
  d.failLoad = 'ReferenceError: x is not defined';
  const pool = makePool(d);
  t.after(() => pool.close());
  const r = await pool.invoke(req('/'), { id: 'r' });
  assert.equal(r.response.status, 500);
  assert.match(JSON.parse(r.response.body).error, /x is not defined/);
});

test('when every container is full a runner is pre-started, within max_containers', async (t) => {
  const d = new FakeDriver();
  const pool = makePool(d, { concurrency: 2, max_containers: 2 });
  t.after(() => pool.close());
  await pool.invoke(req('/'), { id: 'warm' });
  const both = [pool.invoke(req('/slow/100'), { id: 'a' }), pool.invoke(req('/slow/100'), { id: 'b' })];
  assert.equal(pool.stats().spare, true, 'the full container triggered a pre-start');
  await waitFor('the pre-started runner', () => d.started.length === 2);
  const more = await Promise.all([pool.invoke(req('/slow/10'), { id: 'c' }), ...both]);
  assert.ok(more.every((r) => r.outcome === 'ok'));
  assert.ok(d.started.length <= 2, `started ${d.started.length}`);
  assert.equal(pool.stats().spare, false, 'the pre-started runner became the second container');
});

test('closing the pool under a running request answers it at once, without waiting for a container', async () => {
  const d = new FakeDriver();
  const pool = makePool(d);
  await pool.invoke(req('/'), { id: 'warm' });
  // A request the container never answers (its timeout_ms is 10 s): only the close can end it.
  const running = pool.invoke(req('/hang'), { id: 'r' });
  await waitFor('the request in its container', () => d.started[0]!.inflight === 1);
  await pool.close();
  const r = await running;
  assert.equal(r.response.status, 503);
  assert.equal(r.outcome, 'closed');
});

test('waiting for a busy warm container is queueing, not a cold start', async (t) => {
  const d = new FakeDriver();
  const pool = makePool(d, { concurrency: 1, max_containers: 1 });
  t.after(() => pool.close());
  await pool.invoke(req('/'), { id: 'warm' });
  const [a, b] = await Promise.all([pool.invoke(req('/slow/50'), { id: 'a' }), pool.invoke(req('/'), { id: 'b' })]);
  assert.deepEqual([a.coldStart, b.coldStart, b.outcome], [false, false, 'ok']);
  assert.equal(d.started.length, 1);
});

test('at the platform limit an idle container of another function is reclaimed', async (t) => {
  const d = new FakeDriver();
  const cap = new Capacity(1);
  let later = 0;
  const a = makePool(d, {}, cap, () => Date.now() + later);
  const b = makePool(d, {}, cap);
  t.after(() => Promise.all([a.close(), b.close()]));
  await a.invoke(req('/'), { id: 'a1' });
  later = 1100; // reclaiming spares containers used within the last second: a's clock moves past it
  const r = await b.invoke(req('/'), { id: 'b1' });
  assert.equal(r.outcome, 'ok');
  assert.equal(a.stats().ready, 0, "a's idle container was given back");
  assert.equal(cap.inUse, 1);
});

test('at the platform limit the container idle longest is reclaimed, whichever pool came first', async (t) => {
  const d = new FakeDriver();
  const cap = new Capacity(2);
  let clock = 0;
  const now = () => clock;
  // `recent` registers with the Capacity first: the order holders were made in must not decide.
  const recent = makePool(d, {}, cap, now);
  const stale = makePool(d, {}, cap, now);
  const third = makePool(d, {}, cap, now);
  t.after(() => Promise.all([recent.close(), stale.close(), third.close()]));
  await stale.invoke(req('/'), { id: 's1' });
  clock = 5_000;
  await recent.invoke(req('/'), { id: 'r1' });
  clock = 7_000; // both idle past the one-second grace; stale's for 7 s, recent's for 2 s
  const r = await third.invoke(req('/'), { id: 't1' });
  assert.equal(r.outcome, 'ok');
  assert.equal(stale.stats().ready, 0, 'the least recently used container was given back');
  assert.equal(recent.stats().ready, 1, 'the recently used one stays');
  assert.equal(cap.inUse, 2);
});

test('retireIdle stops idle containers for good; the next request is a cold start', async (t) => {
  const d = new FakeDriver();
  const pool = makePool(d, { idle_ms: 400 });
  t.after(() => pool.close());
  assert.equal((await pool.invoke(req('/'), { id: 'r1' })).outcome, 'ok');
  const busy = pool.invoke(req('/slow/300'), { id: 'r2' });
  await waitFor('r2 in flight', () => pool.stats().inflight === 1);
  pool.retireIdle();
  assert.equal(pool.stats().ready, 1, 'a container with a request in flight stays');
  assert.equal((await busy).outcome, 'ok');
  pool.retireIdle();
  await waitFor('the container stopped', () => d.alive().length === 0);
  await sleep(250); // the ticker runs every idle_ms / 4: it must not start one again
  assert.equal(d.started.length, 1);
  const r = await pool.invoke(req('/'), { id: 'r3' });
  assert.equal(r.coldStart, true);
  assert.equal(d.started.length, 2);
});

/** Pools of functions named as their id prefix, all starting through one gate of one start at a time. */
function gatedPools(t: { after(fn: () => unknown): void }) {
  const d = new FakeDriver();
  const gate = new StartGate(d, 1);
  const capacity = new Capacity(100);
  const pool = (idPrefix: string) => {
    const p = new Pool({
      driver: gate.as('request'),
      code: { name: idPrefix, version: 1, source: '', env: {} },
      config: { ...DEFAULT_CONFIG, idle_ms: 60_000 },
      capacity,
      metrics: createMetrics({ defaultMetrics: false }),
      logger,
      io: { request: async () => undefined },
      log() {},
      idPrefix,
    });
    t.after(() => p.close());
    return p;
  };
  return { d, pool };
}

test('through the start gate, the cold start more requests wait for goes first', async (t) => {
  const { d, pool } = gatedPools(t);
  const [first, quiet, busy] = [pool('first'), pool('quiet'), pool('busy')];
  const answers = [first.invoke(req('/'), { id: 'f1' }), quiet.invoke(req('/'), { id: 'q1' })];
  for (let i = 0; i < 3; i++) answers.push(busy.invoke(req('/'), { id: `b${i}` }));
  await Promise.all(answers);
  assert.deepEqual(d.started.map((c) => c.id), ['first-1', 'busy-1', 'quiet-1'], 'busy (3 waiting) started before quiet (1), which asked first');
});

test('a spare pre-start waits behind another function’s cold start until a request of its own needs it', async (t) => {
  const { d, pool } = gatedPools(t);
  const [first, spared, cold] = [pool('first'), pool('spared'), pool('cold')];
  const answers = [first.invoke(req('/'), { id: 'f1' })];
  spared.prestart();
  answers.push(cold.invoke(req('/'), { id: 'c1' }));
  await Promise.all(answers);
  await waitFor('the spare started', () => d.started.length === 3);
  assert.deepEqual(d.started.map((c) => c.id), ['first-1', 'cold-1', 'spared-1'], 'the cold start went before the spare asked earlier');
});
