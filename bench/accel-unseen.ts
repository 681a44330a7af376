/**
 * How many requests never seen in training are answered accelerated, on a corpus folder.
 *
 *   npx tsx bench/accel-unseen.ts [--corpus corpus] [--train 20] [--test 30] [--functions a,b] [--compiles 5] [--json FILE]
 *
 * The folder holds FUNCTION.js files and an index.ts exporting `corpus`: entries with `name`,
 * `requests` (a fast-check arbitrary of RequestSpecs) and `backend` (see corpus/index.ts). Per
 * function: --train requests from one seed, --test others from another seed, minus any request
 * equal to a training one. Each is run through the local pipeline (src/cli/trace-run/pipeline.ts:
 * trace, compile, validate, then every test request in plain Node and accelerated, compared):
 *   main     the tree as stored, arms no training request reached abort (`unknown-path`): main's behaviour;
 *   unseen   the same tree with unhit arms compiled generically (src/trace/unseen.ts);
 *   learned  both again after learning from one pass: the test requests that aborted are traced
 *            too (as the platform traces an aborted request when it re-executes it), recompiled,
 *            and the whole test set is run again.
 * Prints per function and in total the share answered accelerated, mismatches (answers that differ
 * from Node: must be 0), the abort reasons left, and compile+validate time (median of --compiles
 * compiles of each function's final tree; median and p90 over functions).
 */
import { writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { compileTree } from '../src/acceleration/index.ts';
import { createHttpIO } from '../src/cli/trace-run/http-io.ts';
import { startMockBackend } from '../src/cli/trace-run/mock-backend.ts';
import { runPipeline, runnableSource, type PipelineReport } from '../src/cli/trace-run/pipeline.ts';
import { BACKEND_HEADER, toRawRequest, type RequestSpec } from '../src/cli/trace-run/request-spec.ts';
import { buildSkeleton } from '../src/tracer/index.ts';
import type { RawRequest } from '../src/api/index.ts';

interface Entry {
  name: string;
  requests: fc.Arbitrary<RequestSpec>;
  backend?: boolean;
}

const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'corpus' },
    train: { type: 'string', default: '20' },
    test: { type: 'string', default: '30' },
    functions: { type: 'string' },
    compiles: { type: 'string', default: '5' },
    json: { type: 'string' },
  },
});
const dir = resolve(args.corpus!);
const TRAIN = Number(args.train);
const TEST = Number(args.test);
const COMPILES = Number(args.compiles);
const only = args.functions ? new Set(args.functions.split(',')) : undefined;
const { corpus } = (await import(pathToFileURL(`${dir}/index.ts`).href)) as { corpus: Entry[] };

function seedFor(name: string, salt: number): number {
  let h = 7 + salt;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);
const p90 = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))]! : NaN);
const pct = (a: number, n: number) => (n ? `${((100 * a) / n).toFixed(1)}%` : '-');

interface Counts {
  equal: number;
  aborted: number;
  mismatched: number;
  failed: number;
}
interface Row {
  name: string;
  test: number;
  main: Counts;
  unseen: Counts;
  mainLearned: Counts;
  unseenLearned: Counts;
  compileMs: number;
  compileMsMain: number;
  bytes: number;
  bytesMain: number;
  /** Code size of the first compile (before learning). */
  firstBytes: number;
  firstBytesMain: number;
  failure?: string;
  mismatches: string[];
}

function counts(r: PipelineReport, n: number): Counts {
  return r.failure ? { equal: 0, aborted: 0, mismatched: 0, failed: n } : { ...r.counts, failed: 0 };
}

/** Median compile+validate time of the report's tree, as the compile worker runs it (the skeleton built from the source included). */
function compileTime(source: string, r: PipelineReport, unseen: boolean, n: number): { ms: number; bytes: number } {
  if (!r.tree) return { ms: NaN, bytes: 0 };
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    // The skeleton is built from the source as the worker does (it caches it per source; the first compile pays for it).
    const runnable = runnableSource(source);
    const c = compileTree(r.tree, unseen && runnable.ok ? buildSkeleton(runnable.code) : undefined);
    times.push(performance.now() - t0);
    if (c.ok) bytes = c.code.length;
  }
  return { ms: median(times), bytes };
}

