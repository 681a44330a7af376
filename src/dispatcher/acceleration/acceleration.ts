import type { Logger } from 'pino';
import { describeAbortDetail, type AbortReason, type AccelResult, type Limits } from '../../accelerator/index.ts';
import type { IO, LogStream, RawRequest } from '../../api/index.ts';
import { FUNCTION_BASE_ENV } from '../../sandbox/index.ts';
import type { FunctionCode } from '../../sandbox/types.ts';
import type { Store } from '../../store/index.ts';
import { treeFromJSON, treeToJSON, type TraceTree } from '../../trace/index.ts';
import type { FunctionEntry } from '../dispatcher.ts';
import type { IOLayer } from '../io.ts';
import type { Metrics } from '../metrics.ts';
import type { Mode, ModeEvent } from '../modes.ts';
import type { Policy } from '../policy.ts';
import type { Pool, PoolOptions, PoolResult } from '../pool.ts';
import { CallRecorder, replayingIO, type LoggedCall } from '../replay.ts';
import type { TreeRef } from '../compile-worker.ts';
import type { LoadSpec } from './accel-messages.ts';
import type { AccelRunner, Attempt, BackstopCause, Binding } from './accel-runner.ts';
import type { Instrumentation } from '../source-prep.ts';
import { SOURCE_SERVICE_DEFAULTS } from '../source-service.ts';
import { CompileService } from './compile-service.ts';
import { FunctionAccel } from './function-accel.ts';
import { accelMetrics, type AccelMetrics } from './metrics.ts';

/** What the dispatcher gives acceleration: its parts, and the few operations only it can do. */
export interface AccelerationHost {
  store: Store;
  logger: Logger;
  metrics: Metrics;
  io: IOLayer;
  policy: Policy;
  /** Where compiled code runs (worker threads with the backstop, or inline). */
  runner: AccelRunner;
  /** Accounting limits for every function, over the defaults (operator knob). */
  limits?: Partial<Limits>;
  /** A pool for this entry running `code`, with the given hooks (the dispatcher owns capacity and logs). */
  newPool(entry: FunctionEntry, code: FunctionCode, over: Pick<PoolOptions, 'ioForRequest' | 'onArms' | 'onInitArms' | 'idPrefix' | 'metrics'>): Pool;
  /** The function's log sink (attributes lines to the request in flight). */
  log(entry: FunctionEntry, stream: LogStream, line: string, requestId: string | undefined): void;
  transition(entry: FunctionEntry, event: ModeEvent): void;
  /** The entry currently serving `name` (a redeploy replaces it). */
  current(name: string): FunctionEntry | undefined;
}

/** How one request went, for the dispatcher's Invocation and activation record. */
export interface ExecResult extends PoolResult {
  /** The mode that served the response (a re-execution is served by a tracing container). */
  mode: Mode;
  /** An accelerated attempt aborted and a container answered. */
  reexecutedAfterAbort: boolean;
  abortReason?: AbortReason;
  /** What exactly aborted, and where (free-form: logs and the activation record, never a label). */
  abortDetail?: string;
}

export type CompileNowResult =
  | { ok: true; bytes: number; compile_ms: number; paths: number; mode: Mode }
  | { ok: false; error: string };

/**
 * Acceleration in the dispatcher (DESIGN "Execution modes"): tracing containers feed each request's
 * path into the function version's trace tree; the policy (policy.ts) decides when to compile; the
 * compile runs in a worker thread (compile-service.ts), the result is loaded and validated again on
 * the main thread and swapped in for the very next request; accelerated requests that abort are
 * re-executed in a tracing container, replaying the attempt's outbound calls (replay.ts), and the new
 * path is recompiled in the background; a function that keeps aborting is demoted to containers.
 */
export class Acceleration {
  private readonly fns = new Map<FunctionEntry, FunctionAccel>();
  /** Replay logs of aborted attempts, by request id, while their re-execution runs. */
  private readonly replays = new Map<string, LoggedCall[]>();
  private readonly compiler = new CompileService();
  private readonly m: AccelMetrics;

