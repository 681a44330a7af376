import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FUNCTION_LIMITS, type IO } from '../../src/api/index.ts';
import { LineSplitter } from '../../src/sandbox/line-splitter.ts';
import { checkFromRunner } from '../../src/sandbox/protocol-check.ts';
import { createLineDecoder, encode, maxRunnerLineBytes, RUNNER_FLOW_LIMITS, type FromRunner } from '../../src/sandbox/protocol.ts';
import { createRunnerSession } from '../../src/sandbox/runner/session.ts';
import { RunnerLink } from '../../src/sandbox/runner-link.ts';
import type { ContainerSpec, InvokeOutcome } from '../../src/sandbox/types.ts';

// --- the decoder's cap --------------------------------------------------------------------------

test('line decoder: a line over the cap stops it before it holds more than the cap', () => {
  const max = 1000;
  const got: unknown[] = [];
  let over: [number, number] | undefined;
  const feed = createLineDecoder<unknown>((m) => got.push(m), () => assert.fail('no bad line expected'), { maxLineBytes: max, onOversize: (b, m) => (over = [b, m]) });
  feed(Buffer.from(encode({ type: 'loaded' })));
  // 100-byte chunks without a newline: the decoder gives up on the chunk that takes it past the cap.
  let fed = 0;
  while (!over && fed < 100_000) {
    feed(Buffer.alloc(100, 0x61));
    fed += 100;
  }
  assert.deepEqual(over, [1100, max]);
  assert.equal(fed, 1100);
  // Stopped: later input, even valid messages, is ignored.
  feed(Buffer.from(`\n${encode({ type: 'loaded' })}`));
  assert.deepEqual(got, [{ type: 'loaded' }]);
});

test('line decoder: lines up to the cap pass in any chunking, one byte more does not', () => {
  const line = encode({ type: 'log', stream: 'stdout', line: 'é'.repeat(300) }); // multi-byte characters
  const max = Buffer.byteLength(line) - 1; // the line without its newline is exactly max bytes
  for (const size of [1, 7, 64, 4096]) {
    const got: unknown[] = [];
    const feed = createLineDecoder<unknown>((m) => got.push(m), () => assert.fail('bad'), { maxLineBytes: max, onOversize: () => assert.fail(`oversize at chunk size ${size}`) });
    const bytes = Buffer.from(line + line + line);
    for (let i = 0; i < bytes.length; i += size) feed(bytes.subarray(i, i + size));
    assert.equal(got.length, 3, `chunk size ${size}`);
  }
  for (const size of [1, 64, 4096]) {
    let over = false;
    const feed = createLineDecoder<unknown>(() => {}, () => {}, { maxLineBytes: max - 1, onOversize: () => (over = true) });
    const bytes = Buffer.from(line);
    for (let i = 0; i < bytes.length; i += size) feed(bytes.subarray(i, i + size));
    assert.equal(over, true, `chunk size ${size}`);
  }
});

test('line decoder: an oversized line inside one big chunk is caught too, after the lines before it', () => {
  const got: unknown[] = [];
  let over = 0;
  const feed = createLineDecoder<unknown>((m) => got.push(m), () => {}, { maxLineBytes: 50, onOversize: (b) => (over = b) });
  feed(Buffer.from(encode({ type: 'loaded' }) + 'x'.repeat(200) + '\n' + encode({ type: 'loaded' })));
  assert.equal(got.length, 1);
  assert.equal(over, 200);
});

test('line decoder: a callback returning false stops it (a bad line, or a message found malformed)', () => {
  const got: unknown[] = [];
  const feed = createLineDecoder<unknown>(
    (m) => (got.push(m), false),
    () => false,
  );
  feed(Buffer.from(encode({ type: 'loaded' }) + encode({ type: 'loaded' })));
  assert.equal(got.length, 1);
  const bad: string[] = [];
  const feed2 = createLineDecoder<unknown>((m) => got.push(m), (l) => (bad.push(l), false));
  feed2(Buffer.from('garbage\n' + encode({ type: 'loaded' })));
  assert.deepEqual(bad, ['garbage']);
  assert.equal(got.length, 1);
});

