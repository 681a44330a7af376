import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { test, before, after, type TestContext } from 'node:test';
import { corpus, corpusSource, rawFor, sampleRequests, seedFor, type CorpusEntry } from './harness.ts';
import { startMockBackend, type MockBackend } from '../../src/cli/trace-run/mock-backend.ts';
import { createHttpIO } from '../../src/cli/trace-run/http-io.ts';
import { runPipeline, type PipelineReport } from '../../src/cli/trace-run/pipeline.ts';
import { formatResultLine } from '../../src/cli/trace-run/format.ts';

export const TRAIN = 20;
export const TEST = 30;

/**
 * Functions that cannot pass yet because of a bug elsewhere in the pipeline, with the reason.
 * `stage` is where they fail: a listed function must still fail there, so the list stays honest:
 * once it passes, the test fails until the entry is removed.
 */
export interface KnownFailure {
  stage: 'mismatch' | 'compile' | 'validate' | 'trace' | 'load';
  reason: string;
}
export const knownFailures: Record<string, KnownFailure> = JSON.parse(readFileSync(new URL('./known-failures.json', import.meta.url), 'utf8'));

export interface FunctionSummary {
  name: string;
  status: 'ok' | 'known-failure';
  equal: number;
  aborted: number;
  mismatched: number;
  reasons: Record<string, number>;
}

/** Where a report failed, in the vocabulary of known-failures.json; undefined when it passed. */
function failedStage(report: PipelineReport): KnownFailure['stage'] | undefined {
  if (report.failure) return report.failure.stage;
  return report.counts.mismatched > 0 ? 'mismatch' : undefined;
}

function describeFailure(report: PipelineReport): string {
  if (report.failure) return `${report.failure.stage} failed${report.failure.line !== undefined ? ` at ${report.failure.line}:${report.failure.column}` : ''}: ${report.failure.message}`;
  return report.results
    .filter((r) => r.verdict === 'mismatched')
    .map((r) => `${formatResultLine(r)}\n  request: ${JSON.stringify(r.request)}`)
    .join('\n');
}

/** Differential test of one corpus function: train on TRAIN generated requests, test on TEST others. */
export async function differential(t: TestContext, entry: CorpusEntry, backendUrl: string, source = corpusSource(entry.name), known = knownFailures[entry.name]): Promise<FunctionSummary> {
  const train = sampleRequests(entry, TRAIN, seedFor(entry.name, 10)).map((s) => rawFor(s, backendUrl));
  const test = sampleRequests(entry, TEST, seedFor(entry.name, 20)).map((s) => rawFor(s, backendUrl));
  // A generous timeout: no corpus request is meant to time out, and on a loaded machine a request cut
  // off by its timeout would stop recording its outbound calls at an arbitrary point.
  const report = await runPipeline({ source, train, test, io: createHttpIO({ allowOutbound: [new URL(backendUrl).host] }), timeoutMs: 30_000 });
  const stage = failedStage(report);
  const reasons: Record<string, number> = {};
  for (const r of report.results) if (r.abort) reasons[r.abort.reason] = (reasons[r.abort.reason] ?? 0) + 1;
  const c = report.counts;
  const rate = report.results.length ? Math.round((100 * c.aborted) / report.results.length) : 100;
  t.diagnostic(`${entry.name}: ${c.equal} equal, ${c.aborted} aborted, ${c.mismatched} mismatched (abort rate ${rate}%) ${JSON.stringify(reasons)}`);
  if (known) {
    assert.equal(stage, known.stage, `${entry.name} is listed in known-failures.json (${known.stage}: ${known.reason}) but ${stage === undefined ? 'now passes: remove it from the list' : `fails at ${stage}: ${describeFailure(report)}`}`);
    t.diagnostic(`${entry.name}: known failure (${known.stage}): ${known.reason}`);
  } else {
    assert.equal(stage, undefined, `${entry.name}: ${describeFailure(report)}`);
    assert.equal(report.results.length, TEST);
  }
  return { name: entry.name, status: known ? 'known-failure' : 'ok', equal: c.equal, aborted: c.aborted, mismatched: c.mismatched, reasons };
}

/**
 * Registers the differential tests of one half of the corpus (the corpus is split in two files so the
 * halves run in parallel): for each function, train on TRAIN generated requests, then compare the
 * original (oracle) and the accelerated run on TEST others. Zero mismatches; abort rates are reported.
 */
export function registerDifferentialPart(part: 1 | 2): void {
  let backend: MockBackend;
  const summaries: FunctionSummary[] = [];
  before(async () => {
    backend = await startMockBackend();
  });
  after(async () => {
    await backend.close();
    const total = summaries.reduce((s, f) => ({ equal: s.equal + f.equal, aborted: s.aborted + f.aborted, mismatched: s.mismatched + f.mismatched }), { equal: 0, aborted: 0, mismatched: 0 });
    const n = total.equal + total.aborted + total.mismatched;
    console.log(`differential part ${part}: ${summaries.length} functions, ${total.equal} equal, ${total.aborted} aborted, ${total.mismatched} mismatched; abort rate ${n ? ((100 * total.aborted) / n).toFixed(1) : '-'}% (train ${TRAIN}, test ${TEST} per function)`);
  });
  for (const entry of corpus.filter((_, i) => i % 2 === part - 1)) {
    test(`differential: ${entry.name}`, async (t) => {
      summaries.push(await differential(t, entry, backend.url));
    });
  }
}