  constructor(private readonly h: AccelerationHost) {
    this.m = accelMetrics(h.metrics);
  }

  get policy(): Policy {
    return this.h.policy;
  }

  // --- lifecycle --------------------------------------------------------------------------------

  /**
   * Prepares a new entry (a deploy, or a stored function after a restart) from its source's
   * instrumentation (done by the dispatcher, off the event loop for large sources): loads the
   * version's stored trace and compiled code, and moves the entry to the mode its first request
   * should take.
   */
  activate(entry: FunctionEntry, prestart: boolean, ins: Instrumentation): void {
    const { name, version, source } = entry.record;
    const fa = new FunctionAccel(name, version, source);
    this.fns.set(entry, fa);
    try {
      if ('error' in ins) throw new Error(ins.error);
      fa.instrumented = ins.code;
      // Counts only: the skeleton's AST is not built on this thread for a new version.
      let tree: Pick<TraceTree, 'paths' | 'counts'> = { paths: 0, counts: {} };
      const stored = this.h.store.getTrace(name, version);
      if (stored !== undefined) {
        try {
          const t = treeFromJSON(stored);
          if (t.source_sha256 === ins.skeleton.sha256) tree = t;
        } catch (err) {
          this.h.logger.warn({ fn: name, version, err: (err as Error).message }, 'stored trace tree ignored');
        }
      }
      fa.setTree(ins.skeleton, tree);
    } catch (err) {
      fa.instrumentError = (err as Error).message;
      this.h.logger.warn({ fn: name, version, err: fa.instrumentError }, 'cannot instrument the source: the function runs in containers only');
    }
    const code = this.h.store.getCompiled(name, version);
    // Served at once: requests queue behind the load in the runner, and if the stored code no longer
    // loads (it is validated again: trusted no more than fresh code) they are re-executed meanwhile.
    if (code !== undefined) this.loadStored(entry, fa, code);
    if (entry.state.pin !== 'containers') {
      if (fa.key) this.h.transition(entry, { type: 'compiled' });
      else if (fa.skeleton && (this.h.policy.traceNewVersions || entry.state.pin === 'accelerated')) this.h.transition(entry, { type: 'tracing-available' });
    }
    this.publishMode(entry);
    if (entry.state.mode === 'tracing') this.compiler.warm();
    if (prestart) {
      if (entry.state.mode === 'tracing') this.tracedPool(entry, fa).prestart();
      else if (entry.state.mode === 'containers') entry.pool.prestart();
    }
  }

  /** The entry is replaced or removed: persist its tree, stop its timers, close its tracing pool. */
  async detach(entry: FunctionEntry, opts: { drain?: boolean; sync?: boolean } = {}): Promise<void> {
    const fa = this.fns.get(entry);
    if (!fa) return;
    this.fns.delete(entry);
    clearTimeout(fa.recompileTimer);
    clearTimeout(fa.persistTimer);
    fa.persistTimer = undefined;
    if (opts.sync) this.persistNow(fa);
    else this.persist(fa);
    fa.closed = true;
    if (fa.key) this.h.runner.unload(fa.key);
    if (fa.tracedPool) await fa.tracedPool.close(opts);
  }

  /** Stored compiled code of a version being activated: installed now, loaded in the background. */
  private loadStored(entry: FunctionEntry, fa: FunctionAccel, code: string): void {
    const key = this.nextKey(fa);
    this.install(fa, key, code, Date.now());
    fa.compiledGeneration = fa.generation;
    void this.h.runner.load(key, this.loadSpec(entry, code), this.binding(entry, fa)).then((error) => {
      if (error === undefined || fa.key !== key) return;
      this.h.runner.unload(key);
      fa.key = undefined;
      fa.code = undefined;
      fa.compileError = `stored compiled code did not load: ${error}`;
      this.h.logger.warn({ fn: fa.name, version: fa.version, err: fa.compileError }, 'stored compiled code not used');
      if (fa.closed) return;
      this.h.transition(entry, { type: 'load-failed', reason: fa.compileError });
      if (fa.skeleton) this.h.transition(entry, { type: 'tracing-available' });
      this.publishMode(entry);
    });
  }

