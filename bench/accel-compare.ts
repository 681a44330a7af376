/**
 * Accelerated vs containers vs the limit (issue 4, "Benchmarks"), side by side in one run.
 *
 *   npx tsx bench/accel-compare.ts [--duration 10] [--functions login,maze] [--rounds 1]
 *        [--rate auto|N] [--connections 32] [--rate-connections 8] [--modes containers,accelerated,limit]
 *        [--container-config JSON] [--cpu-prof DIR] [--no-write]
 *
 * One platform (`containerless serve`, runc) and one loopback mock backend run for the whole run,
 * each in its own process; autocannon runs in this process. Per function, three configurations:
 *   containers   `NAME-c`, pinned with PUT mode {"mode":"containers"} (the paper's baseline), with
 *                the fastest container configuration found on this machine (CONTAINER_CONFIG);
 *   accelerated  `NAME-a`, default policy; trained with the bench requests until a response says
 *                `x-containerless-mode: accelerated` (POST compile if the policy has not compiled
 *                after --train requests and --train-ms); the time from its first request to that
 *                is reported;
 *   limit        the same file in bench/limit-server.ts (plain Node, no sandbox).
 * Phases are interleaved per function (saturation c, a, l, then fixed rate c, a, l; repeated
 * --rounds times), so load from other work on the machine hits all three alike; figures are medians
 * over rounds and the comparisons are ratios within the run. Each phase: a warm-up, then
 * --duration seconds measured: throughput at saturation, p50/p99 at the fixed rate (the same for
 * all three: --rate, or by default half the containers' saturation throughput of that function),
 * CPU ms per request (dispatcher + this function's containers from /proc, or the limit process)
 * and RSS after the saturation phase. Appends the tables to bench/RESULTS-accel.md.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_FUNCTIONS, type BenchFunction, type Variant } from './accel-functions.ts';
import { runLoad, type LoadResult } from './accel-load.ts';
import { cpuBetween, sampleUsage } from './accel-proc.ts';
import { startBackend, startLimit, startPlatform, type Child } from './accel-servers.ts';
import { renderReport, type Config, type FunctionResult, type PhaseFigures } from './accel-report.ts';

const ROOT = join(import.meta.dirname, '..');
/**
 * The fastest container configuration measured on this machine (2 cores, runc): see
 * bench/RESULTS-accel.md "container configuration" for the sweep that chose it.
 */