test('the line cap is derived from the payload limits, JSON escaping and a traced path', () => {
  const L = FUNCTION_LIMITS;
  const base = maxRunnerLineBytes(0);
  assert.ok(base >= 6 * (L.maxResponseBytes + L.maxResponseHeaderBytes), 'a response of control characters escapes 6×');
  assert.ok(base >= 6 * L.maxOutboundBodyBytes);
  assert.ok(base < 48 * 1024 * 1024, `the cap stays well under the 100 MB the dispatcher may grow by (${base})`);
  assert.equal(maxRunnerLineBytes(100_000) - base, 100_000 * 7, 'room for every arm once');
  // The worst legitimate response really fits.
  const worst = encode({ type: 'response', id: 'x'.repeat(200), res: { status: 200, headers: {}, body: '\u0001'.repeat(L.maxResponseBytes) } });
  assert.ok(Buffer.byteLength(worst) <= base);
});

// --- message shapes -----------------------------------------------------------------------------

test('checkFromRunner: every message shape is checked; good messages pass', () => {
  const ctx = { armCount: 10 };
  const ok: unknown[] = [
    { type: 'ready', protocol: 1, pid: 1, node: 'v20.1.0' },
    { type: 'loaded' },
    { type: 'loaded', initArms: [0, 9] },
    { type: 'load-error', message: 'boom' },
    { type: 'response', id: 'r1', res: { status: 200, headers: { 'content-type': 'text/plain' }, body: 'hi' } },
    { type: 'response', id: 'r1', res: { status: 599, headers: {}, body: '' }, arms: [1, 2] },
    { type: 'io', ioId: 3, req: { method: 'GET', url: 'http://x/', headers: {} } },
    { type: 'io', id: 'r1', ioId: 4, req: { method: 'POST', url: 'http://x/', headers: { a: 'b' }, body: '{}' } },
    { type: 'log', stream: 'stdout', line: 'x' },
    { type: 'log', id: 'r1', stream: 'stderr', line: 'x'.repeat(100_000), extra: 'ignored' },
    // Bodies are bytes (src/api/bytes.ts): base64 with bodyEncoding, on responses and outbound calls.
    { type: 'response', id: 'r1', res: { status: 200, headers: {}, body: '/wD+gAEC', bodyEncoding: 'base64' } },
    { type: 'response', id: 'r1', res: { status: 200, headers: {}, body: '', bodyEncoding: 'base64' } },
    { type: 'response', id: 'r1', res: { status: 200, headers: {}, body: Buffer.alloc(FUNCTION_LIMITS.maxResponseBytes).toString('base64'), bodyEncoding: 'base64' } },
    { type: 'io', ioId: 5, req: { method: 'PATCH', url: 'http://x/', headers: {}, body: 'AAE=', bodyEncoding: 'base64' } },
    { type: 'io', ioId: 6, req: { method: 'HEAD', url: 'http://x/', headers: {} } },
    { type: 'io', ioId: 7, req: { method: 'OPTIONS', url: 'http://x/', headers: {} } },
  ];
  for (const m of ok) assert.equal(checkFromRunner(m, ctx), undefined, JSON.stringify(m).slice(0, 100));
  const big = 'x'.repeat(FUNCTION_LIMITS.maxResponseBytes + 1);
  const bad: Array<[unknown, RegExp]> = [
    [null, /not a JSON object/],
    [[1], /not a JSON object/],
    ['str', /not a JSON object/],
    [{ type: 'nope' }, /unknown message type "nope"/],
    [{}, /unknown message type/],
    [{ type: 'ready', protocol: '1', pid: 1, node: 'v' }, /ready/],
    [{ type: 'loaded', initArms: [10] }, /arm the function does not have/],
    [{ type: 'loaded', initArms: [-1] }, /arm/],
    [{ type: 'loaded', initArms: [1.5] }, /arm/],
    [{ type: 'loaded', initArms: 'x' }, /not an array/],
    [{ type: 'load-error', message: 5 }, /message/],
    [{ type: 'response', id: 5, res: { status: 200, headers: {}, body: '' } }, /response.id/],
    [{ type: 'response', id: '', res: { status: 200, headers: {}, body: '' } }, /response.id/],
    [{ type: 'response', id: 'r', res: { status: 99, headers: {}, body: '' } }, /status/],
    [{ type: 'response', id: 'r', res: { status: 600, headers: {}, body: '' } }, /status/],
    [{ type: 'response', id: 'r', res: { status: 200.5, headers: {}, body: '' } }, /status/],
    [{ type: 'response', id: 'r', res: { status: '200', headers: {}, body: '' } }, /status/],
    [{ type: 'response', id: 'r', res: { status: 200, headers: { a: 1 }, body: '' } }, /headers/],
    [{ type: 'response', id: 'r', res: { status: 200, headers: [], body: '' } }, /headers/],
    [{ type: 'response', id: 'r', res: { status: 200, headers: null, body: '' } }, /headers/],
    [{ type: 'response', id: 'r', res: { status: 200, headers: {}, body: 5 } }, /body/],
    [{ type: 'response', id: 'r', res: { status: 200, headers: {}, body: big } }, /over the response limit/],
    [{ type: 'response', id: 'r', res: { status: 200, headers: { h: 'x'.repeat(70_000) }, body: '' } }, /headers over the limit/],
    [{ type: 'response', id: 'r', res: 'x' }, /res is not an object/],
    [{ type: 'response', id: 'r', res: { status: 200, headers: {}, body: '' }, arms: [11] }, /arm/],
    [{ type: 'io', ioId: 'x', req: { method: 'GET', url: 'u', headers: {} } }, /ioId/],
    [{ type: 'io', ioId: 1, req: { method: 'TRACE', url: 'u', headers: {} } }, /method/],
    [{ type: 'io', ioId: 1, req: { method: 'patch', url: 'u', headers: {} } }, /method/],
    [{ type: 'io', ioId: 1, req: { method: 'GET', url: 5, headers: {} } }, /url/],
    [{ type: 'io', ioId: 1, req: { method: 'GET', url: 'u', headers: {}, body: {} } }, /body/],
    [{ type: 'io', ioId: 1, req: { method: 'POST', url: 'u', headers: {}, body: big } }, /body/],
    [{ type: 'io', ioId: 1, req: { method: 'GET', url: 'u' } }, /headers/],
    [{ type: 'io', id: 7, ioId: 1, req: { method: 'GET', url: 'u', headers: {} } }, /io.id/],
    [{ type: 'response', id: 'r', res: { status: 200, headers: {}, body: 'AAE=', bodyEncoding: 'hex' } }, /bodyEncoding/],
    [{ type: 'response', id: 'r', res: { status: 200, headers: {}, body: 'AAE=', bodyEncoding: null } }, /bodyEncoding/],
    [{ type: 'response', id: 'r', res: { status: 200, headers: {}, body: 'not base64!', bodyEncoding: 'base64' } }, /not base64/],
    [{ type: 'response', id: 'r', res: { status: 200, headers: {}, body: 'AAE', bodyEncoding: 'base64' } }, /not base64/],
    [{ type: 'response', id: 'r', res: { status: 200, headers: {}, body: 5, bodyEncoding: 'base64' } }, /body/],
    [{ type: 'response', id: 'r', res: { status: 200, headers: {}, body: Buffer.alloc(FUNCTION_LIMITS.maxResponseBytes + 1).toString('base64'), bodyEncoding: 'base64' } }, /over the response limit/],
    [{ type: 'io', ioId: 1, req: { method: 'POST', url: 'u', headers: {}, body: Buffer.alloc(FUNCTION_LIMITS.maxOutboundBodyBytes + 1).toString('base64'), bodyEncoding: 'base64' } }, /over the outbound body limit/],
    [{ type: 'io', ioId: 1, req: { method: 'POST', url: 'u', headers: {}, body: '%%%%', bodyEncoding: 'base64' } }, /not base64/],
    [{ type: 'io', ioId: 1, req: { method: 'POST', url: 'u', headers: {}, bodyEncoding: 'base64' } }, /without a body/],
    [{ type: 'io', ioId: 1, req: { method: 'POST', url: 'u', headers: {}, body: 'x', bodyEncoding: 'utf16' } }, /bodyEncoding/],
    [{ type: 'log', stream: 'fd3', line: 'x' }, /stream/],
    [{ type: 'log', stream: 'stdout', line: 5 }, /line/],
    [{ type: 'log', id: {}, stream: 'stdout', line: 'x' }, /log.id/],
  ];
  for (const [m, re] of bad) assert.match(checkFromRunner(m, ctx) ?? 'passed', re, JSON.stringify(m)?.slice(0, 100));
  assert.match(checkFromRunner({ type: 'response', id: 'r', res: { status: 200, headers: {}, body: '' }, arms: [0] }, { armCount: 0 }) ?? '', /more arms/);
});

