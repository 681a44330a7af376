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

/** The platform modes' labels in the report (the peer's is `workerd VERSION`). */
export const MODE_LABEL = { containers: 'containers-only', auto: 'default policy' } as const;
const isPeer = (x: { label: string }) => x.label.startsWith('workerd');

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
  /** The same for 503 alone (no capacity), or all 503s without a peer. */
  unavailableBeyondPeer: number;
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
function beyondPeer(r: ModeResult, peer: ModeResult, statuses: ReadonlySet<number> = PLATFORM_ERRORS): number {
  const peerStatus = new Map(peer.answers.map((a) => [requestKey(a), a.status]));
  return r.answers.filter((a) => statuses.has(a.status) && peerStatus.get(requestKey(a)) !== a.status).length;
}

const UNAVAILABLE = new Set([503]);

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
    unavailableBeyondPeer: peer && peer !== r ? beyondPeer(r, peer, UNAVAILABLE) : r.answers.filter((a) => a.status === 503).length,
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
const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;

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

/** A round's modes, by label. */
function modesOf(s: readonly Summary[]) {
  return { auto: s.find((x) => x.label === MODE_LABEL.auto), cont: s.find((x) => x.label === MODE_LABEL.containers), peer: s.find(isPeer) };
}

/** The default policy's second-half p99 over workerd's in one round; NaN without both. */
function secondHalfRatio(s: readonly Summary[]): number {
  const { auto, peer } = modesOf(s);
  return auto && peer ? auto.secondHalf.p99 / peer.secondHalf.p99 : NaN;
}

export interface GoalRow {
  goal: string;
  figure: string;
  /** Undefined where this run lacks a mode the goal compares. */
  met?: boolean;
}

/**
 * Issue 13's goals, judged on this run's figures alone (ratios from one run): the default policy
 * against its own whole run and second half, against workerd, and against containers-only.
 */
