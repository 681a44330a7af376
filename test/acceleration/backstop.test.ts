// The accelerator workers and their backstop (src/acceleration/accel-workers.ts): real
// worker threads running real compiled code. Fuel and memory limits are set far too high here on
// purpose: that is the accounting failing, which the backstop must survive without trusting it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { WorkerRunner } from '../../src/acceleration/index.ts';
import type { Binding, BackstopCause } from '../../src/acceleration/index.ts';
import { threadCpuMs } from '../../src/acceleration/thread-cpu.ts';
import type { OutboundRequest, OutboundResponse } from '../../src/api/index.ts';
import { compileSource, raw } from '../accelerator/helpers.ts';

const HELLO = `const c = require('containerless');
let n = 0;
c.listen(function (req) { n = n + 1; console.log('hello', n); c.respond('hello ' + n); });`;

const FETCH = `const c = require('containerless');
c.listen(function (req) { c.get('http://backend.example/x', function (body) { c.respond(body === undefined ? 'none' : body.v); }); });`;

const SPIN = `const c = require('containerless');
c.listen(function (req) { let i = 0; while (i >= 0) { i = i + 1; } c.respond('never'); });`;

const HOG = `const c = require('containerless');
c.listen(function (req) { const keep = []; let i = 0; while (true) { keep.push('x' + i + 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy'); i = i + 1; } });`;

/** Bounded work: `n` loop iterations. */
const BUSY = `const c = require('containerless');
c.listen(function (req) { const n = Number(req.query.n); let x = 0; for (let i = 0; i < n; i = i + 1) { x = (x + i) % 1000003; } c.respond(String(x)); });`;

const UNLIMITED = { fuel: 1e15, memoryBytes: 1e15, instanceMemoryBytes: 1e15 };

interface Recorded extends Binding {
  calls: OutboundRequest[];
  stops: Array<{ cause: BackstopCause; culprit: boolean }>;
  lines: string[];
}

