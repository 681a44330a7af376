/**
 * Attacks of a function on the dispatcher ⇄ runner protocol and on what reaches clients, through the
 * HTTP API of a real runc platform running in this process (so this process's RSS is the
 * dispatcher's). A container's function shares the runner's Node process: it finds the runner's
 * socket among its open handles and writes raw bytes to it. docs/security.md, "The dispatcher ⇄ runner protocol".
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { test } from 'node:test';
import pino from 'pino';
import { FUNCTION_LIMITS, LOG_TRUNCATED_LINE } from '../../src/api/index.ts';
import { call, deploy, platform, sleep, src } from '../e2e/helpers.ts';

/** Function code: the runner's connection to the dispatcher (the one socket handle past fd 2). */
const RUNNER_SOCKET = `
const net = require('net');
function runnerSocket() {
  return process._getActiveHandles().find((h) => h instanceof net.Socket && h._handle && h._handle.fd > 2);
}`;

const MB = 1024 * 1024;

/** The largest growth of this process's RSS while `fn` runs, sampled every 10 ms. */
async function rssGrowthDuring<T>(fn: () => Promise<T>): Promise<{ result: T; grewBy: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, grewBy: peak - base };
  } finally {
    clearInterval(timer);
  }
}

/** The plain pool's live containers of a function, by id. */
async function containerIds(p: { url: string }, name: string): Promise<string[]> {
  const got = (await call(p, `/api/functions/${name}`)).json() as { containers: Array<{ id: string; traced: boolean }> };
  return got.containers.filter((c) => !c.traced).map((c) => c.id);
}

