import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { describeAbortDetail, type AbortReason } from '../accelerator/index.ts';
import type { IO, LogStream, RawRequest } from '../api/index.ts';
import {
  abortMeaning,
  initialVersionState,
  step,
  VersionAcceleration,
  type AccelServices,
  type Instrumentation,
  type Mode,
  type ModeState,
  type PolicyEvent,
  type VersionState,
} from '../acceleration/index.ts';
import { replayingIO, type IOLayer, type LoggedCall } from '../io/index.ts';
import type { Metrics } from '../metrics/index.ts';
import type { FunctionCode, SandboxDriver } from '../sandbox/types.ts';
import type { FunctionRecord, ModePin } from '../store/index.ts';
import type { Capacity } from './capacity.ts';
import type { StemCells } from './stem-cells.ts';
import { functionEnv, type FunctionConfig } from './config.ts';
import { Pool, type PoolOptions, type PoolResult } from './pool.ts';
import type { SourceFacts } from './source-prep.ts';
import type { RequestContext } from './request-context.ts';

/** The platform's parts a function version uses: shared by every version, owned by the dispatcher. */
export interface VersionServices {
  accel: AccelServices;
  driver: SandboxDriver;
  capacity: Capacity;
  metrics: Metrics;
  logger: Logger;
  io: IOLayer;
  windowMs?: number;
  /** The shared generic runners that cold starts adopt (stem-cells.ts). */
  stemCells?: StemCells;
  /** The function's console output: into the activation of the request it names, and the server log. */
  logSink(name: string): (stream: LogStream, line: string, requestId: string | undefined) => void;
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

export type CompileNowResult = { ok: true; bytes: number; compile_ms: number; paths: number; mode: Mode } | { ok: false; error: string };

/**
 * ONE deployed version of a function and everything it runs on (DESIGN "Function styles and the
 * request context": each function version has one owner): its config, its mode and policy state,
 * its plain pool of containers and its acceleration (trace, tracing pool, compiled code). A request
 * enters at `handle`; nothing else reaches into the parts. The policy decides (version-policy.ts,
 * pure), this applies what it decides. A redeploy makes a new version and closes this one.
 */
export class FunctionVersion {
  state: VersionState;
  readonly pool: Pool;
  readonly accel: VersionAcceleration<PoolResult>;
  private readonly log: (stream: LogStream, line: string, requestId: string | undefined) => void;
  private closed = false;
  /** What the recent accelerated attempts that aborted met, as a user reads it (the demotion window's). */
  private recentAborts: string[] = [];

  constructor(
    private readonly s: VersionServices,
    public record: FunctionRecord,
    readonly config: FunctionConfig,
    previous?: ModeState,
    /** From the deploy-time work (source-prep.ts); absent for a stored source that no longer checks. */
    readonly facts?: SourceFacts,
  ) {
    const { name, version } = record;
    const source = this.code;
    // config.env and config.secrets: one environment, the same in containers and compiled code.
    const env = functionEnv(config);
    this.state = initialVersionState(record.modePin, Date.now(), previous);
    this.log = s.logSink(name);
    // Container ids are `[a-z0-9-]`, short enough for the driver's prefix and socket paths.
    this.pool = this.newPool({ name, version, source, env }, { idPrefix: `${name.slice(0, 32)}-${version}-${randomUUID().slice(0, 6)}` });
    const traced = s.metrics.containers;
    this.accel = new VersionAcceleration<PoolResult>(s.accel, { name, version, source, timeoutMs: config.timeout_ms, memoryMb: config.memory_mb, env }, {
      newTracedPool: (code, onArms) =>
        this.newPool(code, {
          idPrefix: `${name.slice(0, 28)}-${version}-t${randomUUID().slice(0, 4)}`,
          // Its containers are counted apart from the plain pool's (both pools publish the same gauge).
          metrics: { ...s.metrics, containers: { set: (labels: { function: string; state: string }, v: number) => traced.set({ ...labels, state: `${labels.state}-traced` }, v) } as unknown as typeof traced },
          onArms: (arms) => onArms(arms, false),
          onInitArms: (arms) => onArms(arms, true),
        }),
      log: (stream, line) => this.log(stream, line, undefined),
      emit: (event) => this.apply(event),
      pinnedAccelerated: () => this.state.mode.pin === 'accelerated',
    });
  }

  get name(): string {
    return this.record.name;
  }

  /** The CommonJS text containers run and the tracer instruments (an ES module's conversion). */
  get code(): string {
    return this.facts?.code ?? this.record.source;
  }