  /** Shutdown: trees are written on this thread (the worker is going away), then the worker stops. */
  async close(): Promise<void> {
    await Promise.all([...this.fns.keys()].map((e) => this.detach(e, { sync: true })));
    await this.compiler.close();
    await this.h.runner.close();
  }

  // --- per request ------------------------------------------------------------------------------

  /** The mode this request tries first; may start the policy's retry after a demotion. */
  selectMode(entry: FunctionEntry): Mode {
    const fa = this.fns.get(entry);
    if (!fa || entry.state.pin === 'containers') return 'containers';
    this.maybeRetry(entry, fa);
    if (entry.state.mode === 'accelerated' && fa.key) return 'accelerated';
    if (entry.state.mode === 'tracing' && fa.instrumented) return 'tracing';
    return 'containers';
  }

  /**
   * Runs the request in `mode`. An accelerated request that ends without waiting (no outbound call)
   * gives its result synchronously: no promise, no microtask between the instance and the response.
   */
  execute(entry: FunctionEntry, mode: Mode, raw: RawRequest, requestId: string): ExecResult | Promise<ExecResult> {
    const fa = this.fns.get(entry);
    if (fa && mode === 'accelerated' && fa.key) return this.runAccelerated(entry, fa, fa.key, raw, requestId);
    return this.executeInContainer(entry, fa, mode, raw, requestId);
  }

  private async executeInContainer(entry: FunctionEntry, fa: FunctionAccel | undefined, mode: Mode, raw: RawRequest, requestId: string): Promise<ExecResult> {
    if (fa && mode === 'tracing' && fa.instrumented) {
      const res = await this.tracedPool(entry, fa).invoke(raw, requestId);
      return { ...res, mode: 'tracing', reexecutedAfterAbort: false };
    }
    const res = await entry.pool.invoke(raw, requestId);
    if (fa && fa.demotedAt !== undefined) fa.requestsSinceDemotion++;
    return { ...res, mode: 'containers', reexecutedAfterAbort: false };
  }

  /** A traced container reported a request's path (or, with `init`, its top level's). */
  onPath(entry: FunctionEntry, arms: number[], init = false): void {
    const fa = this.fns.get(entry);
    if (!fa || fa.closed || !fa.skeleton) return;
    let grew: boolean;
    try {
      grew = fa.addPath(arms);
    } catch (err) {
      this.h.logger.warn({ fn: fa.name, err: (err as Error).message }, 'path ignored');
      return;
    }
    this.schedulePersist(fa);
    if (init) return;
    fa.requestPaths++;
    const p = this.h.policy;
    if (entry.state.mode === 'tracing') {
      fa.tracedRequests++;
      fa.stableFor = grew ? 0 : fa.stableFor + 1;
      const due = entry.state.pin === 'accelerated' || fa.tracedRequests >= p.compileAfterRequests || (p.compileWhenStableFor > 0 && fa.stableFor >= p.compileWhenStableFor);
      if (!due) return;
      if (fa.generation !== fa.failedGeneration) this.scheduleCompile(entry, fa, 0);
      // The tree is the one that failed to compile: more tracing would cost and teach nothing now.
      else if (!fa.compileQueued) this.fallBack(entry, fa, `${fa.compileError ?? 'unknown error'} (tracing again learned no new path)`);
    } else if (entry.state.mode === 'accelerated' && grew) {
      // A re-execution learned a new path: recompile (a burst of them costs one compile).
      this.scheduleCompile(entry, fa, p.recompileDelayMs);
    }
  }

  private runAccelerated(entry: FunctionEntry, fa: FunctionAccel, key: string, raw: RawRequest, requestId: string): ExecResult | Promise<ExecResult> {
    let attempt: Attempt | Promise<Attempt>;
    try {
      attempt = this.h.runner.handle(key, raw, { timeoutMs: entry.config.timeout_ms, id: requestId });
    } catch (err) {
      attempt = { result: internalAbort(err), logs: [] };
    }
    if (!(attempt instanceof Promise)) return this.attempted(entry, fa, raw, requestId, attempt);
    return attempt.then(
      (a) => this.attempted(entry, fa, raw, requestId, a),
      (err: unknown) => this.attempted(entry, fa, raw, requestId, { result: internalAbort(err), logs: [] }),
    );
  }