/** Every runc container on the machine; `runc list` fails when another test deletes one mid-listing. */
function runcIds(): string[] {
  for (let attempt = 1; ; attempt++) {
    try {
      const out = execFileSync('runc', ['list', '--format', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
      return ((JSON.parse(out || 'null') as { id: string }[] | null) ?? []).map((x) => x.id);
    } catch (err) {
      if (attempt >= 5) throw err;
      execFileSync('sleep', [String(0.05 * attempt)]);
    }
  }
}

/** Waits until none of `ids` is a live container, in the API or in runc. */
async function gone(p: { url: string }, name: string, ids: string[]): Promise<void> {
  let left: string[] = ids;
  for (let i = 0; i < 100 && left.length > 0; i++) {
    const live = new Set([...(await containerIds(p, name)), ...runcIds().map((r) => r.replace(/^cl-/, ''))]);
    left = ids.filter((id) => live.has(id));
    if (left.length > 0) await sleep(100);
  }
  assert.deepEqual(left, [], 'the container that broke the protocol is gone (API and runc list)');
}

/** A platform whose log lines the test can read (the operator's view). */
async function loggedPlatform(t: Parameters<typeof platform>[0]) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  const p = await platform(t, { logger });
  return { p, lines };
}

test('a 200 MB line without a newline on the runner socket: 502, the dispatcher grows < 100 MB, only that container dies', async (t) => {
  const p = await platform(t);
  await deploy(p, 'hello', src.hello);
  await deploy(
    p,
    'flood',
    `const c = require('containerless');${RUNNER_SOCKET}
c.listen(function (req) {
  if (req.path === '/ok') return c.respond('ok');
  const sock = runnerSocket();
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  let sent = 0;
  sock.on('error', () => {});
  (function pump() {
    while (sent < 200) {
      sent++;
      if (!sock.write(chunk)) return void sock.once('drain', pump);
    }
  })();
});`,
    { timeout_ms: 30_000 },
  );
  assert.equal((await call(p, '/fn/flood/ok')).text, 'ok');
  assert.equal((await call(p, '/fn/hello')).status, 200);
  const before = await containerIds(p, 'flood');
  assert.equal(before.length, 1);

  // Answered by the protocol check (the error says so), not by the function's 30 s timeout.
  const { result: r, grewBy } = await rssGrowthDuring(() => call(p, '/fn/flood/attack'));
  assert.equal(r.status, 502, r.text);
  assert.match(r.json().error, /broke the runner protocol: a message line over \d+ bytes/);
  assert.match(r.json().error, /not re-executed/);
  t.diagnostic(`dispatcher RSS growth: ${Math.round(grewBy / MB)} MB`);
  assert.ok(grewBy < 100 * MB, `the dispatcher grew by ${Math.round(grewBy / MB)} MB`);
  await gone(p, 'flood', before);

  const fn = (await call(p, '/api/functions/flood')).json();
  assert.equal(fn.stats.outcomes.violation, 1);
  assert.equal(fn.stats.outcomes.reexecuted, undefined, 'a container that broke the protocol is not re-run');
  assert.equal((await call(p, '/fn/hello')).text, 'Hello, world!', 'another function still answers');
  assert.equal((await call(p, '/fn/flood/ok')).text, 'ok', 'the function itself gets a fresh container');
});

test('50 MB of stdout without a newline: lines cut at 16 KiB, the activation capped at 64 KiB, the dispatcher grows < 100 MB', async (t) => {
  const { p, lines } = await loggedPlatform(t);
  await deploy(p, 'hello', src.hello);
  await deploy(
    p,
    'chatty',
    `const c = require('containerless');
const fs = require('fs');
c.listen(function (req) {
  const mb = Buffer.alloc(1024 * 1024, 0x62);
  // Through process.stdout: the runner makes it a log line of this request.
  for (let i = 0; i < 25; i++) process.stdout.write(mb);
  process.stdout.write('\\n');
  // Straight to fd 1: the container's pipe, read by the dispatcher (non-blocking: retried when full).
  const raw = function (buf) {
    for (let off = 0; off < buf.length; ) {
      try { off += fs.writeSync(1, buf, off); } catch (e) { if (e.code !== 'EAGAIN') throw e; }
    }
  };
  for (let i = 0; i < 25; i++) raw(mb);
  raw(Buffer.from('END OF RAW LINE\\n'));
  for (let i = 0; i < 200; i++) console.log('line ' + i + ' ' + 'z'.repeat(1000));
  c.respond('done');
});`,
    { timeout_ms: 30_000 },
  );
  assert.equal((await call(p, '/fn/hello')).status, 200);
  const { result: r, grewBy } = await rssGrowthDuring(() => call(p, '/fn/chatty/'));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.text, 'done');
  t.diagnostic(`dispatcher RSS growth: ${Math.round(grewBy / MB)} MB`);
  assert.ok(grewBy < 100 * MB, `the dispatcher grew by ${Math.round(grewBy / MB)} MB`);

  const acts = (await call(p, '/api/functions/chatty/logs')).json() as Array<{ id: string; logs: string[] }>;
  const logs = acts.find((a) => a.id === r.headers.get('x-containerless-request-id'))!.logs;
  const max = FUNCTION_LIMITS.maxLogLineBytes;
  assert.equal(logs[0], `${'b'.repeat(max)}… [truncated ${25 * MB - max} bytes]`, 'the process.stdout line, cut');
  assert.equal(logs.at(-1), LOG_TRUNCATED_LINE);
  const bytes = logs.slice(0, -1).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  assert.ok(bytes <= FUNCTION_LIMITS.maxActivationLogBytes, `activation logs ${bytes} bytes`);
  assert.ok(logs.includes('line 0 ' + 'z'.repeat(1000)));
  assert.ok(!logs.includes('line 199 ' + 'z'.repeat(1000)));

  // The raw fd-1 line has no request: the operator's log has it, cut the same way.
  const raw = lines.find((l) => l.fn === 'chatty' && l.stream === 'stdout' && typeof l.msg === 'string' && l.msg.startsWith('bbbb') && l.requestId === undefined);
  assert.ok(raw, 'the raw stdout line reached the server log');
  assert.match(raw.msg as string, /^b{16384}END OF RAW LINE|^b{16384}… \[truncated \d+ bytes\]$/);
  assert.ok(Buffer.byteLength(raw.msg as string) <= max + 48);
  assert.equal((await call(p, '/fn/hello')).text, 'Hello, world!');
});