// --- RunnerLink over a real socket ------------------------------------------------------------------

async function linkPair(t: { after(fn: () => unknown): void }, io: IO = { request: async () => undefined }) {
  const dir = mkdtempSync(join(tmpdir(), 'cl-link-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 's');
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(path, r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const runner = net.connect(path);
  const sock = await accepted;
  server.close();
  t.after(() => runner.destroy());
  const logs: Array<{ stream: string; line: string; id: string | undefined }> = [];
  const violations: string[] = [];
  const spec: ContainerSpec = { id: 'x', memoryMb: 64, pids: 64, network: 'none', io, log: (stream, line, id) => logs.push({ stream, line, id }) };
  const link = new RunnerLink(sock, spec, (reason) => violations.push(reason));
  // What the dispatcher sends, as the runner would read it.
  const received: Array<{ type: string; id?: string }> = [];
  runner.on('data', createLineDecoder<{ type: string; id?: string }>((m) => received.push(m), () => {}));
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(cond(), 'condition not reached');
  };
  return { link, runner, logs, violations, received, until };
}

test('RunnerLink: at most 64 outbound calls of a runner at once; the rest wait, none is lost', async (t) => {
  let active = 0;
  let peak = 0;
  const waiting: Array<() => void> = [];
  const io: IO = {
    request: () =>
      new Promise((resolve) => {
        active++;
        peak = Math.max(peak, active);
        waiting.push(() => {
          active--;
          resolve({ status: 200, headers: {}, body: 'r' });
        });
      }),
  };
  const { runner, received, until } = await linkPair(t, io);
  let burst = '';
  for (let i = 0; i < 200; i++) burst += encode({ type: 'io', ioId: i, req: { method: 'GET', url: 'http://x/', headers: {} } });
  runner.write(burst);
  await until(() => active === RUNNER_FLOW_LIMITS.maxIoInFlight);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(peak, RUNNER_FLOW_LIMITS.maxIoInFlight);
  while (received.filter((m) => m.type === 'io-result').length < 200) {
    for (const w of waiting.splice(0)) w();
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(peak, RUNNER_FLOW_LIMITS.maxIoInFlight);
});

test('RunnerLink: a runner that does not read its results is not read either until it does', async (t) => {
  let calls = 0;
  const io: IO = { request: async () => (calls++, { status: 200, headers: {}, body: 'x'.repeat(2 * 1024 * 1024) }) };
  const { runner, received, until } = await linkPair(t, io);
  runner.pause(); // the runner's event loop is busy (or hostile): results pile up on the dispatcher's side
  const ioMsg = (i: number) => encode({ type: 'io', ioId: i, req: { method: 'GET', url: 'http://x/', headers: {} } });
  for (let i = 0; i < 12; i++) runner.write(ioMsg(i));
  await until(() => calls === 12);
  await new Promise((r) => setTimeout(r, 100));
  for (let i = 12; i < 24; i++) runner.write(ioMsg(i));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(calls, 12, 'over 16 MiB unread: the dispatcher stopped reading the runner');
  runner.resume();
  await until(() => calls === 24 && received.filter((m) => m.type === 'io-result').length === 24);
});

const REQ = { method: 'GET', path: '/', query: {}, headers: {}, body: '' };

test('RunnerLink: a log line counts for a request only while it is in flight on that link', async (t) => {
  const { link, runner, logs, received, until } = await linkPair(t);
  const outcome = link.invoke(REQ, { timeoutMs: 5000, requestId: 'mine' });
  await until(() => received.some((m) => m.type === 'invoke'));
  runner.write(encode({ type: 'log', id: 'mine', stream: 'stdout', line: 'own line' }));
  runner.write(encode({ type: 'log', id: 'someone-elses', stream: 'stdout', line: 'forged line' }));
  runner.write(encode({ type: 'response', id: 'mine', res: { status: 200, headers: {}, body: 'ok' } }));
  assert.equal(((await outcome) as Extract<InvokeOutcome, { kind: 'response' }>).response.body, 'ok');
  runner.write(encode({ type: 'log', id: 'mine', stream: 'stdout', line: 'after the end' }));
  await until(() => logs.length === 3);
  assert.deepEqual(logs, [
    { stream: 'stdout', line: 'own line', id: 'mine' },
    { stream: 'stdout', line: 'forged line', id: undefined },
    { stream: 'stdout', line: 'after the end', id: undefined },
  ]);
});

for (const [what, bytes] of [
  ['a line that is not JSON', 'this is not json\n'],
  ['a message of an unknown type', encode({ type: 'respond', id: 'a' } as never)],
  ['a response with a bad status', encode({ type: 'response', id: 'a', res: { status: 1000, headers: {}, body: '' } })],
  ['an oversized line', 'x'.repeat(maxRunnerLineBytes(0) + 10)],
] as const) {
  test(`RunnerLink: ${what} kills the link; its requests die as a violation`, async (t) => {
    const { link, runner, violations, received, until } = await linkPair(t);
    const a = link.invoke(REQ, { timeoutMs: 5000, requestId: 'a' });
    const b = link.invoke(REQ, { timeoutMs: 5000, requestId: 'b' });
    await until(() => received.filter((m) => m.type === 'invoke').length === 2);
    runner.write(bytes);
    const [oa, ob] = await Promise.all([a, b]);
    for (const o of [oa, ob]) {
      assert.equal(o.kind, 'died');
      assert.equal((o as Extract<InvokeOutcome, { kind: 'died' }>).violation, true);
      assert.match((o as Extract<InvokeOutcome, { kind: 'died' }>).reason, /broke the runner protocol/);
    }
    assert.equal(violations.length, 1);
    assert.equal(link.closed, true);
    // The dispatcher's end is closed: the runner sees its socket end.
    await until(() => runner.destroyed || runner.readableEnded);
    assert.equal((await link.invoke(REQ, { timeoutMs: 100, requestId: 'c' })).kind, 'died');
  });
}

// --- output lines and activation logs --------------------------------------------------------------

test('LineSplitter: long lines keep their head and say how much was dropped; memory stays at the cap', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l), 10);
  s.write(Buffer.from('short\n'));
  for (let i = 0; i < 1000; i++) s.write(Buffer.alloc(1000, 0x62)); // 1 MB without newline
  assert.ok((s as unknown as { held: number }).held <= 10);
  s.write(Buffer.from('\nnext'));
  s.end();
  assert.deepEqual(lines, ['short', `bbbbbbbbbb… [truncated ${1_000_000 - 10} bytes]`, 'next']);
  // A cut inside a multi-byte character ends before it.
  const l2: string[] = [];
  const s2 = new LineSplitter((l) => l2.push(l), 3);
  s2.write(Buffer.from('aaé€\n')); // a a (c3 a9) (e2 82 ac): the cut at 3 bytes splits é
  assert.deepEqual(l2, ['aa… [truncated 5 bytes]']);
});

