// The limits of what a function sends and receives (src/api: limits.ts, outbound.ts), whichever mode runs it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FUNCTION_LIMITS, buildOutbound, checkOutboundSize, limitResponse, truncateLogLine } from '../../src/api/index.ts';

test('truncateLogLine: cut at the line cap with a marker, once', () => {
  const max = FUNCTION_LIMITS.maxLogLineBytes;
  assert.equal(truncateLogLine('hello'), 'hello');
  const long = 'z'.repeat(max * 4);
  const cut = truncateLogLine(long);
  assert.equal(cut, `${'z'.repeat(max)}… [truncated ${max * 3} bytes]`);
  assert.equal(truncateLogLine(cut), cut, 'idempotent');
  const multi = truncateLogLine('€'.repeat(max));
  assert.ok(Buffer.byteLength(multi) <= max + 48);
  assert.match(multi, /^€+… \[truncated \d+ bytes\]$/);
});

test('limits of a response and of an outbound call: a clear 502 and a TypeError', () => {
  const L = FUNCTION_LIMITS;
  const fine = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(L.maxResponseBytes) };
  assert.equal(limitResponse(fine), fine);
  const tooBig = limitResponse({ ...fine, body: 'é'.repeat(L.maxResponseBytes / 2 + 1) });
  assert.equal(tooBig.status, 502);
  assert.match(tooBig.body, /response is too large: \d+ bytes \(limit 6291456\)/);
  assert.equal(limitResponse({ ...fine, headers: { a: 'x'.repeat(70_000) } }).status, 502);
  assert.equal(limitResponse({ ...fine, status: 101 }).status, 502);
  assert.equal(limitResponse({ ...fine, status: 204 }).status, 204);
  assert.throws(() => buildOutbound('POST', { url: 'http://x/', body: 'x'.repeat(L.maxOutboundBodyBytes + 1) }), /containerless.post: body too large/);
  assert.throws(() => buildOutbound('GET', 'http://x/' + 'a'.repeat(L.maxOutboundUrlBytes)), /url too long/);
  assert.throws(() => buildOutbound('PUT', { url: 'http://x/', headers: { h: 'v'.repeat(L.maxOutboundHeaderBytes) } }), /headers too large/);
  assert.equal(buildOutbound('POST', { url: 'http://x/', body: { a: 1 } }).body, '{"a":1}');
});

test('a binary body is limited by its bytes, not by the length of its base64 text', () => {
  const max = FUNCTION_LIMITS.maxResponseBytes;
  const atLimit = { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(max, 7).toString('base64'), bodyEncoding: 'base64' as const };
  assert.ok(atLimit.body.length > max);
  assert.equal(limitResponse(atLimit), atLimit);
  const over = limitResponse({ ...atLimit, body: Buffer.alloc(max + 1, 7).toString('base64') });
  assert.deepEqual([over.status, JSON.parse(over.body).error], [502, `the function's response is too large: ${max + 1} bytes (limit ${max})`]);
  const req = { method: 'POST' as const, url: 'http://x/', headers: {}, body: Buffer.alloc(FUNCTION_LIMITS.maxOutboundBodyBytes, 1).toString('base64'), bodyEncoding: 'base64' as const };
  assert.doesNotThrow(() => checkOutboundSize('fetch', req));
  assert.throws(() => checkOutboundSize('fetch', { ...req, body: Buffer.alloc(FUNCTION_LIMITS.maxOutboundBodyBytes + 1, 1).toString('base64') }), /fetch: body too large/);
});
