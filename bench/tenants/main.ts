/**
 * `containerless bench tenants`: many functions on one machine under one seeded load, run against
 * containers-only, the default policy and a peer (workerd), one after the other; writes
 * bench/RESULTS-tenants.md with SVG plots beside it (docs/benchmarks.md).
 *
 *   containerless bench tenants --functions 8 --rate 10 --duration 15
 *   … --server-log /tmp/tenants.log   (each platform mode's warnings go to /tmp/tenants.log.<mode>;
 *                                      BENCH_SERVER_LOG_LEVEL=debug logs container starts and compiles too)
 *   … --answers /tmp/answers          (every answer of each mode, as JSON, in /tmp/answers.<mode>.json)
 *   … --cpu-prof DIR                  (a CPU profile of each platform server, written into DIR)
 *   … --server-node-flags=--trace-gc  (Node flags for each platform server, e.g. GC experiments)
 *   … --serve-flags='--start-concurrency 3'  (more `containerless serve` options for both platform modes)
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBackend } from '../accel-servers.ts';
import { tenants } from './functions.ts';
import { schedule } from './load.ts';
import { runPlatform } from './platform.ts';
import { latencyChart, markdown, memoryChart, MODE_LABEL, secondHalfLagP99, summarize, type ModeResult } from './report.ts';
import { runWorkerd, WORKERD_VERSION } from './workerd.ts';

/** ms to two decimals, or a dash where not measured. */
const ms2 = (x: number) => (Number.isNaN(x) ? '–' : `${x.toFixed(2)} ms`);
const USAGE = `usage: containerless bench tenants [options]
  --functions N (80)  --rate R requests/s (100)  --duration T s per mode (60)  --seed S (1)
  --zipf s (1.1)  --arrivals poisson|azure  --idle-ms MS (5000)  --variants N (8)
  --modes containers,auto,workerd  --sandbox runc  --out FILE (bench/RESULTS-tenants.md)
  --server-log FILE  --answers PREFIX  --cpu-prof DIR  --server-node-flags=FLAGS  --serve-flags=FLAGS
  --rounds N (1: every mode N times, the order alternating; the report judges each round's goals)
(docs/benchmarks.md, "tenants")`;

