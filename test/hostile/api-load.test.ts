/**
 * The management API under ordinary load and bad input (issue 9, item 6), through the HTTP API of a
 * real platform (runc): bursts of deploys while traced requests, trace writes and activation flushes
 * run; bad encodings and bodies; redeploys and DELETE during traffic (large deploys and racing
 * redeploys: api-large-deploy.test.ts). Each asserts the attack fails (or the load is served) AND
 * that another function still answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startPlatform, type Platform } from '../../src/server/index.ts';
import { call, deploy as deployPinned, platform, src } from '../e2e/helpers.ts';
import { until } from '../acceleration/helpers.ts';
import { keepCalling, notOk, put, version } from './api-helpers.ts';

const SANDBOX = (process.env.CONTAINERLESS_TEST_SANDBOX as 'runc' | undefined) ?? 'runc';

/** A traced function: every request's path goes to the trace, which the compile worker stores. */
const BRANCHY = `const c = require('containerless');
c.listen(function (req) { if (req.query.a) { c.respond('a' + req.query.a); } else if (req.path === '/x') { c.respond('x'); } else { console.log('hit'); c.respond('other'); } });`;

async function startOn(dataDir: string): Promise<Platform> {
  return startPlatform({ dataDir, port: 0, sandbox: SANDBOX, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), windowMs: 2000, policy: { persistTraceMs: 20 } });
}

test('60 back-to-back and 30 concurrent deploys all succeed while traced requests run; every one is stored after a restart', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cl-hostile-'));
  let p = await startOn(dataDir);
  // Closed before its data directory goes (after-hooks run in the order they were added).
  t.after(async () => {
    await p.close();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });
  // A traced function under traffic: its trace is written by the compile worker's connection every
  // 20 ms (the other writer), its activations flushed by the dispatcher's, as deploys commit.
  assert.equal((await put(p, 'busy', BRANCHY)).status, 201);
  let stop = false;
  const traffic = Promise.all([0, 1].map((i) => keepCalling(p, i === 0 ? '/fn/busy/?a=1' : '/fn/busy/x', () => stop)));
  const failures: string[] = [];
  const expected = new Map<string, number>();
  const one = async (name: string, v: number) => {
    const r = await put(p, name, version(`${name}-${v}`));
    if (r.status !== 200 && r.status !== 201) failures.push(`${name}: ${r.status} ${await r.text()}`);
    else expected.set(name, Math.max(expected.get(name) ?? 0, (JSON.parse(await r.text()) as { version: number }).version));
  };
  for (let i = 0; i < 60; i++) await one(`seq-${i % 20}`, i);
  for (let i = 0; i < 30; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => one(`par-${(i + j) % 15}`, i + j)));
  // Listing and describing under the same load.
  const lists = await Promise.all(Array.from({ length: 40 }, (_, i) => call(p, i % 2 ? '/api/functions' : '/api/functions/busy')));
  stop = true;
  const served = (await traffic).flat();
  assert.deepEqual(failures, [], 'no deploy failed');
  assert.ok(lists.every((r) => r.status === 200), lists.map((r) => r.status).join(','));
  assert.ok(served.length > 0 && served.every((r) => r.status === 200), `traffic: ${served.length} answers, not 200: ${notOk(served)}`);
  assert.ok(served.some((r) => r.mode === 'tracing'), 'requests ran traced meanwhile');
  assert.equal(expected.size, 35);

  await p.close();
  p = await startOn(dataDir);
  const listed = (await call(p, '/api/functions')).json() as Array<{ name: string; version: number }>;
  const byName = new Map(listed.map((f) => [f.name, f.version]));
  for (const [name, v] of expected) assert.equal(byName.get(name), v, `${name} after the restart`);
  // The last deploy of a name is what serves after the restart.
  assert.equal((await call(p, '/fn/seq-19/')).text, 'vseq-19-59');
  assert.equal((await call(p, '/fn/busy/x')).text, 'x');
});

