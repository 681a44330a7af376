/**
 * Sends the schedule to one server (the platform or the workerd router) at the scheduled times,
 * open-loop (a slow answer does not delay the next request), records every answer, and samples the
 * memory of the server's process tree each second, with a progress bar on stderr.
 */
import cliProgress from 'cli-progress';
import { Agent, request } from 'undici';
import { cpuBetween, sampleUsage, type Usage } from '../accel-proc.ts';
import { startTsWorker } from '../../src/acceleration/start-worker.ts';
import type { Arrival } from './load.ts';
import type { Tenant } from './functions.ts';

export interface Answer {
  /** Scheduled send time, s from the start. */
  at: number;
  fn: number;
  /** ms from the scheduled time to the end of the body (lateness of the sender included). */
  latencyMs: number;
  /** HTTP status, or 0 when the request failed without one. */
  status: number;
  /** `x-containerless-mode` (or the peer's name). */
  mode: string;
  /** How late the sender sent it (ms after its scheduled time): part of `latencyMs` that is the bench's own. */
  sendLagMs?: number;
}

export interface MemorySample {
  at: number;
  rssBytes: number;
  /** The tree's proportional set size: shared pages counted once (accel-proc.ts treePss). */
  pssBytes: number;
  processes: number;
}

export interface RunResult {
  answers: Answer[];
  memory: MemorySample[];
  cpuMs: number;
  /** CPU of the tree from the second half's first send to the end (ms), where it was sampled. */
  secondHalfCpuMs?: number;
  /** How late the sender was, at worst (ms): a loaded client skews latencies. */
  maxSendLagMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function drive(o: { label: string; baseUrl: string; rootPid: number; tenants: Tenant[]; schedule: Arrival[]; duration: number; peerMode?: string }): Promise<RunResult> {
  const agent = new Agent({ connections: 256, headersTimeout: 60_000, bodyTimeout: 60_000, keepAliveTimeout: 10_000 });
  const answers: Answer[] = [];
  const memory: MemorySample[] = [];
  const bar = new cliProgress.SingleBar({ format: `${o.label.padEnd(16)} {bar} {value}/{total} sent · {done} answered · {errors} errors · {mem} MB`, stream: process.stderr, hideCursor: false }, cliProgress.Presets.shades_classic);
  let errors = 0;
  let mem = 0;
  bar.start(o.schedule.length, 0, { done: 0, errors: 0, mem: 0 });
  const cpu0 = sampleUsage(o.rootPid);
  const t0 = performance.now();
  // Off this thread: a scan of /proc stalls it for 10-40 ms, delaying the answers timed meanwhile.
  const sampler = startTsWorker(new URL('./memory-sampler.ts', import.meta.url), { workerData: { root: o.rootPid, intervalMs: 1000, t0: performance.timeOrigin + t0 } });
  let halfCpu: Usage | undefined;
  sampler.on('message', (m: MemorySample | { cpu: Usage }) => {
    if ('cpu' in m) {
      halfCpu = m.cpu;
      return;
    }
    mem = Math.round(m.rssBytes / 1e6);
    memory.push(m);
  });
  let halfAsked = false;
  const pending: Array<Promise<void>> = [];
  const finished = new Set<number>();
  let maxLag = 0;
  for (const [i, a] of o.schedule.entries()) {
    const wait = t0 + a.at * 1000 - performance.now();
    if (wait > 1) await sleep(wait);
    const lag = performance.now() - (t0 + a.at * 1000);
    maxLag = Math.max(maxLag, lag);
    if (!halfAsked && a.at >= o.duration / 2) {
      halfAsked = true;
      sampler.postMessage('cpu');
    }
    const t = o.tenants[a.fn]!;
    const v = t.variants[a.variant % t.variants.length]!;
    pending.push(
      (async () => {
        const scheduled = t0 + a.at * 1000;
        let status = 0;
        let mode = 'none';
        try {
          const res = await request(`${o.baseUrl}/fn/${t.name}${v.pathAndQuery}`, { method: v.method as 'GET', headers: v.headers, body: v.body, dispatcher: agent });
          await res.body.dump({ limit: Infinity });
          status = res.statusCode;
          mode = o.peerMode ?? String(res.headers['x-containerless-mode'] ?? 'none');
        } catch {
          errors++;
        }
        if (status >= 500 || status === 429 || status === 0) errors++;
        if (finished.has(i)) return; // already counted as unanswered
        finished.add(i);
        answers.push({ at: a.at, fn: a.fn, latencyMs: performance.now() - scheduled, status, mode, sendLagMs: lag });
        bar.update(i + 1, { done: answers.length, errors, mem });
      })(),
    );
    if (i % 50 === 0) bar.update(i + 1, { done: answers.length, errors, mem });
  }
  await Promise.race([Promise.all(pending), sleep(90_000)]);
  // Still unanswered 90 s after the last send: counted as no answer rather than left out.
  for (const [i, a] of o.schedule.entries()) {
    if (finished.has(i)) continue;
    finished.add(i);
    answers.push({ at: a.at, fn: a.fn, latencyMs: performance.now() - (t0 + a.at * 1000), status: 0, mode: 'none' });
  }
  const rest = o.duration - (performance.now() - t0) / 1000;
  if (rest > 0) await sleep(rest * 1000);
  await sampler.terminate();
  const end = sampleUsage(o.rootPid);
  const cpuMs = cpuBetween(cpu0, end);
  bar.stop();
  await agent.close();
  answers.sort((a, b) => a.at - b.at);
  const result: RunResult = { answers, memory, cpuMs, maxSendLagMs: maxLag };
  if (halfCpu) result.secondHalfCpuMs = secondHalfCpu(halfCpu, end);
  return result;
}

/**
 * CPU between two samples when processes exited in between: a reaped child's whole life (before the
 * first sample too) lands in its parent's cutime, so what it had used by the first sample comes off.
 */
export function secondHalfCpu(half: Usage, end: Usage): number {
  let gone = 0;
  for (const [pid, ms] of half.perPid) if (!end.perPid.has(pid)) gone += ms;
  return cpuBetween(half, end) - gone;
}
