import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { bodyBytes, type OutboundMethod, type OutboundRequest } from '../../src/api/index.ts';
import { CallRecorder, IOLayer, replayingIO } from '../../src/io/index.ts';
import { EgressPolicy } from '../../src/io/egress.ts';
import { createMetrics } from '../../src/metrics/index.ts';

const BYTES = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x01, 0x02]);

/** Echoes the request's bytes with its content type, and says what it received in headers. */
async function backend(t: { after(fn: () => unknown): void }) {
  const seen: Array<{ method: string; bytes: Buffer }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      seen.push({ method: req.method!, bytes });
      if (req.url === '/bytes') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return void res.end(BYTES);
      }
      if (req.url === '/latin1-text') {
        // Declared text, but not UTF-8: decoding it would lose bytes, so it must come back as bytes.
        res.writeHead(200, { 'content-type': 'text/plain' });
        return void res.end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
      }
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'text/plain', 'x-method': req.method!, 'x-length': String(bytes.length) });
      res.end(req.method === 'HEAD' ? undefined : bytes);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function layer(t: { after(fn: () => unknown): void }) {
  const metrics = createMetrics({ defaultMetrics: false });
  const io = new IOLayer({ logger: pino({ level: 'silent' }), metrics, egress: new EgressPolicy({ allow: '127.0.0.1' }) });
  t.after(() => io.close());
  return { io, metrics };
}

const policy = { function: 'f', timeoutMs: 10_000 };
const ctx = { function: 'f', mode: 'containers' };

test('I/O layer: binary bodies cross both ways as base64, byte for byte; text stays text', async (t) => {
  const { base, seen } = await backend(t);
  const { io } = layer(t);
  const bin = await io.perform({ method: 'GET', url: `${base}/bytes`, headers: {} }, policy, ctx);
  assert.equal(bin?.bodyEncoding, 'base64');
  assert.deepEqual(bodyBytes(bin!), BYTES);

  const sent = await io.perform(
    { method: 'POST', url: `${base}/echo`, headers: { 'content-type': 'application/octet-stream' }, body: BYTES.toString('base64'), bodyEncoding: 'base64' },
    policy,
    ctx,
  );
  assert.deepEqual(seen.at(-1)!.bytes, BYTES, 'the backend received the bytes, not their base64 text');
  assert.equal(sent?.headers['x-length'], '6');
  assert.equal(sent?.bodyEncoding, 'base64');
  assert.deepEqual(bodyBytes(sent!), BYTES);

  const latin1 = await io.perform({ method: 'GET', url: `${base}/latin1-text`, headers: {} }, policy, ctx);
  assert.equal(latin1?.bodyEncoding, 'base64', 'text that is not UTF-8 is not decoded lossily');
  assert.deepEqual(bodyBytes(latin1!), Buffer.from([0x63, 0x61, 0x66, 0xe9]));

  const text = await io.perform({ method: 'POST', url: `${base}/echo`, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'héllo ✓' }, policy, ctx);
  assert.equal(text?.bodyEncoding, undefined);
  assert.equal(text?.body, 'héllo ✓');
  assert.equal(Buffer.from(seen.at(-1)!.bytes).toString('utf8'), 'héllo ✓');
});

test('I/O layer: PATCH, HEAD and OPTIONS go out as sent and are counted like every method', async (t) => {
  const { base, seen } = await backend(t);
  const { io, metrics } = layer(t);
  const patch = await io.perform({ method: 'PATCH', url: `${base}/echo`, headers: { 'content-type': 'application/json' }, body: '{"a":1}' }, policy, ctx);
  assert.equal(patch?.status, 200);
  assert.equal(patch?.headers['x-method'], 'PATCH');
  assert.equal(patch?.body, '{"a":1}');
  const head = await io.perform({ method: 'HEAD', url: `${base}/echo`, headers: {} }, policy, ctx);
  assert.equal(head?.status, 200);
  assert.equal(head?.headers['x-method'], 'HEAD');
  assert.equal(head?.body, '', 'a HEAD answer has no body');
  const options = await io.perform({ method: 'OPTIONS', url: `${base}/echo`, headers: {} }, policy, ctx);
  assert.equal(options?.headers['x-method'], 'OPTIONS');
  assert.deepEqual(seen.map((s) => s.method), ['PATCH', 'HEAD', 'OPTIONS']);
  // The egress policy holds for the new methods too: loopback on another port than allowed is refused.
  const strict = new IOLayer({ logger: pino({ level: 'silent' }), metrics, egress: new EgressPolicy() });
  t.after(() => strict.close());
  assert.equal(await strict.perform({ method: 'PATCH', url: `${base}/echo`, headers: {}, body: 'x' }, policy, ctx), undefined);
  const text = await metrics.registry.metrics();
  for (const method of ['PATCH', 'HEAD', 'OPTIONS']) {
    assert.match(text, new RegExp(`containerless_outbound_calls_total\\{function="f",method="${method}",outcome="ok"\\} 1`), method);
  }
  assert.match(text, /containerless_outbound_calls_total\{function="f",method="PATCH",outcome="refused",reason="[a-z-]+"\} 1/);
});

test('replay keeps a binary response as it was, and matches binary request bodies by their encoding', async (t) => {
  const { base, seen } = await backend(t);
  const { io } = layer(t);
  const recorder = new CallRecorder(io.forFunction(policy, 'accelerated'));
  const first: OutboundRequest = { method: 'GET', url: `${base}/bytes`, headers: {} };
  const second: OutboundRequest = { method: 'PUT', url: `${base}/echo`, headers: { 'content-type': 'application/octet-stream' }, body: BYTES.toString('base64'), bodyEncoding: 'base64' };
  await recorder.io.request(first);
  await recorder.io.request(second);
  assert.equal(seen.length, 2);
  const log = recorder.logFor([first, second]);
  assert.equal(log[1]!.bodyEncoding, 'base64');

  const stats = { replayed: 0, performed: 0 };
  const again = replayingIO(log, io.forRequest(policy, 'r1'), stats);
  const r1 = await again.request({ ...first });
  assert.equal(r1?.bodyEncoding, 'base64');
  assert.deepEqual(bodyBytes(r1!), BYTES);
  const r2 = await again.request({ ...second });
  assert.deepEqual(bodyBytes(r2!), BYTES);
  assert.deepEqual(stats, { replayed: 2, performed: 0 });
  assert.equal(seen.length, 2, 'nothing was sent again');

  // The same body text with another encoding is another call: the replay diverges there.
  const other = replayingIO(log, io.forRequest(policy, 'r2'), stats);
  await other.request({ ...first });
  const method: OutboundMethod = 'PUT';
  await other.request({ method, url: second.url, headers: second.headers, body: second.body! });
  assert.deepEqual(stats, { replayed: 3, performed: 1 });
  assert.equal(seen.length, 3);
  assert.equal(seen.at(-1)!.bytes.toString('utf8'), BYTES.toString('base64'), 'sent as the text it was');
});
