/**
 * One load phase of bench/accel-compare.ts: autocannon against one URL (cycling the function's
 * request variants), either at saturation (no rate) or at a fixed overall rate. Latencies are taken
 * from autocannon's per-response event in milliseconds with sub-millisecond precision, because its
 * own histogram rounds to whole milliseconds, which hides the difference between sub-millisecond
 * modes. The mode of each response (`x-containerless-mode`) and re-executions are counted.
 */
import autocannon from 'autocannon';
import type { Variant } from './accel-functions.ts';

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Responses by x-containerless-mode ('limit' for the limit server). */
  modes: Record<string, number>;
  reexecuted: number;
  /** Status >= 500 or a connection error or timeout. */
  errors: number;
  statuses: Record<string, number>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** `base` is the server's origin; `prefix` (e.g. `/fn/login`) goes before each variant's path. */
export async function runLoad(o: { base: string; prefix: string; variants: Variant[]; headers: Record<string, string>; connections: number; duration: number; rate?: number }): Promise<LoadResult> {
  const modes: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  let reexecuted = 0;
  const lat: number[] = [];
  const onResponse = (status: number, _body: string, _ctx: object, headers: Record<string, string | string[] | undefined> | undefined) => {
    const m = String(headers?.['x-containerless-mode'] ?? 'none');
    modes[m] = (modes[m] ?? 0) + 1;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (headers?.['x-containerless-reexecuted'] === '1') reexecuted++;
  };
  const requests = o.variants.map((v) => ({
    method: v.method,
    path: o.prefix + v.path,
    body: v.body,
    headers: v.body === undefined ? o.headers : { ...o.headers, 'content-type': 'application/json' },
    onResponse,
  }));
  const t0 = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const inst = autocannon(
      { url: o.base, connections: o.connections, duration: o.duration, requests, timeout: 10, ...(o.rate ? { overallRate: o.rate } : {}) },
      (err: unknown, res: autocannon.Result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)),
    );
    // The event really carries (client, status, bytes, ms); the typings omit the client.
    (inst as unknown as NodeJS.EventEmitter).on('response', (...args: unknown[]) => lat.push(args[3] as number));
  });
  const seconds = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const errors = result.errors + result.timeouts + Object.entries(statuses).reduce((n, [s, c]) => n + (Number(s) >= 500 ? c : 0), 0);
  return { requests: lat.length, seconds, rps: lat.length / o.duration, p50: percentile(lat, 50), p99: percentile(lat, 99), modes, reexecuted, errors, statuses };
}
