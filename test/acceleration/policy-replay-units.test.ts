import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IO, OutboundRequest } from '../../src/api/index.ts';
import { DEFAULT_POLICY, PolicyError, resolvePolicy } from '../../src/acceleration/policy.ts';
import { CallRecorder, replayingIO } from '../../src/io/replay.ts';

test('policy: defaults, partial overrides, and refusals', () => {
  assert.deepEqual(resolvePolicy({}), DEFAULT_POLICY);
  assert.equal(DEFAULT_POLICY.compileAfterRequests, 1, 'one trace covers the supported code (unseen arms compile generic)');
  assert.equal(DEFAULT_POLICY.demoteAbortRate, 0.5);
  const p = resolvePolicy({ compileAfterRequests: 3, traceNewVersions: false });
  assert.equal(p.compileAfterRequests, 3);
  assert.equal(p.traceNewVersions, false);
  assert.equal(p.demoteWindow, DEFAULT_POLICY.demoteWindow);
  assert.throws(() => resolvePolicy({ compileAfter: 3 }), PolicyError);
  assert.throws(() => resolvePolicy({ demoteAbortRate: 2 }), PolicyError);
  assert.throws(() => resolvePolicy({ compileAfterRequests: 0 }), PolicyError);
  assert.throws(() => resolvePolicy({ retryAfterMs: -1 }), PolicyError);
  assert.throws(() => resolvePolicy({ retryBackoffMax: 0 }), PolicyError);
  assert.equal(resolvePolicy({ retryBackoffMax: 1 }).retryBackoffMax, 1);
  assert.throws(() => resolvePolicy({ traceNewVersions: 'yes' }), PolicyError);
  assert.throws(() => resolvePolicy([]), PolicyError);
});

/** A real IO double that counts what it performs (the unit under test is the replay logic). */
function countingIO() {
  const sent: OutboundRequest[] = [];
  const io: IO = { request: async (req) => (sent.push(req), { status: 200, headers: {}, body: `real ${req.method} ${req.url} #${sent.length}` }) };
  return { io, sent };
}

const req = (method: 'GET' | 'POST', url: string, body?: string): OutboundRequest => ({ method, url, headers: {}, ...(body !== undefined ? { body } : {}) });

test('replay: logged calls are answered from the log in order until the first divergence, then go out', async () => {
  const attempt = countingIO();
  const recorder = new CallRecorder(attempt.io);
  const a1 = req('POST', 'http://b/pay', '{"n":1}');
  const a2 = req('GET', 'http://b/x');
  const r1 = await recorder.io.request(a1);
  await recorder.io.request(a2);
  const log = recorder.logFor([a1, a2]);
  assert.equal(log.length, 2);

  const again = countingIO();
  const stats = { replayed: 0, performed: 0 };
  const io = replayingIO(log, again.io, stats);
  assert.deepEqual(await io.request(req('POST', 'http://b/pay', '{"n":1}')), r1, 'same call: the logged response');
  const diverged = await io.request(req('GET', 'http://b/other'));
  assert.equal(diverged?.body, 'real GET http://b/other #1', 'a different call goes out for real');
  // After the divergence even a call that is in the log goes out.
  await io.request(req('GET', 'http://b/x'));
  assert.deepEqual(stats, { replayed: 1, performed: 2 });
  assert.equal(attempt.sent.length, 2);
  assert.equal(again.sent.length, 2);
});

test('replay: a different body is a divergence; a call the recorder never saw ends the log', async () => {
  const attempt = countingIO();
  const recorder = new CallRecorder(attempt.io);
  const seen = req('POST', 'http://b/pay', 'a');
  await recorder.io.request(seen);
  const unseen = req('POST', 'http://b/pay', 'a');
  assert.equal(recorder.logFor([unseen, seen]).length, 0);
  const again = countingIO();
  const io = replayingIO(recorder.logFor([seen]), again.io);
  await io.request(req('POST', 'http://b/pay', 'b'));
  assert.equal(again.sent.length, 1);
});