/** Bad options end here: the reason and the usage, exit code 2, no stack trace. */
function usageError(message: string): never {
  process.stderr.write(`containerless bench tenants: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  functions: { type: 'string', default: '80' },
  rate: { type: 'string', default: '100' },
  duration: { type: 'string', default: '60' },
  seed: { type: 'string', default: '1' },
  zipf: { type: 'string', default: '1.1' },
  arrivals: { type: 'string', default: 'poisson' },
  'idle-ms': { type: 'string', default: '5000' },
  variants: { type: 'string', default: '8' },
  modes: { type: 'string', default: 'containers,auto,workerd' },
  sandbox: { type: 'string', default: 'runc' },
  out: { type: 'string', default: join(import.meta.dirname, '..', 'RESULTS-tenants.md') },
  'server-log': { type: 'string' },
  answers: { type: 'string' },
  'cpu-prof': { type: 'string' },
  'server-node-flags': { type: 'string' },
  'serve-flags': { type: 'string' },
  rounds: { type: 'string', default: '1' },
} as const;
const v = (() => {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (err) {
    return usageError(err instanceof Error ? err.message : String(err));
  }
})();
if (v.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const num = (name: string, s: string, min: number) => {
  const n = Number(s);
  if (!Number.isFinite(n) || n < min) usageError(`--${name}: expected a number >= ${min}, got ${JSON.stringify(s)}`);
  return n;
};
const functions = Math.floor(num('functions', v.functions!, 1));
const rate = num('rate', v.rate!, 0.01);
const duration = num('duration', v.duration!, 1);
const seed = Math.floor(num('seed', v.seed!, 0));
const zipf = num('zipf', v.zipf!, 0);
const idleMs = Math.floor(num('idle-ms', v['idle-ms']!, 10));
const variants = Math.floor(num('variants', v.variants!, 1));
const roundCount = Math.floor(num('rounds', v.rounds!, 1));
if (v.arrivals !== 'poisson' && v.arrivals !== 'azure') usageError(`--arrivals: poisson or azure, got ${JSON.stringify(v.arrivals)}`);
const modes = v.modes!.split(',') as Array<'containers' | 'auto' | 'workerd'>;
for (const m of modes) if (!['containers', 'auto', 'workerd'].includes(m)) usageError(`--modes: unknown mode ${JSON.stringify(m)} (containers, auto, workerd)`);

const command = `containerless bench tenants ${process.argv.slice(2).join(' ')}`.trim();
const loadBefore = loadavg().map((x) => x.toFixed(2)).join(', ');
const arrivals = schedule({ functions, rate, duration, seed, zipf, arrivals: v.arrivals, variants });
process.stderr.write(`${arrivals.length} requests to ${functions} functions over ${duration} s (${v.arrivals}, seed ${seed}); idle_ms ${idleMs}\n`);

const backend = await startBackend();
const rounds: ModeResult[][] = [];
const ts = await Promise.resolve()
  .then(() => tenants(functions, variants, seed, backend.url))
  .catch(async (err: unknown) => {
    await backend.stop();
    throw err;
  });
try {
  for (let round = 0; round < roundCount; round++) {
    // Interleaved in both orders: a machine that grows busier over the rounds does not favour one mode.
    const order = round % 2 === 0 ? modes : [...modes].reverse();
    const results: ModeResult[] = [];
    for (const mode of order) {
      if (mode === 'workerd') results.push({ label: `workerd ${WORKERD_VERSION}`, ...(await runWorkerd({ tenants: ts, schedule: arrivals, duration, backendUrl: backend.url })) });
      else results.push({ label: MODE_LABEL[mode], ...(await runPlatform({ mode, tenants: ts, schedule: arrivals, duration, idleMs, backendUrl: backend.url, sandbox: v.sandbox!, serverLog: v['server-log'], cpuProfDir: v['cpu-prof'], nodeArgs: v['server-node-flags']?.split(' ').filter(Boolean), serveArgs: v['serve-flags']?.split(' ').filter(Boolean) })) });
      const s = summarize(results.at(-1)!, duration);
      const suffix = roundCount > 1 ? `.r${round + 1}` : '';
      if (v.answers) writeFileSync(`${v.answers}.${mode}${suffix}.json`, JSON.stringify(results.at(-1)!.answers.map((a) => ({ ...a, tenant: ts[a.fn]!.name }))));
      process.stderr.write(`${roundCount > 1 ? `round ${round + 1}, ` : ''}${s.label}: p50 ${s.all.p50.toFixed(1)} ms, p99 ${s.all.p99.toFixed(1)} ms (2nd half ${s.secondHalf.p99.toFixed(1)} ms), platform errors ${s.platformErrors}, peak ${s.peakMemMb.toFixed(0)} MB\n`);
    }
    // Every round's table in the modes' given order, whatever order they ran in.
    rounds.push(modes.map((m) => results[order.indexOf(m)]!));
  }
} finally {
  await backend.stop();
}

const results = rounds.at(-1)!;
const out = v.out!;
const stem = basename(out).replace(/\.md$/, '');
const latencySvg = `${stem}-latency.svg`;
const memorySvg = `${stem}-memory.svg`;
writeFileSync(join(dirname(out), latencySvg), latencyChart(results, duration));
writeFileSync(join(dirname(out), memorySvg), memoryChart(results));
writeFileSync(
  out,
  markdown(rounds, {
    command,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine: `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.versions.node}`,
    loadBefore,
    loadAfter: loadavg().map((x) => x.toFixed(2)).join(', '),
    duration,
    names: ts.map((t) => t.name),
    latencySvg,
    memorySvg,
    notes: [
      `${functions} functions (corpus, modern corpus and examples, round-robin; copies under their own names), ${arrivals.length} requests: ${v.arrivals === 'azure' ? 'a synthetic Azure-2019-like shape (load.ts: azureSchedule)' : 'Poisson arrivals'} at ${rate} requests/s for ${duration} s, Zipf popularity s = ${zipf}, seed ${seed}, ${variants} request variants per function; idle_ms ${idleMs}.`,
      'Latency runs from the scheduled send time to the end of the body (open loop: a late sender counts against the server). Memory is the sum of RSS over the server\'s process tree (dispatcher plus every runc runner, or workerd), sampled each second, and the sum of PSS (proportional set size: a page shared by several processes, such as the node binary\'s text in every runner, counted once in all); CPU is the tree\'s user+system time over the run divided by the requests, and over the second half (from its first send to the end, processes that exited meanwhile counted from the half) divided by its requests.',
      `Sender lag${roundCount > 1 ? ` (round ${roundCount})` : ''} at worst: ${results.map((r) => `${r.label} ${r.maxSendLagMs.toFixed(0)} ms`).join(', ')}; its p99 over the second half: ${results.map((r) => `${r.label} ${ms2(secondHalfLagP99(r.answers, duration))}`).join(', ')}. ${roundCount > 1 ? `${roundCount} rounds` : 'One run'} on a machine shared with other work: the figures are noisy.`,
    ],
  }),
);
process.stderr.write(`wrote ${out}\n`);
