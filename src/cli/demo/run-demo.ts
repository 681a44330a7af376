import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import pino from 'pino';
import { startPlatform, type Platform } from '../../server/index.ts';
import { packageRoot } from '../../sandbox/built.ts';
import type { DriverName } from '../../sandbox/types.ts';
import { accelerate, type AccelerationOutcome } from './accelerate.ts';
import { startDemoBackend } from './backend.ts';
import { comparison, duration, figures, geomean, table, type Figures } from './report.ts';
import { runStyles, STYLE_EXAMPLES } from './styles.ts';
import { drive, type TrafficSpec } from './traffic.ts';

const EXAMPLES = join(packageRoot, 'examples');

export interface DemoOptions {
  requests: number;
  concurrency: number;
  sandbox: DriverName | 'auto';
}

interface DemoFunction {
  name: string;
  file: string;
  traffic: (base: string) => TrafficSpec[];
}

const FUNCTIONS: DemoFunction[] = [
  { name: 'hello', file: 'hello.js', traffic: (b) => [{ url: `${b}/fn/hello/`, method: 'GET' }] },
  {
    name: 'echo',
    file: 'echo.js',
    traffic: (b) => [
      { url: `${b}/fn/echo/items?id=7`, method: 'GET' },
      { url: `${b}/fn/echo/items`, method: 'POST', body: '{"name":"demo","n":[1,2,3]}', headers: { 'content-type': 'application/json' } },
    ],
  },
  {
    name: 'login',
    file: 'login.js',
    traffic: (b) => [
      { url: `${b}/fn/login/login`, method: 'POST', body: '{"user":"ada","password":"secret"}', headers: { 'content-type': 'application/json' } },
      { url: `${b}/fn/login/login`, method: 'POST', body: '{"user":"bob","password":"guess"}', headers: { 'content-type': 'application/json' } },
      { url: `${b}/fn/login/other`, method: 'GET' },
    ],
  },
  { name: 'status', file: 'status.js', traffic: (b) => [{ url: `${b}/fn/status/`, method: 'GET' }] },
];

/** Bounds of the acceleration step per function, so the demo always ends. */
const TRAIN = { nudgeAfter: 30, maxRequests: 200, maxMs: 30_000 };

const BAR_STYLE = { hideCursor: true, clearOnComplete: false, stopOnComplete: true, noTTYOutput: true, notTTYSchedule: 2000 };

/** Drives every function's traffic with one progress bar each; figures per function. */
async function measure(base: string, fns: DemoFunction[], o: DemoOptions): Promise<Map<string, Figures>> {
  const bars = new cliProgress.MultiBar({ ...BAR_STYLE, format: ' {name} |{bar}| {value}/{total} requests  {rate} req/s' }, cliProgress.Presets.shades_classic);
  const out = new Map<string, Figures>();
  for (const f of fns) {
    const bar = bars.create(o.requests, 0, { name: f.name.padEnd(6), rate: '-' });
    const t0 = performance.now();
    const r = await drive(f.traffic(base), o.requests, o.concurrency, () => {
      bar.increment(1, { rate: ((bar.getProgress() * o.requests) / ((performance.now() - t0) / 1000)).toFixed(0) });
    });
    out.set(f.name, figures(r));
  }
  bars.stop();
  return out;
}

/**
 * `containerless demo`: the platform on embedded defaults (free port, temporary data directory,
 * the strongest sandbox that actually runs a function here), the examples deployed and pinned to
 * containers, traffic with a progress display and a per-function latency and throughput table;
 * then each function is freed, traced, compiled and switched to accelerated mode by the platform,
 * the same traffic runs again, and both modes are shown side by side. A function the platform
 * cannot accelerate is reported with the reason; the demo still ends normally.
 */
