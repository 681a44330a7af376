import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { limitResponse, platformError, truncateLogLine, type FnResponse, type LogStream, type RawRequest } from '../api/index.ts';
import type { SandboxDriver } from '../sandbox/types.ts';
import type { AbortReason, Limits } from '../accelerator/index.ts';
import type { ActivationRecord, FunctionRecord, ModePin, Store } from '../store/index.ts';
import { ActivationLog } from './activation-log.ts';
import { Capacity } from './capacity.ts';
import { ConfigError, resolveConfig, validateConfig, type FunctionConfig } from './config.ts';
import type { EgressPolicy } from './egress.ts';
import { Acceleration, InlineRunner, WorkerRunner, type AccelIsolation, type ExecResult, type WorkerRunnerOptions } from './acceleration/index.ts';
import { IOLayer } from './io.ts';
import { LabelCache, type CounterCell, type HistogramCell, type Metrics } from './metrics.ts';
import { MODE_HEADER, initialModeState, nextModeState, type Mode, type ModeEvent, type ModeState } from './modes.ts';
import { resolvePolicy, type Policy } from './policy.ts';
import { Pool, type PoolOptions } from './pool.ts';
import type { FunctionCode } from '../sandbox/types.ts';
import { SourceError } from './source-check.ts';
import { lightInstrument, toInstrumentation, type LightInstrumentation } from './source-prep.ts';
import { SourceService, SourceUnavailableError, type SourceServiceOptions } from './source-service.ts';

export interface DispatcherOptions {
  store: Store;
  driver: SandboxDriver;
  logger: Logger;
  metrics: Metrics;
  /** Containers across all functions; past it requests get 503. */
  maxContainers?: number;
  /** Sliding window for pool sizing. */
  windowMs?: number;
  /** Start a generic runner when a function is deployed so its first request only loads code. */
  prestartOnDeploy?: boolean;
  /** How long a request may wait for a container before 429/503. */
  queueTimeoutMs?: number;
  /** Log lines kept per activation. */
  maxLogLines?: number;
  /** Acceleration policy (policy.ts); unset fields take DEFAULT_POLICY's values. */
  policy?: Partial<Policy>;
  /** Where outbound calls may go (egress.ts); absent: the defaults, nothing allowed beyond them. */
  egress?: EgressPolicy;
  /** Whether `config.network: "host"` may be deployed (the function then bypasses the egress policy). */
  allowHostNetwork?: boolean;
  /** Where deploy-time source work runs (source-service.ts). */
  sources?: SourceServiceOptions;
  /** Where compiled code runs (docs/accelerator.md, "The backstop"). */
  accelerator?: AcceleratorOptions;
}

export interface AcceleratorOptions extends Omit<WorkerRunnerOptions, 'logger'> {
  /** `worker` (default): worker threads with a heap limit and a watchdog; `inline`: no backstop. */
  isolation?: AccelIsolation;
  /** The accounting's limits for every function (fuel per request, …); unset: the defaults. */
  limits?: Partial<Limits>;
}

/** One deployed function as the dispatcher runs it. */
export interface FunctionEntry {
  record: FunctionRecord;
  config: FunctionConfig;
  state: ModeState;
  pool: Pool;
}

/** The answer to one invocation, ready for the HTTP layer. */
export interface Invocation {
  response: FnResponse;
  mode: Mode;
  requestId: string;
  /** An accelerated attempt aborted and a container answered (CONTRACT §2 header). */
  reexecutedAfterAbort: boolean;
  /** Why the accelerated attempt aborted, when it did: one of a closed set (a label and counter key). */
  abortReason?: AbortReason;
  /** What exactly aborted (free-form, may hold request data: the activation record only). */
  abortDetail?: string;
}

export const DISPATCHER_DEFAULTS = { maxContainers: 64, prestartOnDeploy: true, maxLogLines: 200 } as const;

/**
 * Routes invocations to functions and owns their lifecycle: deploy (validate, store, new pool),
 * remove, mode pins, activation records. The per-request decision of where to run is `selectMode`;
 * running it is `execute`. Today every request takes the container path; the acceleration stage
 * plugs in at those two methods and at `reportArms` (paths from traced containers).
 */
