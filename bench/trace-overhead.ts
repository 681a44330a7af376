/**
 * Tracing overhead per request (issue 3, target < 20%): the same corpus function loaded three times in
 * this process — original; original with the recorder's per-request work only (begin, enter hook,
 * end) but no markers; instrumented with the recorder — run on the same requests, each request in
 * the three variants back to back (rotating order), for several rounds; per request the fastest and
 * the median round. Separates the fixed per-request cost from the markers.
 * Appends the figures with date, machine and command to bench/RESULTS-trace.md. Not a test.
 *
 *   npx tsx bench/trace-overhead.ts [--rounds 30] [--requests 40] [--all] [--no-write]
 */
import { appendFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadFunction, type IO, type LoadedFunction, type RawRequest } from '../src/api/index.ts';
import { buildSkeleton, createRecorder, instrument, MARKER_BINDING, type Recorder } from '../src/tracer/index.ts';
import { corpus, corpusSource, rawFor, sampleRequests, seedFor } from '../test/corpus/harness.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '30' },
    requests: { type: 'string', default: '40' },
    all: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(args.rounds);
const REQUESTS = Number(args.requests);
const noIO: IO = { request: async () => undefined };
// Other work on the machine skews every figure; the results record how busy it was.
const startLoad = loadavg()[0]!.toFixed(2);

interface Variant {
  label: string;
  run(raw: RawRequest): Promise<void>;
}

let ids = 0;
function variant(label: string, source: string, recorder?: Recorder, instrumented = false): Variant {
  const init = recorder?.begin();
  recorder?.enter(init);
  const fn: LoadedFunction = loadFunction(source, {
    io: noIO,
    log: () => {},
    bindings: instrumented && recorder ? { [MARKER_BINDING]: recorder.binding } : {},
    enter: recorder && ((ctx) => recorder.enterContext(ctx)),
  });
  recorder?.enter(undefined);
  recorder?.attach(fn);
  return {
    label,
    async run(raw) {
      const id = `b${++ids}`;
      const h = recorder?.begin(id);
      await fn.invoke(raw, { timeoutMs: 10_000, id });
      if (h) recorder!.end(h);
    },
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Measured {
  name: string;
  /** Per variant: sum over requests of the request's fastest time (µs), robust to a busy machine. */
  best: number[];
  /** Per variant: median over rounds of the mean time per request (µs). */
  median: number[];
}

async function measure(name: string): Promise<Measured> {
  const source = corpusSource(name);
  const entry = corpus.find((e) => e.name === name)!;
  const requests = sampleRequests(entry, REQUESTS, seedFor(name, 31)).map((s) => rawFor(s, 'http://127.0.0.1:9'));
  const { code, skeleton } = instrument(source);
  const variants = [
    variant('original', source),
    variant('hooks only', source, createRecorder(buildSkeleton(source))),
    variant('instrumented', code, createRecorder(skeleton), true),
  ];
  const best = variants.map(() => requests.map(() => Infinity));
  const rounds: number[][] = variants.map(() => []);
  for (let round = -5; round < ROUNDS; round++) {
    const sums = variants.map(() => 0);
    for (let q = 0; q < requests.length; q++) {
      // Each request runs in every variant back to back, in a rotating order (GC, JIT state, caches).
      for (let k = 0; k < variants.length; k++) {
        const i = (k + q + round + 5) % variants.length;
        const t0 = process.hrtime.bigint();
        await variants[i]!.run(requests[q]!);
        const us = Number(process.hrtime.bigint() - t0) / 1000;
        sums[i]! += us;
        if (round >= 0) best[i]![q] = Math.min(best[i]![q]!, us);
      }
    }
    if (round >= 0) sums.forEach((x, i) => rounds[i]!.push(x / requests.length));
  }
  return { name, best: best.map((b) => b.reduce((a, x) => a + x, 0) / requests.length), median: rounds.map(median) };
}

const names = corpus.filter((e) => !e.backend && (args.all || e.cpu)).map((e) => e.name);
const rows: Measured[] = [];
for (const name of names) {
  const r = await measure(name);
  rows.push(r);
  console.log(`${name}: best ${r.best.map((u) => u.toFixed(1)).join(' / ')} µs/req; median ${r.median.map((u) => u.toFixed(1)).join(' / ')}`);
}

const pct = (a: number, b: number) => `${(((b / a) - 1) * 100).toFixed(1)}%`;
const overall = (pick: (r: Measured) => number[]) => `${((median(rows.map((r) => pick(r)[2]! / pick(r)[0]!)) - 1) * 100).toFixed(1)}%`;
const lines = [
  '',
  `## ${new Date().toISOString()} — \`npx tsx bench/trace-overhead.ts${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}\``,
  '',
  `Tracing overhead per request (tracer's benchmark). Machine: ${cpus().length} CPUs, ${cpus()[0]?.model.trim()}, Node ${process.version}, load average ${startLoad} at the start and ${loadavg()[0]!.toFixed(2)} at the end. ${ROUNDS} rounds (after 5 warm-up rounds) of ${REQUESTS} requests per function; each request runs in the three variants back to back, in rotating order. "best": per request the fastest of the rounds, averaged over the requests (robust on a busy machine); "median": median over rounds of the mean per request. "hooks": the original code with the recorder's per-request work (begin, enter hook, end) but no markers.`,
  '',
  '| function | original µs (best / median) | instrumented µs (best / median) | overhead, best | overhead, median | hooks only, best |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.name} | ${r.best[0]!.toFixed(1)} / ${r.median[0]!.toFixed(1)} | ${r.best[2]!.toFixed(1)} / ${r.median[2]!.toFixed(1)} | ${pct(r.best[0]!, r.best[2]!)} | ${pct(r.median[0]!, r.median[2]!)} | ${pct(r.best[0]!, r.best[1]!)} |`),
  '',
  `- tracing overhead, median over ${rows.length} functions: ${overall((r) => r.best)} (best), ${overall((r) => r.median)} (median)`,
];
console.log(lines.join('\n'));
if (!args['no-write']) appendFileSync(fileURLToPath(new URL('./RESULTS-trace.md', import.meta.url)), lines.join('\n') + '\n');
