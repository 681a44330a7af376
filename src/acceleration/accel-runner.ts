import { createInstance, InstanceStartError, loadCompiled, type AbortReason, type AccelResult, type CompiledProgram, type Instance } from '../accelerator/index.ts';
import type { IO, LogStream, RawRequest } from '../api/index.ts';
import { StagedLog } from './staged-log.ts';
import type { LoadSpec, LogLines } from './accel-messages.ts';

/** What one function's compiled code may reach of the dispatcher. */
export interface Binding {
  /** Performs the function's outbound calls (the replay recorder over the I/O layer). */
  io: IO;
  /** Log lines of the function that belong to no request (its top level). */
  log(stream: LogStream, line: string): void;
  /**
   * The backstop stopped the code this function was running in (`culprit`: this function's code
   * was the one running when it happened).
   */
  stopped?(cause: BackstopCause, culprit: boolean): void;
}

export type BackstopCause = 'watchdog' | 'heap-limit' | 'crash';

/** One accelerated attempt: its result, with the request's calls as the dispatcher performed them. */
export interface Attempt {
  result: AccelResult;
  logs: LogLines;
}

/**
 * Where compiled code runs: `worker` (accel-workers.ts: worker threads with a heap limit and a
 * watchdog, the default) or `inline` (on the dispatcher's own thread, no backstop: benchmarks and
 * development). A key names one loaded program (a function version's compiled code of one compile).
 */
export interface AccelRunner {
  readonly kind: 'worker' | 'inline';
  /** Validates and loads the code and runs its top level once; resolves the error, if any. */
  load(key: string, spec: LoadSpec, binding: Binding): Promise<string | undefined>;
  /** Runs one request. */
  handle(key: string, raw: RawRequest, opts: { timeoutMs: number; id: string }): Promise<Attempt>;
  unload(key: string): void;
  close(): Promise<void>;
  /** Gets ready to load soon (a traced request ran, a compile follows): starts what a first load would. */
  warm?(): void;
}

export type AccelIsolation = AccelRunner['kind'];

interface InlineFn {
  program: CompiledProgram;
  instance?: Instance;
  binding: Binding;
  spec: LoadSpec;
}

/**
 * Compiled code on the dispatcher's thread: the accounting of fuel and memory is the only bound.
 * Kept for measuring what the worker hop costs (bench/) and for hosts without worker threads.
 */
export class InlineRunner implements AccelRunner {
  readonly kind = 'inline';
  private readonly fns = new Map<string, InlineFn>();
  private readonly logs = new Map<string, StagedLog>();
  /** Instances made so far: one at each load, one more each time an abort or wear replaced one. */
  instancesMade = 0;

  async load(key: string, spec: LoadSpec, binding: Binding): Promise<string | undefined> {
    try {
      const fn: InlineFn = { program: loadCompiled(spec.code, { limits: spec.limits }), binding, spec };
      fn.instance = this.newInstance(fn);
      // A top level that waits for the host (an awaited fetch) is part of the load, as in a container.
      const failed = await fn.instance.started;
      if (failed) throw failed;
      this.fns.set(key, fn);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }

  async handle(key: string, raw: RawRequest, opts: { timeoutMs: number; id: string }): Promise<Attempt> {
    const fn = this.fns.get(key);
    if (!fn) return { result: { kind: 'abort', reason: 'internal', detail: 'the function is not loaded', outbound: [] }, logs: [] };
    const inst = this.instanceOf(fn);
    if (!('handle' in inst)) return { result: { kind: 'abort', ...inst, outbound: [] }, logs: [] };
    this.logs.set(opts.id, new StagedLog());
    let result: AccelResult;
    try {
      result = await inst.handle(raw, opts);
    } catch (err) {
      result = { kind: 'abort', reason: 'internal', detail: (err as Error).message, outbound: [] };
    }
    // As the workers do (accel-worker.ts): a retired instance's replacement starts between requests.
    if (inst.poisoned) setImmediate(() => this.fns.get(key) === fn && fn.instance === inst && this.instanceOf(fn));
    return this.done(opts.id, result);
  }

  /** The function's warm instance, or a fresh one after an abort or wear retired the last. */
  private instanceOf(fn: InlineFn): Instance | { reason: AbortReason; detail: string } {
    if (fn.instance?.renew()) return fn.instance;
    fn.instance = undefined;
    try {
      return (fn.instance = this.newInstance(fn));
    } catch (err) {
      return err instanceof InstanceStartError ? err.toAbort() : { reason: 'internal', detail: `top level: ${(err as Error).message}` };
    }
  }

  unload(key: string): void {
    this.fns.delete(key);
  }

  close(): Promise<void> {
    this.fns.clear();
    return Promise.resolve();
  }

  private done(id: string, result: AccelResult): Attempt {
    const logs = this.logs.get(id)?.entries ?? [];
    this.logs.delete(id);
    return { result, logs };
  }

  private newInstance(fn: InlineFn): Instance {
    this.instancesMade++;
    return createInstance(fn.program, {
      io: fn.binding.io,
      env: fn.spec.env,
      limits: fn.spec.limits,
      identity: fn.spec.identity,
      log: (stream, line, requestId) => {
        const lines = requestId !== undefined ? this.logs.get(requestId) : undefined;
        if (lines) lines.add(stream, line);
        else fn.binding.log(stream, line);
      },
    });
  }
}