test('malformed messages on the runner socket (not JSON, wrong shape): 502, the container is killed, others answer', async (t) => {
  const p = await platform(t);
  await deploy(p, 'hello', src.hello);
  await deploy(
    p,
    'garbler',
    `const c = require('containerless');${RUNNER_SOCKET}
c.listen(function (req) {
  if (req.path === '/ok') return c.respond('ok');
  const lines = {
    '/text': 'this is not json\\n',
    '/shape': JSON.stringify({ type: 'response', id: 'x', res: { status: 1000, headers: {}, body: '' } }) + '\\n',
    '/type': JSON.stringify({ type: 'exec', cmd: 'rm -rf /' }) + '\\n',
  };
  runnerSocket().write(lines[req.path]);
});`,
    { timeout_ms: 5000 },
  );
  for (const [path, why] of [
    ['/text', /a line that is not JSON/],
    ['/shape', /status is not an integer from 100 to 599/],
    ['/type', /unknown message type "exec"/],
  ] as const) {
    assert.equal((await call(p, '/fn/garbler/ok')).text, 'ok');
    const before = await containerIds(p, 'garbler');
    const r = await call(p, `/fn/garbler${path}`);
    assert.equal(r.status, 502, `${path}: ${r.text}`);
    assert.match(r.json().error, why);
    await gone(p, 'garbler', before);
    assert.equal((await call(p, '/fn/hello')).text, 'Hello, world!');
  }
  assert.equal((await call(p, '/api/functions/garbler')).json().stats.outcomes.violation, 3);
});

test("a log line naming another function's in-flight request id never reaches that request's logs", async (t) => {
  const { p, lines } = await loggedPlatform(t);
  await deploy(
    p,
    'victim',
    // A request with ?hold stays in flight until /release (same container: one, concurrency 8).
    `const c = require('containerless');
let released = false;
c.listen(function (req) {
  if (req.path === '/release') { released = true; return c.respond('released'); }
  console.log('victim started');
  const wait = setInterval(function () {
    if (req.query.hold && !released) return;
    clearInterval(wait);
    console.log('victim own line');
    c.respond('victim done');
  }, 5);
});`,
  );
  await deploy(
    p,
    'forger',
    `const c = require('containerless');${RUNNER_SOCKET}
c.listen(function (req) {
  if (req.query.victim) {
    runnerSocket().write(JSON.stringify({ type: 'log', id: req.query.victim, stream: 'stdout', line: 'FORGED BY FORGER' }) + '\\n');
  }
  c.respond('sent');
});`,
  );
  // Ids have the same shape for every request; the live one cannot be guessed from an earlier one.
  const first = (await call(p, '/fn/victim/')).headers.get('x-containerless-request-id')!;
  const second = (await call(p, '/fn/victim/')).headers.get('x-containerless-request-id')!;
  assert.match(first, /^[a-z0-9]+-[a-f0-9]{8}-[a-z0-9]+-[a-f0-9]{12}$/);
  assert.notEqual(first.slice(-12), second.slice(-12));
  assert.equal((await call(p, '/fn/forger/')).text, 'sent');

  // The victim's live request id, as the operator's log shows it.
  const slow = call(p, '/fn/victim/?hold=1');
  let victimId: string | undefined;
  for (let i = 0; i < 300 && !victimId; i++) {
    const seen = lines.filter((l) => l.fn === 'victim' && l.msg === 'victim started' && typeof l.requestId === 'string');
    if (seen.length === 3) victimId = seen[2]!.requestId as string;
    else await sleep(10);
  }
  assert.ok(victimId, 'the victim request started');
  assert.equal((await call(p, `/fn/forger/?victim=${encodeURIComponent(victimId)}`)).text, 'sent');
  assert.equal((await call(p, '/fn/victim/release')).text, 'released');
  const r = await slow;
  assert.equal(r.text, 'victim done');
  assert.equal(r.headers.get('x-containerless-request-id'), victimId, 'the forged line named the live request');

  const acts = (await call(p, '/api/functions/victim/logs')).json() as Array<{ id: string; logs: string[] }>;
  const act = acts.find((a) => a.id === victimId)!;
  assert.deepEqual(act.logs, ['victim started', 'victim own line']);
  for (const a of acts) assert.ok(!a.logs.includes('FORGED BY FORGER'));
  // The line is the forger's, without a request.
  const forged = lines.filter((l) => l.msg === 'FORGED BY FORGER');
  assert.equal(forged.length, 1);
  assert.equal(forged[0]!.fn, 'forger');
  assert.equal(forged[0]!.requestId, undefined);
});