function binding(reply?: (r: OutboundRequest) => Promise<OutboundResponse | undefined>): Recorded {
  const b: Recorded = {
    calls: [],
    stops: [],
    lines: [],
    io: {
      request(r) {
        b.calls.push(r);
        return reply ? reply(r) : Promise.resolve({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"v":"from backend"}' });
      },
    },
    log: (stream, line) => b.lines.push(`${stream}: ${line}`),
    stopped: (cause, culprit) => b.stops.push({ cause, culprit }),
  };
  return b;
}

const spec = (source: string, limits?: Record<string, number>) => ({ code: compileSource(source), env: {}, limits });

test('a worker runs compiled code: warm globals, logs with the result, calls through the dispatcher', async (t) => {
  const runner = new WorkerRunner({ workers: 1 });
  t.after(() => runner.close());
  const b = binding();
  assert.equal(await runner.load('hello', spec(HELLO), b), undefined);
  const a1 = await runner.handle('hello', raw(), { timeoutMs: 1000, id: 'r1' });
  const a2 = await runner.handle('hello', raw(), { timeoutMs: 1000, id: 'r2' });
  assert.equal(a1.result.kind === 'response' && a1.result.response.body, 'hello 1');
  assert.equal(a2.result.kind === 'response' && a2.result.response.body, 'hello 2', 'globals live as long as the instance');
  assert.deepEqual(a2.logs, [['stdout', 'hello 2']]);

  const f = binding();
  await runner.load('fetch', spec(FETCH), f);
  const a3 = await runner.handle('fetch', raw(), { timeoutMs: 1000, id: 'r3' });
  assert.equal(a3.result.kind === 'response' && a3.result.response.body, 'from backend');
  assert.equal(f.calls.length, 1);
  // The replay recorder finds a request's calls by identity: the result lists the very objects it saw.
  assert.equal(a3.result.outbound[0], f.calls[0]);
});

test('a top level that throws is a load error, not a dead worker', async (t) => {
  const runner = new WorkerRunner({ workers: 1 });
  t.after(() => runner.close());
  const err = await runner.load('bad', spec(`throw new Error('boom');`), binding());
  assert.match(err ?? '', /boom/);
  const ok = await runner.load('hello', spec(HELLO), binding());
  assert.equal(ok, undefined);
});

test('watchdog: a request stuck in code stops its worker; every request there is re-executable, only the culprit is blamed', async (t) => {
  const runner = new WorkerRunner({ workers: 1, watchdogMs: 300 });
  t.after(() => runner.close());
  let release!: (r: OutboundResponse | undefined) => void;
  const waiting = binding(() => new Promise((r) => (release = r)));
  const spin = binding();
  await runner.load('waiting', spec(FETCH), waiting);
  await runner.load('spin', spec(SPIN, UNLIMITED), spin);
  // A request of another function waits on an outbound call in the same worker when it is stopped.
  const pending = runner.handle('waiting', raw(), { timeoutMs: 10_000, id: 'w1' });
  while (waiting.calls.length === 0) await new Promise((r) => setTimeout(r, 10));
  // Stopped by the watchdog (the detail and the stop's cause say so), not by the request's own timeout.
  const stuck = await runner.handle('spin', raw(), { timeoutMs: 60_000, id: 's1' });
  assert.equal(stuck.result.kind, 'abort');
  assert.equal(stuck.result.kind === 'abort' && stuck.result.reason, 'backstop');
  assert.match(stuck.result.kind === 'abort' ? (stuck.result.detail ?? '') : '', /watchdog/);
  const cut = await pending;
  assert.equal(cut.result.kind === 'abort' && cut.result.reason, 'backstop');
  assert.equal(cut.result.outbound[0], waiting.calls[0], 'its call is kept for replay on re-execution');
  release(undefined);
  assert.deepEqual(spin.stops, [{ cause: 'watchdog', culprit: true }]);
  assert.deepEqual(waiting.stops, [{ cause: 'watchdog', culprit: false }]);
  // The innocent function is loaded again in a fresh worker on its next request.
  const again = runner.handle('waiting', raw(), { timeoutMs: 10_000, id: 'w2' });
  while (waiting.calls.length < 2) await new Promise((r) => setTimeout(r, 10));
  release({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"v":"back"}' });
  const a = await again;
  assert.equal(a.result.kind === 'response' && a.result.response.body, 'back');
});

test('heap limit: a request that outgrows its worker heap stops only that worker', async (t) => {
  const runner = new WorkerRunner({ workers: 1, heapMb: 64, watchdogMs: 60_000 });
  t.after(() => runner.close());
  const hog = binding();
  const hello = binding();
  await runner.load('hello', spec(HELLO), hello);
  await runner.load('hog', spec(HOG, UNLIMITED), hog);
  const rss0 = process.memoryUsage().rss;
  const a = await runner.handle('hog', raw(), { timeoutMs: 120_000, id: 'h1' });
  assert.equal(a.result.kind === 'abort' && a.result.reason, 'backstop');
  assert.deepEqual(hog.stops, [{ cause: 'heap-limit', culprit: true }]);
  const grew = (process.memoryUsage().rss - rss0) / 2 ** 20;
  assert.ok(grew < 64 + 100, `the process grew by ${grew.toFixed(0)} MiB`);
  const h = await runner.handle('hello', raw(), { timeoutMs: 1000, id: 'h2' });
  assert.equal(h.result.kind === 'response' && h.result.response.body, 'hello 1', 'a fresh instance in a fresh worker');
});

test('watchdog: a worker slowed by a busy CPU is not stopped, one stuck in code on it still is', async (t) => {
  // Only the CPU time may stop a worker here: no stall limit within the test's time.
  const watchdogMs = 300;
  const runner = new WorkerRunner({ workers: 1, watchdogMs, stallLimitMs: 600_000 });
  t.after(() => runner.close());
  const busy = binding();
  const spin = binding();
  await runner.load('busy', spec(BUSY, UNLIMITED), busy);
  await runner.load('spin', spec(SPIN, UNLIMITED), spin);
  const [tid] = runner.threadIds;
  assert.ok(tid, 'the worker thread has a kernel id');
  const cpu = () => threadCpuMs(tid!) ?? NaN;
  // Sized to about 80 ms of the worker's CPU time, well under the watchdog's 300.
  const cpuFor = async (n: number) => {
    const c0 = cpu();
    await runner.handle('busy', raw({ query: { n: String(n) } }), { timeoutMs: 60_000, id: `calibrate-${n}-${c0}` });
    return cpu() - c0;
  };
  let n = 1_000_000;
  // Twice: the loop runs faster once V8 has optimised it.
  for (let round = 0; round < 2; round++) {
    let measured = await cpuFor(n);
    while (measured < 40) measured = await cpuFor((n *= 2));
    n = Math.round((n * 80) / measured);
  }
  // The worker shares one CPU with nine processes that never sleep: it gets a tenth of it or less, so
  // its heartbeat stalls for 800 ms or more.
  const cpuNo = readFileSync('/proc/self/status', 'utf8').match(/Cpus_allowed_list:\s*(\d+)/)![1]!;
  const hogs = Array.from({ length: 9 }, () => spawn('taskset', ['-c', cpuNo, 'sh', '-c', 'while :; do :; done'], { stdio: 'ignore' }));
  t.after(() => hogs.forEach((h) => h.kill('SIGKILL')));
  execFileSync('taskset', ['-p', '-c', cpuNo, String(tid)], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 100));

  const c0 = cpu();
  const t0 = Date.now();
  const a = await runner.handle('busy', raw({ query: { n: String(n) } }), { timeoutMs: 60_000, id: 'slowed' });
  const wall = Date.now() - t0;
  const used = cpu() - c0;
  t.diagnostic(`the slowed request: ${used} ms of CPU in ${wall} ms`);
  assert.equal(a.result.kind, 'response', JSON.stringify(a.result));
  assert.ok(used < watchdogMs, `the request ran ${used} ms on the CPU`);
  assert.ok(wall > watchdogMs, `its heartbeat stalled past the watchdog's time (it took ${wall} ms for ${used} ms of CPU)`);
  assert.deepEqual(busy.stops, [], 'the worker was not stopped');
  assert.deepEqual(runner.threadIds, [tid]);

  // An endless loop on that CPU, shared with three of them (a shorter wait), is still stopped.
  for (const h of hogs.slice(3)) h.kill('SIGKILL');
  const t1 = Date.now();
  const stuck = await runner.handle('spin', raw(), { timeoutMs: 120_000, id: 'stuck' });
  const detail = stuck.result.kind === 'abort' ? (stuck.result.detail ?? '') : '';
  t.diagnostic(`the endless loop: stopped after ${Date.now() - t1} ms (${detail})`);
  assert.equal(stuck.result.kind === 'abort' && stuck.result.reason, 'backstop');
  const onCpu = /^watchdog: no heartbeat for \d+ ms, (\d+) ms of it on the CPU$/.exec(detail);
  assert.ok(onCpu && Number(onCpu[1]) >= watchdogMs, `stopped for the CPU time it ran: ${detail}`);
  assert.deepEqual(spin.stops, [{ cause: 'watchdog', culprit: true }]);
  assert.deepEqual(busy.stops, [{ cause: 'watchdog', culprit: false }]);
});

test('a request in flight when its code is unloaded (new code went live) keeps its outbound calls', async (t) => {
  const runner = new WorkerRunner({ workers: 1 });
  t.after(() => runner.close());
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const b = binding(async () => {
    await gate;
    return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"v":"from backend"}' };
  });
  const twice = `const c = require('containerless');
c.listen(function (req) { c.get('http://backend.example/1', function (a) { c.get('http://backend.example/2', function (b) { c.respond((a === undefined ? 'none' : a.v) + ' / ' + (b === undefined ? 'none' : b.v)); }); }); });`;
  assert.equal(await runner.load('v1', spec(twice), b), undefined);
  const pending = runner.handle('v1', raw(), { timeoutMs: 5000, id: 'q1' });
  while (b.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
  // What installing new code does to the old key while q1 waits on its first call.
  assert.equal(await runner.load('v2', spec(twice), b), undefined);
  runner.unload('v1');
  release();
  const a = await pending;
  assert.equal(a.result.kind === 'response' && a.result.response.body, 'from backend / from backend', JSON.stringify(a.result));
  assert.deepEqual(b.calls.map((c) => c.url), ['http://backend.example/1', 'http://backend.example/2']);
  // New requests of the unloaded key are refused; the new key serves.
  const old = await runner.handle('v1', raw(), { timeoutMs: 1000, id: 'q2' });
  assert.equal(old.result.kind, 'abort');
});

test('warm() starts every worker before the first load, and loads then spread over them', async (t) => {
  const runner = new WorkerRunner({ workers: 2 });
  t.after(() => runner.close());
  assert.deepEqual(runner.threadIds, [], 'nothing starts before it is asked');
  runner.warm();
  runner.warm(); // a second deploy that traces: no third worker
  const end = Date.now() + 30_000;
  while (runner.threadIds.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  const warmed = runner.threadIds;
  assert.equal(warmed.length, 2, 'both workers ready with no program loaded');
  assert.equal(await runner.load('a', spec(HELLO), binding()), undefined);
  assert.equal(await runner.load('b', spec(HELLO), binding()), undefined);
  assert.deepEqual(runner.threadIds, warmed, 'the loads went to the warmed workers, none was added');
  const r = await runner.handle('b', raw(), { timeoutMs: 2000, id: 'w1' });
  assert.equal(r.result.kind, 'response');
});
