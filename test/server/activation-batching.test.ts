import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startPlatform, type Platform } from '../../src/server/index.ts';
import { call, tempDir } from '../e2e/helpers.ts';

// Activations and counters are buffered in memory between flushes. A flush interval far longer than
// any test makes every assertion below depend on the flushes that reads and shutdown do themselves.
const NEVER = 3_600_000;

const SOURCE = `const c = require('containerless');
let n = 0;
c.listen(function (req) { n++; if (req.query.fail) c.respond('no', { status: 418 }); else c.respond('ok ' + req.path); });`;

async function start(dataDir: string): Promise<Platform> {
  return startPlatform({ dataDir, port: 0, sandbox: 'runc', logger: pino({ level: 'silent' }), windowMs: 2000, store: { flushIntervalMs: NEVER } });
}

async function put(p: Platform, name: string): Promise<void> {
  const r = await fetch(`${p.url}/api/functions/${name}`, { method: 'PUT', headers: { 'content-type': 'application/javascript' }, body: SOURCE });
  assert.equal(r.status, 201, await r.text());
}

test('buffered activations: in /logs as soon as the response is out, counters exact, kept across a clean restart', async (t) => {
  const dataDir = tempDir(t, 'cl-batching-');
  let p = await start(dataDir);
  let closed = false;
  t.after(() => (closed ? undefined : p.close()));
  await put(p, 'counted');

  const ids: string[] = [];
  const first = await call(p, '/fn/counted/one');
  assert.equal(first.text, 'ok /one');
  ids.push(first.headers.get('x-containerless-request-id')!);
  // The very next read sees it, although no timer has flushed anything.
  const logs1 = (await call(p, '/api/functions/counted/logs')).json() as Array<{ id: string; status: number }>;
  assert.deepEqual(logs1.map((a) => a.id), ids);

  // Concurrent requests in every mode the function passes through; 5 of them fail on purpose.
  const rs = await Promise.all(Array.from({ length: 40 }, (_, i) => call(p, `/fn/counted/r${i}${i % 8 === 0 ? '?fail=1' : ''}`)));
  for (const r of rs) ids.push(r.headers.get('x-containerless-request-id')!);
  assert.deepEqual(rs.filter((r) => r.status === 418).length, 5);

  const expectStats = async (q: Platform) => {
    const stats = (await call(q, '/api/functions/counted')).json().stats as { requests: Record<string, number>; statuses: Record<string, number> };
    const requests = Object.values(stats.requests).reduce((a, b) => a + b, 0);
    assert.equal(requests, 41, JSON.stringify(stats.requests));
    assert.deepEqual(stats.statuses, { '200': 36, '418': 5 });
  };
  await expectStats(p);
  const logs = (await call(p, '/api/functions/counted/logs')).json() as Array<{ id: string }>;
  assert.deepEqual(new Set(logs.map((a) => a.id)), new Set(ids));

  // More after the last read, then a clean shutdown: nothing of it is lost.
  const late = await call(p, '/fn/counted/late');
  ids.push(late.headers.get('x-containerless-request-id')!);
  await p.close();
  closed = true;
  p = await start(dataDir);
  closed = false;
  const after = (await call(p, '/api/functions/counted/logs')).json() as Array<{ id: string }>;
  assert.equal(after[0]!.id, ids.at(-1), 'newest first, the last request included');
  assert.deepEqual(new Set(after.map((a) => a.id)), new Set(ids));
  const stats = (await call(p, '/api/functions/counted')).json().stats as { statuses: Record<string, number> };
  assert.deepEqual(stats.statuses, { '200': 37, '418': 5 });
});

test('buffered activations: a busy function keeps only its newest activations, its counters stay exact', async (t) => {
  const dataDir = tempDir(t, 'cl-batching-');
  const p = await startPlatform({ dataDir, port: 0, sandbox: 'runc', logger: pino({ level: 'silent' }), store: { flushIntervalMs: NEVER, activationsPerFunction: 10 } });
  t.after(() => p.close());
  await put(p, 'busy');
  const ids: string[] = [];
  const answered: Record<string, number> = {};
  for (let i = 0; i < 45; i++) {
    const r = await call(p, `/fn/busy/${i}`);
    ids.push(r.headers.get('x-containerless-request-id')!);
    answered[r.status] = (answered[r.status] ?? 0) + 1;
    // On a machine too busy to start a container within its start timeout the platform answers 503
    // (counted like any answer, below); nothing else is expected.
    if (r.status !== 200) assert.match(`${r.status} ${r.text}`, /^503 .*a container could not be started/);
  }
  assert.equal(new Set(ids).size, 45, 'every request has its own id');
  const logs = (await call(p, '/api/functions/busy/logs')).json() as Array<{ id: string }>;
  assert.deepEqual(logs.map((a) => a.id), ids.slice(-10).reverse());
  // Exact: the counters say what the 45 requests got.
  const stats = (await call(p, '/api/functions/busy')).json().stats as { statuses: Record<string, number> };
  assert.deepEqual(stats.statuses, answered);
});