test('bad encodings and bad bodies are 4xx JSON errors, never 500; the platform keeps serving', async (t) => {
  const p = await platform(t);
  await deployPinned(p, 'ok', src.hello);
  const cases: Array<[method: string, path: string, body: string | undefined, type: string | undefined, status: number, match: RegExp]> = [
    ['GET', '/api/functions/%E0%A4%A', undefined, undefined, 400, /percent-encoding in the request path/],
    ['PUT', '/api/functions/%E0%A4%A', JSON.stringify({ source: src.hello }), 'application/json', 400, /percent-encoding/],
    ['DELETE', '/api/functions/ok%', undefined, undefined, 400, /percent-encoding/],
    ['GET', '/api/functions/%FF', undefined, undefined, 400, /percent-encoding/],
    ['GET', '/api/functions/a%2Fb', undefined, undefined, 400, /bad function name "a\/b": must match \[a-z0-9\]\[a-z0-9-\]\{0,62\}/],
    ['GET', '/api/functions/%41BC', undefined, undefined, 400, /bad function name "ABC"/],
    ['PUT', `/api/functions/${'a'.repeat(64)}`, JSON.stringify({ source: src.hello }), 'application/json', 400, /must match/],
    ['GET', '/api/functions/ok/logs?limit=%zz', undefined, undefined, 400, /percent-encoding in the request query string/],
    ['POST', '/fn/%E0%A4%A/x', '{}', 'application/json', 400, /percent-encoding/],
    ['PUT', '/api/functions/x', '{"source":', 'application/json', 400, /not valid JSON/],
    ['PUT', '/api/functions/x', src.hello, 'text/plain', 400, /not valid JSON.*application\/javascript/],
    ['PUT', '/api/functions/x', '[1, 2]', 'application/json', 400, /body must be/],
    ['PUT', '/api/functions/x', '{"source": 5}', 'application/json', 400, /source must be a string/],
    ['PUT', '/api/functions/x', JSON.stringify({ source: src.hello, config: { timeout_ms: 'soon' } }), 'application/json', 400, /config\.timeout_ms/],
    ['PUT', '/api/functions/x', JSON.stringify({ source: src.hello, config: [] }), 'application/json', 400, /config must be an object/],
    ['PUT', '/api/functions/x', `{"source": ${JSON.stringify(src.hello)}, "config": {"__proto__": {"timeout_ms": 1}}}`, 'application/json', 400, /unknown config key "__proto__"/],
    ['PUT', '/api/functions/x', JSON.stringify({ source: src.hello, config: { constructor: 1 } }), 'application/json', 400, /unknown config key "constructor"/],
    ['PUT', '/api/functions/x', `{"source": "const c = require('containerless'); c.listen(() => c.respond('\\ud800'));"}`, 'application/json', 400, /lone surrogate/],
    ['PUT', '/api/functions/x', JSON.stringify({ source: `${src.hello}\nvar z = ${'['.repeat(60_000)}${']'.repeat(60_000)};` }), 'application/json', 400, /nested too deeply/],
    ['PUT', '/api/functions/x', JSON.stringify({ source: `${src.hello}\n/*${'x'.repeat(6 * 1024 * 1024)}*/` }), 'application/json', 413, /body too large/],
    ['PUT', '/api/functions/ok/mode', '{"mode":', 'application/json', 400, /not valid JSON/],
    ['PUT', '/api/functions/ok/mode', '{"mode":"fast"}', 'application/json', 400, /mode must be one of/],
  ];
  for (const [method, path, body, type, status, match] of cases) {
    const r = await call(p, path, { method, body, headers: type ? { 'content-type': type } : {} });
    const what = `${method} ${path.slice(0, 60)} → ${r.status} ${r.text.slice(0, 200)}`;
    assert.equal(r.status, status, what);
    assert.match(r.headers.get('content-type') ?? '', /application\/json/, what);
    assert.match(r.json().error, match, what);
    if (path.startsWith('/fn/')) assert.equal(r.headers.get('x-containerless-mode'), 'container', what);
  }
  assert.equal((await call(p, '/api/functions/x')).status, 404, 'no bad deploy was stored');
  assert.equal((await call(p, '/fn/ok/')).text, 'Hello, world!');
  assert.equal((await call(p, '/healthz')).status, 200);
});

test('redeploys and a DELETE while the function serves traffic: no 500, logs stay bounded', async (t) => {
  const p = await platform(t);
  await deployPinned(p, 'live', version(0));
  await deployPinned(p, 'bystander', src.hello);
  let stop = false;
  const traffic = Promise.all(Array.from({ length: 4 }, () => keepCalling(p, '/fn/live/', () => stop)));
  for (let v = 1; v <= 5; v++) assert.equal((await put(p, 'live', version(v))).status, 200);
  await until('requests were served by the last version', async () => (await call(p, '/fn/live/')).text === 'v5', 30_000);
  // Many activations: retention keeps the newest 100; a read flushes and answers at once.
  const logs = (await call(p, '/api/functions/live/logs?limit=1000')).json() as unknown[];
  assert.ok(logs.length > 0 && logs.length <= 100, `${logs.length} activations shown`);
  assert.equal((await call(p, '/api/functions/live', { method: 'DELETE' })).status, 200);
  stop = true;
  const served = (await traffic).flat();
  const statuses = new Set(served.map((s) => s.status));
  // In flight during the delete: the old answer, or the platform's own 404/503; never a 500.
  assert.ok([...statuses].every((s) => s === 200 || s === 404 || s === 503), `statuses: ${[...statuses]}`);
  assert.ok(served.filter((s) => s.status === 200).length >= 4, `${served.length} answers: ${served.map((s) => s.status).join(',')}`);
  assert.equal((await call(p, '/fn/live/')).status, 404);
  assert.equal((await call(p, '/fn/bystander/')).text, 'Hello, world!');
});
