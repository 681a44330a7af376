/**
 * Benchmarks of the trace pipeline (issue 3): run with `npx tsx bench/trace-cpu.ts [--rounds N]`.
 * - accelerated vs the original source run directly in this process with loadFunction (the upper
 *   bound), per CPU-bound corpus function, interleaved rounds, medians, as a ratio;
 * - compile + validate time per corpus function (median over the corpus);
 * - tracing overhead per request: instrumented vs original, interleaved, medians.
 * Appends the figures with date, machine and command to bench/RESULTS-trace.md. Not a test.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { corpus } from '../corpus/index.ts';
import { corpusSource, rawFor, sampleRequests, seedFor } from '../test/corpus/harness.ts';
import { startMockBackend } from '../src/cli/trace-run/mock-backend.ts';
import { createHttpIO } from '../src/cli/trace-run/http-io.ts';
import { createNodeRunner } from '../src/cli/trace-run/oracle.ts';
import { createInstrumentedRunner } from '../src/cli/trace-run/instrumented.ts';
import { compile } from '../src/compiler/index.ts';
import { validate } from '../src/subset/index.ts';
import { createInstance, loadCompiled } from '../src/accelerator/index.ts';
import type { RawRequest } from '../src/api/index.ts';

const argRounds = process.argv.indexOf('--rounds');
const ROUNDS = argRounds > 0 ? Number(process.argv[argRounds + 1]) : 25;
const WARMUP = 5;
const TRAIN = 20;
const TEST = 30;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Times `rounds` alternating runs of two ways to serve the same request list; per-request medians. */
async function interleaved(requests: RawRequest[], a: (r: RawRequest) => Promise<unknown>, b: (r: RawRequest) => Promise<unknown>) {
  const ta: number[] = [];
  const tb: number[] = [];
  const timeAll = async (f: (r: RawRequest) => Promise<unknown>) => {
    const t0 = performance.now();
    for (const r of requests) await f(r);
    return (performance.now() - t0) / requests.length;
  };
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    // Alternate which goes first so neither always runs on a colder cache.
    let x: number;
    let y: number;
    if (i % 2) {
      x = await timeAll(a);
      y = await timeAll(b);
    } else {
      y = await timeAll(b);
      x = await timeAll(a);
    }
    if (i < WARMUP) continue;
    ta.push(x);
    tb.push(y);
  }
  // Medians, and best-of (the minimum round), which is what survives a busy shared machine best.
  return { a: median(ta), b: median(tb), bestA: Math.min(...ta), bestB: Math.min(...tb) };
}

const backend = await startMockBackend();
const io = createHttpIO({ allowOutbound: [new URL(backend.url).host] });
const lines: string[] = [];
const print = (s: string) => {
  console.log(s);
  lines.push(s);
};

print('| function | requests | original µs/req (median / best) | accelerated µs/req (median / best) | accelerated / original (median / best) |');
print('| --- | --- | --- | --- | --- |');
const ratios: number[] = [];
const bestRatios: number[] = [];
for (const entry of corpus.filter((e) => e.cpu)) {
  const source = corpusSource(entry.name);
  const tracer = createInstrumentedRunner(source, { io });
  for (const s of sampleRequests(entry, TRAIN, seedFor(entry.name, 10))) await tracer.run(rawFor(s, backend.url));
  const program = loadCompiled(compile(tracer.tree()).code);
  let instance = createInstance(program, { io, log() {}, limits: {} });
  // Only requests that run accelerated count: an abort would be served by a container.
  const candidates = sampleRequests(entry, TEST, seedFor(entry.name, 20)).map((s) => rawFor(s, backend.url));
  const requests: RawRequest[] = [];
  for (const r of candidates) {
    const res = await instance.handle(r, { timeoutMs: 5000 });
    if (res.kind === 'response') requests.push(r);
    else instance = createInstance(program, { io, log() {}, limits: {} });
  }
  const original = createNodeRunner(source, { io });
  const t = await interleaved(requests, (r) => original.run(r), (r) => instance.handle(r, { timeoutMs: 5000 }));
  const ratio = t.b / t.a;
  const best = t.bestB / t.bestA;
  ratios.push(ratio);
  bestRatios.push(best);
  const us = (x: number) => (x * 1000).toFixed(1);
  print(`| ${entry.name} | ${requests.length}/${candidates.length} accelerated | ${us(t.a)} / ${us(t.bestA)} | ${us(t.b)} / ${us(t.bestB)} | ${ratio.toFixed(2)}x / ${best.toFixed(2)}x |`);
}

