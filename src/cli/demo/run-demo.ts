import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import pino from 'pino';
import { startPlatform, type Platform } from '../../server/index.ts';
import type { DriverName } from '../../sandbox/types.ts';
import { startDemoBackend } from './backend.ts';
import { drive, percentile, type TrafficSpec } from './traffic.ts';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

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

/**
 * `containerless demo`: the platform on embedded defaults (free port, temporary data directory,
 * the strongest sandbox that actually runs a function here), the examples deployed, traffic with a
 * progress display, and a per-function latency and throughput table. Acceleration adds its own
 * phase to this table in a later release.
 */
export async function runDemo(o: DemoOptions): Promise<void> {
  const out = process.stdout;
  const dataDir = mkdtempSync(join(tmpdir(), 'containerless-demo-'));
  const backend = await startDemoBackend();
  let platform: Platform | undefined;
  try {
    platform = await startWorkingPlatform(dataDir, o.sandbox);
    out.write(`containerless demo: platform at ${platform.url}, sandbox ${platform.driver.name}, data in ${dataDir}\n`);
    for (const f of FUNCTIONS) {
      const source = readFileSync(join(EXAMPLES, f.file), 'utf8');
      const res = await fetch(`${platform.url}/api/functions/${f.name}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source, config: { env: { BACKEND: backend.url }, idle_ms: 120_000 } }),
      });
      if (res.status >= 300) throw new Error(`deploying ${f.name}: HTTP ${res.status} ${await res.text()}`);
    }
    out.write(`deployed ${FUNCTIONS.map((f) => f.name).join(', ')} from examples/\n\n`);

    // First request of each function: the cold start (the pre-started runner only loads the code).
    const cold: Record<string, number> = {};
    for (const f of FUNCTIONS) {
      const spec = f.traffic(platform.url)[0]!;
      const t0 = performance.now();
      const r = await fetch(spec.url, { method: spec.method, body: spec.body, headers: spec.headers });
      await r.text();
      cold[f.name] = performance.now() - t0;
    }

    const bars = new cliProgress.MultiBar(
      { format: ' {name} |{bar}| {value}/{total} requests  {rate} req/s', hideCursor: true, clearOnComplete: false, stopOnComplete: true, noTTYOutput: true, notTTYSchedule: 2000 },
      cliProgress.Presets.shades_classic,
    );
    const rows: string[][] = [['function', 'mode', 'requests', 'errors', 'req/s', 'p50 ms', 'p99 ms', 'first request ms']];
    for (const f of FUNCTIONS) {
      const bar = bars.create(o.requests, 0, { name: f.name.padEnd(6), rate: '-' });
      const t0 = performance.now();
      const r = await drive(f.traffic(platform.url), o.requests, o.concurrency, () => {
        bar.increment(1, { rate: (bar.getProgress() * o.requests / ((performance.now() - t0) / 1000)).toFixed(0) });
      });
      const sorted = r.latenciesMs.sort((a, b) => a - b);
      const modes = Object.keys(r.modes).join('+') || '-';
      rows.push([f.name, modes, String(r.requests), String(r.errors), (r.requests / r.seconds).toFixed(0), percentile(sorted, 50).toFixed(2), percentile(sorted, 99).toFixed(2), cold[f.name]!.toFixed(1)]);
    }
    bars.stop();
    out.write('\n');
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) out.write(`  ${r.map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}\n`);
    out.write(`\nAll requests ran in ${platform.driver.name} containers (x-containerless-mode: container). `);
    out.write('Acceleration (tracing and compiled traces) is not available in this version, so there is no speedup to show yet.\n');
  } finally {
    await platform?.close();
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Starts the platform on the strongest sandbox that really runs a function here, falling back. */
async function startWorkingPlatform(dataDir: string, wanted: DriverName | 'auto'): Promise<Platform> {
  const candidates: Array<DriverName | 'auto'> = wanted === 'auto' ? ['auto', 'bwrap', 'process'] : [wanted];
  let lastError: Error | undefined;
  const tried = new Set<string>();
  for (const sandbox of candidates) {
    if (tried.has(sandbox)) continue;
    let p: Platform | undefined;
    try {
      p = await startPlatform({ dataDir: join(dataDir, `try-${sandbox}`), port: 0, sandbox, logger: pino({ level: 'error' }) });
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
