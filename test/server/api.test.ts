import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, deploy, platform, src } from '../e2e/helpers.ts';
import { startPlatform } from '../../src/server/index.ts';
import { tempDir } from '../e2e/helpers.ts';

test('management API: deploy, describe, list, mode, logs, trace/compile answers, delete', async (t) => {
  const p = await platform(t);
  const created = await fetch(`${p.url}/api/functions/hello`, { method: 'PUT', headers: { 'content-type': 'application/javascript' }, body: src.hello });
  assert.equal(created.status, 201);
  const desc = (await created.json()) as Record<string, any>;
  assert.equal(desc.version, 1);
  assert.equal(desc.sandbox, 'runc');
  assert.equal(desc.config.timeout_ms, 10000, 'defaults are shown');
  const replaced = await deploy(p, 'hello', src.hello, { timeout_ms: 3000 });
  assert.equal(replaced.version, 2);
  assert.equal((await call(p, '/fn/hello')).text, 'Hello, world!');

  const list = (await call(p, '/api/functions')).json();
  assert.deepEqual(list.map((f: any) => [f.name, f.version, f.mode]), [['hello', 2, 'containers']]);
  const got = (await call(p, '/api/functions/hello')).json();
  assert.equal(got.mode, 'containers');
  assert.equal(got.config.timeout_ms, 3000);
  assert.equal(got.stats.requests.container, 1);
  assert.equal(got.stats.requests.accelerated, 0);
  assert.deepEqual(got.stats.aborts, {});

  const logs = (await call(p, '/api/functions/hello/logs')).json();
  assert.equal(logs.length, 1);
  assert.deepEqual(Object.keys(logs[0]).sort(), ['duration_ms', 'id', 'logs', 'mode', 'reexecuted', 'start', 'status'].sort());
  assert.equal(logs[0].mode, 'container');
  assert.equal(logs[0].status, 200);

  const mode = await call(p, '/api/functions/hello/mode', { method: 'PUT', body: JSON.stringify({ mode: 'containers' }) });
  assert.equal(mode.status, 200);
  assert.equal(mode.json().pin, 'containers');
  assert.equal((await call(p, '/api/functions/hello/mode', { method: 'PUT', body: '{"mode":"fast"}' })).status, 400);
  assert.equal((await call(p, '/api/functions/hello')).json().pin, 'containers');

  const trace = await call(p, '/api/functions/hello/trace');
  assert.equal(trace.status, 404);
  assert.match(trace.json().error, /^no trace yet/);
  assert.equal((await call(p, '/api/functions/hello/compiled')).status, 404);
  const compile = await call(p, '/api/functions/hello/compile', { method: 'POST' });
  assert.equal(compile.status, 422);
  assert.match(compile.json().error, /cannot compile/);

  assert.equal((await call(p, '/api/functions/hello', { method: 'DELETE' })).status, 200);
  assert.equal((await call(p, '/fn/hello')).status, 404);
  assert.equal((await call(p, '/api/functions/hello', { method: 'DELETE' })).status, 404);
});

