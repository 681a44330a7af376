/**
 * The summary of each mode and the Markdown report with its SVG plots (pure apart from nothing:
 * it returns text; main.ts writes the files).
 */
import { buckets, countBy, mean, percentiles, quantile, type Percentiles } from './stats.ts';
import { lineChart } from './svg.ts';
import type { Answer, RunResult } from './drive.ts';

export interface ModeResult extends RunResult {
  label: string;
  coldStarts?: number;
  deployFailures: string[];
  /** Seconds to start the server and deploy every tenant, before the load. */
  setupS?: number;
}

/** Statuses the platform itself answers when it fails a request (CONTRACT §2), and 0 for no answer. */
export const PLATFORM_ERRORS = new Set([0, 429, 502, 503, 504]);

export interface Summary {
  label: string;
  requests: number;
  all: Percentiles;
  secondHalf: Percentiles;
  statuses: Record<string, number>;
  platformErrors: number;
  /** Platform-error statuses where the peer answered the same scheduled request otherwise (undefined without a peer). */
  platformErrorsBeyondPeer?: number;
  modes: Record<string, number>;
  acceleratedSecondHalf: number;
  acceleratedPerBucket: number[];
  peakMemMb: number;
  meanMemMb: number;
  /** The same over the tree's proportional set size (shared pages once). */
  peakPssMb: number;
  meanPssMb: number;
  cpuMsPerRequest: number;
  /** CPU per request over the second half (the steady state), where measured. */
  cpuMsPerRequestSecondHalf: number;
  coldStarts?: number;
}

/** The sender's lag at p99 over the second half's requests, in ms (NaN where not recorded). */
export function secondHalfLagP99(answers: readonly Answer[], duration: number): number {
  const lags: number[] = [];
  for (const a of answers) if (a.at >= duration / 2 && a.sendLagMs !== undefined) lags.push(a.sendLagMs);
  return quantile(lags.sort((x, y) => x - y), 0.99);
}

/** The key of a scheduled request: its send time and tenant are the same in every mode's run. */
const requestKey = (a: { at: number; fn: number }) => `${a.at}/${a.fn}`;

/**
 * Answers with a platform-error status that the peer did not also give: a function's own 502 or 503
 * (which workerd gives too) is not the platform failing.
 */
function beyondPeer(r: ModeResult, peer: ModeResult): number {
  const peerStatus = new Map(peer.answers.map((a) => [requestKey(a), a.status]));
  return r.answers.filter((a) => PLATFORM_ERRORS.has(a.status) && peerStatus.get(requestKey(a)) !== a.status).length;
}

export function summarize(r: ModeResult, duration: number, bucketS = 5, peer?: ModeResult): Summary {
  const half = r.answers.filter((a) => a.at >= duration / 2);
  const share = (xs: typeof r.answers) => (xs.length ? xs.filter((a) => a.mode === 'accelerated').length / xs.length : NaN);
  const mem = r.memory.map((m) => m.rssBytes / 1e6);
  const pss = r.memory.map((m) => m.pssBytes / 1e6);
  return {
    label: r.label,
    requests: r.answers.length,
    all: percentiles(r.answers.map((a) => a.latencyMs)),
    secondHalf: percentiles(half.map((a) => a.latencyMs)),
    statuses: countBy(r.answers, (a) => String(a.status)),
    platformErrors: r.answers.filter((a) => PLATFORM_ERRORS.has(a.status)).length,
    platformErrorsBeyondPeer: peer && peer !== r ? beyondPeer(r, peer) : undefined,
    modes: countBy(r.answers, (a) => a.mode),
    acceleratedSecondHalf: share(half),
    acceleratedPerBucket: buckets(r.answers, (a) => a.at, bucketS, duration).map(share),
    peakMemMb: mem.length ? Math.max(...mem) : NaN,
    meanMemMb: mean(mem),
    peakPssMb: pss.length ? Math.max(...pss) : NaN,
    meanPssMb: mean(pss),
    cpuMsPerRequest: r.answers.length ? r.cpuMs / r.answers.length : NaN,
    cpuMsPerRequestSecondHalf: r.secondHalfCpuMs !== undefined && half.length ? r.secondHalfCpuMs / half.length : NaN,
    coldStarts: r.coldStarts,
  };
}

