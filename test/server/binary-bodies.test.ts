import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { FnResponse, RawRequest } from '../../src/api/index.ts';
import type { Dispatcher, Invocation } from '../../src/platform/index.ts';
import { handleInvoke } from '../../src/server/invoke-route.ts';
import { accelPlatform, call, deploy as deployUnpinned, mode, untilAccelerated } from '../acceleration/helpers.ts';
import { deploy, platform } from '../e2e/helpers.ts';

const BYTES = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x01, 0x02]);
const OCTETS = { 'content-type': 'application/octet-stream' };

/**
 * The route alone, on a real HTTP server: what it hands the dispatcher, and how it writes what the
 * dispatcher answers. The dispatcher here only records the request and answers `answer`.
 */
async function route(t: { after(fn: () => unknown): void }, answer: FnResponse) {
  const seen: RawRequest[] = [];
  const dispatcher = {
    get: () => ({}),
    invoke: async (_name: string, raw: RawRequest): Promise<Invocation> => {
      seen.push(raw);
      return { response: answer, mode: 'containers', requestId: 'r1', reexecutedAfterAbort: false };
    },
  } as unknown as Dispatcher;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void handleInvoke(dispatcher, req, res, new URL(req.url!, 'http://localhost'), { maxBodyBytes: 1024, logger: pino({ level: 'silent' }) });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

test('invoke route: a binary body becomes base64 with bodyEncoding; text stays text; bytes count against the limit', async (t) => {
  const r = await route(t, { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' });
  await fetch(`${r.url}/fn/f/x`, { method: 'POST', headers: OCTETS, body: BYTES });
  assert.deepEqual(r.seen[0], { method: 'POST', path: '/x', query: {}, headers: r.seen[0]!.headers, body: BYTES.toString('base64'), bodyEncoding: 'base64' });
  await fetch(`${r.url}/fn/f/`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'héllo' });
  assert.equal(r.seen[1]!.body, 'héllo');
  assert.equal('bodyEncoding' in r.seen[1]!, false);
  // A textual type whose bytes are not UTF-8 is not decoded into replacement characters.
  await fetch(`${r.url}/fn/f/`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: BYTES });
  assert.equal(r.seen[2]!.bodyEncoding, 'base64');
  assert.deepEqual(Buffer.from(r.seen[2]!.body, 'base64'), BYTES);
  await fetch(`${r.url}/fn/f/`);
  assert.deepEqual([r.seen[3]!.body, r.seen[3]!.bodyEncoding], ['', undefined]);
  // 1024 bytes are the limit: 800 bytes are under it, though their base64 is not.
  await fetch(`${r.url}/fn/f/`, { method: 'POST', headers: OCTETS, body: Buffer.alloc(800, 0xff) });
  assert.equal(Buffer.from(r.seen[4]!.body, 'base64').length, 800);
  const over = await fetch(`${r.url}/fn/f/`, { method: 'POST', headers: OCTETS, body: Buffer.alloc(1025, 0xff) });
  assert.equal(over.status, 413);
  assert.equal(r.seen.length, 5);
});

test('invoke route: a response with bodyEncoding base64 is sent as its bytes, content-length their count', async (t) => {
  const r = await route(t, { status: 200, headers: { 'content-type': 'image/png' }, body: BYTES.toString('base64'), bodyEncoding: 'base64' });
  const res = await fetch(`${r.url}/fn/f/`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-length'), '6');
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), BYTES);
});

test('a 6-byte binary request reaches a function in a container unchanged', async (t) => {
  const p = await platform(t);
  // req.body is the bytes (a Buffer) once the runtime gives one, or their base64 before: either way
  // the function answers their base64, which says whether every byte arrived.
  await deploy(p, 'bin', `const c = require('containerless');
c.listen(function (req) { c.respond(Buffer.isBuffer(req.body) ? req.body.toString('base64') : String(req.body)); });`);
  const r = await call(p, '/fn/bin/', { method: 'POST', headers: OCTETS, body: BYTES });
  assert.equal(r.status, 200);
  assert.equal(r.text, BYTES.toString('base64'));
  const logs = (await call(p, '/api/functions/bin/logs')).json();
  assert.ok(!JSON.stringify(logs).includes(BYTES.toString('base64')), 'the activation log holds no body');
});

test('accelerated: a binary request is a Buffer in req.body, answered accelerated byte for byte', async (t) => {
  const p = await accelPlatform(t);
  await deployUnpinned(p, 'len', `const c = require('containerless');
c.listen(function (req) {
  if (req.path === '/len') return c.respond('n=' + req.body.length + ' ' + Buffer.isBuffer(req.body));
  c.respond(req.body);
});`);
  const text = { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'abcdef' };
  for (let i = 0; i < 3; i++) assert.equal((await call(p, '/fn/len/len', text)).text, 'n=6 false');
  assert.equal((await untilAccelerated(p, '/fn/len/len', text)).text, 'n=6 false');
  const bin = await call(p, '/fn/len/len', { method: 'POST', headers: OCTETS, body: BYTES });
  assert.equal(bin.status, 200);
  assert.equal(bin.text, 'n=6 true');
  assert.equal(mode(bin), 'accelerated');
  const echo = await fetch(`${p.url}/fn/len/`, { method: 'POST', headers: OCTETS, body: BYTES });
  assert.equal(echo.headers.get('x-containerless-mode'), 'accelerated');
  assert.equal(echo.headers.get('content-type'), 'application/octet-stream');
  assert.deepEqual(Buffer.from(await echo.arrayBuffer()), BYTES);
  const info = (await call(p, '/api/functions/len')).json();
  assert.equal(info.stats.aborts?.['unsupported:value'] ?? 0, 0);
});
