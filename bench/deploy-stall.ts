/**
 * How much a large deploy stalls the dispatcher's event loop (issue 9, item 6). `containerless serve`
 * runs in its own process; this process deploys a generated source of `--bytes` (many small functions
 * with branches: the parser's and the tracer's worst case per byte) while it keeps calling
 * `/healthz`, an accelerated function (answered on the dispatcher's event loop) and a container
 * function, one request every 10 ms each. The server's event-loop delay comes from its own
 * `perf_hooks.monitorEventLoopDelay` (prom-client's `nodejs_eventloop_lag_*`, reset by each scrape of
 * /metrics: scraped right before and right after the deploy), and, for reference, over 5 s of the same
 * probes without a deploy (what the machine's load alone costs). Prints one line per run.
 *
 *   npx tsx bench/deploy-stall.ts [--bytes 5138022] [--runs 3] [--sandbox runc] [--root CHECKOUT]
 *
 * `--root` runs another checkout's server (e.g. an export of main, for a before/after comparison).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bigSource } from '../test/hostile/api-helpers.ts';
import { freePort } from './accel-servers.ts';

const { values: args } = parseArgs({
  options: {
    bytes: { type: 'string', default: String(Math.round(4.9 * 1024 * 1024)) },
    runs: { type: 'string', default: '3' },
    sandbox: { type: 'string', default: process.getuid?.() === 0 ? 'runc' : 'process' },
    root: { type: 'string', default: join(import.meta.dirname, '..') },
  },
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const hello = (word: string) => `const c = require('containerless');\nc.listen(function (req) { c.respond('${word}'); });`;

async function serve(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(args.root!, 'bin', 'containerless.js'), 'serve', '--port', String(port), '--data-dir', dataDir, '--sandbox', args.sandbox!], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {}
    if (child.exitCode !== null) throw new Error('serve exited');
    await sleep(100);
  }
  throw new Error('serve did not become ready');
}

async function put(base: string, name: string, body: string): Promise<number> {
  const r = await fetch(`${base}/api/functions/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
  await r.text();
  return r.status;
}

/**
 * One request every `PACE_MS` until `stop()`: each answer's latency, and the longest time with no
 * answer. Paced, so that the probes do not compete with the deploy for the CPU more than traffic does.
 */
const PACE_MS = 10;
async function probe(url: string, from: number, stop: () => boolean): Promise<{ n: number; maxMs: number; gapMs: number; bad: number }> {
  let n = 0, maxMs = 0, bad = 0, last = from, gapMs = 0;
  while (!stop()) {
    await sleep(PACE_MS);
    const t0 = performance.now();
    const r = await fetch(url);
    await r.text();
    const now = performance.now();
    if (stop()) break;
    n++;
    if (!r.ok) bad++;
    maxMs = Math.max(maxMs, now - t0);
    gapMs = Math.max(gapMs, now - last);
    last = now;
  }
  return { n, maxMs, gapMs: Math.max(gapMs, performance.now() - last), bad };
}

function lag(metrics: string, which: string): number {
  const m = new RegExp(`^containerless_process_nodejs_eventloop_lag_${which}_seconds (\\S+)$`, 'm').exec(metrics);
  return m ? Number(m[1]) * 1000 : NaN;
}

const body = JSON.stringify({ source: bigSource(Number(args.bytes)) });
console.log(`deploy-stall: ${new Date().toISOString()} root=${args.root} sandbox=${args.sandbox} source=${Number(args.bytes)} chars, ${cpus().length} cpus, load ${loadavg()[0]!.toFixed(2)}`);
for (let run = 1; run <= Number(args.runs); run++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cl-bench-stall-'));
  const port = await freePort();
  const child = await serve(dataDir, port);
  const base = `http://127.0.0.1:${port}`;
  try {
    if ((await put(base, 'boxed', JSON.stringify({ source: hello('boxed') }))) !== 201) throw new Error('deploy boxed failed');
    await fetch(`${base}/api/functions/boxed/mode`, { method: 'PUT', body: '{"mode":"containers"}' });
    if ((await put(base, 'fast', JSON.stringify({ source: hello('fast') }))) !== 201) throw new Error('deploy fast failed');
    await fetch(`${base}/api/functions/fast/mode`, { method: 'PUT', body: '{"mode":"accelerated"}' });
    for (let i = 0; i < 200; i++) {
      const r = await fetch(`${base}/fn/fast/`);
      await r.text();
      if (r.headers.get('x-containerless-mode') === 'accelerated') break;
      await sleep(50);
    }
    await (await fetch(`${base}/fn/boxed/`)).text();
    await sleep(1000); // let start-up work (compile worker, prestarted runners) settle
    // The same probes for 5 s without a deploy: what this machine's load alone costs.
    await (await fetch(`${base}/metrics`)).text(); // resets the server's event-loop delay histogram
    const quietEnd = performance.now() + 5000;
    await Promise.all(['/healthz', '/fn/fast/', '/fn/boxed/'].map((p) => probe(base + p, performance.now(), () => performance.now() > quietEnd)));
    const quiet = await (await fetch(`${base}/metrics`)).text();
    let done = false;
    const t0 = performance.now();
    const deploy = put(base, 'big', body).then((s) => ((done = true), s));
    const [health, fast, boxed] = await Promise.all(['/healthz', '/fn/fast/', '/fn/boxed/'].map((p) => probe(base + p, t0, () => done)));
    const status = await deploy;
    const ms = performance.now() - t0;
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const f = (x: number) => x.toFixed(0);
    console.log(
      `run ${run}: deploy ${status} in ${f(ms)} ms | server event-loop delay max ${f(lag(metrics, 'max'))} ms, p99 ${f(lag(metrics, 'p99'))} ms, mean ${f(lag(metrics, 'mean'))} ms` +
        ` | answers during the deploy (count, slowest, longest silence): /healthz ${health.n}, ${f(health.maxMs)} ms, ${f(health.gapMs)} ms;` +
        ` accelerated ${fast.n}, ${f(fast.maxMs)} ms, ${f(fast.gapMs)} ms; container ${boxed.n}, ${f(boxed.maxMs)} ms, ${f(boxed.gapMs)} ms` +
        (health.bad + fast.bad + boxed.bad > 0 ? ` | ${health.bad + fast.bad + boxed.bad} non-2xx` : '') +
        ` | without a deploy: max ${f(lag(quiet, 'max'))} ms, p99 ${f(lag(quiet, 'p99'))} ms, mean ${f(lag(quiet, 'mean'))} ms`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