const ms = (v: number) => (Number.isNaN(v) ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 2 : 0)} ms`);
const pct = (v: number) => (Number.isNaN(v) ? '–' : `${(v * 100).toFixed(0)}%`);

export function latencyChart(results: readonly ModeResult[], duration: number): string {
  return lineChart(
    results.map((r) => ({ name: r.label, points: buckets(r.answers, (a) => a.at, 1, duration).map((b, i): [number, number] => [i + 0.5, percentiles(b.map((a) => a.latencyMs)).p99]) })),
    { title: 'p99 latency per second', xLabel: 'time (s)', yLabel: 'ms', logY: true },
  );
}

export function memoryChart(results: readonly ModeResult[]): string {
  return lineChart(
    results.flatMap((r) => [
      { name: `${r.label} (RSS)`, points: r.memory.map((m): [number, number] => [m.at, m.rssBytes / 1e6]) },
      { name: `${r.label} (PSS)`, points: r.memory.map((m): [number, number] => [m.at, m.pssBytes / 1e6]) },
    ]),
    { title: 'memory of the server and its processes (sums of RSS and of PSS)', xLabel: 'time (s)', yLabel: 'MB' },
  );
}

/**
 * Tenants whose answers by status differ between a mode and the first one: the same schedule
 * should get the same statuses everywhere unless the platform failed a request (or the workerd
 * adapter runs a style differently), so each difference is worth a look.
 */
export function disagreements(results: readonly ModeResult[], names: readonly string[]): string[] {
  const hist = (r: ModeResult, fn: number) => JSON.stringify(countBy(r.answers.filter((a) => a.fn === fn), (a) => String(a.status)));
  const out: string[] = [];
  const [first, ...rest] = results;
  if (!first) return out;
  names.forEach((name, fn) => {
    for (const r of rest) {
      const a = hist(first, fn);
      const b = hist(r, fn);
      if (a !== b) out.push(`${name}: ${first.label} ${a}, ${r.label} ${b}`);
    }
  });
  return out;
}

export interface ReportContext {
  command: string;
  date: string;
  machine: string;
  loadBefore: string;
  loadAfter: string;
  duration: number;
  notes: string[];
  /** Deployed names of the tenants, by index. */
  names: string[];
  latencySvg: string;
  memorySvg: string;
}

export function markdown(results: readonly ModeResult[], c: ReportContext): string {
  const peer = results.find((r) => r.label.startsWith('workerd'));
  const s = results.map((r) => summarize(r, c.duration, 5, peer));
  const errors = (x: Summary) => `${x.platformErrors} (${pct(x.platformErrors / x.requests)})${x.platformErrorsBeyondPeer === undefined ? '' : `, ${x.platformErrorsBeyondPeer} not the peer's`}`;
  const diffs = disagreements(results, c.names);
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const lines = [
    '# Many tenants on one machine (`containerless bench tenants`)',
    '',
    `Command: \`${c.command}\``,
    `Date: ${c.date}. Machine: ${c.machine}. Load average (1, 5, 15 min) before: ${c.loadBefore}; after: ${c.loadAfter}.`,
    '',
    ...c.notes.map((n) => `- ${n}`),
    '',
    row(['mode', 'requests', 'p50', 'p99', 'p99.9', 'p50 2nd half', 'p99 2nd half', 'p99.9 2nd half', 'platform errors', 'cold starts', 'accelerated (2nd half)', 'peak MB', 'mean MB', 'peak MB (PSS)', 'mean MB (PSS)', 'CPU ms/request', 'CPU ms/request 2nd half']),
    row(Array(17).fill('---')),
    ...s.map((x) =>
      row([x.label, String(x.requests), ms(x.all.p50), ms(x.all.p99), ms(x.all.p999), ms(x.secondHalf.p50), ms(x.secondHalf.p99), ms(x.secondHalf.p999), errors(x), x.coldStarts === undefined ? '–' : String(x.coldStarts), pct(x.acceleratedSecondHalf), x.peakMemMb.toFixed(0), x.meanMemMb.toFixed(0), x.peakPssMb.toFixed(0), x.meanPssMb.toFixed(0), x.cpuMsPerRequest.toFixed(2), Number.isNaN(x.cpuMsPerRequestSecondHalf) ? '–' : x.cpuMsPerRequestSecondHalf.toFixed(2)]),
    ),
    '',
    'Answers by status (platform errors are 429, 502, 503, 504 and 0 = no answer; other statuses are the functions\' own. "Not the peer\'s": those where the peer answered the same scheduled request with another status, so the platform, not the function, failed it):',
    '',
    ...s.map((x) => `- ${x.label}: ${Object.entries(x.statuses).map(([k, v]) => `${k}: ${v}`).join(', ')}; by mode: ${Object.entries(x.modes).map(([k, v]) => `${k} ${v}`).join(', ')}`),
    '',
    'Accelerated share per 5 s:',
    '',
    row(['mode', ...s[0]!.acceleratedPerBucket.map((_, i) => `${i * 5}s`)]),
    row(Array(s[0]!.acceleratedPerBucket.length + 1).fill('---')),
    ...s.map((x) => row([x.label, ...x.acceleratedPerBucket.map(pct)])),
    '',
    `Set-up before the load (start the server, deploy or bundle every tenant): ${results.map((r) => `${r.label} ${r.setupS === undefined ? '–' : `${r.setupS.toFixed(1)} s`}`).join(', ')}.`,
    '',
    `Tenants whose statuses differ from the ${s[0]!.label} run: ${diffs.length === 0 ? 'none.' : ''}`,
    '',
    ...diffs.map((d) => `- ${d.replaceAll('"', '')}`),
    '',
    ...results.filter((r) => r.deployFailures.length).map((r) => `Not deployed in ${r.label} (${r.deployFailures.length}): ${r.deployFailures.map((f) => `\`${f.replaceAll('`', "'").slice(0, 160)}\``).join('; ')}`),
    '',
    `![p99 latency per second](${c.latencySvg})`,
    '',
    `![memory over time](${c.memorySvg})`,
    '',
  ];
  return lines.join('\n');
}
