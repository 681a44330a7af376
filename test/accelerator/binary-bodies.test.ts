import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IO, OutboundRequest } from '../../src/api/index.ts';
import { accelerate, raw } from './helpers.ts';

const BYTES = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x01, 0x02]);
const ECHO = `const c = require('containerless'); c.listen(function (req) { c.respond(req.body); });`;

test('a binary request body aborts (unsupported:value) before any code runs; the instance stays good', async () => {
  const inst = accelerate(ECHO);
  const r = await inst.handle(
    raw({ method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: BYTES.toString('base64'), bodyEncoding: 'base64' }),
    { timeoutMs: 1000 },
  );
  assert.equal(r.kind, 'abort', 'the base64 text never reaches the code as if it were the body');
  if (r.kind !== 'abort') return;
  assert.equal(r.reason, 'unsupported:value');
  assert.match(r.detail, /binary-body/);
  assert.equal(inst.poisoned, false, 'no code ran: the warm instance keeps serving');
  const text = await inst.handle(raw({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }), { timeoutMs: 1000 });
  assert.equal(text.kind, 'response');
  if (text.kind === 'response') assert.equal(text.response.body, 'hello');
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