  /** The accelerated attempt's outcome: its response, or (an abort) the re-execution in a container. */
  private attempted(entry: FunctionEntry, fa: FunctionAccel, raw: RawRequest, requestId: string, { result: r, logs }: Attempt): ExecResult | Promise<ExecResult> {
    if (r.kind === 'response') {
      fa.recordAttempt(false, this.h.policy.demoteWindow);
      // Lines of an attempt that aborted are dropped: the re-execution writes its own.
      for (const [stream, line] of logs) this.h.log(entry, stream, line, requestId);
      return { response: r.response, outcome: 'ok', reexecuted: false, coldStart: false, mode: 'accelerated', reexecutedAfterAbort: false };
    }
    // The runner discards the aborted instance (its globals may be half-updated). A backstop stop is
    // charged to the function that was running (binding.stopped), not to every request it cut short.
    if (r.reason !== 'backstop') fa.recordAttempt(true, this.h.policy.demoteWindow);
    this.m.aborts.inc({ function: fa.name, reason: r.reason });
    this.h.metrics.reexecutions.inc({ function: fa.name, reason: 'abort' });
    this.h.store.count(fa.name, 'accel.reexecutions');
    this.h.logger.info({ fn: fa.name, requestId, reason: r.reason, loc: r.loc, detail: r.detail, calls: r.outbound.length }, 'accelerated attempt aborted; re-executing in a container');
    return this.reexecute(entry, fa, raw, requestId, r);
  }

  private async reexecute(entry: FunctionEntry, fa: FunctionAccel, raw: RawRequest, requestId: string, r: AccelResult & { kind: 'abort' }): Promise<ExecResult> {
    const log = fa.recorder && r.outbound.length > 0 ? fa.recorder.logFor(r.outbound) : [];
    if (log.length > 0) this.replays.set(requestId, log);
    let res: PoolResult;
    try {
      res = fa.instrumented ? await this.tracedPool(entry, fa).invoke(raw, requestId) : await entry.pool.invoke(raw, requestId);
    } finally {
      this.replays.delete(requestId);
    }
    this.maybeDemote(entry, fa);
    return { ...res, mode: fa.instrumented ? 'tracing' : 'containers', reexecutedAfterAbort: true, abortReason: r.reason, abortDetail: describeAbortDetail(r) };
  }

  // --- compiling --------------------------------------------------------------------------------

  /** `POST …/compile`: compile the tree now (after any compile in flight) and switch when it loads. */
  compileNow(entry: FunctionEntry): Promise<CompileNowResult> {
    const fa = this.fns.get(entry);
    if (!fa) return Promise.resolve({ ok: false, error: 'no such function' });
    if (!fa.skeleton) return Promise.resolve({ ok: false, error: `cannot trace this source: ${fa.instrumentError ?? 'unknown reason'}` });
    if (fa.requestPaths === 0) return Promise.resolve({ ok: false, error: 'no trace yet: no request has run traced (invoke the function first; it is traced unless pinned to containers)' });
    return this.enqueueCompile(entry, fa, true);
  }

  private scheduleCompile(entry: FunctionEntry, fa: FunctionAccel, delayMs: number): void {
    if (fa.compileQueued || fa.closed) return;
    fa.compileQueued = true;
    const go = () => {
      fa.recompileTimer = undefined;
      void this.enqueueCompile(entry, fa, false);
    };
    if (delayMs > 0) fa.recompileTimer = setTimeout(go, delayMs);
    else go();
  }

