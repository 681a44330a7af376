import type { Logger } from 'pino';
import type { AbortReason, AccelResult, Limits } from '../accelerator/index.ts';
import type { FnResponse, IO, LogStream, OutboundRequest, RawRequest } from '../api/index.ts';
import { CallRecorder, recordingIO, replayingIO, type IOLayer, type LoggedCall } from '../io/index.ts';
import { FUNCTION_BASE_ENV } from '../sandbox/index.ts';
import type { FunctionCode } from '../sandbox/types.ts';
import type { Store } from '../store/index.ts';
import { treeFromJSON, treeToJSON, type TraceTree } from '../trace/index.ts';
import type { LoadSpec } from './accel-messages.ts';
import type { Attempt, BackstopCause, Binding } from './accel-runner.ts';
import type { ResidentRunner } from './resident-runner.ts';
import type { CompileService } from './compile-service.ts';
import type { TreeRef } from './compile-worker.ts';
import type { AccelMetrics } from './metrics.ts';
import type { Policy } from './policy.ts';
import type { Instrumentation } from './instrumentation.ts';
import { TraceState } from './trace-state.ts';
import { TracedSample } from './prelive-sample.ts';
import { checkOnRunner, PRELIVE_CONFIRM_MS, type CheckOutcome } from './prelive-check.ts';
import type { PolicyEvent, VersionFacts } from './version-policy.ts';

/** Instances of VersionAcceleration made in this process (runner keys, `nextKey`). */
let owners = 0;

/** Sources up to this size have their tree built on the main thread when shown; larger ones in the compile worker. */
export const INLINE_TREE_SOURCE_CHARS = 32 * 1024;

/** One request as a container pool takes it: its id, and the I/O its outbound calls go to. */
export interface PoolRequest {
  id: string;
  io?: IO;
}

/** How a container run of one request went (platform/pool.ts's result). */
export interface ContainerResult {
  response: FnResponse;
  outcome: string;
  reexecuted: boolean;
  coldStart: boolean;
}

/** What acceleration needs of a pool of containers running the instrumented source. */
export interface ContainerPool<R extends ContainerResult = ContainerResult> {
  invoke(raw: RawRequest, req: PoolRequest): Promise<R>;
  prestart(): void;
  /** Stops the containers with nothing in flight now; the next request starts one as a cold start. */
  retireIdle(): void;
  close(opts?: { drain?: boolean }): Promise<void>;
  rss(): Promise<Array<{ id: string; rss_bytes: number | null }>>;
}

/** The platform's parts acceleration uses, shared by every function version. */
export interface AccelServices {
  store: Store;
  logger: Logger;
  metrics: AccelMetrics;
  io: IOLayer;
  policy: Policy;
  /** Where compiled code runs (worker threads with the backstop, or inline), loaded as needed. */
  runner: ResidentRunner;
  compiler: CompileService;
  /** Accounting limits for every function, over the defaults (operator knob). */
  limits?: Partial<Limits>;
  /** Faults injected by tests only (never set by the CLI, the environment or a function). */
  faultsForTests?: AccelFaults;
}

/**
 * Test-only faults. `compiledCode` rewrites the compiler's output before it is loaded: the rewritten
 * code is validated where it runs like any other, so only a wrong answer a validated program could
 * give can be injected. It exists because the compiler has no known divergence from containers to
 * show the pre-live check refusing a mismatch end to end.
 */
export interface AccelFaults {
  compiledCode?(code: string): string;
}

/** The version as acceleration sees it: its identity, source and the config it runs with. */
export interface VersionInfo {
  name: string;
  version: number;
  source: string;
  timeoutMs: number;
  memoryMb: number;
  env: Readonly<Record<string, string>>;
}

