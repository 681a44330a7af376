/** Percentiles and per-bucket summaries of the bench's samples (pure). */

/** The q-quantile (0..1) of `sorted` (ascending), nearest-rank; NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export interface Percentiles {
  n: number;
  p50: number;
  p99: number;
  p999: number;
}

export function percentiles(values: readonly number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: quantile(s, 0.5), p99: quantile(s, 0.99), p999: quantile(s, 0.999) };
}

/** Groups `items` into buckets of `width` by `at(item)`, from 0 to `end` (every bucket present). */
export function buckets<T>(items: readonly T[], at: (x: T) => number, width: number, end: number): T[][] {
  const out: T[][] = Array.from({ length: Math.max(1, Math.ceil(end / width)) }, () => []);
  for (const x of items) {
    const i = Math.min(out.length - 1, Math.max(0, Math.floor(at(x) / width)));
    out[i]!.push(x);
  }
  return out;
}

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

/** Counts of each key, in key order. */
export function countBy<T>(items: readonly T[], key: (x: T) => string): Record<string, number> {
  const m: Record<string, number> = {};
  for (const x of items) m[key(x)] = (m[key(x)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
}