  private enqueueCompile(entry: FunctionEntry, fa: FunctionAccel, forced: boolean): Promise<CompileNowResult> {
    const run = fa.chain.then(() => {
      fa.compileQueued = false;
      // Coalescing: a scheduled compile of a tree already compiled is skipped.
      if (!forced && fa.generation === fa.compiledGeneration && fa.key) return { ok: true as const, bytes: fa.code!.length, compile_ms: 0, paths: fa.paths, mode: entry.state.mode };
      // …and so is one of a tree whose compile already failed (requests traced meanwhile asked again).
      if (!forced && fa.generation === fa.failedGeneration) return { ok: false as const, error: fa.compileError ?? 'compile failed' };
      return this.compileOnce(entry, fa);
    });
    fa.chain = run.catch(() => undefined);
    return run;
  }

  private async compileOnce(entry: FunctionEntry, fa: FunctionAccel): Promise<CompileNowResult> {
    if (fa.closed) return { ok: false, error: 'the function was replaced or removed' };
    const generation = fa.generation;
    const ref = this.treeRef(fa);
    const t0 = performance.now();
    // The worker materialises and stores the tree, compiles and validates; nothing of it runs here.
    const out = await this.compiler.compile(ref);
    if (out.ok || out.stage !== 'trace') fa.savedPaths = Math.max(fa.savedPaths, ref.paths);
    if (fa.closed || this.h.current(fa.name) !== entry) return { ok: false, error: 'the function was replaced or removed while compiling' };
    let loaded: { key: string; code: string } | undefined;
    let error: string | undefined;
    if (!out.ok) {
      error = `${out.stage}: ${out.message}${out.line !== undefined ? ` (line ${out.line}${out.column !== undefined ? `, column ${out.column}` : ''})` : ''}`;
    } else {
      // The runner validates again where the code will run, and runs the top level once.
      const key = this.nextKey(fa);
      const loadError = await this.h.runner.load(key, this.loadSpec(entry, out.code), this.binding(entry, fa));
      if (loadError === undefined) loaded = { key, code: out.code };
      else {
        this.h.runner.unload(key);
        error = `load: ${loadError}`;
      }
    }
    if (fa.closed || this.h.current(fa.name) !== entry) {
      if (loaded) this.h.runner.unload(loaded.key);
      return { ok: false, error: 'the function was replaced or removed while compiling' };
    }
    if (!loaded) {
      this.m.compileSeconds.observe({ function: fa.name }, (performance.now() - t0) / 1000);
      fa.compileError = error;
      fa.failedGeneration = generation;
      this.m.compiles.inc({ function: fa.name, outcome: 'failed' });
      this.h.store.count(fa.name, 'accel.compile_failures');
      this.h.logger.warn({ fn: fa.name, version: fa.version, err: error }, 'compile failed: the function stays in containers');
      if (entry.state.mode === 'tracing') this.fallBack(entry, fa, error!);
      return { ok: false, error: error! };
    }
    // Stored before it serves, so that an accelerated response implies a restart stays accelerated.
    const stored = await this.compiler.storeCompiled(this.h.store.path, fa.name, fa.version, loaded.code);
    if (!stored.ok) this.h.logger.warn({ fn: fa.name, version: fa.version, err: stored.message }, 'storing compiled code failed: a restart will not be accelerated');
    if (fa.closed || this.h.current(fa.name) !== entry) {
      this.h.runner.unload(loaded.key);
      return { ok: false, error: 'the function was replaced or removed while compiling' };
    }
    this.install(fa, loaded.key, loaded.code, Date.now());
    const seconds = (performance.now() - t0) / 1000;
    this.m.compileSeconds.observe({ function: fa.name }, seconds);
    fa.compiledGeneration = generation;
    fa.compileError = undefined;
    fa.failedFallbacks = 0;
    this.m.compiles.inc({ function: fa.name, outcome: 'ok' });
    this.h.store.count(fa.name, 'accel.compiles');
    const wasAccelerated = entry.state.mode === 'accelerated';
    this.h.transition(entry, { type: 'compiled' });
    if (!wasAccelerated && entry.state.mode === 'accelerated') fa.window = [];
    this.publishMode(entry);
    this.h.logger.info({ fn: fa.name, version: fa.version, paths: ref.paths, bytes: fa.code!.length, ms: Math.round(seconds * 1000) }, 'compiled trace loaded');
    return { ok: true, bytes: fa.code!.length, compile_ms: Math.round(seconds * 1000), paths: ref.paths, mode: entry.state.mode };
  }