test('bad input: parse error with line and column, no listen, bad name, bad config, 413, 404', async (t) => {
  const p = await platform(t, { maxBodyBytes: 1024 });
  const put = (name: string, body: unknown) => call(p, `/api/functions/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const bad = await put('broken', { source: "const c = require('containerless');\nc.listen(function (req) {\n  c.respond('x' +);\n});" });
  assert.equal(bad.status, 400);
  assert.deepEqual([bad.json().line, bad.json().column], [3, 18]);
  assert.match(bad.json().error, /syntax error/);
  const nolisten = await put('nolisten', { source: "const c = require('containerless'); c.respond(1);" });
  assert.equal(nolisten.status, 400);
  assert.match(nolisten.json().error, /listen/);
  assert.ok('line' in nolisten.json() && 'column' in nolisten.json());
  for (const name of ['Bad', '-x', 'a_b', 'x'.repeat(64)]) assert.equal((await put(name, { source: src.hello })).status, 400, name);
  assert.equal((await put('ok-name', { source: src.hello, config: { network: 'bridge' } })).status, 400);
  assert.equal((await put('ok-name', { source: 42 })).status, 400);
  assert.equal((await call(p, '/api/functions/x', { method: 'PUT', body: '{' })).status, 400);
  assert.equal((await call(p, '/api/functions', { method: 'GET' })).json().length, 0, 'nothing was stored');

  await deploy(p, 'echo', src.echo);
  const big = await call(p, '/fn/echo/', { method: 'POST', body: 'x'.repeat(2048) });
  assert.equal(big.status, 413);
  assert.match(big.json().error, /too large/);
  const ok = await call(p, '/fn/echo/', { method: 'POST', body: 'x'.repeat(1000) });
  assert.equal(ok.status, 200);
  const missing = await call(p, '/fn/nope/x');
  assert.equal(missing.status, 404);
  assert.match(missing.json().error, /no such function/);
  assert.equal((await call(p, '/api/functions/nope')).status, 404);
  assert.equal((await call(p, '/healthz')).status, 200);
});

test('token: /api needs the bearer token, /fn does not; non-loopback needs a token', async (t) => {
  const p = await platform(t, { token: 's3cret' });
  assert.equal((await call(p, '/api/functions')).status, 401);
  assert.equal((await call(p, '/api/functions', { headers: { authorization: 'Bearer wrong' } })).status, 401);
  assert.equal((await call(p, '/api/functions', { headers: { authorization: 'Bearer s3cret' } })).status, 200);
  await deploy(p, 'hello', src.hello, undefined, 's3cret');
  assert.equal((await call(p, '/fn/hello')).text, 'Hello, world!');
  await assert.rejects(
    startPlatform({ dataDir: tempDir(t), host: '0.0.0.0', port: 0, sandbox: 'process' }),
    /refusing to listen on 0\.0\.0\.0 without a token/,
  );
});

test('/metrics exposes requests, latency, containers and cold starts per function', async (t) => {
  const p = await platform(t);
  await deploy(p, 'hello', src.hello);
  await call(p, '/fn/hello');
  await call(p, '/fn/hello');
  const m = await call(p, '/metrics');
  assert.equal(m.status, 200);
  assert.match(m.text, /containerless_requests_total\{function="hello",mode="container",status="200"\} 2/);
  assert.match(m.text, /containerless_request_duration_seconds_count\{function="hello",mode="container"\} 2/);
  assert.match(m.text, /containerless_containers\{function="hello",state="ready"\} 1/);
  assert.match(m.text, /containerless_cold_starts_total\{function="hello"\} 1/);
});

// The grace for requests in flight is far longer than the test may take: a close that waited for it
// (a keep-alive connection never released, say) would time the test out.
test('closing the platform lets a request in flight finish, then returns without waiting out the grace', { timeout: 60_000 }, async (t) => {
  const p = await platform(t, { shutdownGraceMs: 600_000 });
  await deploy(p, 'slow', src.slow);
  await call(p, '/fn/slow/?ms=1');
  const order: string[] = [];
  const inflight = call(p, '/fn/slow/?ms=500').then((r) => (order.push('response'), r));
  const inFlight = () => (p.dispatcher.stats('slow')?.containers as { inflight: number }).inflight;
  while (inFlight() !== 1) await new Promise((r) => setTimeout(r, 10));
  await p.close().then(() => order.push('closed'));
  const r = await inflight;
  assert.equal(r.status, 200);
  assert.deepEqual(order, ['response', 'closed']);
});

test('GET /api/functions/NAME lists the tracing pool containers too, marked traced', async (t) => {
  const p = await platform(t);
  const put = await fetch(`${p.url}/api/functions/traced`, { method: 'PUT', headers: { 'content-type': 'application/javascript' }, body: src.hello });
  assert.equal(put.status, 201);
  const r = await call(p, '/fn/traced');
  assert.equal(r.headers.get('x-containerless-mode'), 'tracing', 'a new function is traced first (default policy)');
  const containers = (await call(p, '/api/functions/traced')).json().containers as Array<{ id: string; traced: boolean; rss_bytes: number | null }>;
  const traced = containers.filter((c) => c.traced);
  assert.equal(traced.length, 1, JSON.stringify(containers));
  assert.equal(typeof traced[0]!.id, 'string');
  assert.ok(containers.every((c) => typeof c.traced === 'boolean' && 'rss_bytes' in c));

  await deploy(p, 'plain', src.hello);
  await call(p, '/fn/plain');
  const plain = (await call(p, '/api/functions/plain')).json().containers as Array<{ traced: boolean }>;
  // Its tracing pool, started at deploy before the pin, may still hold a container until idle_ms.
  assert.ok(plain.some((c) => c.traced === false), `the plain pool's container is listed: ${JSON.stringify(plain)}`);
});
