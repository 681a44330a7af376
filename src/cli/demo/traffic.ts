import { Agent, request } from 'undici';

export interface TrafficSpec {
  url: string;
  method: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface TrafficResult {
  requests: number;
  errors: number;
  /** Responses by x-containerless-mode. */
  modes: Record<string, number>;
  seconds: number;
  latenciesMs: number[];
}

/** Sends `total` requests with `concurrency` in flight, cycling through `specs`; `tick` after each. */
export async function drive(specs: TrafficSpec[], total: number, concurrency: number, tick: () => void): Promise<TrafficResult> {
  const agent = new Agent({ connections: concurrency });
  const result: TrafficResult = { requests: 0, errors: 0, modes: {}, seconds: 0, latenciesMs: [] };
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < total) {
      const spec = specs[next++ % specs.length]!;
      const s = performance.now();
      try {
        const res = await request(spec.url, { method: spec.method as 'GET', body: spec.body, headers: spec.headers, dispatcher: agent });
        await res.body.text();
        const mode = String(res.headers['x-containerless-mode'] ?? 'none');
        result.modes[mode] = (result.modes[mode] ?? 0) + 1;
        if (res.statusCode >= 500) result.errors++;
      } catch {
        result.errors++;
      }
      result.latenciesMs.push(performance.now() - s);
      result.requests++;
      tick();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  result.seconds = (performance.now() - t0) / 1000;
  await agent.close();
  return result;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
