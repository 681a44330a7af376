import type { AccelerationOutcome } from './accelerate.ts';
import { percentile, type TrafficResult } from './traffic.ts';

/** Throughput and latency of one traffic run, as the demo's tables show them. */
export interface Figures {
  modes: string;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
}

export function figures(r: TrafficResult): Figures {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  return { modes: Object.keys(r.modes).join('+') || '-', requests: r.requests, errors: r.errors, rps: r.requests / r.seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** Left-aligns the first `textCols` columns and right-aligns the numbers. */
export function table(rows: string[][], textCols = 2): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((c, i) => (i < textCols ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd()).join('\n') + '\n';
}

const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)}x` : '-');

/**
 * The side-by-side table: each function's containers figures, its accelerated figures, the
 * ratios (throughput up, latency down), and how long it took to get accelerated, or why not.
 */
export function comparison(rows: Array<{ name: string; containers: Figures; accel?: Figures; outcome: AccelerationOutcome }>): string {
  const out = [['function', 'containers req/s', 'p50 ms', 'p99 ms', 'accelerated req/s', 'p50 ms', 'p99 ms', 'throughput', 'p50 lower', 'to accelerated']];
  for (const r of rows) {
    const c = r.containers;
    const a = r.accel;
    out.push([
      r.name,
      c.rps.toFixed(0),
      c.p50.toFixed(2),
      c.p99.toFixed(2),
      a ? a.rps.toFixed(0) : 'unavailable',
      a ? a.p50.toFixed(2) : '-',
      a ? a.p99.toFixed(2) : '-',
      a ? x(a.rps / c.rps) : '-',
      a ? x(c.p50 / a.p50) : '-',
      r.outcome.ok ? `${duration(r.outcome.ms)}, ${r.outcome.requests} req` : 'not accelerated',
    ]);
  }
  return table(out, 1);
}

export const geomean = (xs: number[]) => Math.exp(xs.reduce((s, v) => s + Math.log(v), 0) / xs.length);

/** Sub-second switches are common (the compile worker is warm from the deploy): say ms, not "0.0 s". */
export const duration = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