export const CONTAINER_CONFIG = { concurrency: 64, max_containers: 1 };

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '1' },
    connections: { type: 'string', default: '32' },
    'rate-connections': { type: 'string', default: '8' },
    rate: { type: 'string', default: 'auto' },
    functions: { type: 'string' },
    modes: { type: 'string', default: 'containers,accelerated,limit' },
    'container-config': { type: 'string' },
    sandbox: { type: 'string', default: 'runc' },
    train: { type: 'string', default: '40' },
    // The policy compiles after a few requests, but the compile worker's first start (tsx loads the
    // compiler) takes about a second on a quiet machine and several on a busy one: wait that long.
    'train-ms': { type: 'string', default: '10000' },
    'train-max': { type: 'string', default: '20000' },
    'cpu-prof': { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const rounds = Number(args.rounds);
const connections = Number(args.connections);
/**
 * autocannon paces a fixed rate per connection and per second (each connection sends its quota
 * back to back, then waits for the next second), so fewer connections mean smaller bursts.
 */
const rateConnections = Number(args['rate-connections']);
const modes = new Set(args.modes!.split(',')) as Set<Config>;
const containerConfig = args['container-config'] ? (JSON.parse(args['container-config']) as Record<string, unknown>) : CONTAINER_CONFIG;
const wanted = args.functions ? args.functions.split(',') : BENCH_FUNCTIONS.map((f) => f.name);
const functions = wanted.map((n) => BENCH_FUNCTIONS.find((f) => f.name === n) ?? fail(`unknown function ${n}`));
const loads: number[] = [loadavg()[0]!];

function fail(msg: string): never {
  throw new Error(msg);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (s: string) => process.stdout.write(`${s}\n`);

async function api(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const r = await fetch(`${base}/api/functions/${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, text: await r.text() };
}

async function send(base: string, prefix: string, v: Variant, headers: Record<string, string>): Promise<{ status: number; body: string; mode: string }> {
  const r = await fetch(`${base}${prefix}${v.path}`, { method: v.method, body: v.body, headers: v.body === undefined ? headers : { ...headers, 'content-type': 'application/json' } });
  return { status: r.status, body: await r.text(), mode: r.headers.get('x-containerless-mode') ?? 'none' };
}

/** Aborts so far by reason, summed, from GET /api/functions/NAME (0 when the field is absent). */
async function abortCount(base: string, name: string): Promise<number> {
  const d = JSON.parse((await api(base, 'GET', name)).text) as { stats?: { aborts?: Record<string, number> } };
  return Object.values(d.stats?.aborts ?? {}).reduce((a, b) => a + b, 0);
}

interface Acceleration {
  ok: boolean;
  ms?: number;
  requests: number;
  how: string;
}

/**
 * Sends the bench requests one at a time until one is answered accelerated (bounded by --train-max
 * requests and 90 s). If the default policy has not switched after --train requests and --train-ms
 * milliseconds, asks for a compile, then pins `accelerated` (compile as soon as a trace exists) if the compile was refused.
 */
async function accelerate(base: string, name: string, f: BenchFunction, headers: Record<string, string>): Promise<Acceleration> {
  const t0 = performance.now();
  const train = Number(args.train);
  let how = 'default policy';
  let refusal = '';
  let asked = false;
  for (let n = 0; n < Number(args['train-max']) && performance.now() - t0 < 90_000; n++) {
    const r = await send(base, `/fn/${name}`, f.variants[n % f.variants.length]!, headers);
    if (r.mode === 'accelerated') return { ok: true, ms: performance.now() - t0, requests: n + 1, how: `${how}${refusal ? ` (compile said: ${refusal})` : ''}` };
    if (!asked && n + 1 >= train && performance.now() - t0 >= Number(args['train-ms'])) {
      asked = true;
      const c = await api(base, 'POST', `${name}/compile`);
      how = `POST compile after ${n + 1} requests: ${c.status}`;
      if (c.status !== 200) {
        refusal = c.text.slice(0, 160);
        const m = await api(base, 'PUT', `${name}/mode`, { mode: 'accelerated' });
        how += `, PUT mode accelerated: ${m.status}`;
      }
    }
  }
  return { ok: false, requests: Number(args['train-max']), how: `${how}${refusal ? ` (compile said: ${refusal})` : ''}` };
}

async function phase(cfg: Config, target: { base: string; prefix: string; pid: number; match?: (cmd: string) => boolean }, f: BenchFunction, headers: Record<string, string>, rate?: number): Promise<PhaseFigures> {
  const common = { base: target.base, prefix: target.prefix, variants: f.variants, headers, connections: rate ? rateConnections : connections };
  if (warmup > 0) await runLoad({ ...common, duration: warmup, rate });
  const before = sampleUsage(target.pid, target.match);
  const load: LoadResult = await runLoad({ ...common, duration, rate });
  const after = sampleUsage(target.pid, target.match);
  loads.push(loadavg()[0]!);
  const cpuMs = cpuBetween(before, after);
  const fig: PhaseFigures = { load, cpuMsPerReq: cpuMs / Math.max(1, load.requests), cores: cpuMs / 1000 / load.seconds, rssBytes: after.rootRss + after.childRss, load1: loadavg()[0]! };
  say(
    `  ${f.name} ${cfg.padEnd(11)} ${rate ? `rate ${rate}/s` : 'saturation'}: ${load.rps.toFixed(0)} req/s, p50 ${load.p50.toFixed(2)} ms, p99 ${load.p99.toFixed(2)} ms, ` +
      `CPU ${fig.cpuMsPerReq.toFixed(3)} ms/req (${fig.cores.toFixed(2)} cores), RSS ${(fig.rssBytes / 2 ** 20).toFixed(0)} MB, modes ${JSON.stringify(load.modes)}, statuses ${JSON.stringify(load.statuses)}, errors ${load.errors}, load ${fig.load1.toFixed(1)}`,
  );
  return fig;
}

async function benchFunction(platform: Child, backendUrl: string, f: BenchFunction): Promise<FunctionResult> {
  const file = join(ROOT, 'corpus', `${f.name}.js`);
  const source = readFileSync(file, 'utf8');
  const headers = { 'x-backend': backendUrl };
  const res: FunctionResult = { name: f.name, kind: f.kind, sat: {}, rate: {}, notes: [] };
  const targets: Partial<Record<Config, { base: string; prefix: string; pid: number; match?: (cmd: string) => boolean }>> = {};
  let limit: Child | undefined;
  try {
    if (modes.has('containers')) {
      const name = `${f.name}-c`;
      const d = await api(platform.url, 'PUT', name, { source, config: containerConfig });
      if (d.status >= 300) throw new Error(`deploy ${name}: ${d.status} ${d.text}`);
      const m = await api(platform.url, 'PUT', `${name}/mode`, { mode: 'containers' });
      if (m.status !== 200) throw new Error(`pin ${name}: ${m.status} ${m.text}`);
      targets.containers = { base: platform.url, prefix: `/fn/${name}`, pid: platform.pid, match: (cmd) => cmd.includes(`cl-${name}-`) };
    }
    if (modes.has('accelerated')) {
      const name = `${f.name}-a`;
      const d = await api(platform.url, 'PUT', name, { source });
      if (d.status >= 300) throw new Error(`deploy ${name}: ${d.status} ${d.text}`);
      const acc = await accelerate(platform.url, name, f, headers);
      res.accel = acc;
      say(`  ${f.name}: ${acc.ok ? `accelerated after ${acc.requests} requests, ${acc.ms!.toFixed(0)} ms from the first request (${acc.how})` : `NOT accelerated after ${acc.requests} requests: ${acc.how}`}`);
      if (acc.ok) targets.accelerated = { base: platform.url, prefix: `/fn/${name}`, pid: platform.pid, match: (cmd) => cmd.includes(`cl-${name}-`) };
      else res.notes.push(`accelerated: unavailable (${acc.how})`);
    }
    if (modes.has('limit')) {
      limit = await startLimit(file, args['cpu-prof'], `limit-${f.name}`);
      targets.limit = { base: limit.url, prefix: `/fn/${f.name}`, pid: limit.pid, match: () => false };
    }
    // Same answers everywhere (status and body) before anything is timed.
    for (const v of f.variants) {
      const answers = await Promise.all(Object.entries(targets).map(async ([cfg, t]) => [cfg, await send(t.base, t.prefix, v, headers)] as const));
      const first = answers[0]?.[1];
      for (const [cfg, a] of answers) if (first && (a.status !== first.status || a.body !== first.body)) res.notes.push(`${v.method} ${v.path}: ${cfg} answered ${a.status} ${a.body.slice(0, 80)}, ${answers[0]![0]} ${first.status} ${first.body.slice(0, 80)}`);
    }
    const cfgs = (['containers', 'accelerated', 'limit'] as const).filter((c) => targets[c]);
    let rate = args.rate === 'auto' ? undefined : Number(args.rate);
    for (let round = 0; round < rounds; round++) {
      for (const c of cfgs) (res.sat[c] ??= []).push(await phase(c, targets[c]!, f, headers));
      if (rate === undefined) {
        // Half of what containers sustain keeps the baseline out of queueing, so p99 compares the modes, not overload.
        const base = res.sat.containers?.[0]?.load.rps ?? res.sat[cfgs[0]!]![0]!.load.rps;
        rate = Math.max(10, Math.round(base / 2 / 10) * 10);
      }
      res.rateValue = rate;
      for (const c of cfgs) {
        const aborts0 = c === 'accelerated' ? await abortCount(platform.url, `${f.name}-a`) : 0;
        (res.rate[c] ??= []).push(await phase(c, targets[c]!, f, headers, rate));
        if (c === 'accelerated') res.aborts = (res.aborts ?? 0) + (await abortCount(platform.url, `${f.name}-a`)) - aborts0;
      }
    }
  } finally {
    await limit?.stop();
    for (const n of [`${f.name}-c`, `${f.name}-a`]) await api(platform.url, 'DELETE', n).catch(() => undefined);
  }
  return res;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'containerless-accel-bench-'));
  const backend = await startBackend();
  let platform: Child | undefined;
  const results: FunctionResult[] = [];
  try {
    platform = await startPlatform({ dataDir, sandbox: args.sandbox!, cpuProfDir: args['cpu-prof'], allowOutbound: new URL(backend.url).host });
    const health = (await (await fetch(`${platform.url}/healthz`)).json()) as { sandbox?: string };
    say(`platform ${platform.url} (sandbox ${health.sandbox}), backend ${backend.url}, container config ${JSON.stringify(containerConfig)}`);
    for (const f of functions) {
      say(`${f.name} (${f.kind})`);
      results.push(await benchFunction(platform, backend.url, f));
      await sleep(500);
    }
  } finally {
    await platform?.stop();
    await backend.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const cmd = `npx tsx bench/accel-compare.ts ${process.argv.slice(2).join(' ')}`.trim();
  const sortedLoads = [...loads].sort((a, b) => a - b);
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, load average (1 min) min ${sortedLoads[0]!.toFixed(1)}, median ${sortedLoads[Math.floor(loads.length / 2)]!.toFixed(1)}, max ${sortedLoads.at(-1)!.toFixed(1)} over the run`;
  const report = renderReport({ date: new Date().toISOString(), cmd, machine, containerConfig, duration, rounds, connections, rateConnections, results });
  say(`\n${report}`);
  if (!args['no-write']) {
    const file = join(ROOT, 'bench', 'RESULTS-accel.md');
    if (!existsSync(file)) writeFileSync(file, '# Acceleration benchmark results\n\nAppended by bench/accel-compare.ts; newest last. How to read them: docs/benchmarks.md.\n');
    appendFileSync(file, `\n${report}`);
  }
}

await main();
