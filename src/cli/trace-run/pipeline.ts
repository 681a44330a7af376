import type { IO, OutboundRequest, RawRequest } from '../../api/index.ts';
import type { CompileStats } from '../../compiler/index.ts';
import { compileTree } from '../../acceleration/index.ts';
import { prepareSource } from '../../platform/source-prep.ts';
import type { Limits } from '../../accelerator/index.ts';
import type { Skeleton, TraceTree } from '../../trace/index.ts';
import { createInstrumentedRunner } from './instrumented.ts';
import { createNodeRunner, type RunOutcome } from './oracle.ts';
import { createAcceleratedRunner, type AbortInfo, type AcceleratedOutcome } from './accelerated.ts';
import { compareRuns, type Difference } from './compare.ts';

export type Verdict = 'equal' | 'aborted' | 'mismatched';

export interface TestResult {
  index: number;
  request: RawRequest;
  verdict: Verdict;
  oracle: RunOutcome;
  accelerated: AcceleratedOutcome;
  /** For `aborted`. */
  abort?: AbortInfo;
  /** For `mismatched`: what differs, oracle value first. */
  differences?: Difference[];
}

export type PipelineFailure = { stage: 'trace' | 'compile' | 'validate' | 'load'; message: string; line?: number; column?: number };

export interface PipelineReport {
  /** Set when the pipeline stopped before testing; then `results` is empty. */
  failure?: PipelineFailure;
  tree?: TraceTree;
  code?: string;
  compileStats?: CompileStats;
  /** Wall time of compile() and of validate(), in ms. */
  compileMs?: number;
  validateMs?: number;
  results: TestResult[];
  counts: { equal: number; aborted: number; mismatched: number };
  /** Accelerated instances created (1 + one after each abort). */
  instances: number;
}

export interface PipelineOptions {
  source: string;
  train: RawRequest[];
  test: RawRequest[];
  /** Real outbound I/O, shared by the tracing run, the oracle and the accelerated run. */
  io: IO;
  timeoutMs?: number;
  limits?: Partial<Limits>;
  /** Compile arms no training request reached (default true); false compiles them to `unknown-path` aborts. */
  unseen?: boolean;
  /** Called after each test request, e.g. to print progress. */
  onResult?(result: TestResult): void;
}

function showCalls(calls: OutboundRequest[]) {
  return calls.map((c) => ({ method: c.method, url: c.url, body: c.body }));
}

/** The runtime must report the calls it made (the platform replays them on re-execution). */
function reportDifferences(acc: AcceleratedOutcome): Difference[] {
  const seen = JSON.stringify(showCalls(acc.outbound));
  const told = JSON.stringify(showCalls(acc.reported));
  return seen === told ? [] : [{ path: 'accelerated.outbound (as reported by the runtime)', expected: showCalls(acc.outbound), actual: showCalls(acc.reported) }];
}

function errorFields(err: unknown): { message: string; line?: number; column?: number } {
  const e = err as { message?: unknown; line?: unknown; column?: unknown; loc?: { line?: unknown; column?: unknown } };
  const line = typeof e?.line === 'number' ? e.line : typeof e?.loc?.line === 'number' ? e.loc.line : undefined;
  const column = typeof e?.column === 'number' ? e.column : typeof e?.loc?.column === 'number' ? e.loc.column : undefined;
  return { message: typeof e?.message === 'string' ? e.message : String(err), line, column };
}

/**
 * The text the platform runs for a function file (src/platform/source-prep.ts): an ES module becomes
 * CommonJS and an OpenWhisk `main` nothing exports is exported, so every style traces, compiles and
 * runs here as it does once deployed. A source the platform would refuse at deploy is refused here
 * with the same message and position.
 */
export function runnableSource(source: string): { ok: true; code: string } | { ok: false; message: string; line: number; column: number } {
  const prepared = prepareSource(source);
  return prepared.ok ? { ok: true, code: prepared.facts.code } : prepared;
}

/**
 * The local trace pipeline (issue 3, item 7): trace FILE instrumented on the train requests, compile
 * and validate the tree, then run every test request in the original (the oracle, plain Node) and
 * accelerated, and compare. The oracle stands for the container the accelerated instance replaces:
 * when an attempt aborts, both are started afresh, so global state stays comparable.
 */
export async function runPipeline(opts: PipelineOptions): Promise<PipelineReport> {
  const report: PipelineReport = { results: [], counts: { equal: 0, aborted: 0, mismatched: 0 }, instances: 0 };
  const timeoutMs = opts.timeoutMs ?? 5000;
  const runnable = runnableSource(opts.source);
  if (!runnable.ok) {
    report.failure = { stage: 'trace', message: runnable.message, line: runnable.line, column: runnable.column };
    return report;
  }
  const source = runnable.code;

  let skeleton: Skeleton;
  try {
    const tracer = createInstrumentedRunner(source, { io: opts.io, timeoutMs });
    for (const raw of opts.train) await tracer.run(raw);
    report.tree = tracer.tree();
    skeleton = tracer.skeleton;
  } catch (err) {
    report.failure = { stage: 'trace', ...errorFields(err) };
    return report;
  }

  // The platform's own stages from here: compile and validate (the compile worker's), then load and
  // run with the runner the platform uses inline.
  const compiled = compileTree(report.tree, opts.unseen === false ? undefined : skeleton);
  if (!compiled.ok) {
    const { ok: _ok, ...failure } = compiled;
    report.failure = failure;
    return report;
  }
  report.code = compiled.code;
  report.compileStats = compiled.stats;
  report.compileMs = compiled.compileMs;
  report.validateMs = compiled.validateMs;

  const accelerated = await createAcceleratedRunner(compiled.code, { io: opts.io, timeoutMs, limits: opts.limits });
  if ('error' in accelerated) {
    report.failure = { stage: 'load', message: accelerated.error };
    return report;
  }
  const newOracle = () => createNodeRunner(source, { io: opts.io, timeoutMs });
  let oracle = newOracle();
  for (let index = 0; index < opts.test.length; index++) {
    const request = opts.test[index]!;
    const expected = await oracle.run(request);
    const actual = await accelerated.run(request);
    let result: TestResult;
    if (actual.kind === 'abort') {
      const differences = reportDifferences(actual);
      result = differences.length
        ? { index, request, verdict: 'mismatched', oracle: expected, accelerated: actual, abort: actual.abort, differences }
        : { index, request, verdict: 'aborted', oracle: expected, accelerated: actual, abort: actual.abort };
      oracle = newOracle();
    } else {
      const differences = [...compareRuns(expected, actual), ...reportDifferences(actual)];
      result = { index, request, verdict: differences.length ? 'mismatched' : 'equal', oracle: expected, accelerated: actual, ...(differences.length ? { differences } : {}) };
    }
    report.counts[result.verdict]++;
    report.results.push(result);
    opts.onResult?.(result);
  }
  report.instances = accelerated.instances;
  return report;
}
