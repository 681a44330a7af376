import type { Worker } from 'node:worker_threads';
import { startWorker } from './start-worker.ts';
import type { CompileReply, TreeRef, WorkerJob } from './compile-worker.ts';

type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;

export type CompileOutcome = CompileReply extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export const COMPILE_SERVICE_DEFAULTS = { timeoutMs: 60_000, idleMs: 30_000 } as const;

/**
 * Compiles and stores trace trees in one worker_thread (compile-worker.ts), so the dispatcher's event
 * loop is never blocked by a compile, a tree's materialisation or the store's fsync. The worker starts
 * on first use and is restarted after a crash or a compile that exceeds `timeoutMs`; jobs queue in the
 * worker in the order they were sent. It exits after `idleMs` without a job: once functions are
 * accelerated and stable it has nothing to do, and its heap (the compiler, the tracer, a store
 * connection: about 50 MB) is better given back.
 */
export class CompileService {
  private worker?: Worker;
  private seq = 0;
  private readonly pending = new Map<number, { resolve(r: CompileOutcome): void; timer: NodeJS.Timeout }>();
  private closed = false;
  private idleTimer?: NodeJS.Timeout;

  constructor(private readonly opts: { timeoutMs?: number; idleMs?: number } = {}) {}

  /** A worker is running (for tests and `describe`). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /**
   * Starts the worker now (it loads the compiler, the tracer and the store): a function that starts
   * tracing will need it within a few requests, and loading it costs seconds on a busy machine.
   */
  warm(): void {
    if (!this.closed) this.ensureWorker();
  }

  /** Materialises, stores and compiles the tree; the code is validated before it is returned. */
  compile(tree: TreeRef): Promise<CompileOutcome> {
    return this.send({ kind: 'compile', ...tree });
  }

  /** Materialises and stores the tree. */
  persistTrace(tree: TreeRef): Promise<CompileOutcome> {
    return this.send({ kind: 'persist-trace', ...tree });
  }

  /** Materialises the tree as JSON without storing it (its `code`). */
  treeJson(tree: TreeRef): Promise<CompileOutcome> {
    return this.send({ kind: 'tree-json', ...tree });
  }

  storeCompiled(dbPath: string, name: string, version: number, code: string): Promise<CompileOutcome> {
    return this.send({ kind: 'store-compiled', dbPath, name, version, code });
  }

  private send(job: DistributiveOmit<WorkerJob, 'id'>): Promise<CompileOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, stage: 'compile', message: 'the dispatcher is shutting down' });
    const worker = this.ensureWorker();
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const id = ++this.seq;
    return new Promise((resolve) => {
      const timeoutMs = this.opts.timeoutMs ?? COMPILE_SERVICE_DEFAULTS.timeoutMs;
      const timer = setTimeout(() => {
        if (this.worker === worker) this.worker = undefined;
        this.failAll(`compile took longer than ${timeoutMs} ms`);
        void worker.terminate();
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve, timer });
      worker.postMessage({ ...job, id });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    this.failAll('the dispatcher is shutting down');
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = startWorker({ source: new URL('./compile-worker.ts', import.meta.url), built: 'compile-worker.js' }, { name: 'containerless-compiler' });
    w.unref();
    w.on('message', (reply: CompileReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      clearTimeout(p.timer);
      const { id: _id, ...outcome } = reply;
      p.resolve(outcome as CompileOutcome);
      if (this.pending.size === 0) this.idleSoon(w);
    });
    // Only the current worker's failure fails the jobs in flight (a replaced one already did).
    w.on('error', (err) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.failAll(`the compile worker failed: ${err.message}`);
    });
    w.on('exit', () => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.failAll('the compile worker exited');
    });
    this.worker = w;
    this.idleSoon(w);
    return w;
  }

  private idleSoon(w: Worker): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.worker !== w || this.pending.size > 0) return;
      this.worker = undefined; // first, so that its exit fails nothing
      void w.terminate();
    }, this.opts.idleMs ?? COMPILE_SERVICE_DEFAULTS.idleMs);
    this.idleTimer.unref();
  }

  private failAll(message: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, stage: 'compile', message });
      this.pending.delete(id);
    }
  }
}