/** What the owner of the version gives its acceleration: a traced pool on demand, logs, and its policy. */
export interface VersionHooks<R extends ContainerResult = ContainerResult> {
  newTracedPool(code: FunctionCode, onArms: (arms: number[], init: boolean) => void): ContainerPool<R>;
  /** A line of the function that belongs to no request (its compiled top level). */
  log(stream: LogStream, line: string): void;
  /** Something the policy must hear of (version-policy.ts): a path, a compile, a backstop stop. */
  emit(event: PolicyEvent): void;
  /**
   * The operator pinned the version `accelerated`: compiled code whose replays mostly abort goes live
   * anyway (aborts are re-executed, never wrong); one that answers differently still does not.
   */
  pinnedAccelerated?(): boolean;
}

export type CompileNowResult = { ok: true; bytes: number; compile_ms: number; paths: number } | { ok: false; error: string };

/**
 * The acceleration of ONE function version (DESIGN "Execution modes"), owned by the version
 * (platform/function-version.ts): its trace (paths from tracing containers, persisted in the
 * background), its compiles (in the compile worker, serialised and coalesced), its compiled code
 * (loaded in the runner, swapped in for the very next request), its accelerated attempts and the
 * replay log of an aborted one. It decides nothing about modes: it reports events to the owner,
 * whose policy (version-policy.ts) decides, and does what the owner asks.
 */
export class VersionAcceleration<R extends ContainerResult = ContainerResult> {
  readonly trace = new TraceState();
  private key?: string;
  private loads = 0;
  private readonly owner = ++owners;
  private code?: string;
  private compiledAt?: number;
  /** The tree generation the loaded code was compiled from. */
  private compiledGeneration = -1;
  private compileError?: string;
  /** The generation a compile last failed on: compiled again only once the tree grows. */
  private failedGeneration = -1;
  /** Serialises compiles of this version. */
  private chain: Promise<unknown> = Promise.resolve();
  private compileQueued = false;
  private recompileTimer?: NodeJS.Timeout;
  private persistTimer?: NodeJS.Timeout;
  private tracedPool?: ContainerPool<R>;
  private readonly recorder: CallRecorder;
  private closed = false;
  /** Recent traced requests, replayed by compiled code before it goes live. */
  readonly sample = new TracedSample(() => this.s.policy.preliveSample);
  /** The generation whose compile the pre-live check refused (`compileError` says why). */
  private refusedGeneration = -1;
  private lastCheck?: CheckOutcome & { at: number };

  constructor(
    private readonly s: AccelServices,
    readonly v: VersionInfo,
    private readonly hooks: VersionHooks<R>,
  ) {
    this.recorder = new CallRecorder(s.io.forFunction({ function: v.name, timeoutMs: v.timeoutMs }, 'accelerated'));
  }

  // --- lifecycle --------------------------------------------------------------------------------

  /**
   * Takes the source's instrumentation (done by the platform, off the event loop for large sources),
   * the version's stored tree, and its stored compiled code, which is installed at once and loaded
   * in the background: requests queue behind the load in the runner, and if the code no longer loads
   * (validated again: trusted no more than fresh code) they are re-executed meanwhile.
   */
  activate(ins: Instrumentation): void {
    const { name, version } = this.v;
    try {
      if ('error' in ins) throw new Error(ins.error);
      // Counts only: the skeleton's AST is not built on this thread for a new version.
      let tree: Pick<TraceTree, 'paths' | 'counts'> = { paths: 0, counts: {} };
      const stored = this.s.store.getTrace(name, version);
      if (stored !== undefined) {
        try {
          const t = treeFromJSON(stored);
          if (t.source_sha256 === ins.skeleton.sha256) tree = t;
        } catch (err) {
          this.s.logger.warn({ fn: name, version, err: (err as Error).message }, 'stored trace tree ignored');
        }
      }
      this.trace.setTree(ins.skeleton, ins.code, tree);
    } catch (err) {
      this.trace.instrumentError = (err as Error).message;
      this.s.logger.warn({ fn: name, version, err: this.trace.instrumentError }, 'the function is not traced: it runs in containers only');
    }
    const code = this.s.store.getCompiled(name, version);
    if (code !== undefined) this.loadStored(code);
  }

