import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IO, OutboundRequest } from '../../src/api/index.ts';
import { accelerate, both, raw } from './helpers.ts';

const BYTES = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x01, 0x02]);
const ECHO = `const c = require('containerless'); c.listen(function (req) { c.respond(req.body); });`;

test('a binary request body is a Buffer in req.body, and respond(bytes) answers bytes, as in the container', async () => {
  const src = `const c = require('containerless');
c.listen(function (req) {
  if (req.path === '/echo') return c.respond(req.body);
  if (req.path === '/ab') return c.respond(new Uint8Array(req.body).buffer, { headers: { 'content-type': 'image/png' } });
  c.respond({ isBuffer: Buffer.isBuffer(req.body), len: req.body.length, hex: Buffer.isBuffer(req.body) ? req.body.toString('hex') : req.body, first: req.body[0] });
});`;
  const binary = (path: string) => raw({ method: 'POST', path, headers: { 'content-type': 'application/octet-stream' }, body: BYTES.toString('base64'), bodyEncoding: 'base64' });
  const requests = [binary('/echo'), binary('/ab'), binary('/'), raw({ method: 'POST', path: '/', headers: { 'content-type': 'text/plain' }, body: 'hello' })];
  const { node, accel } = await both(src, requests);
  assert.deepEqual(accel, node);
  const inst = accelerate(ECHO);
  const r = await inst.handle(binary('/echo'), { timeoutMs: 1000 });
  assert.equal(r.kind, 'response');
  if (r.kind === 'response') assert.deepEqual([r.response.body, r.response.bodyEncoding, r.response.headers['content-type']], [BYTES.toString('base64'), 'base64', 'application/octet-stream']);
});

test('a binary outbound response aborts the request where its callback would run; its call is reported for replay', async () => {
  const calls: OutboundRequest[] = [];
  const io: IO = {
    async request(req) {
      calls.push(req);
      return req.url.endsWith('/bin')
        ? { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: BYTES.toString('base64'), bodyEncoding: 'base64' }
        : { status: 200, headers: { 'content-type': 'text/plain' }, body: 'text' };
    },
  };
  const inst = accelerate(
    `const c = require('containerless');
c.listen(function (req) { c.get('http://backend' + req.path, function (body) { c.respond('got ' + body); }); });`,
    io,
  );
  const ok = await inst.handle(raw({ path: '/text' }), { timeoutMs: 1000 });
  assert.equal(ok.kind, 'response');
  if (ok.kind === 'response') assert.equal(ok.response.body, 'got text');
  const r = await inst.handle(raw({ path: '/bin' }), { timeoutMs: 1000 });
  assert.equal(r.kind, 'abort');
  if (r.kind !== 'abort') return;
  assert.equal(r.reason, 'unsupported:value');
  assert.match(r.detail, /binary-body.*outbound/);
  assert.deepEqual(r.outbound.map((c) => c.url), ['http://backend/bin'], 'the call it made, for the re-execution to replay');
  assert.equal(calls.length, 2);
});

test('a Workers function reads bytes with arrayBuffer() and answers bytes, as its container does', async () => {
  const { runPipeline } = await import('../../src/cli/trace-run/pipeline.ts');
  const { recordingIO } = await import('./helpers.ts');
  const source = `export default { async fetch(request) {
  const url = new URL(request.url);
  const buf = await request.arrayBuffer();
  const bytes = new Uint8Array(buf);
  if (url.pathname === '/echo') return new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } });
  if (url.pathname === '/png') return new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255]).buffer);
  if (url.pathname === '/buf') return new Response(Buffer.from('hi there'), { status: 201 });
  if (url.pathname === '/hash') { const d = await crypto.subtle.digest('SHA-256', buf); return new Response(d, { headers: { 'x-len': String(buf.byteLength) } }); }
  if (url.pathname === '/clone') { const r = new Response(bytes); const copy = r.clone(); return Response.json({ a: (await r.arrayBuffer()).byteLength, b: new Uint8Array(await copy.arrayBuffer())[0] ?? null }); }
  return Response.json({ n: bytes.length, first: bytes[0] ?? null, b64: Buffer.from(buf).toString('base64'), text: new TextDecoder().decode(buf) });
} };`;
  const post = (path: string, body: string, type = 'text/plain') => raw({ method: 'POST', path, headers: { 'content-type': type }, body });
  const binary = (path: string) => ({ ...post(path, BYTES.toString('base64'), 'application/octet-stream'), bodyEncoding: 'base64' as const });
  const requests = [post('/echo', 'hello'), post('/png', ''), post('/buf', 'x'), post('/hash', 'abc'), post('/', 'héllo'), binary('/echo'), binary('/'), binary('/clone'), binary('/hash')];
  const report = await runPipeline({ source, train: requests.slice(0, 2), test: requests, io: recordingIO() });
  assert.equal(report.failure, undefined, JSON.stringify(report.failure));
  assert.deepEqual(report.counts, { equal: requests.length, aborted: 0, mismatched: 0 }, JSON.stringify(report.results.filter((r) => r.verdict !== 'equal')).slice(0, 800));
  const echoed = report.results[5]!.oracle.response;
  assert.equal(echoed.bodyEncoding, 'base64');
  assert.equal(echoed.body, BYTES.toString('base64'));
});
