/**
 * What the backstop's worker hop costs (issue 9): accelerated functions served with compiled code in
 * worker threads (`serve --accel-isolation worker`, the default) against the same code on the
 * dispatcher's own thread (`--accel-isolation inline`), side by side in one run.
 *
 *   npx tsx bench/accel-isolation.ts [--duration 5] [--warmup 1] [--rounds 3] [--functions login,maze]
 *        [--connections 32] [--rate 200] [--workers N] [--no-write]
 *
 * Two platforms (runc), one per isolation, and one loopback mock backend run for the whole run. Each
 * function is deployed to both and trained until it answers accelerated. Then, per round and per
 * function, saturation and fixed-rate phases alternate between the two platforms (the order flips
 * every round), so load from elsewhere on the machine hits both alike. Reported: medians over rounds
 * of throughput at saturation, p50/p99 at the fixed rate, CPU ms per request of the platform process
 * (all its threads), RSS; and the worker/inline ratios. Appends to bench/RESULTS-backstop.md.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_FUNCTIONS, type BenchFunction, type Variant } from './accel-functions.ts';
import { runLoad } from './accel-load.ts';
import { cpuBetween, sampleUsage } from './accel-proc.ts';
import { startBackend, startPlatform, type Child } from './accel-servers.ts';

const ROOT = join(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    rate: { type: 'string', default: '200' },
    functions: { type: 'string', default: 'login,status,autocomplete,maze' },
    workers: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});
const ISOLATIONS = ['worker', 'inline'] as const;
type Isolation = (typeof ISOLATIONS)[number];
const say = (s: string) => process.stdout.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const loads: number[] = [];

async function send(base: string, name: string, v: Variant, headers: Record<string, string>): Promise<string> {
  const r = await fetch(`${base}/fn/${name}${v.path}`, { method: v.method, body: v.body, headers: v.body === undefined ? headers : { ...headers, 'content-type': 'application/json' } });
  await r.text();
  return r.headers.get('x-containerless-mode') ?? 'none';
}

async function accelerate(base: string, f: BenchFunction, headers: Record<string, string>): Promise<void> {
  const put = await fetch(`${base}/api/functions/${f.name}`, { method: 'PUT', headers: { 'content-type': 'application/javascript' }, body: readFileSync(join(ROOT, 'corpus', `${f.name}.js`), 'utf8') });
  if (put.status >= 300) throw new Error(`deploy ${f.name}: ${put.status} ${await put.text()}`);
  await fetch(`${base}/api/functions/${f.name}/mode`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"mode":"accelerated"}' });
  for (let n = 0; n < 2000; n++) {
    if ((await send(base, f.name, f.variants[n % f.variants.length]!, headers)) === 'accelerated') return;
    if (n % 20 === 19) await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${f.name} did not accelerate on ${base}`);
}

interface Figures {
  rps: number[];
  p50: number[];
  p99: number[];
  cpu: number[];
  rss: number[];
  notAccelerated: number;
}

async function measure(p: Child, f: BenchFunction, headers: Record<string, string>, fig: Figures): Promise<void> {
  const common = { base: p.url, prefix: `/fn/${f.name}`, variants: f.variants, headers };
  const duration = Number(args.duration);
  await runLoad({ ...common, connections: Number(args.connections), duration: Number(args.warmup) });
  const before = sampleUsage(p.pid, () => false);
  const sat = await runLoad({ ...common, connections: Number(args.connections), duration });
  const after = sampleUsage(p.pid, () => false);
  const rate = await runLoad({ ...common, connections: 8, duration, rate: Number(args.rate) });
  loads.push(loadavg()[0]!);
  fig.rps.push(sat.rps);
  fig.cpu.push(cpuBetween(before, after) / Math.max(1, sat.requests));
  fig.rss.push(after.rootRss);
  fig.p50.push(rate.p50);
  fig.p99.push(rate.p99);
  fig.notAccelerated += sat.requests + rate.requests - (sat.modes.accelerated ?? 0) - (rate.modes.accelerated ?? 0);
}

async function main(): Promise<void> {
  const backend = await startBackend();
  const headers = { 'x-backend': backend.url };
  const dirs: string[] = [];
  const platforms = {} as Record<Isolation, Child>;
  const functions = args.functions!.split(',').map((n) => BENCH_FUNCTIONS.find((f) => f.name === n) ?? BENCH_FUNCTIONS[0]!);
  const results: Record<string, Record<Isolation, Figures>> = {};
  try {
    for (const iso of ISOLATIONS) {
      const dir = mkdtempSync(join(tmpdir(), `containerless-iso-${iso}-`));
      dirs.push(dir);
      const extra = ['--accel-isolation', iso, ...(args.workers ? ['--accel-workers', args.workers] : [])];
      platforms[iso] = await startPlatform({ dataDir: dir, sandbox: 'runc', allowOutbound: new URL(backend.url).host, args: extra });
    }
    for (const f of functions) {
      for (const iso of ISOLATIONS) await accelerate(platforms[iso].url, f, headers);
      results[f.name] = { worker: { rps: [], p50: [], p99: [], cpu: [], rss: [], notAccelerated: 0 }, inline: { rps: [], p50: [], p99: [], cpu: [], rss: [], notAccelerated: 0 } };
    }
    say(`platforms: ${ISOLATIONS.map((i) => `${i} ${platforms[i].url}`).join(', ')}; backend ${backend.url}`);
    for (let round = 0; round < Number(args.rounds); round++) {
      const order = round % 2 === 0 ? ISOLATIONS : ([...ISOLATIONS].reverse() as Isolation[]);
      for (const f of functions) {
        for (const iso of order) {
          const fig = results[f.name]![iso];
          await measure(platforms[iso], f, headers, fig);
          say(`round ${round + 1} ${f.name} ${iso}: ${fig.rps.at(-1)!.toFixed(0)} req/s, CPU ${fig.cpu.at(-1)!.toFixed(3)} ms/req, p50 ${fig.p50.at(-1)!.toFixed(2)} ms, p99 ${fig.p99.at(-1)!.toFixed(2)} ms`);
        }
      }
    }
  } finally {
    for (const iso of ISOLATIONS) await platforms[iso]?.stop();
    await backend.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  const rows = functions.map((f) => {
    const w = results[f.name]!.worker;
    const i = results[f.name]!.inline;
    const cell = (a: number[], b: number[], digits: number) => `${median(a).toFixed(digits)} / ${median(b).toFixed(digits)} (${(median(a) / median(b)).toFixed(2)}x)`;
    return `| ${f.name} (${f.kind}) | ${cell(w.rps, i.rps, 0)} | ${cell(w.cpu, i.cpu, 3)} | ${cell(w.p50, i.p50, 2)} | ${cell(w.p99, i.p99, 2)} | ${(median(w.rss) / 2 ** 20).toFixed(0)} / ${(median(i.rss) / 2 ** 20).toFixed(0)} | ${w.notAccelerated} / ${i.notAccelerated} |`;
  });
  const sorted = [...loads].sort((a, b) => a - b);
  const report = [
    `## ${new Date().toISOString()}: worker hop vs inline`,
    '',
    `\`npx tsx bench/accel-isolation.ts ${process.argv.slice(2).join(' ')}\`; ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; load average (1 min) ${sorted[0]?.toFixed(1)}–${sorted.at(-1)?.toFixed(1)}; medians of ${args.rounds} rounds, ${args.duration} s per phase, saturation with ${args.connections} connections, latency at ${args.rate} req/s.`,
    '',
    '| function | req/s at saturation, worker / inline | CPU ms/req | p50 ms at the rate | p99 ms at the rate | RSS MB | responses not accelerated |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  say(`\n${report}`);
  if (!args['no-write']) {
    const file = join(ROOT, 'bench', 'RESULTS-backstop.md');
    if (!existsSync(file)) writeFileSync(file, '# The backstop: what the worker hop costs\n\nAppended by bench/accel-isolation.ts; newest last. How to read them: docs/benchmarks.md.\n');
    appendFileSync(file, `\n${report}`);
  }
}

await main();