const backend = await startMockBackend();
const io = createHttpIO({ allowOutbound: [new URL(backend.url).host] });
const reasons = new Map<string, { reason: string; detail: string; count: number; functions: Set<string> }>();
const rows: Row[] = [];
const timings: { source: string; unseen: PipelineReport; main: PipelineReport }[] = [];
const started = new Date().toISOString();
console.log(`accel-unseen: corpus ${args.corpus}, train ${TRAIN}, test ${TEST} (unseen only) per function; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
try {
  for (const entry of corpus) {
    if (only && !only.has(entry.name)) continue;
    const source = readFileSync(`${dir}/${entry.name}.js`, 'utf8');
    const raw = (s: RequestSpec): RawRequest => toRawRequest(s, { [BACKEND_HEADER]: backend.url });
    const trainSpecs = fc.sample(entry.requests, { numRuns: TRAIN, seed: seedFor(entry.name, 10) });
    const seen = new Set(trainSpecs.map((s) => JSON.stringify(s)));
    const testSpecs = fc.sample(entry.requests, { numRuns: TEST * 4, seed: seedFor(entry.name, 20) }).filter((s) => !seen.has(JSON.stringify(s))).slice(0, TEST);
    const train = trainSpecs.map(raw);
    const test = testSpecs.map(raw);
    const run = (t: RawRequest[], unseen: boolean) => runPipeline({ source, train: t, test, io, timeoutMs: 30_000, unseen });

    const main = await run(train, false);
    const unseen = await run(train, true);
    const aborted = (r: PipelineReport) => r.results.filter((x) => x.verdict === 'aborted').map((x) => x.request);
    const mainLearned = await run([...train, ...aborted(main)], false);
    const unseenLearned = await run([...train, ...aborted(unseen)], true);
    for (const x of unseen.results) {
      if (!x.abort || x.verdict !== 'aborted') continue;
      const key = `${x.abort.reason}\u0000${x.abort.detail}`;
      const e = reasons.get(key) ?? { reason: x.abort.reason, detail: x.abort.detail, count: 0, functions: new Set<string>() };
      e.count++;
      e.functions.add(entry.name);
      reasons.set(key, e);
    }
    timings.push({ source, unseen: unseenLearned.tree ? unseenLearned : unseen, main: mainLearned.tree ? mainLearned : main });
    const mismatches = [main, unseen, mainLearned, unseenLearned].flatMap((r) => r.results.filter((x) => x.verdict === 'mismatched').map((x) => `${JSON.stringify(x.request)}: ${JSON.stringify(x.differences)}`));
    const row: Row = {
      name: entry.name,
      test: test.length,
      main: counts(main, test.length),
      unseen: counts(unseen, test.length),
      mainLearned: counts(mainLearned, test.length),
      unseenLearned: counts(unseenLearned, test.length),
      compileMs: NaN,
      compileMsMain: NaN,
      bytes: 0,
      bytesMain: 0,
      firstBytes: unseen.code?.length ?? 0,
      firstBytesMain: main.code?.length ?? 0,
      mismatches,
      ...(unseen.failure ? { failure: `${unseen.failure.stage}: ${unseen.failure.message}` } : {}),
    };
    rows.push(row);
    const cell = (c: Counts) => `${String(c.equal).padStart(3)}/${row.test}${c.mismatched ? ` !${c.mismatched}` : ''}`;
    console.log(`${entry.name.padEnd(22)} main ${cell(row.main)}  unseen ${cell(row.unseen)}  learned: main ${cell(row.mainLearned)} unseen ${cell(row.unseenLearned)}${row.failure ? `  FAILED ${row.failure}` : ''}`);
    for (const m of mismatches) console.log(`  MISMATCH ${m.slice(0, 400)}`);
  }
} finally {
  await backend.close();
}

// Compile times in a phase of their own, after the pipelines (whose garbage and JIT work would land
// in them otherwise): each function's final trees, one warm-up compile, then unseen and main interleaved.
console.log('\ncompile+validate (median of --compiles), final trees:');
for (const [i, t] of timings.entries()) {
  const row = rows[i]!;
  compileTime(t.source, t.unseen, true, 1);
  const c = { unseen: [] as number[], main: [] as number[] };
  for (let k = 0; k < COMPILES; k++) {
    const u = compileTime(t.source, t.unseen, true, 1);
    const m = compileTime(t.source, t.main, false, 1);
    c.unseen.push(u.ms);
    c.main.push(m.ms);
    row.bytes = u.bytes;
    row.bytesMain = m.bytes;
  }
  row.compileMs = median(c.unseen);
  row.compileMsMain = median(c.main);
  console.log(`${row.name.padEnd(22)} ${row.compileMs.toFixed(2)} ms (main ${row.compileMsMain.toFixed(2)})  ${row.bytes} B (main ${row.bytesMain})`);
}

const sum = (k: 'main' | 'unseen' | 'mainLearned' | 'unseenLearned') =>
  rows.reduce((s, r) => ({ equal: s.equal + r[k].equal, aborted: s.aborted + r[k].aborted, mismatched: s.mismatched + r[k].mismatched, failed: s.failed + r[k].failed }), { equal: 0, aborted: 0, mismatched: 0, failed: 0 });
const n = rows.reduce((s, r) => s + r.test, 0);
const totals = { main: sum('main'), unseen: sum('unseen'), mainLearned: sum('mainLearned'), unseenLearned: sum('unseenLearned') };
console.log(`\n${rows.length} functions, ${n} unseen test requests; started ${started}; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const [k, c] of Object.entries(totals)) console.log(`  ${k.padEnd(14)} accelerated ${pct(c.equal, n)} (${c.equal}), aborted ${c.aborted}, mismatched ${c.mismatched}, failed to compile/load ${c.failed}`);
const ok = (xs: number[]) => xs.filter((x) => Number.isFinite(x));
console.log(`  compile+validate per function: unseen median ${median(ok(rows.map((r) => r.compileMs))).toFixed(1)} ms, p90 ${p90(ok(rows.map((r) => r.compileMs))).toFixed(1)} ms; main median ${median(ok(rows.map((r) => r.compileMsMain))).toFixed(1)} ms, p90 ${p90(ok(rows.map((r) => r.compileMsMain))).toFixed(1)} ms`);
console.log(`  code size, first compile: unseen ${rows.reduce((s, r) => s + r.firstBytes, 0)} B, main ${rows.reduce((s, r) => s + r.firstBytesMain, 0)} B; after learning: unseen ${rows.reduce((s, r) => s + r.bytes, 0)} B, main ${rows.reduce((s, r) => s + r.bytesMain, 0)} B`);
console.log('\nabort reasons left (unseen, first pass): count reason detail [functions]');
for (const e of [...reasons.values()].sort((a, b) => b.count - a.count)) console.log(`  ${String(e.count).padStart(4)} ${e.reason} ${e.detail} [${[...e.functions].join(', ')}]`);
if (args.json) writeFileSync(args.json, JSON.stringify({ started, corpus: args.corpus, train: TRAIN, test: TEST, rows, totals, reasons: [...reasons.values()].map((e) => ({ ...e, functions: [...e.functions] })) }, null, 2));