  /** What the policy reads of this version (version-policy.ts). */
  facts(): VersionFacts {
    return {
      canTrace: this.trace.skeleton !== undefined,
      compiled: this.key !== undefined,
      treeFailed: this.trace.generation === this.failedGeneration,
      treeCompiled: this.key !== undefined && this.trace.generation === this.compiledGeneration,
      compileQueued: this.compileQueued,
      compileError: this.compileError,
      treeFailedCheck: this.trace.generation === this.refusedGeneration,
      hasPaths: this.trace.requestPaths > 0,
    };
  }

  get canServe(): boolean {
    return this.key !== undefined;
  }

  get canTrace(): boolean {
    return this.trace.instrumented !== undefined;
  }

  /** The compile worker is about to be needed (the version traces): start it now. */
  warm(): void {
    this.s.compiler.warm();
  }

  /** Accelerated now: the tracing pool's idle containers go; an abort's re-execution starts one again. */
  releaseTracingContainers(): void {
    this.tracedPool?.retireIdle();
  }

  prestartTraced(): void {
    if (this.canTrace) this.traced().prestart();
  }

  /**
   * The version is replaced or removed: persist its tree, stop its timers, unload its code, close its
   * pool. Closing again (shutdown, while a replaced version drains) writes the tree on this thread
   * with `sync` and cuts the pool's drain short; it resolves once the pool's containers are gone.
   */
  async close(opts: { drain?: boolean; sync?: boolean } = {}): Promise<void> {
    if (!this.closed) {
      clearTimeout(this.recompileTimer);
      clearTimeout(this.persistTimer);
      this.persistTimer = undefined;
      if (opts.sync) this.persistNow();
      else this.persist();
      this.closed = true;
      if (this.key) this.s.runner.unload(this.key);
    } else if (opts.sync) this.persistNow();
    if (this.tracedPool) await this.tracedPool.close(opts);
  }

  // --- per request ------------------------------------------------------------------------------

  /** One accelerated attempt of a request: its result, or an abort to re-execute. */
  async attempt(raw: RawRequest, id: string): Promise<Attempt> {
    try {
      return await this.s.runner.handle(this.key!, raw, { timeoutMs: this.v.timeoutMs, id });
    } catch (err) {
      return { result: abort('internal', (err as Error).message), logs: [] };
    }
  }

  /** An aborted attempt: counted here; what its re-execution replays of its outbound calls. */
  aborted(r: AccelResult & { kind: 'abort' }, requestId: string): LoggedCall[] {
    this.s.metrics.aborts.inc({ function: this.v.name, reason: r.reason });
    this.s.metrics.reexecutions.inc({ function: this.v.name, reason: 'abort' });
    this.s.store.count(this.v.name, 'accel.reexecutions');
    this.s.logger.info({ fn: this.v.name, requestId, reason: r.reason, loc: r.loc, detail: r.detail, calls: r.outbound.length }, 'accelerated attempt aborted; re-executing in a container');
    return r.outbound.length > 0 ? this.recorder.logFor(r.outbound) : [];
  }

  /** Runs a request in a tracing container; `replay` serves the calls an aborted attempt already made. */
  async runTraced(raw: RawRequest, id: string, replay?: readonly LoggedCall[]): Promise<R> {
    // A compile follows this request: the accelerator workers start now, beside its container, not
    // on the go-live's path. Not at deploy: a function never invoked should not hold them.
    this.s.runner.warm();
    const real = this.s.io.forRequest({ function: this.v.name, timeoutMs: this.v.timeoutMs }, id, 'tracing');
    const io = replay && replay.length > 0 ? replayingIO(replay, real) : real;
    const recording = this.s.policy.preliveSample > 0 ? recordingIO(io) : undefined;
    const res = await this.traced().invoke(raw, { id, io: recording?.io ?? io });
    if (res.outcome === 'ok') {
      if (recording) void recording.settled().then((calls) => this.sample.add({ raw, calls, response: res.response }));
    } else if (res.outcome === 'timeout' || res.outcome === 'died' || res.outcome === 'load-error') {
      if (!this.closed) this.hooks.emit({ type: 'traced-no-path' });
    }
    return res;
  }

