import type { RawRequest } from '../../api/index.ts';
import { formatDifferences } from './compare.ts';
import type { PipelineReport, TestResult } from './pipeline.ts';

function describeRequest(r: RawRequest): string {
  const qs = new URLSearchParams(r.query).toString();
  return `${r.method} ${r.path}${qs ? `?${qs}` : ''}`;
}

function describeAbort(result: TestResult): string {
  const a = result.abort!;
  const at = a.loc ? ` at ${a.loc.line}:${a.loc.column}` : '';
  return `${a.reason}${at} (${a.detail})`;
}

/** The human output: one line per test request, differences indented under a mismatch. */
export function formatResultLine(result: TestResult): string {
  const head = `#${result.index} ${result.verdict} ${describeRequest(result.request)}`;
  if (result.verdict === 'aborted') return `${head}: ${describeAbort(result)}`;
  if (result.verdict === 'mismatched') {
    const why = result.abort ? ` (aborted: ${describeAbort(result)})` : '';
    return `${head}${why}\n${formatDifferences(result.differences ?? [])}`;
  }
  return `${head} → ${result.oracle.response.status}`;
}

/** The `--json` output: one JSON object per test request (JSON Lines). */
export function formatResultJson(result: TestResult): string {
  const acc = result.accelerated;
  return JSON.stringify({
    index: result.index,
    verdict: result.verdict,
    request: result.request,
    oracle: { response: result.oracle.response, outbound: result.oracle.outbound },
    accelerated: acc.kind === 'response' ? { response: acc.response, outbound: acc.outbound } : { abort: acc.abort, outbound: acc.outbound },
    ...(result.differences ? { differences: result.differences } : {}),
  });
}

/** The last line of every successful run, exactly as issue 3 fixes it. */
export function summaryLine(report: PipelineReport): string {
  const c = report.counts;
  return `${c.equal} equal, ${c.aborted} aborted, ${c.mismatched} mismatched`;
}