  /** Takes the source's instrumentation and stored acceleration, and the mode the first request takes. */
  activate(ins: Instrumentation, prestart: boolean): void {
    // Compiled code runs every style's entry (src/accelerator/styles.ts).
    this.accel.activate(ins);
    this.apply({ type: 'activated' });
    this.publishMode();
    const mode = this.state.mode.mode;
    if (mode === 'tracing') this.accel.warm();
    if (!prestart || mode === 'accelerated') return;
    // Shared generic runners when the platform keeps them: one per shape, not one per deploy.
    if (this.s.stemCells?.enabled) this.s.stemCells.want(this.pool.stemKey());
    else if (mode === 'tracing') this.accel.prestartTraced();
    else this.pool.prestart();
  }

  /** The mode the next request takes first, without side effects (for the API and metrics). */
  nextMode(): Mode {
    const { mode, pin } = this.state.mode;
    if (pin === 'containers') return 'containers';
    if (mode === 'accelerated' && this.accel.canServe) return 'accelerated';
    if (mode === 'tracing' && this.accel.canTrace) return 'tracing';
    return 'containers';
  }

  /** Runs one request in the mode the policy gives it; an accelerated abort is re-executed here. */
  async handle(raw: RawRequest, ctx: RequestContext): Promise<ExecResult> {
    // The retry after a fallback is decided as a request arrives.
    if (this.state.demotedAt !== undefined) this.apply({ type: 'request' });
    const mode = this.nextMode();
    if (mode === 'accelerated') return this.accelerated(raw, ctx);
    if (mode === 'tracing') return { ...(await this.accel.runTraced(raw, ctx.id)), mode: 'tracing', reexecutedAfterAbort: false };
    const res = await this.pool.invoke(raw, { id: ctx.id, io: this.requestIO(ctx.id) });
    if (this.state.demotedAt !== undefined) this.apply({ type: 'container-request' });
    return { ...res, mode: 'containers', reexecutedAfterAbort: false };
  }

  private async accelerated(raw: RawRequest, ctx: RequestContext): Promise<ExecResult> {
    const { result: r, logs } = await this.accel.attempt(raw, ctx.id);
    if (r.kind === 'response') {
      this.apply({ type: 'attempt', aborted: false, backstop: false });
      // Lines of an attempt that aborted are dropped: the re-execution writes its own.
      for (const [stream, line] of logs) this.log(stream, line, ctx.id);
      return { response: r.response, outcome: 'ok', reexecuted: false, coldStart: false, mode: 'accelerated', reexecutedAfterAbort: false };
    }
    // The runner discards the aborted instance (its globals may be half-updated). A backstop stop is
    // charged to the version whose code was running (its own event), not to every request it cut short.
    if (r.reason !== 'backstop') this.recentAborts = [...this.recentAborts, abortMeaning(r)].slice(-this.s.accel.policy.demoteWindow);
    this.apply({ type: 'attempt', aborted: true, backstop: r.reason === 'backstop' });
    const replay = this.accel.aborted(r, ctx.id);
    const traced = this.accel.canTrace;
    const res = traced ? await this.accel.runTraced(raw, ctx.id, replay) : await this.pool.invoke(raw, { id: ctx.id, io: this.requestIO(ctx.id, replay) });
    this.apply({ type: 'reexecuted' });
    return { ...res, mode: traced ? 'tracing' : 'containers', reexecutedAfterAbort: true, abortReason: r.reason, abortDetail: describeAbortDetail(r) };
  }

  /** The I/O of one request in the plain pool: its calls carry its id; a re-execution replays first. */
  private requestIO(id: string, replay?: readonly LoggedCall[]): IO {
    const real = this.s.io.forRequest({ function: this.name, timeoutMs: this.config.timeout_ms }, id);
    return replay && replay.length > 0 ? replayingIO(replay, real) : real;
  }

  /** `PUT …/mode`: the pin is stored by the dispatcher; the policy moves the mode. */
  setPin(pin: ModePin): void {
    this.record = { ...this.record, modePin: pin };
    this.apply({ type: 'pin', pin });
  }

  /** `POST …/compile`: compile the trace now and switch when it loads. */
  async compileNow(): Promise<CompileNowResult> {
    const r = await this.accel.compileNow();
    return r.ok ? { ...r, mode: this.state.mode.mode } : r;
  }