  private traced(): ContainerPool<R> {
    if (this.tracedPool) return this.tracedPool;
    const { name, version, env } = this.v;
    const code: FunctionCode = { name, version, source: this.trace.instrumented!, env: { ...env }, traced: { armCount: this.trace.skeleton!.armCount } };
    this.tracedPool = this.hooks.newTracedPool(code, (arms, init) => this.onPath(arms, init));
    // Reached after close by a request still running (an aborted attempt's re-execution): the pool
    // answers `closed` (the dispatcher hands the request to the current version) and never starts a
    // container that no close would stop.
    if (this.closed) void this.tracedPool.close();
    return this.tracedPool;
  }

  /** A traced container reported a request's path (or, with `init`, its top level's). */
  private onPath(arms: number[], init: boolean): void {
    if (this.closed || !this.trace.skeleton) return;
    let grew: boolean;
    try {
      grew = this.trace.addPath(arms, init);
    } catch (err) {
      this.s.logger.warn({ fn: this.v.name, err: (err as Error).message }, 'path ignored');
      return;
    }
    this.schedulePersist();
    if (!init) this.hooks.emit({ type: 'path', grew });
  }

  // --- compiling --------------------------------------------------------------------------------

  /** `POST …/compile`: compile the tree now (after any compile in flight) and switch when it loads. */
  compileNow(): Promise<CompileNowResult> {
    if (!this.trace.skeleton) return Promise.resolve({ ok: false, error: `cannot trace this source: ${this.trace.instrumentError ?? 'unknown reason'}` });
    if (this.trace.requestPaths === 0) return Promise.resolve({ ok: false, error: 'no trace yet: no request has run traced (invoke the function first; it is traced unless pinned to containers)' });
    return this.enqueueCompile(true);
  }

  /** The policy asked for a compile after `delayMs` (one already queued covers it). */
  scheduleCompile(delayMs: number): void {
    if (this.compileQueued || this.closed) return;
    this.compileQueued = true;
    const go = () => {
      this.recompileTimer = undefined;
      void this.enqueueCompile(false);
    };
    if (delayMs > 0) this.recompileTimer = setTimeout(go, delayMs);
    else go();
  }