export class Dispatcher {
  private readonly entries = new Map<string, FunctionEntry>();
  private readonly capacity: Capacity;
  readonly io: IOLayer;
  /** Tracing, compiling, accelerated serving and re-execution (acceleration/). */
  readonly acceleration: Acceleration;
  /** Log lines of requests in flight, by request id. */
  private readonly requestLogs = new Map<string, ActivationLog>();
  private seq = 0;
  /**
   * Request ids are this process's prefix, a counter (unique across restarts) and 48 random bits, so
   * that one response's id does not tell another request's. randomUUID draws from a cached pool of
   * random bytes: about 0.1 µs per request.
   */
  private readonly idPrefix = `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
  /** Per function and mode: the latency child and the request counter's child per status. */
  private readonly requestMetrics: LabelCache<{ latency: HistogramCell; byStatus: Map<number, CounterCell> }>;
  /** Checks and instruments sources at deploy, off the event loop when they are large. */
  private readonly sources: SourceService;
  /** Per name, the tail of its deploys and removals: each applies after the ones that came before. */
  private readonly changes = new Map<string, Promise<unknown>>();

  constructor(private readonly o: DispatcherOptions) {
    this.sources = new SourceService(o.sources);
    this.capacity = new Capacity(o.maxContainers ?? DISPATCHER_DEFAULTS.maxContainers);
    this.requestMetrics = new LabelCache((fn, mode) => ({ latency: o.metrics.counted.latency.cell({ function: fn, mode }), byStatus: new Map() }));
    this.io = new IOLayer({
      logger: o.logger,
      metrics: o.metrics,
      egress: o.egress,
      outboundOf: (fn) => this.entries.get(fn)?.config.outbound,
      functionLog: (ctx, line) => this.platformLog(ctx.function, ctx.requestId, line),
    });
    this.acceleration = new Acceleration({
      store: o.store,
      logger: o.logger,
      metrics: o.metrics,
      io: this.io,
      policy: resolvePolicy(o.policy ?? {}),
      limits: o.accelerator?.limits,
      runner: o.accelerator?.isolation === 'inline' ? new InlineRunner() : new WorkerRunner({ ...o.accelerator, logger: o.logger }),
      newPool: (entry, code, over) => this.newPool(entry, code, over),
      log: (entry, stream, line, requestId) => this.accelLog(entry.record.name)(stream, line, requestId),
      transition: (entry, event) => this.transition(entry, event),
      current: (name) => this.entries.get(name),
    });
  }

  get driverName(): string {
    return this.o.driver.name;
  }

  /**
   * Loads every stored function (after a restart); containers start on first use. Instrumenting runs
   * here, on the main thread, before the server listens: nothing waits on the event loop yet, and
   * the worker's hop and start would only add to the restart.
   */
  init(): void {
    for (const rec of this.o.store.listFunctions()) {
      const entry = this.makeEntry(rec, false);
      this.entries.set(rec.name, entry);
      this.acceleration.activate(entry, false, toInstrumentation(rec.source, lightInstrument(rec.source)));
    }
  }

  /**
   * Validates, stores and activates a version. Throws ConfigError, SourceError (bad input) or
   * SourceUnavailableError (the check could not run). `config` undefined keeps the function's config
   * as it is when this deploy applies. The source is checked and instrumented off the event loop
   * when large (source-service.ts); deploys and removals of one name apply in the order they came,
   * so the last one wins.
   */
  async deploy(name: string, source: string, config: unknown): Promise<{ entry: FunctionEntry; created: boolean }> {
    const cfg = config === undefined ? undefined : validateConfig(config);
    if (cfg) this.checkOperatorAllows(cfg);
    const prepared = this.sources.prepare(source);
    return this.inOrder(name, async () => {
      const p = await prepared;
      if (!p.ok) throw 'unavailable' in p ? new SourceUnavailableError(p.unavailable) : new SourceError(p.message, p.line, p.column);
      return this.commit(name, source, cfg ?? this.entries.get(name)?.record.config ?? {}, p.instrumented);
    });
  }

  /** Stores the checked version and swaps it in; synchronous, so nothing interleaves. */
  private commit(name: string, source: string, cfg: Record<string, unknown>, instrumented: LightInstrumentation): { entry: FunctionEntry; created: boolean } {
    const { record, created } = this.o.store.putFunction(name, source, cfg);
    const old = this.entries.get(name);
    const entry = this.makeEntry(record, false);
    if (old) entry.state = nextModeState({ ...old.state, pin: record.modePin }, { type: 'redeployed' });
    this.entries.set(name, entry);
    // A new version starts from its own (empty) trace and no compiled code; it prestarts the pool its
    // first request will use.
    this.acceleration.activate(entry, this.o.prestartOnDeploy ?? DISPATCHER_DEFAULTS.prestartOnDeploy, toInstrumentation(source, instrumented));
    if (old) {
      void old.pool.close({ drain: true });
      void this.acceleration.detach(old, { drain: true });
    }
    this.o.logger.info({ fn: name, version: record.version, created }, 'function deployed');
    return { entry, created };
  }

  /** What only the operator can open: host networking, and `config.outbound` beyond the allow and grant lists. */
  private checkOperatorAllows(cfg: Record<string, unknown>): void {
    if (cfg.network === 'host' && !this.o.allowHostNetwork) {
      throw new ConfigError('config.network "host" is not allowed here: such a function uses the host\'s network directly, past the outbound policy; the operator must start the platform with --allow-host-network (CONTAINERLESS_ALLOW_HOST_NETWORK=1)');
    }
    const uncovered = this.io.egress.uncovered(cfg.outbound as string[] | undefined);
    if (uncovered !== undefined) {
      throw new ConfigError(`config.outbound entry ${JSON.stringify(uncovered)} is not allowed by the operator: it must be within serve --allow-outbound or --grant-outbound`);
    }
  }

  /** Runs `change` after every earlier deploy or removal of `name` has applied (or failed). */
  private inOrder<T>(name: string, change: () => Promise<T>): Promise<T> {
    const run = (this.changes.get(name) ?? Promise.resolve()).then(change);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.changes.set(name, tail);
    void tail.then(() => {
      if (this.changes.get(name) === tail) this.changes.delete(name);
    });
    return run;
  }

  remove(name: string): Promise<boolean> {
    return this.inOrder(name, () => this.removeNow(name));
  }

  private async removeNow(name: string): Promise<boolean> {
    const entry = this.entries.get(name);
    const existed = this.o.store.deleteFunction(name);
    if (entry) {
      this.entries.delete(name);
      await Promise.all([entry.pool.close(), this.acceleration.detach(entry)]);
      for (const state of ['ready', 'starting', 'spare', 'stopping']) this.o.metrics.containers.set({ function: name, state }, 0);
    }
    return existed || !!entry;
  }

  get(name: string): FunctionEntry | undefined {
    return this.entries.get(name);
  }

  list(): FunctionEntry[] {
    return [...this.entries.values()].sort((a, b) => a.record.name.localeCompare(b.record.name));
  }

  setModePin(name: string, pin: ModePin): FunctionEntry | undefined {
    const entry = this.entries.get(name);
    if (!entry || !this.o.store.setModePin(name, pin)) return undefined;
    entry.record = { ...entry.record, modePin: pin };
    this.transition(entry, { type: 'pin', pin });
    this.acceleration.pinChanged(entry);
    return entry;
  }

  /** Applies a mode event (the state machine in modes.ts decides). */
  transition(entry: FunctionEntry, event: ModeEvent): void {
    const next = nextModeState(entry.state, event);
    if (next.mode !== entry.state.mode) this.o.logger.info({ fn: entry.record.name, from: entry.state.mode, to: next.mode, reason: next.reason }, 'mode change');
    entry.state = next;
  }

  /** Runs one request of function `name`; undefined when there is no such function. */
  invoke(name: string, raw: RawRequest): Promise<Invocation | undefined> {
    return Promise.resolve(this.invokeNow(name, raw));
  }

  /**
   * As `invoke`, but the invocation itself when the request completed without waiting (an
   * accelerated request that made no outbound call): the HTTP layer's fast path.
   */
  invokeNow(name: string, raw: RawRequest): Invocation | undefined | Promise<Invocation | undefined> {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    const requestId = `${this.idPrefix}-${(++this.seq).toString(36)}-${randomUUID().slice(24)}`;
    const start = Date.now();
    const t0 = performance.now();
    const logs = new ActivationLog(this.o.maxLogLines ?? DISPATCHER_DEFAULTS.maxLogLines);
    this.requestLogs.set(requestId, logs);
    let res: ExecResult | Promise<ExecResult>;
    try {
      res = this.execute(entry, this.selectMode(entry, raw), raw, requestId);
    } catch (err) {
      return this.failed(entry, requestId, start, t0, logs, err);
    }
    if (res instanceof Promise) {
      return res.then(
        (r) => this.completed(entry, requestId, start, t0, logs, r),
        (err: unknown) => this.failed(entry, requestId, start, t0, logs, err),
      );
    }
    return this.completed(entry, requestId, start, t0, logs, res);
  }

  private completed(entry: FunctionEntry, requestId: string, start: number, t0: number, logs: ActivationLog, res: ExecResult): Invocation {
    try {
      // The mode that served it: a re-execution after an abort is the container's response (CONTRACT §2).
      // Over the size limits it is the platform's 502, in every mode (a runner has applied it already).
      const inv: Invocation = { response: limitResponse(res.response), mode: res.mode, requestId, reexecutedAfterAbort: res.reexecutedAfterAbort };
      if (res.abortReason !== undefined) inv.abortReason = res.abortReason;
      if (res.abortDetail !== undefined) inv.abortDetail = res.abortDetail;
      if (res.coldStart) this.o.metrics.coldStarts.inc({ function: entry.record.name });
      this.record(entry, inv, start, performance.now() - t0, res.reexecuted, logs, res.outcome);
      this.requestLogs.delete(requestId);
      return inv;
    } catch (err) {
      return this.failed(entry, requestId, start, t0, logs, err);
    }
  }

  private failed(entry: FunctionEntry, requestId: string, start: number, t0: number, logs: ActivationLog, err: unknown): Invocation {
    try {
      this.o.logger.error({ fn: entry.record.name, requestId, err: (err as Error).stack }, 'dispatcher error');
      const inv: Invocation = { response: platformError(500, 'internal error in the dispatcher'), mode: 'containers', requestId, reexecutedAfterAbort: false };
      this.record(entry, inv, start, performance.now() - t0, false, logs, 'internal');
      return inv;
    } finally {
      this.requestLogs.delete(requestId);
    }
  }

  /**
   * Seam for acceleration: the mode this request tries first. An accelerated attempt that aborts
   * falls back to the container path in `execute` (re-execution). Only containers exist today.
   */
  selectMode(entry: FunctionEntry, _raw: RawRequest): Mode {
    return this.acceleration.selectMode(entry);
  }

  /** Runs the request in the chosen mode; the container path is the fallback of every other mode. */
  private execute(entry: FunctionEntry, mode: Mode, raw: RawRequest, requestId: string): ExecResult | Promise<ExecResult> {
    const res = this.acceleration.execute(entry, mode, raw, requestId);
    return res instanceof Promise ? res.then((r) => this.retryIfClosed(entry, raw, requestId, r)) : this.retryIfClosed(entry, raw, requestId, res);
  }

  /** A redeploy closed the pool while the request waited: the new version serves it. */
  private retryIfClosed(entry: FunctionEntry, raw: RawRequest, requestId: string, res: ExecResult): ExecResult | Promise<ExecResult> {
    if (res.outcome !== 'closed') return res;
    const current = this.entries.get(entry.record.name);
    return current && current !== entry ? this.acceleration.execute(current, this.selectMode(current, raw), raw, requestId) : res;
  }

  /**
   * Hook for traced containers: the arms one request hit (InvokeOutcome.arms). The tracing stage
   * merges them into the function's trace tree; without tracing nothing sends them.
   */
  reportArms(entry: FunctionEntry, arms: number[], requestId: string): void {
    this.o.logger.debug({ fn: entry.record.name, requestId, arms: arms.length }, 'path reported');
    this.acceleration.onPath(entry, arms);
  }

  /** Header value for a response served in `mode`. */
  static modeHeader(mode: Mode): string {
    return MODE_HEADER[mode];
  }

  stats(name: string): Record<string, unknown> | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    const counters = this.o.store.getStats(name);
    const requests: Record<string, number> = { container: 0, tracing: 0, accelerated: 0 };
    const aborts: Record<string, number> = {};
    const statuses: Record<string, number> = {};
    const outcomes: Record<string, number> = {};
    for (const [k, v] of Object.entries(counters)) {
      const [kind, key] = [k.slice(0, k.indexOf('.')), k.slice(k.indexOf('.') + 1)];
      if (kind === 'requests') requests[key] = v;
      else if (kind === 'aborts') aborts[key] = v;
      else if (kind === 'status') statuses[key] = v;
      else if (kind === 'outcome') outcomes[key] = v;
    }
    return { requests, aborts, statuses, outcomes, acceleration: this.acceleration.stats(counters), containers: entry.pool.stats() };
  }

  async close(): Promise<void> {
    await this.sources.close();
    await Promise.all([...this.entries.values()].map((e) => e.pool.close()).concat(this.acceleration.close()));
    this.entries.clear();
    await this.io.close();
  }

  private makeEntry(record: FunctionRecord, prestart: boolean): FunctionEntry {
    const config = resolveConfig(record.config);
    const name = record.name;
    if (config.network === 'host' && !this.o.allowHostNetwork) {
      // Stored before the operator withdrew --allow-host-network: it runs, without the host's network.
      this.o.logger.warn({ fn: name }, 'config.network "host" is not allowed on this platform (--allow-host-network): the function runs with network "none"');
      config.network = 'none';
    }
    const entry: FunctionEntry = {
      record,
      config,
      state: { ...initialModeState(record.modePin) },
      pool: undefined as unknown as Pool,
    };
    entry.pool = this.newPool(entry, { name, version: record.version, source: record.source, env: config.env }, {
      onArms: (arms, requestId) => this.reportArms(entry, arms, requestId),
      // Container ids are `[a-z0-9-]`, short enough for the driver's prefix and socket paths.
      idPrefix: `${name.slice(0, 32)}-${record.version}-${randomUUID().slice(0, 6)}`,
    });
    if (prestart) entry.pool.prestart();
    return entry;
  }

  /** A pool of containers running `code` for this entry (the plain pool, or acceleration's tracing pool). */
  private newPool(entry: FunctionEntry, code: FunctionCode, over: Partial<PoolOptions> & { idPrefix: string }): Pool {
    const { name } = entry.record;
    const config = entry.config;
    return new Pool({
      driver: this.o.driver,
      code,
      config,
      capacity: this.capacity,
      metrics: this.o.metrics,
      logger: this.o.logger,
      io: this.io.forFunction({ function: name, timeoutMs: config.timeout_ms }),
      ioForRequest: (requestId) => this.io.forRequest({ function: name, timeoutMs: config.timeout_ms }, requestId),
      log: this.logSink(name),
      windowMs: this.o.windowMs,
      ...over,
    });
  }

  private readonly accelSinks = new Map<string, ReturnType<Dispatcher['logSink']>>();
  /** The log sink of accelerated instances, one per function name (pino children are not free). */
  private accelLog(name: string): ReturnType<Dispatcher['logSink']> {
    let sink = this.accelSinks.get(name);
    if (!sink) this.accelSinks.set(name, (sink = this.logSink(name)));
    return sink;
  }

  /**
   * A function's console output: into the activation of the request it belongs to (capped there),
   * and the server's log; a line past its activation's cap goes to neither. Lines cut to the line
   * limit, whichever mode or pipe they came from.
   */
  private logSink(name: string): (stream: LogStream, line: string, requestId: string | undefined) => void {
    const fnLog = this.o.logger.child({ fn: name });
    return (stream, line, requestId) => {
      const activation = requestId ? this.requestLogs.get(requestId) : undefined;
      if (activation && !activation.add(stream, line)) return;
      fnLog.info({ stream, requestId }, truncateLogLine(line));
    };
  }

  /** A line of the platform's own into the logs of a function's request (e.g. why an outbound call was refused). */
  private platformLog(name: string, requestId: string | undefined, line: string): void {
    const buf = requestId ? this.requestLogs.get(requestId) : undefined;
    buf?.add('stdout', `[containerless] ${line}`);
    this.o.logger.warn({ fn: name, requestId }, line);
  }

  private record(entry: FunctionEntry, inv: Invocation, start: number, ms: number, reexecuted: boolean, logs: ActivationLog, outcome: string): void {
    const name = entry.record.name;
    const modeLabel = MODE_HEADER[inv.mode];
    const status = inv.response.status;
    const m = this.requestMetrics.get(name, modeLabel);
    let requests = m.byStatus.get(status);
    if (!requests) m.byStatus.set(status, (requests = this.o.metrics.counted.requests.cell({ function: name, mode: modeLabel, status: String(status) })));
    requests.inc();
    m.latency.observe(ms / 1000);
    // A request for a function deleted meanwhile is not recorded (the store drops it too).
    if (this.entries.get(name) === undefined) return;
    const activation: ActivationRecord = {
      id: inv.requestId,
      name,
      version: entry.record.version,
      start,
      duration_ms: Math.round(ms * 100) / 100,
      mode: modeLabel,
      status,
      reexecuted: reexecuted || inv.reexecutedAfterAbort,
      logs: logs.lines,
    };
    if (inv.abortReason !== undefined) activation.abort_reason = inv.abortReason;
    if (inv.abortDetail !== undefined) activation.abort_detail = inv.abortDetail;
    const store = this.o.store;
    store.recordActivation(activation);
    store.count(name, REQUESTS_KEY[modeLabel]);
    if (inv.abortReason !== undefined) store.count(name, `aborts.${inv.abortReason}`);
    store.count(name, statusKey(status));
    if (outcome !== 'ok') store.count(name, `outcome.${outcome}`);
    if (reexecuted) store.count(name, 'outcome.reexecuted');
  }
}

/** Counter keys of the store, built once rather than per request. */
const REQUESTS_KEY: Record<(typeof MODE_HEADER)[Mode], string> = { container: 'requests.container', tracing: 'requests.tracing', accelerated: 'requests.accelerated' };
const STATUS_KEYS = new Map<number, string>();

function statusKey(status: number): string {
  let k = STATUS_KEYS.get(status);
  if (k === undefined) STATUS_KEYS.set(status, (k = `status.${status}`));
  return k;
}