  /** Makes the loaded `key` the function's compiled code for the very next request. */
  private install(fa: FunctionAccel, key: string, code: string, at: number): void {
    const old = fa.key;
    fa.key = key;
    fa.code = code;
    fa.compiledAt = at;
    // Requests in flight on the old code finish there (the runner keeps what they hold).
    if (old !== undefined && old !== key) this.h.runner.unload(old);
  }

  private nextKey(fa: FunctionAccel): string {
    return `${fa.name}@${fa.version}:${++fa.loads}`;
  }

  private treeRef(fa: FunctionAccel): TreeRef {
    return { dbPath: this.h.store.path, name: fa.name, version: fa.version, source: fa.source, counts: fa.countsRecord(), paths: fa.paths };
  }

  private loadSpec(entry: FunctionEntry, code: string): LoadSpec {
    // What a container's function sees as process.env (never the dispatcher's own environment).
    // The instance's allocations, cumulated, count against memory_mb (operator limits win).
    const limits = { instanceMemoryBytes: entry.config.memory_mb * 1024 * 1024, ...this.h.limits };
    return { code, env: { ...FUNCTION_BASE_ENV, ...entry.config.env }, limits };
  }

  /** What the function's compiled code reaches of the dispatcher, wherever it runs. */
  private binding(entry: FunctionEntry, fa: FunctionAccel): Binding {
    fa.recorder ??= new CallRecorder(this.h.io.forFunction({ function: fa.name, timeoutMs: entry.config.timeout_ms }, 'accelerated'));
    return {
      io: fa.recorder.io,
      log: (stream, line) => this.h.log(entry, stream, line, undefined),
      stopped: (cause, culprit) => {
        if (culprit) this.backstopped(entry, fa, cause);
      },
    };
  }

  /**
   * The backstop stopped the worker while this function's code ran: its accounting did not hold it,
   * so it serves from containers (whatever its pin: it would stop the worker again, and with it
   * other functions' requests), and tries acceleration again later on the back-off schedule.
   */
  private backstopped(entry: FunctionEntry, fa: FunctionAccel, cause: BackstopCause): void {
    if (fa.closed) return;
    this.m.backstops.inc({ function: fa.name, cause });
    this.h.store.count(fa.name, 'accel.backstops');
    this.h.logger.warn({ fn: fa.name, version: fa.version, cause }, 'accelerated code stopped by the backstop: serving from containers');
    if (entry.state.mode !== 'accelerated') return;
    this.h.transition(entry, { type: 'demoted', reason: `its accelerated code was stopped by the backstop (${cause})` });
    fa.demotedAt = Date.now();
    fa.requestsSinceDemotion = 0;
    fa.failedFallbacks++;
    fa.window = [];
    this.publishMode(entry);
  }

  // --- policy: demotion and retry ---------------------------------------------------------------

  private maybeDemote(entry: FunctionEntry, fa: FunctionAccel): void {
    const p = this.h.policy;
    if (entry.state.pin !== 'auto' || entry.state.mode !== 'accelerated') return;
    if (fa.window.length < Math.min(p.demoteMinAttempts, p.demoteWindow) || fa.abortRate() <= p.demoteAbortRate) return;
    const rate = fa.abortRate();
    this.h.transition(entry, { type: 'demoted', reason: `${Math.round(rate * 100)}% of the last ${fa.window.length} accelerated requests aborted` });
    fa.demotedAt = Date.now();
    fa.requestsSinceDemotion = 0;
    fa.window = [];
    this.m.demotions.inc({ function: fa.name });
    this.h.store.count(fa.name, 'accel.demotions');
    this.publishMode(entry);
  }