test('runner session: process.stdout writes become the writing request’s log lines (cut, ended at its response); big answers become the 502', async () => {
  const sent: FromRunner[] = [];
  const session = createRunnerSession((m) => sent.push(m));
  session.handle({
    type: 'load',
    name: 'f',
    version: 1,
    env: {},
    source: `const c = require('containerless');
c.listen((req) => {
  if (req.path === '/big') return c.respond('x'.repeat(${FUNCTION_LIMITS.maxResponseBytes + 1}));
  globalThis.write('part one, ');
  globalThis.write('part two\\nnext ' + 'y'.repeat(20000));
  setTimeout(() => { c.respond('ok'); setTimeout(() => globalThis.write('late\\n'), 5); }, 5);
});`,
  });
  (globalThis as Record<string, unknown>).write = (s: string) => session.write('stdout', Buffer.from(s));
  try {
    session.handle({ type: 'invoke', id: 'r1', req: { method: 'GET', path: '/', query: {}, headers: {}, body: '' }, timeoutMs: 1000 });
    session.handle({ type: 'invoke', id: 'r2', req: { method: 'GET', path: '/big', query: {}, headers: {}, body: '' }, timeoutMs: 1000 });
    for (let i = 0; i < 500 && !sent.some((m) => m.type === 'log' && m.line === 'late'); i++) await new Promise((r) => setTimeout(r, 10));
  } finally {
    delete (globalThis as Record<string, unknown>).write;
  }
  const logs = sent.filter((m) => m.type === 'log') as Array<Extract<FromRunner, { type: 'log' }>>;
  assert.deepEqual(
    logs.map((l) => [l.id, l.line.slice(0, 20), l.line.length]),
    [
      ['r1', 'part one, part two', 18],
      ['r1', 'next yyyyyyyyyyyyyyy', FUNCTION_LIMITS.maxLogLineBytes + '… [truncated 3624 bytes]'.length],
      [undefined, 'late', 4],
    ],
  );
  // The partial line ends before the response that closes its request.
  assert.ok(sent.findIndex((m) => m.type === 'response' && m.id === 'r1') > sent.indexOf(logs[1]!));
  const big = sent.find((m) => m.type === 'response' && m.id === 'r2') as Extract<FromRunner, { type: 'response' }>;
  assert.equal(big.res.status, 502);
  assert.match(big.res.body, /response is too large/);
});
