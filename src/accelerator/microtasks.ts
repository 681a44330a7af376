/**
 * The instance's own microtask queue (docs/accelerator.md, "Promises and timers"). Compiled code
 * never touches the host's: promise reactions, thenable jobs and `queueMicrotask` callbacks are
 * queued here and run, in order, when compiled code returns to the instance (after the handler,
 * after each I/O or timer callback), as Node drains its queue after each macrotask. Each job is
 * charged fuel when queued and memory for its record.
 */
import type { Host } from './host.ts';
import { Thrown } from './values.ts';

/** A job's record in the queue (a closure and its slot). */
export const JOB_BYTES = 64;

export type Job = () => void;

/**
 * Whose code a job runs: the request that was running when the reaction was registered (`then`,
 * `await`), as Node's async context follows it, or when the job was queued (thenables,
 * `queueMicrotask`). The instance decides what to do with another request's job (instance.ts).
 */
export type Owner = object | null;

interface Queue {
  jobs: Job[];
  owners: Owner[];
  /** Promises rejected with no handler yet, in the order they were rejected (Node's tracker). */
  unhandled: Set<object>;
  reasons: Map<object, unknown>;
}

const queues = new WeakMap<object, Queue>();

function queueOf(host: Host): Queue {
  let q = queues.get(host);
  if (!q) {
    q = { jobs: [], owners: [], unhandled: new Set(), reasons: new Map() };
    queues.set(host, q);
  }
  return q;
}

/** The request running now (the core runtime's `cur`), as a job's owner. */
export function currentOwner(host: Host): Owner {
  return (host as unknown as { cur?: Owner }).cur ?? null;
}

export function enqueueJob(host: Host, job: Job, owner: Owner = currentOwner(host)): void {
  host.tick(1);
  host.alloc(JOB_BYTES);
  const q = queueOf(host);
  q.jobs.push(job);
  q.owners.push(owner);
}

const waiting = new WeakMap<object, number>();

/**
 * Reactions a request registered on promises still pending: while there are some, something may yet
 * resume it (another request settling a promise it shares, …), so "nothing pending" is not a 504.
 */
export function addWaiting(owner: Owner, n: number): void {
  if (owner !== null) waiting.set(owner, (waiting.get(owner) ?? 0) + n);
}

export function waitingOf(owner: object): number {
  return waiting.get(owner) ?? 0;
}

/** HostPromiseRejectionTracker, "reject": a promise rejected while nothing handles it. */
export function trackRejection(host: Host, p: object, reason: unknown): void {
  const q = queueOf(host);
  q.unhandled.add(p);
  q.reasons.set(p, reason);
}

/** HostPromiseRejectionTracker, "handle": a handler was added to a rejected promise. */
export function untrackRejection(host: Host, p: object): void {
  const q = queueOf(host);
  q.unhandled.delete(p);
  q.reasons.delete(p);
}

/**
 * Runs every queued job, including those the jobs queue. A job that throws a user exception (a
 * `queueMicrotask` callback) reports it through `uncaught`, as Node's 'uncaughtException', and the
 * queue goes on; an abort empties the queue and propagates. Then, as Node does once its queue is
 * empty, every promise still rejected without a handler is reported through `unhandled`, in order.
 */
export function drainMicrotasks(host: Host & { depthNow: number }, exec: (owner: Owner, job: Job) => void, uncaught: (value: unknown) => void, unhandled: (reason: unknown) => void): void {
  const q = queues.get(host);
  if (!q) return;
  for (;;) {
    let i = 0;
    try {
      for (; i < q.jobs.length; i++) {
        host.depthNow = 0;
        const job = q.jobs[i];
        try {
          exec(q.owners[i], job);
        } catch (e) {
          if (!(e instanceof Thrown)) throw e;
          uncaught(e.value);
        }
      }
    } catch (e) {
      q.jobs.length = 0;
      q.owners.length = 0;
      q.unhandled.clear();
      q.reasons.clear();
      throw e;
    }
    q.jobs.length = 0;
    q.owners.length = 0;
    if (q.unhandled.size === 0) return;
    const reported = [...q.unhandled];
    const reasons = reported.map((p) => q.reasons.get(p));
    q.unhandled.clear();
    q.reasons.clear();
    for (const r of reasons) unhandled(r);
    // An 'unhandledRejection' report runs no user code here, so nothing new was queued.
    if (q.jobs.length === 0) return;
  }
}

/** Forgets everything queued (an aborted request runs no more code). */
export function clearMicrotasks(host: Host): void {
  const q = queues.get(host);
  if (!q) return;
  q.jobs.length = 0;
  q.owners.length = 0;
  q.unhandled.clear();
  q.reasons.clear();
}