  /**
   * A compile failed while tracing: serve plain containers (tracing costs every request) and trace
   * again on the retry schedule, backing off while compiles keep failing. A pin to `accelerated`
   * keeps tracing: the operator asked for the trace to grow.
   */
  private fallBack(entry: FunctionEntry, fa: FunctionAccel, reason: string): void {
    if (entry.state.pin !== 'auto' || entry.state.mode !== 'tracing') return;
    this.h.transition(entry, { type: 'compile-failed', reason });
    fa.demotedAt = Date.now();
    fa.requestsSinceDemotion = 0;
    fa.failedFallbacks++;
    this.publishMode(entry);
  }

  private maybeRetry(entry: FunctionEntry, fa: FunctionAccel): void {
    if (fa.demotedAt === undefined || entry.state.mode !== 'containers' || entry.state.pin !== 'auto') return;
    const p = this.h.policy;
    const factor = Math.min(p.retryBackoffMax, 2 ** Math.max(0, fa.failedFallbacks - 1));
    if (Date.now() - fa.demotedAt < p.retryAfterMs * factor && fa.requestsSinceDemotion < p.retryAfterRequests * factor) return;
    fa.demotedAt = undefined;
    fa.tracedRequests = 0;
    fa.stableFor = 0;
    this.h.transition(entry, { type: 'tracing-available' });
    this.publishMode(entry);
  }

  /** After `PUT …/mode`: leaving the containers pin goes back to the mode the function had earned. */
  pinChanged(entry: FunctionEntry): void {
    const fa = this.fns.get(entry);
    if (!fa) return;
    if (entry.state.pin !== 'containers' && entry.state.mode === 'containers') {
      fa.demotedAt = undefined;
      if (fa.key) this.h.transition(entry, { type: 'compiled' });
      else if (fa.skeleton) this.h.transition(entry, { type: 'tracing-available' });
    }
    if (entry.state.pin === 'accelerated' && entry.state.mode === 'tracing' && fa.tracedRequests > 0) this.scheduleCompile(entry, fa, 0);
    this.publishMode(entry);
  }

  // --- tracing pool, persistence ----------------------------------------------------------------

  private tracedPool(entry: FunctionEntry, fa: FunctionAccel): Pool {
    if (fa.tracedPool) return fa.tracedPool;
    const { name, version } = entry.record;
    const code: FunctionCode = { name, version, source: fa.instrumented!, env: entry.config.env, traced: { armCount: fa.skeleton!.armCount } };
    const policy = { function: name, timeoutMs: entry.config.timeout_ms };
    const gauge = this.h.metrics.containers;
    fa.tracedPool = this.h.newPool(entry, code, {
      idPrefix: `${name.slice(0, 28)}-${version}-t${Math.random().toString(36).slice(2, 6)}`,
      // Its containers are counted apart from the plain pool's (both pools publish the same gauge).
      metrics: { ...this.h.metrics, containers: { set: (labels: { function: string; state: string }, v: number) => gauge.set({ ...labels, state: `${labels.state}-traced` }, v) } as unknown as typeof gauge },
      ioForRequest: (requestId) => {
        const real: IO = this.h.io.forRequest(policy, requestId, 'tracing');
        const log = this.replays.get(requestId);
        return log ? replayingIO(log, real) : real;
      },
      onArms: (arms) => this.onPath(entry, arms),
      onInitArms: (arms) => this.onPath(entry, arms, true),
    });
    return fa.tracedPool;
  }

  private schedulePersist(fa: FunctionAccel): void {
    if (fa.persistTimer || fa.closed) return;
    fa.persistTimer = setTimeout(() => {
      fa.persistTimer = undefined;
      this.persist(fa);
    }, this.h.policy.persistTraceMs);
    fa.persistTimer.unref();
  }

  /** Writes the tree if it changed, through the worker (materialising and fsync stay off this thread). */
  private persist(fa: FunctionAccel): void {
    if (fa.closed || !fa.skeleton || fa.paths === fa.savedPaths) return;
    const paths = fa.paths;
    void this.compiler.persistTrace({ dbPath: this.h.store.path, name: fa.name, version: fa.version, source: fa.source, counts: fa.countsRecord(), paths }).then((r) => {
      if (r.ok) fa.savedPaths = Math.max(fa.savedPaths, paths);
      else this.h.logger.warn({ fn: fa.name, err: r.message }, 'persisting the trace failed');
    });
  }

