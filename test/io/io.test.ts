import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { IOLayer } from '../../src/io/index.ts';
import { createMetrics } from '../../src/metrics/index.ts';
import { EgressPolicy } from '../../src/io/egress.ts';

async function backend(t: { after(fn: () => unknown): void }) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      // Answers long after the call's bound: a call that waited would get 'late'.
      if (req.url === '/slow-headers') return void setTimeout(() => res.end('late'), 2000);
      if (req.url === '/slow-body') {
        // Headers at once, then a trickle that never ends within the call's bound.
        res.writeHead(200, { 'content-type': 'text/plain' });
        const iv = setInterval(() => res.write('.'), 50);
        res.on('close', () => clearInterval(iv));
        return;
      }
      if (req.url === '/big') return void res.end('x'.repeat(5000));
      res.writeHead(201, { 'content-type': 'application/json', 'X-Mixed-Case': 'v' });
      res.end(JSON.stringify({ method: req.method, body, type: req.headers['content-type'] ?? null }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('I/O layer: answers, refusals, size and time bounds, each counted by outcome', async (t) => {
  const base = await backend(t);
  const metrics = createMetrics({ defaultMetrics: false });
  // The backend is on loopback: allowed as an operator would (any port of 127.0.0.1, so that port 1 is a plain connection error).
  const io = new IOLayer({ logger: pino({ level: 'silent' }), metrics, maxResponseBytes: 1000, egress: new EgressPolicy({ allow: '127.0.0.1' }) });
  t.after(() => io.close());
  // Calls that must answer get a bound no busy machine reaches; the slow ones one they surely pass.
  const roomy = { function: 'f', timeoutMs: 10_000 };
  const policy = { function: 'f', timeoutMs: 300 };
  const ctx = { function: 'f', mode: 'accelerated' };

  const ok = await io.perform({ method: 'POST', url: `${base}/echo`, headers: { 'content-type': 'text/plain' }, body: 'hi' }, roomy, ctx);
  assert.equal(ok?.status, 201);
  assert.deepEqual(JSON.parse(ok!.body), { method: 'POST', body: 'hi', type: 'text/plain' });
  assert.equal(ok!.headers['x-mixed-case'], 'v', 'header names are lower-case');
  assert.equal(ok!.headers['content-type'], 'application/json');

  assert.equal(await io.perform({ method: 'GET', url: 'file:///etc/passwd', headers: {} }, policy, ctx), undefined);
  assert.equal(await io.perform({ method: 'GET', url: `${base}/big`, headers: {} }, roomy, ctx), undefined);
  assert.equal(await io.perform({ method: 'GET', url: `${base}/slow-headers`, headers: {} }, policy, ctx), undefined);
  assert.equal(await io.perform({ method: 'GET', url: `${base}/slow-body`, headers: {} }, policy, ctx), undefined);
  assert.equal(await io.perform({ method: 'GET', url: 'http://127.0.0.1:1/', headers: {} }, policy, ctx), undefined);

  const text = await metrics.registry.metrics();
  const count = (method: string, outcome: string) => Number(new RegExp(`containerless_outbound_calls_total\\{function="f",method="${method}",outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  const refused = Number(/containerless_outbound_calls_total\{function="f",method="GET",outcome="refused",reason="scheme"\} (\d+)/.exec(text)?.[1] ?? 0);
  assert.deepEqual(
    [count('POST', 'ok'), refused, count('GET', 'too-large'), count('GET', 'timeout'), count('GET', 'error')],
    [1, 1, 1, 2, 1],
  );
  assert.match(text, /containerless_outbound_duration_seconds_count\{function="f",method="GET"\} 5/);
});

test('I/O layer: response bytes read at once are bounded across calls, and given back when calls end', async (t) => {
  // Each body is 3 MiB, sent slowly enough that three calls are reading at the same time.
  const chunk = 'y'.repeat(64 * 1024);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    let sent = 0;
    const iv = setInterval(() => {
      res.write(chunk);
      if (++sent === 48) {
        clearInterval(iv);
        res.end();
      }
    }, 5);
    res.on('close', () => clearInterval(iv));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const metrics = createMetrics({ defaultMetrics: false });
  const io = new IOLayer({ logger: pino({ level: 'silent' }), metrics, maxBytesInFlight: 5 * 1024 * 1024, egress: new EgressPolicy({ allow: '127.0.0.1' }) });
  t.after(() => io.close());
  const policy = { function: 'f', timeoutMs: 10_000 };
  const ctx = { function: 'f', mode: 'containers' };
  const together = await Promise.all([1, 2, 3].map(() => io.perform({ method: 'GET', url, headers: {} }, policy, ctx)));
  const whole = together.filter((r) => r?.body.length === 3 * 1024 * 1024).length;
  assert.ok(whole >= 1 && whole < 3, `${whole} of 3 concurrent 3 MiB bodies were read whole within a 5 MiB budget`);
  // Nothing is held once the calls ended: one more call alone gets its whole body.
  const alone = await io.perform({ method: 'GET', url, headers: {} }, policy, ctx);
  assert.equal(alone?.body.length, 3 * 1024 * 1024);
});
