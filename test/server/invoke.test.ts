import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { call, deploy, mockBackend, platform, src } from '../e2e/helpers.ts';

// CONTRACT §1, row by row, with the function running in a real container.

test('request fields: method, path, query, headers, body for GET/POST/JSON/text/no body', async (t) => {
  const p = await platform(t);
  await deploy(p, 'echo', src.echo);
  const get = await call(p, '/fn/echo');
  assert.equal(get.headers.get('x-containerless-mode'), 'container');
  assert.equal(get.headers.get('content-type'), 'application/json; charset=utf-8');
  const g = get.json();
  assert.deepEqual([g.method, g.path, g.query, g.body], ['GET', '/', {}, {}]);
  const q = (await call(p, '/fn/echo/a/b?x=1&y=2&x=3', { headers: { 'X-Custom': 'V' } })).json();
  assert.deepEqual([q.path, q.query, q.headers['x-custom']], ['/a/b', { x: '3', y: '2' }, 'V']);
  const json = (await call(p, '/fn/echo/j', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":[1,2]}' })).json();
  assert.deepEqual([json.method, json.body], ['POST', { a: [1, 2] }]);
  const text = (await call(p, '/fn/echo/t', { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'hi there' })).json();
  assert.deepEqual([text.method, text.body], ['PUT', 'hi there']);
  const badJson = (await call(p, '/fn/echo/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' })).json();
  assert.equal(badJson.body, '{nope');
  const del = (await call(p, '/fn/echo/x', { method: 'DELETE' })).json();
  assert.deepEqual([del.method, del.body], ['DELETE', {}]);
  // The function's own path and query pass as sent, even where they are not valid percent-encoding.
  const raw = (await call(p, '/fn/echo/100%/%E0%A4%A?q=%zz&r=50%')).json();
  assert.deepEqual([raw.path, raw.query], ['/100%/%E0%A4%A', { q: '%zz', r: '50%' }]);
  // The name segment is decoded: a bad encoding there is a 400, not a 500.
  assert.equal((await call(p, '/fn/%E0%A4%A/x')).status, 400);
});

test('respond: every value type and options; throw → 500; silence → 504; console → logs', async (t) => {
  const p = await platform(t);
  await deploy(p, 'fmt', `const c = require('containerless');
c.listen(function (req) {
  console.log('handling', req.path);
  if (req.path === '/string') console.error('to stderr');
  switch (req.path) {
    case '/string': return c.respond('text');
    case '/undefined': return c.respond(undefined);
    case '/number': return c.respond(4.5);
    case '/bool': return c.respond(false);
    case '/null': return c.respond(null);
    case '/array': return c.respond([1, 'a', null]);
    case '/options': return c.respond({ a: 1 }, { status: 201, headers: { 'X-Thing': 'yes' } });
    case '/twice': c.respond('first'); return c.respond('second');
    case '/throw': throw new TypeError('bad thing');
    case '/silent': return;
    default: c.respond('?');
  }
});`, { timeout_ms: 1500 });
  const cases: Array<[string, number, string, string]> = [
    ['/string', 200, 'text/plain; charset=utf-8', 'text'],
    ['/undefined', 200, 'text/plain; charset=utf-8', 'undefined'],
    ['/number', 200, 'text/plain; charset=utf-8', '4.5'],
    ['/bool', 200, 'text/plain; charset=utf-8', 'false'],
    ['/null', 200, 'application/json; charset=utf-8', 'null'],
    ['/array', 200, 'application/json; charset=utf-8', '[1,"a",null]'],
    ['/options', 201, 'application/json; charset=utf-8', '{"a":1}'],
    ['/twice', 200, 'text/plain; charset=utf-8', 'first'],
  ];
  for (const [path, status, type, body] of cases) {
    const r = await call(p, `/fn/fmt${path}`);
    assert.deepEqual([r.status, r.headers.get('content-type'), r.text], [status, type, body], path);
    assert.equal(r.headers.get('x-containerless-mode'), 'container');
  }
  assert.equal((await call(p, '/fn/fmt/options')).headers.get('x-thing'), 'yes');
  const thrown = await call(p, '/fn/fmt/throw');
  assert.equal(thrown.status, 500);
  assert.match(thrown.json().error, /TypeError: bad thing/);
  const silent = await call(p, '/fn/fmt/silent');
  assert.deepEqual([silent.status, silent.json().error], [504, 'function timed out after 1500 ms'], 'the timeout of its config');
  assert.equal((await call(p, '/fn/fmt/string')).text, 'text', 'neighbours unaffected');
  const logs = (await call(p, '/api/functions/fmt/logs')).json() as Array<{ logs: string[]; status: number }>;
  assert.ok(logs.some((a) => a.logs.includes('handling /string') && a.logs.includes('[stderr] to stderr')), JSON.stringify(logs.slice(0, 2)));
  assert.ok(logs.some((a) => a.status === 500));
});

test('outbound get/post/put/delete go through the I/O layer, also with network none; errors give undefined', async (t) => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write(chunk, _e, cb) { lines.push(JSON.parse(String(chunk))); cb(); } });
  const mock = await mockBackend(t);
  // The mock is on loopback: allowed explicitly, as an operator would (127.0.0.1:1 stays refused).
  const p = await platform(t, { logger: pino({ level: 'info' }, sink), allowOutbound: [new URL(mock.url).host] });
  await deploy(p, 'caller', `const c = require('containerless');
c.listen(function (req) {
  const u = process.env.MOCK;
  if (req.path === '/get') c.get(u + '/text', (b, meta) => c.respond({ b: b, status: meta.status, h: meta.headers['x-mock'] }));
  else if (req.path === '/post') c.post({ url: u + '/created', body: { n: 1 }, headers: { 'X-Who': 'fn' } }, (b, meta) => c.respond({ b: b, status: meta.status }));
  else if (req.path === '/put') c.put({ url: u + '/p', body: 'raw' }, (b) => c.respond(b));
  else if (req.path === '/delete') c.delete(u + '/d', (b) => c.respond(b));
  else if (req.path === '/error') c.get('http://127.0.0.1:1/', (b) => c.respond(String(b)));
  else if (req.path === '/node-http') {
    require('http').get(u + '/text', () => c.respond('reached')).on('error', (e) => c.respond('blocked: ' + e.code));
  }
});`, { network: 'none', env: { MOCK: mock.url } });
  const getRes = await call(p, '/fn/caller/get');
  assert.deepEqual(getRes.json(), { b: 'plain text', status: 200, h: 'yes' });
  const logged = lines.find((l) => l.msg === 'outbound' && String(l.url).endsWith('/text'));
  assert.ok(logged, 'the outbound call is logged');
  assert.equal(logged.requestId, getRes.headers.get('x-containerless-request-id'), 'with the id of the request that made it');
  assert.deepEqual([logged.fn, logged.method, logged.status, logged.outcome], ['caller', 'GET', 200, 'ok']);
  // Sub-millisecond: a loopback call rounded to whole ms would mostly read 0.
  assert.ok(typeof logged.ms === 'number' && logged.ms > 0 && logged.ms < 10_000, `ms: ${String(logged.ms)}`);
  const post = (await call(p, '/fn/caller/post')).json();
  assert.equal(post.status, 201);
  assert.deepEqual(post.b, { method: 'POST', url: '/created', body: '{"n":1}', ok: true });
  const sent = mock.seen.find((s) => s.url === '/created')!;
  assert.equal(sent.headers['content-type'], 'application/json');
  assert.equal(sent.headers['x-who'], 'fn');
  assert.deepEqual((await call(p, '/fn/caller/put')).json(), { method: 'PUT', url: '/p', body: 'raw', ok: true });
  assert.deepEqual((await call(p, '/fn/caller/delete')).json(), { method: 'DELETE', url: '/d', body: null, ok: true });
  assert.equal((await call(p, '/fn/caller/error')).text, 'undefined');
  // network "none": Node's own networking cannot reach the mock, the API can.
  const direct = await call(p, '/fn/caller/node-http');
  assert.match(direct.text, /^blocked/);
  const m = await call(p, '/metrics');
  assert.match(m.text, /containerless_outbound_calls_total\{function="caller",method="GET",outcome="ok"\} 1/);
});

test('bodies: a chunked body over the limit gets 413 (no content-length to refuse it early); multi-chunk bodies arrive whole', async (t) => {
  const p = await platform(t, { maxBodyBytes: 4096 });
  await deploy(p, 'echo', src.echo);
  const chunked = (parts: string[]) =>
    fetch(`${p.url}/fn/echo/c`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: new ReadableStream({
        start(c) {
          for (const s of parts) c.enqueue(new TextEncoder().encode(s));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
  const big = await chunked(Array.from({ length: 8 }, () => 'x'.repeat(1000)));
  assert.equal(big.status, 413);
  assert.match(((await big.json()) as { error: string }).error, /too large/);
  assert.equal(big.headers.get('x-containerless-mode'), 'container');
  const whole = await chunked(['é'.repeat(500), 'b'.repeat(1000), 'c']);
  assert.equal(whole.status, 200);
  assert.equal(((await whole.json()) as { body: string }).body, `${'é'.repeat(500)}${'b'.repeat(1000)}c`);
  assert.equal((await call(p, '/fn/echo/after')).status, 200, 'the server still serves');
});
