import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, deploy, platform, sleep, src } from './helpers.ts';

test('scale: 50 concurrent slow requests grow the pool within max_containers; idle → zero; then a cold start', async (t) => {
  const p = await platform(t);
  await deploy(p, 'slow', src.slow, { concurrency: 10, max_containers: 3, idle_ms: 1500, timeout_ms: 5000 });
  const pool = () => p.dispatcher.get('slow')!.pool.stats();
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, pool().ready + pool().starting + (pool().spare ? 1 : 0))), 20);
  const rs = await Promise.all(Array.from({ length: 50 }, () => call(p, '/fn/slow/?ms=400')));
  clearInterval(sampler);
  assert.deepEqual([...new Set(rs.map((r) => r.status))], [200]);
  const pids = new Set(rs.map((r) => r.text));
  assert.ok(pids.size > 1, `served by more than one container (pids ${[...pids].join(',')})`);
  assert.ok(peak > 1 && peak <= 3, `pool size ${peak} within max_containers`);
  assert.ok(pool().ready <= 3);

  // No traffic for idle_ms: every container is gone (runc's own list agrees once no kill is in flight).
  const deadline = Date.now() + 30_000; // idle_ms is 1.5 s: a bound on the wait, not on the speed
  while (Date.now() < deadline && (pool().ready + pool().starting + pool().stopping > 0 || pool().spare)) await sleep(100);
  assert.deepEqual([pool().ready, pool().starting, pool().stopping, pool().spare], [0, 0, 0, false]);
  const { execFileSync } = await import('node:child_process');
  const left = execFileSync('runc', ['list', '-q']).toString().split('\n').filter((id) => id.startsWith('cl-slow-'));
  assert.deepEqual(left, []);

  const before = (await call(p, '/metrics')).text.match(/containerless_cold_starts_total\{function="slow"\} (\d+)/)![1];
  const again = await call(p, '/fn/slow/?ms=1');
  assert.equal(again.status, 200);
  const after = (await call(p, '/metrics')).text.match(/containerless_cold_starts_total\{function="slow"\} (\d+)/)![1];
  assert.equal(Number(after), Number(before) + 1, 'the next request was a cold start');
});

test('over the concurrency limit: 429 once containers and queue are full', async (t) => {
  const p = await platform(t);
  await deploy(p, 'tight', src.slow, { concurrency: 1, max_containers: 1, max_queue: 1, timeout_ms: 5000 });
  const rs = await Promise.all(Array.from({ length: 6 }, () => call(p, '/fn/tight/?ms=300')));
  const statuses = rs.map((r) => r.status);
  assert.ok(statuses.includes(200));
  assert.ok(statuses.includes(429), statuses.join(','));
  const rejected = rs.find((r) => r.status === 429)!;
  assert.match(rejected.json().error, /concurrency limit/);
  assert.equal(rejected.headers.get('x-containerless-mode'), 'container');
});
