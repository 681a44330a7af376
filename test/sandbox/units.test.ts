import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLineDecoder, encode, type FromRunner } from '../../src/sandbox/protocol.ts';
import { parseLdd } from '../../src/sandbox/host-runtime.ts';
import { createRunnerSession } from '../../src/sandbox/runner/session.ts';
import { ownerAlive, ownerTag } from '../../src/sandbox/owner.ts';

test('line decoder: messages split anywhere, multi-byte characters across chunks, bad lines reported', () => {
  const got: unknown[] = [];
  const bad: string[] = [];
  const feed = createLineDecoder<unknown>((m) => got.push(m), (l) => bad.push(l));
  const bytes = Buffer.from(encode({ type: 'log', stream: 'stdout', line: 'héllo ✓\nnext' }) + 'not json\n' + encode({ type: 'loaded' }));
  for (let i = 0; i < bytes.length; i += 3) feed(bytes.subarray(i, i + 3));
  assert.deepEqual(got, [{ type: 'log', stream: 'stdout', line: 'héllo ✓\nnext' }, { type: 'loaded' }]);
  assert.deepEqual(bad, ['not json']);
});

test('line decoder: a 5 MB message in 64 kB chunks arrives whole', () => {
  const got: { type: string; line: string }[] = [];
  const feed = createLineDecoder<{ type: string; line: string }>((m) => got.push(m), () => assert.fail('bad line'));
  const big = 'x'.repeat(5 * 1024 * 1024);
  const bytes = Buffer.from(encode({ type: 'log', stream: 'stdout', line: big }) + encode({ type: 'loaded' }));
  for (let i = 0; i < bytes.length; i += 65536) feed(bytes.subarray(i, i + 65536));
  assert.equal(got.length, 2);
  assert.equal(got[0].line.length, big.length);
  assert.equal(got[1].type, 'loaded');
});

test('parseLdd reads both ldd line shapes', () => {
  const out = `\tlinux-vdso.so.1 (0x00007ffd)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n\t/lib64/ld-linux-x86-64.so.2 (0x00007f)\n`;
  assert.deepEqual(parseLdd(out), ['/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
});

test('owner tags: this process is alive, a made-up one is not', () => {
  assert.equal(ownerAlive(ownerTag()), true);
  assert.equal(ownerAlive(`${process.pid}:1`), false);
  assert.equal(ownerAlive('999999999:5'), false);
  assert.equal(ownerAlive(undefined), false);
});

test('runner session: load, invoke through io messages, load twice refused', async () => {
  const sent: FromRunner[] = [];
  const waiters: ((m: FromRunner) => void)[] = [];
  const session = createRunnerSession((m) => {
    sent.push(m);
    for (const w of waiters.splice(0)) w(m);
  });
  const next = (type: FromRunner['type']) =>
    new Promise<FromRunner>((resolve) => {
      const found = sent.find((m) => m.type === type);
      if (found) return resolve(found);
      const w = (m: FromRunner) => (m.type === type ? resolve(m) : waiters.push(w));
      waiters.push(w);
    });
  session.handle({ type: 'load', name: 'f', version: 1, env: {}, source: `const c = require('containerless'); c.listen((req) => c.get('http://x' + req.path, (b) => c.respond(b)));` });
  assert.deepEqual(await next('loaded'), { type: 'loaded' });
  session.handle({ type: 'invoke', id: 'r1', req: { method: 'GET', path: '/p', query: {}, headers: {}, body: '' }, timeoutMs: 1000 });
  const io = (await next('io')) as Extract<FromRunner, { type: 'io' }>;
  assert.deepEqual([io.id, io.req.method, io.req.url], ['r1', 'GET', 'http://x/p']);
  session.handle({ type: 'io-result', ioId: io.ioId, res: { status: 200, headers: { 'content-type': 'text/plain' }, body: 'from io' } });
  const res = (await next('response')) as Extract<FromRunner, { type: 'response' }>;
  assert.deepEqual([res.id, res.res.body, res.arms], ['r1', 'from io', undefined]);
  session.handle({ type: 'load', name: 'f', version: 2, env: {}, source: '' });
  assert.deepEqual(await next('load-error'), { type: 'load-error', message: 'this runner already has a function loaded' });
});