const compileMs: number[] = [];
const failures: string[] = [];
const overhead: Array<{ name: string; ratio: number; best: number }> = [];
for (const entry of corpus) {
  const source = corpusSource(entry.name);
  const train = sampleRequests(entry, TRAIN, seedFor(entry.name, 10)).map((s) => rawFor(s, backend.url));
  const tracer = createInstrumentedRunner(source, { io });
  for (const r of train) await tracer.run(r);
  const tree = tracer.tree();
  try {
    const t0 = performance.now();
    const { code } = compile(tree);
    validate(code);
    compileMs.push(performance.now() - t0);
  } catch (err) {
    failures.push(`${entry.name}: ${(err as Error).message}`);
  }
  // Tracing overhead only where requests stay in this process (no network noise) and state is global-free.
  if (!entry.backend && entry.name !== 'global-counter' && entry.name !== 'rest-crud' && entry.name !== 'logging') {
    const original = createNodeRunner(source, { io });
    const t = await interleaved(train, (r) => original.run(r), (r) => tracer.run(r));
    overhead.push({ name: entry.name, ratio: t.b / t.a, best: t.bestB / t.bestA });
  }
}
await backend.close();

const cpuOverhead = overhead.filter((o) => corpus.find((e) => e.name === o.name)?.cpu);
print('');
print(`- accelerated / original, median over the CPU-bound functions: ${median(ratios).toFixed(2)}x (best-of rounds: ${median(bestRatios).toFixed(2)}x)`);
print(`- compile + validate per function, median over ${compileMs.length} corpus functions: ${median(compileMs).toFixed(1)} ms (max ${Math.max(...compileMs).toFixed(1)} ms)${failures.length ? `; ${failures.length} failed: ${failures.join('; ')}` : ''}`);
const pct = (r: number) => `${((r - 1) * 100).toFixed(1)}%`;
print(`- tracing overhead (instrumented / original, through the trace-run harness), median over ${overhead.length} functions: ${pct(median(overhead.map((o) => o.ratio)))} (best-of rounds: ${pct(median(overhead.map((o) => o.best)))}); CPU-bound ones (median / best): ${cpuOverhead.map((o) => `${o.name} ${pct(o.ratio)} / ${pct(o.best)}`).join(', ')}. The tracer's bench/trace-overhead.ts splits the hooks' cost from the markers'.`);

const cpuModel = /model name\s*:\s*(.*)/.exec(existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1] ?? cpus()[0]?.model ?? 'unknown';
const results = fileURLToPath(new URL('./RESULTS-trace.md', import.meta.url));
if (!existsSync(results)) writeFileSync(results, '# Trace pipeline benchmark results\n\nAppended by `bench/trace-cpu.ts` (and by the tracer\'s own benchmarks); newest last.\n');
appendFileSync(
  results,
  `\n## ${new Date().toISOString()} — \`npx tsx bench/trace-cpu.ts${ROUNDS !== 25 ? ` --rounds ${ROUNDS}` : ''}\`\n\n` +
    `Machine: ${cpus().length} CPUs (nproc), ${cpuModel}, Node ${process.version}, load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')} (the machine is shared: figures are noisy when it is busy). ` +
    `${ROUNDS} interleaved rounds after ${WARMUP} warm-up rounds; per function ${TRAIN} train and ${TEST} test requests (fixed seeds).\n\n` +
    `${lines.join('\n')}\n`,
);
console.log(`\nappended to ${results}`);