  /** Writes the tree on this thread (shutdown). */
  private persistNow(fa: FunctionAccel): void {
    if (!fa.skeleton || fa.paths === fa.savedPaths) return;
    try {
      this.h.store.setTrace(fa.name, fa.version, treeToJSON(fa.currentTree()!));
      fa.savedPaths = fa.paths;
    } catch (err) {
      this.h.logger.warn({ fn: fa.name, err: (err as Error).message }, 'persisting the trace failed');
    }
  }

  // --- visibility -------------------------------------------------------------------------------

  private publishMode(entry: FunctionEntry): void {
    const current = this.nextMode(entry);
    for (const mode of ['containers', 'tracing', 'accelerated'] as const) this.m.mode.set({ function: entry.record.name, mode }, mode === current ? 1 : 0);
  }

  /** The mode the next request takes first, without side effects (for the API and metrics). */
  nextMode(entry: FunctionEntry): Mode {
    const fa = this.fns.get(entry);
    if (!fa || entry.state.pin === 'containers') return 'containers';
    if (entry.state.mode === 'accelerated' && fa.key) return 'accelerated';
    if (entry.state.mode === 'tracing' && fa.instrumented) return 'tracing';
    return 'containers';
  }

  /**
   * The live trace tree as JSON; undefined before anything ran traced. The tree of a large source is
   * materialised by the compile worker (seconds of CPU for 100,000 arms, and the skeleton's AST, which
   * this thread does not keep for a deployed version); a small one here.
   */
  async traceJSON(entry: FunctionEntry): Promise<{ json: string } | { error: string } | undefined> {
    const fa = this.fns.get(entry);
    if (!fa || !fa.skeleton || fa.requestPaths === 0) return undefined;
    if (fa.source.length <= SOURCE_SERVICE_DEFAULTS.inlineChars) return { json: treeToJSON(fa.currentTree()!) };
    const out = await this.compiler.treeJson(this.treeRef(fa));
    return out.ok ? { json: out.code } : { error: out.message };
  }

  compiledCode(entry: FunctionEntry): string | undefined {
    return this.fns.get(entry)?.code;
  }

  /** Extra fields of `GET /api/functions/NAME`. */
  describe(entry: FunctionEntry): Record<string, unknown> {
    const fa = this.fns.get(entry);
    return {
      compile_error: fa?.compileError ?? null,
      trace: fa?.skeleton ? { paths: fa.paths, arms: fa.skeleton.armCount, generation: fa.generation } : { error: fa?.instrumentError ?? null },
      compiled: fa?.code ? { bytes: fa.code.length, at: new Date(fa.compiledAt ?? 0).toISOString(), up_to_date: fa.compiledGeneration === fa.generation } : null,
      abort_window: fa ? { attempts: fa.window.length, aborted: fa.window.filter(Boolean).length } : null,
    };
  }

  /** The `acceleration` part of `stats`, from the store's counters (`accel.*`). */
  stats(counters: Record<string, number>): Record<string, number> {
    return {
      compiles: counters['accel.compiles'] ?? 0,
      compile_failures: counters['accel.compile_failures'] ?? 0,
      demotions: counters['accel.demotions'] ?? 0,
      backstops: counters['accel.backstops'] ?? 0,
      reexecutions: counters['accel.reexecutions'] ?? 0,
    };
  }

  /** The tracing pool's live containers, for `GET /api/functions/NAME` (the plain pool's are the dispatcher's). */
  tracedContainers(entry: FunctionEntry): Promise<Array<{ id: string; rss_bytes: number | null }>> {
    return this.fns.get(entry)?.tracedPool?.rss() ?? Promise.resolve([]);
  }
}

function internalAbort(err: unknown): AccelResult {
  return { kind: 'abort', reason: 'internal', detail: (err as Error).message, outbound: [] };
}
