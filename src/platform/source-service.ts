import type { Worker } from 'node:worker_threads';
import { startWorker } from '../acceleration/index.ts';
import { prepareSource, type PreparedSource } from './source-prep.ts';
import type { SourceJob, SourceReply } from './source-worker.ts';

/** The source work of a deploy could not be done (worker gone, overrun, shutdown): the API's 503. */
export class SourceUnavailableError extends Error {}

/** A deploy's source work: done, refused (400), or not done because the worker could not (503). */
export type SourceOutcome = PreparedSource | { ok: false; unavailable: string };

export interface SourceServiceOptions {
  /** Sources up to this many characters are checked on the calling thread (no hop, no worker start). */
  inlineChars?: number;
  /** One source's check; past it the worker is replaced and the deploy gets 503. */
  timeoutMs?: number;
  /** The worker exits after this long without a job. */
  idleMs?: number;
  /** The worker's heap; a source whose check needs more is refused (400), the dispatcher is untouched. */
  maxHeapMb?: number;
}

export const SOURCE_SERVICE_DEFAULTS = { inlineChars: 32 * 1024, timeoutMs: 60_000, idleMs: 60_000, maxHeapMb: 2048 } as const;

interface Job {
  id: number;
  source: string;
  resolve(outcome: SourceOutcome): void;
}

/**
 * Runs the deploy-time work on a source (its check and its instrumentation, source-prep.ts) off the
 * event loop for large sources: in one worker_thread of its own (source-worker.ts), one source at a
 * time, in the order they came. Small sources (the usual function file) are done inline: they cost
 * the event loop a few milliseconds, less than the hop, and need no worker start (about 2 s to load
 * Babel and the tracer). Not the compile worker: a deploy must not queue behind a compile (up to a
 * minute) or be failed by a compile's timeout, and the compile worker's queue is its own.
 *
 * The worker starts on first use, exits after `idleMs` idle, and is replaced after a crash, a heap
 * overrun or a check over `timeoutMs`; `prepare` never rejects.
 */
export class SourceService {
  private worker?: Worker;
  private readonly queue: Job[] = [];
  private current?: { job: Job; timer?: NodeJS.Timeout; worker: Worker };
  /** Workers that finished loading. */
  private readonly ready = new WeakSet<Worker>();
  private seq = 0;
  private closed = false;
  private idleTimer?: NodeJS.Timeout;
  private readonly o: Required<SourceServiceOptions>;

  constructor(opts: SourceServiceOptions = {}) {
    this.o = { ...SOURCE_SERVICE_DEFAULTS, ...opts };
  }

  /** A worker is running (for tests). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  prepare(source: string): Promise<SourceOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, unavailable: 'the dispatcher is shutting down' });
    if (source.length <= this.o.inlineChars) return Promise.resolve(prepareSource(source));
    return new Promise((resolve) => {
      this.queue.push({ id: ++this.seq, source, resolve });
      this.next();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const w = this.worker;
    this.worker = undefined;
    this.finishCurrent({ ok: false, unavailable: 'the dispatcher is shutting down' });
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, unavailable: 'the dispatcher is shutting down' });
    if (w) await w.terminate();
  }

  private next(): void {
    if (this.current || this.closed) return;
    const job = this.queue.shift();
    if (!job) return this.idleSoon();
    clearTimeout(this.idleTimer);
    const worker = this.ensureWorker();
    this.current = { job, worker };
    if (this.ready.has(worker)) this.startClock();
    // Referenced while it works: a deploy waiting for it is work the process has to finish.
    worker.ref();
    worker.postMessage({ id: job.id, source: job.source } satisfies SourceJob);
  }

  /** The current job's time limit, from when its worker can start on it. */
  private startClock(): void {
    const c = this.current;
    if (!c || c.timer) return;
    c.timer = setTimeout(() => {
      if (this.current !== c) return;
      this.drop(c.worker);
      this.finishCurrent({ ok: false, unavailable: `the source check took longer than ${this.o.timeoutMs} ms` });
    }, this.o.timeoutMs);
    c.timer.unref();
  }

  private finishCurrent(outcome: SourceOutcome): void {
    const c = this.current;
    if (!c) return;
    this.current = undefined;
    clearTimeout(c.timer);
    c.worker.unref();
    c.job.resolve(outcome);
    this.next();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = startWorker({ source: new URL('./source-worker.ts', import.meta.url), built: 'source-worker.js' }, { name: 'containerless-source', resourceLimits: { maxOldGenerationSizeMb: this.o.maxHeapMb } });
    w.unref();
    w.on('message', (reply: SourceReply) => {
      if ('ready' in reply) {
        this.ready.add(w);
        if (this.current?.worker === w) this.startClock();
        return;
      }
      if (this.current?.worker !== w || this.current.job.id !== reply.id) return;
      const { id: _id, ...outcome } = reply;
      this.finishCurrent(outcome as PreparedSource);
    });
    // Only the current worker's end fails its job (a replaced one already did).
    w.on('error', (err: Error & { code?: string }) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      const outcome: SourceOutcome =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { ok: false, message: `the source is too large or complex to check: its analysis needed more than ${this.o.maxHeapMb} MB`, line: 1, column: 1 }
          : { ok: false, unavailable: `the source worker failed: ${err.message}` };
      if (this.current?.worker === w) this.finishCurrent(outcome);
    });
    w.on('exit', () => {
      if (this.worker !== w) return;
      this.worker = undefined;
      if (this.current?.worker === w) this.finishCurrent({ ok: false, unavailable: 'the source worker exited' });
    });
    this.worker = w;
    return w;
  }

  /** Stops a worker that is no longer wanted; its events are ignored from now on. */
  private drop(w: Worker): void {
    if (this.worker === w) this.worker = undefined;
    void w.terminate();
  }

  private idleSoon(): void {
    clearTimeout(this.idleTimer);
    const w = this.worker;
    if (!w) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.worker === w && !this.current) this.drop(w);
    }, this.o.idleMs);
    this.idleTimer.unref();
  }
}
