import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { AbortReason, AccelResult } from '../accelerator/index.ts';
import type { OutboundRequest, OutboundResponse, RawRequest } from '../api/index.ts';
import { ACCEL_WORKER_DEFAULTS } from './accel-defaults.ts';
import { STATUS, type FromWorker, type LoadSpec, type ToWorker } from './accel-messages.ts';
import type { AccelRunner, Attempt, BackstopCause, Binding } from './accel-runner.ts';
import { bundleFile } from '../sandbox/index.ts';
import { builtWorker, newPlatformWorker, startTsWorker, type WorkerEntry } from './start-worker.ts';
import { threadCpuMs } from './thread-cpu.ts';

const ACCEL_WORKER: WorkerEntry = { source: new URL('./accel-worker.ts', import.meta.url), built: 'accel-worker.js' };

export interface WorkerRunnerOptions {
  /** Worker threads sharing the accelerated functions (default: the cores, at most 2). */
  workers?: number;
  /** Old-generation heap limit of each worker, in MiB: past it the worker is stopped. */
  heapMb?: number;
  /** A worker with work whose heartbeat stalls this long, running on the CPU meanwhile, is stopped. */
  watchdogMs?: number;
  /** A worker with work whose heartbeat stalls this long is stopped whatever its CPU time (default: `stallLimit` × watchdogMs). */
  stallLimitMs?: number;
  logger?: Logger;
}

export { ACCEL_WORKER_DEFAULTS };

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

interface Flight {
  key: string;
  /** Its function as loaded when it started: new code installed meanwhile unloads the key, not this. */
  fn: Fn;
  /** The request's outbound calls, the objects the recorder saw (replay finds them by identity). */
  outbound: OutboundRequest[];
  deadline: number;
  resolve(a: Attempt): void;
}

interface Thread {
  /** Undefined while the worker's bundle is being built; messages wait in `queue`. */
  worker?: Worker;
  queue: ToWorker[];
  status: Int32Array;
  epoch: number;
  ready: boolean;
  dead: boolean;
  /** The heartbeat the watchdog saw last, and the thread's CPU time (ms) when it saw it move. */
  beatSeen: number;
  cpuAtBeat: number | undefined;
  /** Keys loaded (or being loaded) in this worker. */
  keys: Set<string>;
  inflight: Map<string, Flight>;
  loads: Map<string, Array<(error: string | undefined) => void>>;
}

interface Fn {
  key: string;
  /** Small integer the worker reports while it runs this function's code (blame after a stop). */
  slot: number;
  spec: LoadSpec;
  binding: Binding;
  thread?: Thread;
}

function abort(reason: AbortReason, detail: string, outbound: OutboundRequest[] = []): AccelResult {
  return { kind: 'abort', reason, detail, outbound };
}

/**
 * Compiled code in worker threads: the hard backstop of DESIGN invariant 3, which does not trust the
 * accounting. Each worker has a heap limit (V8 stops the thread, not the process, past it) and a
 * heartbeat in shared memory; a worker that stops beating while it has work, and keeps the CPU
 * meanwhile, is terminated (`stuck` below). Either
 * way its requests in flight end as `backstop` aborts (re-executed in containers, with their
 * outbound calls replayed), the function whose code was running is told, and the functions it held
 * are loaded again, lazily, in a fresh worker. Functions are spread over the workers by count.
 */
export class WorkerRunner implements AccelRunner {
  readonly kind = 'worker';
  private readonly fns = new Map<string, Fn>();
  private threads: Thread[] = [];
  private slots = 0;
  private closed = false;
  private watchdog?: NodeJS.Timeout;
  private bundle?: Promise<string>;
  private lastCheck = Date.now();
  private readonly size: number;
  private readonly heapMb: number;
  private readonly watchdogMs: number;
  private readonly stallLimitMs: number;

