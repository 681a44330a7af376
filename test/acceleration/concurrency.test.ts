import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { accelPlatform, call, deploy, fnInfo, untilAccelerated } from './helpers.ts';

// Eight kinds of request; training covers two, so six are unknown paths when the burst starts.
const SOURCE = `const c = require('containerless');
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
c.listen(function (req) {
  const k = Number(req.query.k);
  const v = Number(req.query.v);
  let out;
  switch (k) {
    case 0: out = 'zero ' + (v + 1); break;
    case 1: out = 'one ' + (v * 2); break;
    case 2: out = 'two ' + String(v).split('').reverse().join(''); break;
    case 3: { const xs = []; for (let i = 0; i < v % 50; i++) xs.push(i); out = 'three ' + xs.length; break; }
    case 4: out = 'four ' + fib(v % 15); break;
    case 5: out = 'five ' + (v % 7 === 0 ? 'seven' : 'not'); break;
    case 6: out = 'six ' + JSON.stringify({ v: v }); break;
    default: out = 'other ' + k;
  }
  c.respond(out);
});`;

/**
 * Fires all requests at once from a child process, so that the lag measured in this process (the
 * dispatcher's) is the dispatcher's own and not that of 200 HTTP clients sharing its event loop.
 */
function burst(urls: string[]): Promise<Array<{ status: number; text: string; mode: string | null; reexecuted: string | null }>> {
  const script = `const urls = JSON.parse(process.argv[1]);
Promise.all(urls.map(async (u) => { const r = await fetch(u); const text = await r.text();
  return { status: r.status, text, mode: r.headers.get('x-containerless-mode'), reexecuted: r.headers.get('x-containerless-reexecuted') }; }))
  .then((out) => process.stdout.write(JSON.stringify(out)), (e) => { console.error(e); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, JSON.stringify(urls)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`burst client exited ${code}`))));
  });
}

function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
function expected(k: number, v: number): string {
  switch (k) {
    case 0: return `zero ${v + 1}`;
    case 1: return `one ${v * 2}`;
    case 2: return `two ${String(v).split('').reverse().join('')}`;
    case 3: return `three ${v % 50}`;
    case 4: return `four ${fib(v % 15)}`;
    case 5: return `five ${v % 7 === 0 ? 'seven' : 'not'}`;
    case 6: return `six ${JSON.stringify({ v })}`;
    default: return `other ${k}`;
  }
}

test('200 concurrent requests mixing known and unknown paths: all right, no 5xx, event loop not blocked', async (t) => {
  // Demotion off: most of the burst's kinds are unknown at first, which is what this test is about.
  const p = await accelPlatform(t, { demoteWindow: 1000, demoteMinAttempts: 1000 });
  // One container takes every re-execution: starting containers (process spawns) during the burst is
  // the sandbox's cost, measured elsewhere; this test is about what acceleration adds to the loop.
  await deploy(p, 'mix', SOURCE, { concurrency: 256, max_containers: 1, max_queue: 1000 });
  for (let i = 0; i < 3; i++) {
    await call(p, `/fn/mix/?k=0&v=${i}`);
    await call(p, `/fn/mix/?k=1&v=${i}`);
  }
  await untilAccelerated(p, '/fn/mix/?k=0&v=1');

  // The machine's own noise first: on a shared, loaded machine this process is sometimes not scheduled
  // for a while, whatever it runs. A burst of 200 known-path requests (accelerated, nothing to compile)
  // gives that figure; the bound below adds it.
  const base = monitorEventLoopDelay({ resolution: 10 });
  base.enable();
  const known = await burst(Array.from({ length: 200 }, (_, i) => `${p.url}/fn/mix/?k=${i % 2}&v=${i}`));
  base.disable();
  for (const [i, r] of known.entries()) assert.equal(r.text, expected(i % 2, i));
  const noise = base.max / 1e6;
  const h = monitorEventLoopDelay({ resolution: 10 });
  const reqs = Array.from({ length: 200 }, (_, i) => ({ k: i % 8, v: 1000 + i }));
  h.enable();
  const answers = await burst(reqs.map(({ k, v }) => `${p.url}/fn/mix/?k=${k}&v=${v}`));
  h.disable();
  const results = reqs.map(({ k, v }, i) => ({ k, v, r: answers[i]! }));
  const p99 = h.percentile(99) / 1e6;
  const max = h.max / 1e6;
  console.log(`event loop delay during 200 concurrent requests: p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms, mean ${(h.mean / 1e6).toFixed(1)} ms (same burst on known paths only: p99 ${(base.percentile(99) / 1e6).toFixed(1)} ms, max ${noise.toFixed(1)} ms; load average ${loadavg()[0]!.toFixed(1)})`);
  const modes: Record<string, number> = {};
  for (const { k, v, r } of results) {
    assert.ok(r.status < 500, `k=${k} v=${v}: ${r.status} ${r.text}`);
    assert.equal(r.text, expected(k, v), `k=${k} v=${v}`);
    const m = `${r.mode}${r.reexecuted ? '+re' : ''}`;
    modes[m] = (modes[m] ?? 0) + 1;
  }
  console.log(`modes: ${JSON.stringify(modes)}`);
  assert.ok((modes['tracing+re'] ?? 0) > 0, 'unknown paths were re-executed');
  assert.ok((modes['accelerated'] ?? 0) > 0, 'known paths were accelerated');
  // 200 ms, plus the worst delay of the known-path burst measured just before: on a shared machine
  // (CPU pressure near 100% was seen while other suites ran) much of the delay is time this process
  // was not scheduled at all, whatever it runs. Compiles run in a worker thread; on the event loop they would add hundreds of
  // milliseconds per compile.
  assert.ok(p99 < 200 + noise, `event loop p99 ${p99.toFixed(1)} ms (bound ${(200 + noise).toFixed(1)} ms)`);

  // Every kind is learned: once the recompiles land, all eight are accelerated.
  for (let k = 0; k < 8; k++) assert.equal((await untilAccelerated(p, `/fn/mix/?k=${k}&v=77`)).text, expected(k, 77));
  const info = await fnInfo(p, 'mix');
  assert.equal(info.compile_error, null);
  console.log(`compiles: ${info.stats.acceleration.compiles}, re-executions: ${info.stats.acceleration.reexecutions}`);
});
