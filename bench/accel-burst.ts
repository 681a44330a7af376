/**
 * What a burst of requests on unknown paths costs the dispatcher's event loop: the delay of the loop
 * while 200 concurrent requests run, first on known paths only (accelerated, nothing to compile), then
 * mixing eight kinds of which six are unknown (aborts, re-executions in a container, recompiles in
 * the compile worker). Compiles, tree building and compiled code run off the loop (docs/acceleration.md,
 * "Event loop"); had they run on it, each compile would add hundreds of milliseconds here.
 *
 *   npx tsx bench/accel-burst.ts [--rounds 5] [--requests 200] [--no-write]
 *
 * One platform (runc) runs in this process, so its event loop is the one measured; the requests come
 * from a child process, so that 200 HTTP clients do not share that loop. Each round deploys a fresh
 * copy of the function (its six kinds unknown again), trains two kinds until accelerated, sends the
 * known burst, then the mixed one, then waits until every kind is accelerated, so that no compile of
 * one round runs during the next. Printed: per round and as medians over rounds, the loop delay
 * (p99 and max, monitorEventLoopDelay at 1 ms resolution) and the burst's duration, for both
 * bursts, and their ratio mixed/known: the known burst is this machine's noise at that moment.
 * Appended to bench/RESULTS-accel-burst.md with the date, the machine and the load average.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { startPlatform } from '../src/server/index.ts';
import { MIX_CONFIG, MIX_KINDS, MIX_SOURCE, mixExpected } from '../test/acceleration/mix-function.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '200' },
    'no-write': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(args.rounds);
const REQUESTS = Number(args.requests);
const say = (s: string) => process.stdout.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const loads: number[] = [];

interface Answer {
  status: number;
  text: string;
  mode: string | null;
  reexecuted: string | null;
}

function burst(urls: string[]): Promise<Answer[]> {
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

interface Phase {
  p99: number;
  max: number;
  ms: number;
  wrong: number;
  reexecuted: number;
}

/** Sends the burst while the loop's delay is recorded; counts wrong answers and re-executions. */
async function measured(base: string, name: string, reqs: Array<{ k: number; v: number }>): Promise<Phase> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const t0 = performance.now();
  const answers = await burst(reqs.map(({ k, v }) => `${base}/fn/${name}/?k=${k}&v=${v}`));
  const ms = performance.now() - t0;
  h.disable();
  loads.push(loadavg()[0]!);
  const wrong = reqs.filter(({ k, v }, i) => answers[i]!.status !== 200 || answers[i]!.text !== mixExpected(k, v)).length;
  return { p99: h.percentile(99) / 1e6, max: h.max / 1e6, ms, wrong, reexecuted: answers.filter((a) => a.reexecuted).length };
}

async function get(base: string, path: string): Promise<{ text: string; mode: string | null }> {
  const r = await fetch(`${base}${path}`);
  return { text: await r.text(), mode: r.headers.get('x-containerless-mode') };
}

async function untilAccelerated(base: string, path: string): Promise<void> {
  for (const end = Date.now() + 120_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    if ((await get(base, path)).mode === 'accelerated') return;
  }
  throw new Error(`${path} never served accelerated`);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'containerless-burst-'));
  const p = await startPlatform({
    dataDir,
    port: 0,
    sandbox: 'runc',
    logger: pino({ level: 'silent' }),
    // The tests' small policy, demotion off: the mixed burst is mostly unknown paths on purpose.
    policy: { compileAfterRequests: 3, compileWhenStableFor: 2, recompileDelayMs: 10, persistTraceMs: 100, demoteWindow: 1000, demoteMinAttempts: 1000 },
  });
  const known: Phase[] = [];
  const mixed: Phase[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const name = `mix${round}`;
      const put = await fetch(`${p.url}/api/functions/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: MIX_SOURCE, config: MIX_CONFIG }) });
      if (put.status >= 300) throw new Error(`deploy ${name}: ${put.status} ${await put.text()}`);
      for (let i = 0; i < 3; i++) for (const k of [0, 1]) await get(p.url, `/fn/${name}/?k=${k}&v=${i}`);
      await untilAccelerated(p.url, `/fn/${name}/?k=0&v=1`);
      await untilAccelerated(p.url, `/fn/${name}/?k=1&v=1`);
      known.push(await measured(p.url, name, Array.from({ length: REQUESTS }, (_, i) => ({ k: i % 2, v: i }))));
      mixed.push(await measured(p.url, name, Array.from({ length: REQUESTS }, (_, i) => ({ k: i % MIX_KINDS, v: 1000 + i }))));
      for (let k = 0; k < MIX_KINDS; k++) await untilAccelerated(p.url, `/fn/${name}/?k=${k}&v=77`);
      const [a, b] = [known.at(-1)!, mixed.at(-1)!];
      say(`round ${round}: known p99 ${a.p99.toFixed(1)} ms, max ${a.max.toFixed(1)} ms, ${a.ms.toFixed(0)} ms | mixed p99 ${b.p99.toFixed(1)} ms, max ${b.max.toFixed(1)} ms, ${b.ms.toFixed(0)} ms, ${b.reexecuted} re-executed | wrong ${a.wrong + b.wrong}`);
    }
  } finally {
    await p.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const row = (label: string, f: (x: Phase) => number, digits = 1) => {
    const [a, b] = [median(known.map(f)), median(mixed.map(f))];
    return `| ${label} | ${a.toFixed(digits)} | ${b.toFixed(digits)} | ${(b / a).toFixed(2)}x |`;
  };
  const sorted = [...loads].sort((a, b) => a - b);
  const wrong = [...known, ...mixed].reduce((n, x) => n + x.wrong, 0);
  const report = [
    `## ${new Date().toISOString()}: event loop delay during a burst`,
    '',
    `\`npx tsx bench/accel-burst.ts ${process.argv.slice(2).join(' ')}\`; ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; load average (1 min) ${sorted[0]?.toFixed(1)}–${sorted.at(-1)?.toFixed(1)}; medians of ${ROUNDS} rounds of ${REQUESTS} concurrent requests; mixed bursts re-executed ${median(mixed.map((x) => x.reexecuted))} requests (median); wrong answers: ${wrong}.`,
    '',
    '| figure | known paths | mixed (6 of 8 kinds unknown) | mixed/known |',
    '| --- | --- | --- | --- |',
    row('event loop delay p99, ms', (x) => x.p99),
    row('event loop delay max, ms', (x) => x.max),
    row('burst duration, ms', (x) => x.ms, 0),
    '',
  ].join('\n');
  say(`\n${report}`);
  if (!args['no-write']) {
    const file = join(import.meta.dirname, 'RESULTS-accel-burst.md');
    if (!existsSync(file)) writeFileSync(file, '# Event loop delay during a burst of unknown paths\n\nAppended by bench/accel-burst.ts; newest last. How to read them: docs/benchmarks.md.\n');
    appendFileSync(file, `\n${report}`);
  }
}

await main();