  constructor(private readonly o: WorkerRunnerOptions = {}) {
    // V8's memory reducer runs up to three full mark-compacts in a row when an isolate's allocation
    // slows down, to give memory back: in an accelerator worker those are 10-25 ms pauses of every
    // request it holds, seconds apart, while the worker is still serving (bench/RESULTS-tenants-
    // history.md). The workers' heaps are bounded (heapMb) and their ordinary collections remain, so
    // the process does without it. Set before any worker's isolate exists, which reads it at setup.
    setFlagsFromString('--no-memory-reducer');
    this.size = Math.max(1, o.workers ?? defaultWorkerCount());
    this.heapMb = o.heapMb ?? ACCEL_WORKER_DEFAULTS.heapMb;
    this.watchdogMs = o.watchdogMs ?? ACCEL_WORKER_DEFAULTS.watchdogMs;
    this.stallLimitMs = o.stallLimitMs ?? ACCEL_WORKER_DEFAULTS.stallLimit * this.watchdogMs;
  }

  /** Live workers (for tests and stats). */
  get workers(): number {
    return this.threads.length;
  }

  /** Kernel thread ids of the live, started workers (0 where unknown): for tests and diagnostics. */
  get threadIds(): number[] {
    return this.threads.filter((th) => th.ready).map((th) => Atomics.load(th.status, STATUS.tid));
  }

  load(key: string, spec: LoadSpec, binding: Binding): Promise<string | undefined> {
    if (this.closed) return Promise.resolve('the dispatcher is shutting down');
    const fn: Fn = { key, slot: ++this.slots, spec, binding };
    this.fns.set(key, fn);
    const th = this.place(fn);
    return new Promise((resolve) => {
      const waiting = th.loads.get(key);
      if (waiting) waiting.push(resolve);
      else th.loads.set(key, [resolve]);
      this.busy(th);
    });
  }

  handle(key: string, raw: RawRequest, opts: { timeoutMs: number; id: string }): Promise<Attempt> {
    const fn = this.fns.get(key);
    if (!fn || this.closed) return Promise.resolve({ result: abort('internal', 'the function is not loaded'), logs: [] });
    const th = this.place(fn);
    return new Promise((resolve) => {
      th.inflight.set(opts.id, { key, fn, outbound: [], deadline: Date.now() + opts.timeoutMs + ACCEL_WORKER_DEFAULTS.replyMarginMs, resolve });
      this.busy(th);
      this.post(th, { t: 'req', key, slot: fn.slot, id: opts.id, raw, timeoutMs: opts.timeoutMs });
    });
  }