  private enqueueCompile(forced: boolean): Promise<CompileNowResult> {
    const run = this.chain.then(() => {
      this.compileQueued = false;
      // Coalescing: a scheduled compile of a tree already compiled is skipped…
      if (!forced && this.trace.generation === this.compiledGeneration && this.key) {
        this.skipped();
        return { ok: true as const, bytes: this.code!.length, compile_ms: 0, paths: this.trace.paths };
      }
      // …and so is one of a tree whose compile already failed (requests traced meanwhile asked again).
      if (!forced && this.trace.generation === this.failedGeneration) {
        this.skipped();
        return { ok: false as const, error: this.compileError ?? 'compile failed' };
      }
      return this.compileOnce();
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The policy hears of a skipped compile: a version tracing for it must not wait for another request. */
  private skipped(): void {
    if (!this.closed) this.hooks.emit({ type: 'compile-skipped' });
  }

  private async compileOnce(): Promise<CompileNowResult> {
    const gone = { ok: false as const, error: 'the function was replaced or removed while compiling' };
    if (this.closed) return gone;
    const { name, version } = this.v;
    const generation = this.trace.generation;
    const ref = this.treeRef();
    const t0 = performance.now();
    // Where a slow go-live spends its time (the debug log's `stages`, in ms): compile, load, check, store.
    const stages: Record<string, number> = {};
    let tStage = t0;
    const stage = (name: string) => {
      const now = performance.now();
      stages[name] = Math.round(now - tStage);
      tStage = now;
    };
    // The worker materialises and stores the tree, compiles and validates; nothing of it runs here.
    const out = await this.s.compiler.compile(ref);
    stage('compile');
    if (out.ok || out.stage !== 'trace') this.trace.savedPaths = Math.max(this.trace.savedPaths, ref.paths);
    if (this.closed) return gone;
    let loaded: { key: string; code: string } | undefined;
    let error: string | undefined;
    if (!out.ok) {
      error = `${out.stage}: ${out.message}${out.line !== undefined ? ` (line ${out.line}${out.column !== undefined ? `, column ${out.column}` : ''})` : ''}`;
    } else {
      // The runner validates again where the code will run, and runs the top level once.
      const key = this.nextKey();
      const code = this.s.faultsForTests?.compiledCode ? this.s.faultsForTests.compiledCode(out.code) : out.code;
      const loadError = await this.s.runner.load(key, this.loadSpec(code), this.binding());
      stage('load');
      if (loadError === undefined) loaded = { key, code };
      else {
        this.s.runner.unload(key);
        error = `load: ${loadError}`;
      }
    }
    if (this.closed) {
      if (loaded) this.s.runner.unload(loaded.key);
      return gone;
    }
    const m = this.s.metrics;
    let refused: string | undefined;
    if (loaded) {
      const check = await this.checkBeforeLive(loaded.code);
      stage('check');
      if (this.closed) {
        this.s.runner.unload(loaded.key);
        return gone;
      }
      if (!check.ok && !(check.kind === 'aborts' && this.hooks.pinnedAccelerated?.())) {
        this.s.runner.unload(loaded.key);
        loaded = undefined;
        refused = check.reason;
      }
    }
    if (refused !== undefined) {
      this.compileError = refused;
      this.failedGeneration = generation;
      this.refusedGeneration = generation;
      this.s.logger.warn({ fn: name, version, reason: refused }, 'compiled code failed the pre-live check: it does not go live');
      this.hooks.emit({ type: 'check-failed', reason: refused });
      return { ok: false, error: `pre-live check: ${refused}` };
    }
    if (!loaded) {
      m.compileSeconds.observe({ function: name }, (performance.now() - t0) / 1000);
      this.compileError = error;
      this.failedGeneration = generation;
      m.compiles.inc({ function: name, outcome: 'failed' });
      this.s.store.count(name, 'accel.compile_failures');
      this.s.logger.warn({ fn: name, version, err: error }, 'compile failed: the function stays in containers');
      this.hooks.emit({ type: 'compile-failed', reason: error! });
      return { ok: false, error: error! };
    }
    // Stored before it serves, so that an accelerated response implies a restart stays accelerated.
    const stored = await this.s.compiler.storeCompiled(this.s.store.path, name, version, loaded.code);
    stage('store');
    if (!stored.ok) this.s.logger.warn({ fn: name, version, err: stored.message }, 'storing compiled code failed: a restart will not be accelerated');
    if (this.closed) {
      this.s.runner.unload(loaded.key);
      return gone;
    }
    this.install(loaded.key, loaded.code);
    const seconds = (performance.now() - t0) / 1000;
    m.compileSeconds.observe({ function: name }, seconds);
    this.compiledGeneration = generation;
    this.compileError = undefined;
    m.compiles.inc({ function: name, outcome: 'ok' });
    this.s.store.count(name, 'accel.compiles');
    this.hooks.emit({ type: 'compiled' });
    this.s.logger.info({ fn: name, version, paths: ref.paths, bytes: loaded.code.length, ms: Math.round(seconds * 1000), stages }, 'compiled trace loaded');
    return { ok: true, bytes: loaded.code.length, compile_ms: Math.round(seconds * 1000), paths: ref.paths };
  }

  /**
   * The pre-live check (prelive-check.ts): the same code, loaded apart in the runner (its own
   * instance, whose state the serving one never sees), replays the sample with its recorded answers.
   */
  private async checkBeforeLive(code: string): Promise<CheckOutcome> {
    const { name } = this.v;
    const outcome = await checkOnRunner(this.s.runner, this.nextKey(), this.loadSpec(code), this.sample.examples(), {
      timeoutMs: this.v.timeoutMs,
      budgetMs: this.s.policy.preliveBudgetMs,
      abortRate: this.s.policy.demoteAbortRate,
      confirmDelayMs: PRELIVE_CONFIRM_MS,
      topLevel: this.recorder.io,
    });
    this.lastCheck = { ...outcome, at: Date.now() };
    this.s.metrics.prelive.inc({ function: name, outcome: outcome.ok ? 'passed' : outcome.kind });
    if (!outcome.ok) this.s.store.count(name, 'accel.prelive_refusals');
    return outcome;
  }

  /** Compiled code stored by an earlier run: loaded when its first request comes (resident-runner.ts). */
  private loadStored(code: string): void {
    const key = this.nextKey();
    this.install(key, code);
    this.compiledGeneration = this.trace.generation;
    this.s.runner.loadLazily(key, this.loadSpec(code), this.binding(), (error) => {
      if (this.key !== key) return;
      this.s.runner.unload(key);
      this.key = undefined;
      this.code = undefined;
      this.compileError = `stored compiled code did not load: ${error}`;
      this.s.logger.warn({ fn: this.v.name, version: this.v.version, err: this.compileError }, 'stored compiled code not used');
      if (!this.closed) this.hooks.emit({ type: 'load-failed', reason: this.compileError });
    });
  }

  /** Makes the loaded `key` the version's compiled code for the very next request. */
  private install(key: string, code: string): void {
    const old = this.key;
    this.key = key;
    this.code = code;
    this.compiledAt = Date.now();
    // Requests in flight on the old code finish there (the runner keeps what they hold).
    if (old !== undefined && old !== key) this.s.runner.unload(old);
  }

  /**
   * Unique per instance of this class too: after a rollback, a version's new owner may load while its
   * previous owner still drains, and one must never unload the other's code.
   */
  private nextKey(): string {
    return `${this.v.name}@${this.v.version}.${this.owner}:${++this.loads}`;
  }

  private treeRef(): TreeRef {
    return { dbPath: this.s.store.path, name: this.v.name, version: this.v.version, source: this.v.source, counts: this.trace.countsRecord(), paths: this.trace.paths };
  }

  private loadSpec(code: string): LoadSpec {
    // What a container's function sees as process.env (never the dispatcher's own environment).
    // The instance's allocations, cumulated, count against memory_mb (operator limits win).
    const limits = { instanceMemoryBytes: this.v.memoryMb * 1024 * 1024, ...this.s.limits };
    return { code, env: { ...FUNCTION_BASE_ENV, ...this.v.env }, limits, identity: { name: this.v.name, version: String(this.v.version), memoryMb: this.v.memoryMb } };
  }

  /** What the version's compiled code reaches of the platform, wherever it runs. */
  private binding(): Binding {
    return {
      io: this.recorder.io,
      log: (stream, line) => this.hooks.log(stream, line),
      stopped: (cause, culprit) => {
        if (culprit) this.backstopped(cause);
      },
    };
  }

  /** The backstop stopped the worker while this version's code ran: counted, and the policy decides. */
  private backstopped(cause: BackstopCause): void {
    if (this.closed) return;
    this.s.metrics.backstops.inc({ function: this.v.name, cause });
    this.s.store.count(this.v.name, 'accel.backstops');
    this.s.logger.warn({ fn: this.v.name, version: this.v.version, cause }, 'accelerated code stopped by the backstop: serving from containers');
    this.hooks.emit({ type: 'backstop', cause });
  }

  // --- persistence ------------------------------------------------------------------------------

  private schedulePersist(): void {
    if (this.persistTimer || this.closed) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      this.persist();
    }, this.s.policy.persistTraceMs);
    this.persistTimer.unref();
  }

  /** Writes the tree if it changed, through the worker (materialising and fsync stay off this thread). */
  private persist(): void {
    const t = this.trace;
    if (this.closed || !t.skeleton || t.paths === t.savedPaths) return;
    const paths = t.paths;
    void this.s.compiler.persistTrace(this.treeRef()).then((r) => {
      if (r.ok) t.savedPaths = Math.max(t.savedPaths, paths);
      else this.s.logger.warn({ fn: this.v.name, err: r.message }, 'persisting the trace failed');
    });
  }

  /** Writes the tree on this thread (shutdown). */
  private persistNow(): void {
    const t = this.trace;
    if (!t.skeleton || t.paths === t.savedPaths) return;
    try {
      this.s.store.setTrace(this.v.name, this.v.version, treeToJSON(t.currentTree()!));
      t.savedPaths = t.paths;
    } catch (err) {
      this.s.logger.warn({ fn: this.v.name, err: (err as Error).message }, 'persisting the trace failed');
    }
  }

  // --- visibility -------------------------------------------------------------------------------

  /**
   * The live trace tree as JSON; undefined before anything ran traced. The tree of a large source is
   * materialised by the compile worker (seconds of CPU for 100,000 arms, and the skeleton's AST, which
   * this thread does not keep for a deployed version); a small one here.
   */
  async traceJSON(): Promise<{ json: string } | { error: string } | undefined> {
    if (!this.trace.skeleton || this.trace.requestPaths === 0) return undefined;
    if (this.v.source.length <= INLINE_TREE_SOURCE_CHARS) return { json: treeToJSON(this.trace.currentTree()!) };
    const out = await this.s.compiler.treeJson(this.treeRef());
    return out.ok ? { json: out.code } : { error: out.message };
  }

  compiledCode(): string | undefined {
    return this.code;
  }

  /** Extra fields of `GET /api/functions/NAME` (the abort window is the policy's). */
  describe(): Record<string, unknown> {
    const t = this.trace;
    return {
      compile_error: this.compileError ?? null,
      trace: t.skeleton ? { paths: t.paths, arms: t.skeleton.armCount, generation: t.generation } : { error: t.instrumentError ?? null },
      compiled: this.code ? { bytes: this.code.length, at: new Date(this.compiledAt ?? 0).toISOString(), up_to_date: this.compiledGeneration === t.generation } : null,
      prelive_check: this.lastCheck ? { ...this.lastCheck, at: new Date(this.lastCheck.at).toISOString(), sample: this.sample.length } : { sample: this.sample.length },
    };
  }

  /** The tracing pool's live containers. */
  tracedContainers(): Promise<Array<{ id: string; rss_bytes: number | null }>> {
    return this.tracedPool?.rss() ?? Promise.resolve([]);
  }
}

/** The `acceleration` part of `stats`, from the store's counters (`accel.*`). */
export function accelStats(counters: Record<string, number>): Record<string, number> {
  return {
    compiles: counters['accel.compiles'] ?? 0,
    compile_failures: counters['accel.compile_failures'] ?? 0,
    demotions: counters['accel.demotions'] ?? 0,
    backstops: counters['accel.backstops'] ?? 0,
    reexecutions: counters['accel.reexecutions'] ?? 0,
    prelive_refusals: counters['accel.prelive_refusals'] ?? 0,
  };
}

function abort(reason: AbortReason, detail: string, outbound: OutboundRequest[] = []): AccelResult {
  return { kind: 'abort', reason, detail, outbound };
}