export async function runDemo(o: DemoOptions): Promise<void> {
  const out = process.stdout;
  const dataDir = mkdtempSync(join(tmpdir(), 'containerless-demo-'));
  const backend = await startDemoBackend();
  let platform: Platform | undefined;
  try {
    // The examples call the demo's loopback backend: allowed exactly (its host:port), as an operator would.
    platform = await startWorkingPlatform(dataDir, o.sandbox, [new URL(backend.url).host]);
    const base = platform.url;
    out.write(`containerless demo: platform at ${base}, sandbox ${platform.driver.name}, data in ${dataDir}\n`);
    for (const f of FUNCTIONS) {
      const source = readFileSync(join(EXAMPLES, f.file), 'utf8');
      const res = await fetch(`${base}/api/functions/${f.name}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source, config: { env: { BACKEND: backend.url }, idle_ms: 120_000 } }),
      });
      if (res.status >= 300) throw new Error(`deploying ${f.name}: HTTP ${res.status} ${await res.text()}`);
      // Pinned first, so the first table measures the containers baseline (the paper's "containers only").
      const pin = await fetch(`${base}/api/functions/${f.name}/mode`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"mode":"containers"}' });
      if (pin.status !== 200) throw new Error(`pinning ${f.name} to containers: HTTP ${pin.status} ${await pin.text()}`);
    }
    out.write(`deployed ${FUNCTIONS.map((f) => f.name).join(', ')} from examples/, pinned to containers\n\n`);

    // First request of each function: the cold start (the pre-started runner only loads the code).
    const cold: Record<string, number> = {};
    for (const f of FUNCTIONS) {
      const spec = f.traffic(base)[0]!;
      const t0 = performance.now();
      const r = await fetch(spec.url, { method: spec.method, body: spec.body, headers: spec.headers });
      await r.text();
      cold[f.name] = performance.now() - t0;
    }

    out.write(`1. containers: ${o.requests} requests per function, ${o.concurrency} in flight\n`);
    const inContainers = await measure(base, FUNCTIONS, o);
    const rows: string[][] = [['function', 'mode', 'requests', 'errors', 'req/s', 'p50 ms', 'p99 ms', 'first request ms']];
    for (const f of FUNCTIONS) {
      const c = inContainers.get(f.name)!;
      rows.push([f.name, c.modes, String(c.requests), String(c.errors), c.rps.toFixed(0), c.p50.toFixed(2), c.p99.toFixed(2), cold[f.name]!.toFixed(1)]);
    }
    out.write(`\n${table(rows)}\n`);

    out.write('2. acceleration: each function is unpinned; the platform traces its requests, compiles the trace and switches it to accelerated\n');
    const outcomes = new Map<string, AccelerationOutcome>();
    const bars = new cliProgress.MultiBar({ ...BAR_STYLE, format: ' {name} {value} requests, last answered by {mode}' }, cliProgress.Presets.shades_classic);
    for (const f of FUNCTIONS) {
      const bar = bars.create(TRAIN.maxRequests, 0, { name: f.name.padEnd(6), mode: '-' });
      const r = await accelerate(base, f.name, f.traffic(base), { ...TRAIN, onRequest: (mode) => bar.increment(1, { mode }) });
      bar.stop();
      outcomes.set(f.name, r);
    }
    bars.stop();
    for (const f of FUNCTIONS) {
      const r = outcomes.get(f.name)!;
      out.write(r.ok ? `  ${f.name}: accelerated after ${r.requests} requests, ${duration(r.ms)} (${r.how})\n` : `  ${f.name}: acceleration unavailable: ${r.how}; it stays in containers\n`);
    }

    const accelerated = FUNCTIONS.filter((f) => outcomes.get(f.name)!.ok);
    let inAccel = new Map<string, Figures>();
    if (accelerated.length > 0) {
      out.write(`\n3. accelerated: the same ${o.requests} requests per function\n`);
      inAccel = await measure(base, accelerated, o);
    }
    out.write('\n');
    out.write(comparison(FUNCTIONS.map((f) => ({ name: f.name, containers: inContainers.get(f.name)!, accel: inAccel.get(f.name), outcome: outcomes.get(f.name)! }))));
    out.write('\n');
    for (const f of accelerated) {
      const a = inAccel.get(f.name)!;
      if (a.modes !== 'accelerated') out.write(`note: ${f.name}'s responses in step 3 came from ${a.modes} (x-containerless-mode): some requests were re-executed or the function was demoted\n`);
    }
    if (accelerated.length === 0) {
      out.write(`All requests ran in ${platform.driver.name} containers (x-containerless-mode: container): acceleration was not available for any function here, so there is no speedup to show.\n`);
    } else {
      const thr = geomean(accelerated.map((f) => inAccel.get(f.name)!.rps / inContainers.get(f.name)!.rps));
      const p50 = geomean(accelerated.map((f) => inContainers.get(f.name)!.p50 / inAccel.get(f.name)!.p50));
      out.write(`${accelerated.length} of ${FUNCTIONS.length} functions accelerated: ${thr.toFixed(1)}x the throughput and ${p50.toFixed(1)}x lower median latency than in ${platform.driver.name} containers (geometric means; modes from x-containerless-mode).\n`);
    }

    out.write(`\n4. function styles: ${STYLE_EXAMPLES.map((e) => e.file).join(', ')} from examples/, deployed unchanged\n`);
    const wrong = await runStyles(base, EXAMPLES, { BACKEND: backend.url, GREETING: 'Hi' }, out);
    out.write(wrong === 0 ? 'every style answered as its platform would\n' : `${wrong} answers were not the expected ones (marked above)\n`);
  } finally {
    await platform?.close();
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Starts the platform on the strongest sandbox that really runs a function here, falling back. */
async function startWorkingPlatform(dataDir: string, wanted: DriverName | 'auto', allowOutbound: string[]): Promise<Platform> {
  const candidates: Array<DriverName | 'auto'> = wanted === 'auto' ? ['auto', 'bwrap', 'process'] : [wanted];
  let lastError: Error | undefined;
  const tried = new Set<string>();
  for (const sandbox of candidates) {
    if (tried.has(sandbox)) continue;
    let p: Platform | undefined;
    try {
      p = await startPlatform({ dataDir: join(dataDir, `try-${sandbox}`), port: 0, sandbox, logger: pino({ level: 'error' }), allowOutbound });
      tried.add(p.driver.name);
      if (sandbox !== 'auto' && tried.has(sandbox) && p.driver.name !== sandbox) throw new Error('unavailable');
      await smokeTest(p);
      if (p.driver.name === 'process') process.stderr.write('warning: no working OS sandbox (runc, bwrap) on this machine; the demo runs functions as plain processes, which are NOT a sandbox\n');
      return p;
    } catch (err) {
      lastError = err as Error;
      const name = p?.driver.name ?? sandbox;
      tried.add(name);
      await p?.close();
      if (candidates.length > 1) process.stderr.write(`warning: sandbox ${name} does not work here (${lastError.message}); trying the next one\n`);
    }
  }
  throw new Error(`no sandbox works here: ${lastError?.message}`);
}

async function smokeTest(p: Platform): Promise<void> {
  const source = "const c = require('containerless'); c.listen(function () { c.respond('ok'); });";
  const put = await fetch(`${p.url}/api/functions/smoke-test`, { method: 'PUT', headers: { 'content-type': 'application/javascript' }, body: source });
  if (put.status >= 300) throw new Error(`deploy failed: HTTP ${put.status}`);
  const r = await fetch(`${p.url}/fn/smoke-test/`);
  const text = await r.text();
  if (text !== 'ok') throw new Error(`a test function answered HTTP ${r.status} ${text.slice(0, 200)}`);
  await fetch(`${p.url}/api/functions/smoke-test`, { method: 'DELETE' });
}