  unload(key: string): void {
    const fn = this.fns.get(key);
    if (!fn) return;
    this.fns.delete(key);
    const th = fn.thread;
    if (th && !th.dead) {
      th.keys.delete(key);
      this.post(th, { t: 'unload', key });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    const threads = this.threads;
    this.threads = [];
    for (const th of threads) this.stop(th, 'crash', 'the dispatcher is shutting down', false);
    await Promise.all(threads.map((th) => th.worker?.terminate()));
  }

  /**
   * Starts every worker now. A worker's start (its isolate and the accelerator bundle) is about 100 ms
   * of CPU; left to the first loads, both fell in the first second of a ramp, when dozens of container
   * starts want the same two cores, and the first go-lives waited for them.
   */
  warm(): void {
    while (!this.closed && this.threads.length < this.size) this.spawn();
  }

  /** The live worker holding fn, loading it into the least busy one first if none does. */
  private place(fn: Fn): Thread {
    if (fn.thread && !fn.thread.dead) return fn.thread;
    let th: Thread | undefined;
    if (this.threads.length < this.size) th = this.spawn();
    else for (const t of this.threads) if (!th || t.keys.size < th.keys.size) th = t;
    fn.thread = th!;
    th!.keys.add(fn.key);
    this.post(th!, { t: 'load', key: fn.key, slot: fn.slot, spec: fn.spec });
    return th!;
  }

  /** A worker with work keeps the process alive (an idle one does not: the server does). */
  private busy(th: Thread): void {
    if (th.inflight.size + th.loads.size > 0) th.worker?.ref();
    else th.worker?.unref();
  }

  private post(th: Thread, m: ToWorker): void {
    if (th.worker) th.worker.postMessage(m);
    else th.queue.push(m);
  }

  private spawn(): Thread {
    const buffer = new SharedArrayBuffer(STATUS.size * Int32Array.BYTES_PER_ELEMENT);
    const th: Thread = { queue: [], status: new Int32Array(buffer), epoch: Date.now(), ready: false, dead: false, beatSeen: 0, cpuAtBeat: undefined, keys: new Set(), inflight: new Map(), loads: new Map() };
    this.threads.push(th);
    const opts: WorkerOptions = {
      name: 'containerless-accelerator',
      workerData: { status: buffer, epoch: th.epoch, beatMs: ACCEL_WORKER_DEFAULTS.beatMs },
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    };
    // Built: dist/accel-worker.js. From sources, a plain JavaScript bundle made now starts faster and
    // costs about 20 MB less per worker than tsx.
    this.bundle ??= Promise.resolve(
      builtWorker(ACCEL_WORKER) ?? bundleFile({ entry: fileURLToPath(ACCEL_WORKER.source), dir: join(tmpdir(), 'containerless-accel'), prefix: 'accel-worker', file: 'accel-worker.mjs', format: 'esm' }),
    );
    this.bundle.then(
      (file) => this.start(th, newPlatformWorker(file, opts)),
      (err: Error) => {
        this.o.logger?.warn({ err: err.message }, 'bundling the accelerator worker failed: starting it through tsx');
        this.start(th, startTsWorker(ACCEL_WORKER.source, opts));
      },
    );
    if (!this.watchdog) {
      this.lastCheck = Date.now();
      this.watchdog = setInterval(() => this.check(), ACCEL_WORKER_DEFAULTS.checkMs);
      this.watchdog.unref();
    }
    return th;
  }

  private start(th: Thread, worker: Worker): void {
    if (th.dead) {
      void worker.terminate();
      return;
    }
    th.worker = worker;
    worker.on('message', (m: FromWorker) => this.onMessage(th, m));
    worker.on('error', (err: Error & { code?: string }) => {
      const cause: BackstopCause = err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'heap-limit' : 'crash';
      this.stop(th, cause, err.message);
    });
    worker.on('exit', (code) => this.stop(th, 'crash', `the worker exited with code ${code}`));
    for (const m of th.queue) worker.postMessage(m);
    th.queue = [];
    this.busy(th);
  }

  private onMessage(th: Thread, m: FromWorker): void {
    if (th.dead) return;
    switch (m.t) {
      case 'ready':
        th.ready = true;
        break;
      case 'loaded': {
        const waiting = th.loads.get(m.key);
        th.loads.delete(m.key);
        for (const w of waiting ?? []) w(m.error);
        this.busy(th);
        break;
      }
      case 'res': {
        const f = th.inflight.get(m.id);
        if (!f) break;
        th.inflight.delete(m.id);
        this.busy(th);
        f.resolve({ result: { ...m.result, outbound: f.outbound }, logs: m.logs });
        break;
      }
      case 'io': {
        const f = m.id !== undefined ? th.inflight.get(m.id) : undefined;
        // A request still running code whose key was unloaded (new code went live meanwhile) keeps
        // its function's I/O until it answers, as the worker keeps its instance.
        const fn = this.fns.get(m.key) ?? (f && f.key === m.key ? f.fn : undefined);
        if (f && f.key === m.key) f.outbound.push(m.req);
        const done = (res: OutboundResponse | undefined) => {
          if (!th.dead) this.post(th, { t: 'io-res', cid: m.cid, slot: fn?.slot ?? 0, res: res ?? null });
        };
        if (!fn) done(undefined);
        else fn.binding.io.request(m.req, m.id).then(done, () => done(undefined));
        break;
      }
      case 'log':
        this.fns.get(m.key)?.binding.log(m.stream, m.line);
        break;
    }
  }

  /** The watchdog: a stalled heartbeat stops the worker; a lost answer ends its request. */
  private check(): void {
    const now = Date.now();
    // This thread was not scheduled for a while either (an overloaded machine, a long GC here): a
    // stale heartbeat says nothing about the worker's code then. Look again on the next tick.
    const lagged = now - this.lastCheck > this.watchdogMs / 2;
    this.lastCheck = now;
    if (lagged) return;
    for (const th of this.threads) {
      if (!th.ready || th.dead) continue;
      const busy = th.inflight.size > 0 || th.loads.size > 0;
      const stuck = busy ? this.stuck(th, now) : undefined;
      if (stuck) {
        this.stop(th, 'watchdog', stuck);
        continue;
      }
      for (const [id, f] of th.inflight) {
        if (now <= f.deadline) continue;
        th.inflight.delete(id);
        this.busy(th);
        f.resolve({ result: abort('internal', 'the accelerator worker did not answer', f.outbound), logs: [] });
      }
    }
  }

  /**
   * Why a busy worker counts as stuck in code, or undefined: its heartbeat has not moved for
   * watchdogMs and the thread ran on the CPU for watchdogMs since the beat was last seen to move. The
   * CPU time is what tells: on a machine that other processes keep busy, a worker doing bounded work
   * (a request whose garbage collection takes half a second) beats late without being stuck, while an
   * endless loop uses every slice it gets. Where the CPU time cannot be read (not Linux), the stall
   * alone decides, and a stall of stallLimitMs stops a worker whatever its CPU time says.
   */
  private stuck(th: Thread, now: number): string | undefined {
    const beat = Atomics.load(th.status, STATUS.heartbeat);
    const tid = Atomics.load(th.status, STATUS.tid);
    if (beat !== th.beatSeen) {
      th.beatSeen = beat;
      th.cpuAtBeat = threadCpuMs(tid);
    }
    // The beat is an Int32 of ms since the worker's epoch: the difference is taken modulo 2^32 too,
    // so it stays right after 24.8 days.
    const stalled = (now - th.epoch - beat) | 0;
    if (stalled <= this.watchdogMs) return undefined;
    const cpu = threadCpuMs(tid);
    if (cpu === undefined || th.cpuAtBeat === undefined) return `no heartbeat for ${stalled} ms`;
    const ran = cpu - th.cpuAtBeat;
    if (ran < this.watchdogMs && stalled <= this.stallLimitMs) return undefined;
    return `no heartbeat for ${stalled} ms, ${ran} ms of it on the CPU`;
  }

  /** Ends a worker: its requests abort (`backstop`), its functions load again elsewhere when next used. */
  private stop(th: Thread, cause: BackstopCause, message: string, blame = true): void {
    if (th.dead) return;
    th.dead = true;
    this.threads = this.threads.filter((t) => t !== th);
    void th.worker?.terminate();
    const culprit = Atomics.load(th.status, STATUS.running);
    const detail = `${cause}: ${message}`;
    if (blame) this.o.logger?.warn({ cause, message, requests: th.inflight.size, functions: th.keys.size }, 'accelerator worker stopped by the backstop');
    for (const f of th.inflight.values()) f.resolve({ result: abort('backstop', detail, f.outbound), logs: [] });
    th.inflight.clear();
    for (const waiting of th.loads.values()) for (const w of waiting) w(`the accelerator worker stopped (${detail})`);
    th.loads.clear();
    for (const key of th.keys) {
      const fn = this.fns.get(key);
      if (!fn || fn.thread !== th) continue;
      fn.thread = undefined;
      if (blame) fn.binding.stopped?.(cause, fn.slot === culprit);
    }
  }
}