const FORGED = {
  'Transfer-Encoding': 'chunked',
  'Content-Length': '5',
  'X-Containerless-Mode': 'accelerated',
  'X-CONTAINERLESS-REEXECUTED': '1',
  'x-containerless-request-id': 'forged',
  Connection: 'close, X-Listed',
  'X-Listed': 'hop-by-hop by the Connection header',
  'X-Injected': 'a\r\nSet-Cookie: evil=1',
  'X-Kept': 'yes',
};

/** One request over a raw connection: the exact header lines the server sent, and the body. */
async function rawGet(p: { port: number }, path: string): Promise<{ status: number; head: string[]; body: string }> {
  const sock = net.connect(p.port, '127.0.0.1');
  sock.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
  let buf = Buffer.alloc(0);
  for await (const chunk of sock as AsyncIterable<Buffer>) {
    buf = Buffer.concat([buf, chunk]);
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) continue;
    const head = buf.subarray(0, end).toString('latin1').split('\r\n');
    const len = head.find((h) => /^content-length:/i.test(h));
    if (len && buf.length - end - 4 >= Number(len.split(':')[1])) {
      sock.destroy();
      return { status: Number(head[0]!.split(' ')[1]), head: head.slice(1), body: buf.subarray(end + 4).toString('utf8') };
    }
  }
  throw new Error(`connection ended early: ${buf.toString('latin1')}`);
}

/** What a client may see of a forged response: the platform's own framing and headers only. */
function assertNoForgery(r: { status: number; head: string[]; body: string }, mode: string): void {
  const names = r.head.map((h) => h.slice(0, h.indexOf(':')).toLowerCase());
  const value = (n: string) => r.head.filter((h) => h.toLowerCase().startsWith(`${n}:`)).map((h) => h.slice(n.length + 1).trim());
  assert.equal(r.status, 200);
  assert.equal(r.body, 'intact body');
  assert.deepEqual(value('content-length'), ['11']);
  assert.deepEqual(value('transfer-encoding'), []);
  assert.deepEqual(value('x-containerless-mode'), [mode]);
  assert.deepEqual(value('x-containerless-reexecuted'), []);
  assert.equal(value('x-containerless-request-id').length, 1);
  assert.notEqual(value('x-containerless-request-id')[0], 'forged');
  assert.deepEqual(value('connection'), ['keep-alive']);
  assert.ok(!names.includes('x-listed') && !names.includes('x-injected') && !names.includes('set-cookie'), r.head.join(' | '));
  assert.deepEqual(value('x-kept'), ['yes']);
}

test('forged response headers in containers mode (respond options and a raw response message): none reach the client', async (t) => {
  const p = await platform(t);
  await deploy(p, 'hello', src.hello);
  await deploy(
    p,
    'forge',
    `const c = require('containerless');${RUNNER_SOCKET}
const FORGED = ${JSON.stringify(FORGED)};
// The invoke messages the runner reads, seen by the function too: it learns its request ids.
const ids = {};
let pending = '';
runnerSocket().on('data', function (d) {
  pending += d;
  let nl;
  while ((nl = pending.indexOf('\\n')) >= 0) {
    const m = JSON.parse(pending.slice(0, nl));
    pending = pending.slice(nl + 1);
    if (m.type === 'invoke') ids[m.req.path] = m.id;
  }
});
c.listen(function (req) {
  if (req.path === '/respond') return c.respond('intact body', { headers: FORGED });
  // An interim status as the final answer, with a body that looks like the next response.
  if (req.path === '/interim') return c.respond('HTTP/1.1 200 OK\\r\\nx-containerless-mode: accelerated\\r\\ncontent-length: 6\\r\\n\\r\\nforged', { status: 100 });
  setImmediate(function () {
    // Mixed-case names straight on the socket: what respond() would have lower-cased.
    runnerSocket().write(JSON.stringify({ type: 'response', id: ids[req.path], res: { status: 200, headers: FORGED, body: 'intact body' } }) + '\\n');
  });
});`,
  );
  assertNoForgery(await rawGet(p, '/fn/forge/respond'), 'container');
  assertNoForgery(await rawGet(p, '/fn/forge/raw'), 'container');
  const interim = await rawGet(p, '/fn/forge/interim');
  assert.equal(interim.status, 502);
  assert.match(interim.body, /informational status 100/);
  const viaFetch = await call(p, '/fn/forge/raw');
  assert.equal(viaFetch.text, 'intact body');
  assert.equal(viaFetch.headers.get('x-containerless-mode'), 'container');
  assert.equal((await call(p, '/fn/hello')).text, 'Hello, world!');
});

