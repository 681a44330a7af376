/**
 * Compiled code vs the original source on the CPU-bound bench functions, in one process, without
 * HTTP: the question is only how fast compiled code runs, not what the platform around it costs.
 *
 *   npx tsx bench/accel-cpu.ts [--functions maze,autocomplete] [--rounds 15] [--batch 40] [--show-code] [--instance-mb 128]
 *   node --import tsx --cpu-prof --cpu-prof-dir /tmp/prof bench/accel-cpu.ts --only accelerated
 *
 * Per function: trace the original locally on the bench's request variants, compile the tree through
 * the real compiler, load and validate it, make one instance; load the original with src/api's
 * loadFunction (as bench/limit-server.ts does). Then --rounds rounds, each timing --batch requests
 * (variants cycled) of A then B, alternating which goes first; prints the medians per request and the
 * median of the per-round ratios compiled/original. The machine is shared: only ratios mean anything,
 * and the load average is printed with them.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadFunction, parseQuery, type IO, type RawRequest } from '../src/api/index.ts';
import { compile } from '../src/compiler/index.ts';
import { withUnseenArms } from '../src/trace/index.ts';
import { createInstance, loadCompiled } from '../src/accelerator/index.ts';
import { traceLocally } from '../src/tracer/local.ts';
import { BENCH_FUNCTIONS, type Variant } from './accel-functions.ts';

const ROOT = join(import.meta.dirname, '..');
const noIO: IO = { request: async () => undefined };

function rawOf(v: Variant): RawRequest {
  const u = new URL(v.path, 'http://x');
  return { method: v.method, path: u.pathname, query: parseQuery(u.search), headers: v.body ? { 'content-type': 'application/json' } : {}, body: v.body ?? '' };
}

/** CPU time of this process (µs): on a shared machine, wall time mostly measures the neighbours. */
function cpuSince(t0: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(t0);
  return d.user + d.system;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const { values } = parseArgs({
  options: {
    functions: { type: 'string', default: BENCH_FUNCTIONS.filter((f) => f.kind === 'cpu').map((f) => f.name).join(',') },
    rounds: { type: 'string', default: '15' },
    batch: { type: 'string', default: '40' },
    only: { type: 'string' },
    'show-code': { type: 'boolean', default: false },
    // The instance budget (MiB): what it takes to wear an instance out and replace it (default the platform's).
    'instance-mb': { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const batch = Number(values.batch);
const instOpts = values['instance-mb'] ? { limits: { instanceMemoryBytes: Number(values['instance-mb']) * 1024 * 1024 } } : {};

process.stdout.write(`accel-cpu ${new Date().toISOString()} load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
for (const name of values.functions!.split(',')) {
  const bf = BENCH_FUNCTIONS.find((f) => f.name === name);
  if (!bf) throw new Error(`no bench function ${name}`);
  const source = readFileSync(join(ROOT, 'corpus', `${name}.js`), 'utf8');
  const requests = bf.variants.map(rawOf);
  const { tree, skeleton } = await traceLocally(source, requests, noIO);
  // As the platform compiles it: arms the variants never reached are compiled too (src/trace/unseen.ts).
  const { code } = compile(withUnseenArms(tree, skeleton));
  if (values['show-code']) process.stdout.write(code);
  const program = loadCompiled(code);
  let inst = createInstance(program, { io: noIO, log: () => {}, ...instOpts });
  let instances = 1;
  const orig = loadFunction(source, { io: noIO, log: () => {} });

  // Same answers first: a fast wrong answer measures nothing.
  for (const r of requests) {
    const a = await inst.handle(r, { timeoutMs: 10_000 });
    const b = await orig.invoke(r, { timeoutMs: 10_000 });
    if (a.kind !== 'response' || a.response.body !== b.body) throw new Error(`${name}: compiled ${JSON.stringify(a).slice(0, 300)} vs original ${b.body.slice(0, 300)}`);
  }
  const runA = async () => {
    const t0 = process.cpuUsage();
    for (let i = 0; i < batch; i++) {
      // As the dispatcher does: a worn instance (its memory budget nearly spent) has its budget
      // renewed from the heap in use, or is replaced, and then the new one's top level is part of the cost.
      if (!inst.renew()) {
        inst = createInstance(program, { io: noIO, log: () => {}, ...instOpts });
        instances++;
      }
      const r = await inst.handle(requests[i % requests.length]!, { timeoutMs: 10_000 });
      if (r.kind !== 'response') throw new Error(`${name}: ${JSON.stringify(r)}`);
    }
    return cpuSince(t0) / batch;
  };
  const runB = async () => {
    const t0 = process.cpuUsage();
    for (let i = 0; i < batch; i++) await orig.invoke(requests[i % requests.length]!, { timeoutMs: 10_000 });
    return cpuSince(t0) / batch;
  };
  // Warm both up (JIT) before measuring.
  for (let i = 0; i < 3; i++) {
    if (values.only !== 'original') await runA();
    if (values.only !== 'accelerated') await runB();
  }
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (values.only === 'accelerated') {
      as.push(await runA());
      continue;
    }
    if (values.only === 'original') {
      bs.push(await runB());
      continue;
    }
    let a: number, b: number;
    if (round % 2 === 0) {
      a = await runA();
      b = await runB();
    } else {
      b = await runB();
      a = await runA();
    }
    as.push(a);
    bs.push(b);
    ratios.push(a / b);
    if (process.env.ACCEL_CPU_VERBOSE) process.stdout.write(`  round ${round}: ${a.toFixed(1)} ${b.toFixed(1)}\n`);
  }
  const fmt = (xs: number[]) => (xs.length ? `${median(xs).toFixed(1)} µs` : '-');
  process.stdout.write(
    `${name.padEnd(14)} compiled ${fmt(as).padStart(10)}  original ${fmt(bs).padStart(10)}  ratio compiled/original ${ratios.length ? median(ratios).toFixed(2) : '-'}  best/best ${as.length && bs.length ? (Math.min(...as) / Math.min(...bs)).toFixed(2) : '-'}  (min ${ratios.length ? Math.min(...ratios).toFixed(2) : '-'}, max ${ratios.length ? Math.max(...ratios).toFixed(2) : '-'}; ${instances} instance${instances === 1 ? '' : 's'})\n`,
  );
}
process.stdout.write(`load average after ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