  /** Feeds an event to the policy and does what it decides. */
  private apply(event: PolicyEvent): void {
    if (this.closed) return;
    const before = this.state.mode;
    const { state, actions } = step(this.s.accel.policy, this.state, event, this.accel.facts(), Date.now());
    this.state = state;
    for (const a of actions) {
      if (a.type === 'compile') this.accel.scheduleCompile(a.delayMs);
      else if (a.type === 'demoted') {
        this.s.accel.metrics.demotions.inc({ function: this.name });
        this.s.accel.store.count(this.name, 'accel.demotions');
        const top = mostFrequent(this.recentAborts);
        if (top !== undefined) this.state = { ...this.state, mode: { ...this.state.mode, reason: `${this.state.mode.reason}: most often ${top}` } };
        this.recentAborts = [];
      }
    }
    if (state.mode === before) return;
    if (state.mode.mode !== before.mode) this.s.logger.info({ fn: this.name, from: before.mode, to: state.mode.mode, reason: state.mode.reason }, 'mode change');
    // Compiled code serves now: a tracing container is kept only while re-executions need one.
    if (state.mode.mode === 'accelerated' && before.mode !== 'accelerated') this.accel.releaseTracingContainers();
    this.publishMode();
  }

  /**
   * The mode that really answers requests, and why, in words a user can act on (docs/api.md
   * "serving"): an accelerated function whose recent attempts mostly abort is answered by the
   * containers that re-execute them, whatever `nextMode` says it tries first.
   */
  serving(): { mode: Mode; reason: string } {
    const next = this.nextMode();
    const reason = this.state.mode.reason;
    if (next !== 'accelerated') return { mode: next, reason: next === this.state.mode.mode ? reason : `${reason} (nothing to run in ${this.state.mode.mode} mode yet)` };
    const w = this.state.window;
    const aborted = w.filter(Boolean).length;
    const top = mostFrequent(this.recentAborts);
    if (w.length > 0 && aborted * 2 > w.length) {
      const by = this.accel.canTrace ? 'tracing' : 'containers';
      return { mode: by, reason: `accelerated attempts abort on ${aborted} of the last ${w.length} requests, which ${by === 'tracing' ? 'tracing containers' : 'containers'} answer${top ? `: most often ${top}` : ''}` };
    }
    if (aborted > 0) return { mode: 'accelerated', reason: `${reason}; ${aborted} of the last ${w.length} requests aborted and were answered by containers${top ? ` (most often ${top})` : ''}` };
    return { mode: 'accelerated', reason };
  }

  private publishMode(): void {
    const current = this.nextMode();
    for (const mode of ['containers', 'tracing', 'accelerated'] as const) this.s.accel.metrics.mode.set({ function: this.name, mode }, mode === current ? 1 : 0);
  }

  /** Extra fields of `GET /api/functions/NAME`. */
  describe(): Record<string, unknown> {
    const b = this.facts?.blockers;
    return { ...this.accel.describe(), acceleration_blockers: b?.list ?? [], acceleration_blockers_omitted: b?.omitted ?? 0, abort_window: { attempts: this.state.window.length, aborted: this.state.window.filter(Boolean).length } };
  }

  /** Live containers of both pools, for `GET /api/functions/NAME`. */
  async containers(): Promise<Array<{ id: string; rss_bytes: number | null; traced: boolean }>> {
    const [plain, traced] = await Promise.all([this.pool.rss(), this.accel.tracedContainers()]);
    return [...plain.map((c) => ({ ...c, traced: false })), ...traced.map((c) => ({ ...c, traced: true }))];
  }

  /**
   * Replaced (drain: requests in flight finish) or removed; `sync` writes the trace on this thread
   * (shutdown). Closing again without `drain` cuts a drain short; each call resolves once every
   * container of the version is gone.
   */
  async close(opts: { drain?: boolean; sync?: boolean } = {}): Promise<void> {
    this.closed = true;
    await Promise.all([this.pool.close({ drain: opts.drain }), this.accel.close(opts)]);
  }

  private newPool(code: FunctionCode, over: Partial<PoolOptions> & { idPrefix: string }): Pool {
    const s = this.s;
    return new Pool({
      driver: s.driver,
      code,
      config: this.config,
      capacity: s.capacity,
      metrics: s.metrics,
      logger: s.logger,
      io: s.io.forFunction({ function: this.name, timeoutMs: this.config.timeout_ms }),
      log: this.log,
      windowMs: s.windowMs,
      stemCells: s.stemCells,
      ...over,
    });
  }
}

function mostFrequent(items: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  let best: string | undefined;
  let bestN = 0;
  for (const it of items) {
    const n = (counts.get(it) ?? 0) + 1;
    counts.set(it, n);
    if (n > bestN) [best, bestN] = [it, n];
  }
  return best;
}