export function goalRows(s: readonly Summary[]): GoalRow[] {
  const { auto, cont, peer } = modesOf(s);
  const missing = (goal: string, ...need: Array<[Summary | undefined, string]>): GoalRow | undefined => {
    const absent = need.filter(([x]) => !x).map(([, name]) => name);
    return absent.length ? { goal, figure: `not run (${absent.join(', ')})` } : undefined;
  };
  const x = (r: number) => `${r.toFixed(2)}x`;
  const rows: GoalRow[] = [];
  const add = (goal: string, need: Array<[Summary | undefined, string]>, judge: () => { figure: string; met: boolean }) =>
    rows.push(missing(goal, ...need) ?? { goal, ...judge() });
  const platformErrors = (y: Summary) => y.platformErrorsBeyondPeer ?? y.platformErrors;
  add('default policy, whole run: no platform errors', [[auto, MODE_LABEL.auto]], () => ({
    figure: `${platformErrors(auto!)}${auto!.platformErrorsBeyondPeer === undefined ? '' : " not the peer's"} of ${auto!.platformErrors}`,
    met: platformErrors(auto!) === 0,
  }));
  add('default policy, whole run: p99 under 1 s', [[auto, MODE_LABEL.auto]], () => ({ figure: ms(auto!.all.p99), met: auto!.all.p99 < 1000 }));
  add('default policy, second half: at least 95% accelerated', [[auto, MODE_LABEL.auto]], () => ({ figure: pct(auto!.acceleratedSecondHalf), met: auto!.acceleratedSecondHalf >= 0.95 }));
  add('default policy, second half: p99 within 1.2x of workerd', [[auto, MODE_LABEL.auto], [peer, 'workerd']], () => ({
    figure: `${ms(auto!.secondHalf.p99)} against ${ms(peer!.secondHalf.p99)} (${x(secondHalfRatio(s))})`,
    met: auto!.secondHalf.p99 <= 1.2 * peer!.secondHalf.p99,
  }));
  add('default policy: peak memory below workerd', [[auto, MODE_LABEL.auto], [peer, 'workerd']], () => ({
    figure: `${auto!.peakMemMb.toFixed(0)} against ${peer!.peakMemMb.toFixed(0)} MB RSS (PSS ${auto!.peakPssMb.toFixed(0)} against ${peer!.peakPssMb.toFixed(0)})`,
    met: auto!.peakMemMb < peer!.peakMemMb,
  }));
  add('default policy: peak memory at least 5x below containers-only', [[auto, MODE_LABEL.auto], [cont, MODE_LABEL.containers]], () => ({
    figure: `${cont!.peakMemMb.toFixed(0)} / ${auto!.peakMemMb.toFixed(0)} MB RSS = ${x(cont!.peakMemMb / auto!.peakMemMb)} (PSS ${x(cont!.peakPssMb / auto!.peakPssMb)})`,
    met: cont!.peakMemMb >= 5 * auto!.peakMemMb,
  }));
  add('containers-only: no 503 from the platform, p99 under 1 s', [[cont, MODE_LABEL.containers]], () => ({
    figure: `${cont!.unavailableBeyondPeer} × 503, p99 ${ms(cont!.all.p99)}`,
    met: cont!.unavailableBeyondPeer === 0 && cont!.all.p99 < 1000,
  }));
  return rows;
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

/** Each round's summaries, each against that round's peer. */
function summarizeRounds(rounds: ReadonlyArray<readonly ModeResult[]>, duration: number): Summary[][] {
  return rounds.map((results) => {
    const peer = results.find(isPeer);
    return results.map((r) => summarize(r, duration, 5, peer));
  });
}

/**
 * The goals over several rounds: each round judged alone (ratios from one run), then how many
 * rounds met each goal, and the median over the rounds of the second half's p99 ratio to workerd.
 */
function roundsGoals(rounds: readonly Summary[][]): string[] {
  const judged = rounds.map(goalRows);
  const lines = [
    row(['goal', ...rounds.map((_, i) => `round ${i + 1}`), 'met in']),
    row(Array(rounds.length + 2).fill('---')),
    ...judged[0]!.map((g, k) => {
      const verdicts = judged.map((j) => j[k]!.met);
      const counted = verdicts.filter((m) => m !== undefined);
      const met = counted.filter(Boolean).length;
      return row([g.goal, ...judged.map((j) => j[k]!.figure), counted.length ? `${met} of ${counted.length}` : '–']);
    }),
  ];
  const ratios = rounds.map(secondHalfRatio).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (ratios.length) lines.push('', `Second half's p99 against workerd's, median of the rounds' ratios: ${quantile(ratios, 0.5).toFixed(2)}x (each round: ${ratios.map((x) => `${x.toFixed(2)}x`).join(', ')}, sorted).`);
  return lines;
}

/**
 * The report. With one round, its goals and figures; with several (modes run in alternating order),
 * the goals of every round and the median ratio, every round's figures, and the statuses, shares
 * and plots of the last round.
 */
export function markdown(rounds: ReadonlyArray<readonly ModeResult[]>, c: ReportContext): string {
  const all = summarizeRounds(rounds, c.duration);
  const results = rounds.at(-1)!;
  const s = all.at(-1)!;
  const several = rounds.length > 1;
  const roundOf = (i: number) => (several ? ` (round ${i + 1})` : '');
  const errors = (x: Summary) => `${x.platformErrors} (${pct(x.platformErrors / x.requests)})${x.platformErrorsBeyondPeer === undefined ? '' : `, ${x.platformErrorsBeyondPeer} not the peer's`}`;
  const diffs = disagreements(results, c.names);
  const lines = [
    '# Many tenants on one machine (`containerless bench tenants`)',
    '',
    `Command: \`${c.command}\``,
    `Date: ${c.date}. Machine: ${c.machine}. Load average (1, 5, 15 min) before: ${c.loadBefore}; after: ${c.loadAfter}.`,
    '',
    ...c.notes.map((n) => `- ${n}`),
    '',
    ...(several
      ? [`Issue 13's goals, each round judged alone (${rounds.length} rounds, the modes' order alternating):`, '', ...roundsGoals(all)]
      : ["Issue 13's goals, judged on this run alone:", '', row(['goal', 'this run', 'met']), row(['---', '---', '---']), ...goalRows(s).map((g) => row([g.goal, g.figure, g.met === undefined ? '–' : g.met ? 'yes' : '**no**']))]),
    '',
    row(['mode', 'requests', 'p50', 'p99', 'p99.9', 'p50 2nd half', 'p99 2nd half', 'p99.9 2nd half', 'platform errors', 'cold starts', 'accelerated (2nd half)', 'peak MB', 'mean MB', 'peak MB (PSS)', 'mean MB (PSS)', 'CPU ms/request', 'CPU ms/request 2nd half']),
    row(Array(17).fill('---')),
    ...all.flatMap((round, i) => round.map((x) =>
      row([x.label + roundOf(i), String(x.requests), ms(x.all.p50), ms(x.all.p99), ms(x.all.p999), ms(x.secondHalf.p50), ms(x.secondHalf.p99), ms(x.secondHalf.p999), errors(x), x.coldStarts === undefined ? '–' : String(x.coldStarts), pct(x.acceleratedSecondHalf), x.peakMemMb.toFixed(0), x.meanMemMb.toFixed(0), x.peakPssMb.toFixed(0), x.meanPssMb.toFixed(0), x.cpuMsPerRequest.toFixed(2), Number.isNaN(x.cpuMsPerRequestSecondHalf) ? '–' : x.cpuMsPerRequestSecondHalf.toFixed(2)]),
    )),
    '',
    ...(several ? [`Below: round ${rounds.length} only.`, ''] : []),
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