test('forged response headers in accelerated mode: none reach the client', async (t) => {
  const p = await platform(t);
  await deploy(p, 'hello', src.hello);
  await deploy(p, 'forge', `const c = require('containerless');\nc.listen(function (req) { c.respond('intact body', { headers: ${JSON.stringify(FORGED)} }); });`);
  const pin = await call(p, '/api/functions/forge/mode', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"mode":"accelerated"}' });
  assert.equal(pin.status, 200);
  let mode = '';
  for (let i = 0; i < 300 && mode !== 'accelerated'; i++) {
    const r = await rawGet(p, '/fn/forge/');
    mode = r.head.find((h) => h.toLowerCase().startsWith('x-containerless-mode:'))!.split(':')[1]!.trim();
    assertNoForgery(r, mode); // in every mode on the way: container, tracing, accelerated
    if (mode !== 'accelerated') await sleep(50);
  }
  assert.equal(mode, 'accelerated');
  assertNoForgery(await rawGet(p, '/fn/forge/'), 'accelerated');
  assert.equal((await call(p, '/fn/hello')).text, 'Hello, world!');
});

test('accelerated mode: an activation keeps 64 KiB of logs and one truncation line, as containers do', async (t) => {
  const p = await platform(t);
  await deploy(p, 'hello', src.hello);
  await deploy(p, 'logger', `const c = require('containerless');
c.listen(function (req) {
  const chunk = 'z'.repeat(1000);
  for (let i = 0; i < 200; i++) console.log('line ' + i + ' ' + chunk);
  c.respond('logged');
});`);
  await call(p, '/api/functions/logger/mode', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"mode":"accelerated"}' });
  const byMode: Record<string, string[]> = {};
  for (let i = 0; i < 300 && !byMode.accelerated; i++) {
    const r = await call(p, '/fn/logger/');
    assert.equal(r.text, 'logged');
    const m = r.headers.get('x-containerless-mode')!;
    if (!byMode[m] && r.headers.get('x-containerless-reexecuted') === null) {
      const acts = (await call(p, '/api/functions/logger/logs')).json() as Array<{ id: string; logs: string[] }>;
      byMode[m] = acts.find((a) => a.id === r.headers.get('x-containerless-request-id'))!.logs;
    }
    if (!byMode.accelerated) await sleep(50);
  }
  assert.ok(byMode.accelerated, 'the function became accelerated');
  for (const [m, logs] of Object.entries(byMode)) {
    assert.equal(logs.at(-1), LOG_TRUNCATED_LINE, m);
    const bytes = logs.slice(0, -1).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    assert.ok(bytes <= FUNCTION_LIMITS.maxActivationLogBytes && bytes > FUNCTION_LIMITS.maxActivationLogBytes - 2000, `${m}: ${bytes} bytes`);
  }
  assert.deepEqual(byMode.accelerated, byMode[Object.keys(byMode).find((k) => k !== 'accelerated')!], 'the same lines in every mode');
  assert.equal((await call(p, '/fn/hello')).text, 'Hello, world!');
});
