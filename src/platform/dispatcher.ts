import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { limitResponse, platformError, truncateLogLine, type FnResponse, type LogStream, type RawRequest } from '../api/index.ts';
import type { AbortReason, Limits } from '../accelerator/index.ts';
import {
  CompileService,
  InlineRunner,
  MODE_HEADER,
  ResidentRunner,
  WorkerRunner,
  accelMetrics,
  accelStats,
  lightInstrument,
  resolvePolicy,
  toInstrumentation,
  type AccelFaults,
  type AccelIsolation,
  type AccelServices,
  type LightInstrumentation,
  type Mode,
  type Policy,
  type WorkerRunnerOptions,
} from '../acceleration/index.ts';
import { IOLayer, type EgressPolicy } from '../io/index.ts';
import { LabelCache, type CounterCell, type HistogramCell, type Metrics } from '../metrics/index.ts';
import type { SandboxDriver } from '../sandbox/types.ts';
import type { ActivationRecord, FunctionRecord, ModePin, Store, VersionInfo } from '../store/index.ts';
import { ActivationLog } from './activation-log.ts';
import { Capacity } from './capacity.ts';
import { StemCells, STEM_CELL_DEFAULTS } from './stem-cells.ts';
import { StartGate, defaultStartConcurrency } from './start-gate.ts';
import { memoryBudget } from './memory-budget.ts';
import { ConfigError, resolveConfig, validateConfig } from './config.ts';
import { FunctionVersion, type ExecResult, type VersionServices } from './function-version.ts';
import type { RequestContext } from './request-context.ts';
import { SourceError } from './source-check.ts';
import { prepareSource, type SourceFacts } from './source-prep.ts';
import { SourceService, SourceUnavailableError, type SourceServiceOptions } from './source-service.ts';
import { FunctionNotFoundError, VersionNotFoundError, mergeConfig, sameConfig } from './versions.ts';

export interface DispatcherOptions {
  store: Store;
  driver: SandboxDriver;
  logger: Logger;
  metrics: Metrics;
  /** Containers across all functions; past it requests wait for room, then get 503. */
  maxContainers?: number;
  /** The platform's memory budget in MB, containers and compiled programs together (memory-budget.ts). */
  memoryMb?: number;
  /** Sliding window for pool sizing. */
  windowMs?: number;
  /** Start a generic runner when a function is deployed so its first request only loads code. */
  prestartOnDeploy?: boolean;
  /**
   * How many of those generic runners the platform keeps, shared by every function (stem-cells.ts);
   * 0: one per deployed function instead, kept until its idle_ms.
   */
  stemCells?: number;
  /** Containers starting at once at most (start-gate.ts); default the number of CPUs, at least 2. */
  startConcurrency?: number;
  /** Log lines kept per activation. */
  maxLogLines?: number;
  /** Acceleration policy (acceleration/policy.ts); unset fields take DEFAULT_POLICY's values. */
  policy?: Partial<Policy>;
  /** Where outbound calls may go (io/egress.ts); absent: the defaults, nothing allowed beyond them. */
  egress?: EgressPolicy;
  /** Whether `config.network: "host"` may be deployed (the function then bypasses the egress policy). */
  allowHostNetwork?: boolean;
  /** Where deploy-time source work runs (source-service.ts). */
  sources?: SourceServiceOptions;
  /** Where compiled code runs (docs/accelerator.md, "The backstop"). */
  accelerator?: AcceleratorOptions;
  /** Test-only faults (acceleration's AccelFaults); no command-line flag or variable sets them. */
  faultsForTests?: AccelFaults;
}

export interface AcceleratorOptions extends Omit<WorkerRunnerOptions, 'logger'> {
  /** `worker` (default): worker threads with a heap limit and a watchdog; `inline`: no backstop. */
  isolation?: AccelIsolation;
  /** The accounting's limits for every function (fuel per request, …); unset: the defaults. */
  limits?: Partial<Limits>;
  /** Compiled programs loaded at once; past it the least recently used idle one is unloaded (resident-runner.ts). */
  maxResident?: number;
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

export const DISPATCHER_DEFAULTS = { prestartOnDeploy: true, maxLogLines: 200 } as const;

/**
 * The only place that knows every stage: it routes each request to its function's current version
 * (function-version.ts, the one owner of everything that version runs on) with a request context
 * made here at the edge; it orders deploys and removals, keeps the parts every version shares (the
 * I/O layer, the container budget, the compile worker, where compiled code runs), and records
 * activations and request metrics.
 */
export class Dispatcher {
  private readonly versions = new Map<string, FunctionVersion>();
  readonly io: IOLayer;
  private readonly services: VersionServices;
  private readonly runner: ResidentRunner;
  private readonly compiler = new CompileService();
  private readonly stemCells: StemCells;
  private readonly gate: StartGate;
  /** Requests in flight, by id: where a line naming a request goes. */
  private readonly inflight = new Map<string, RequestContext>();
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
  /** Versions replaced or removed whose containers are not all gone yet (a pool draining). */
  private readonly closing = new Set<FunctionVersion>();
  private readonly sinks = new Map<string, (stream: LogStream, line: string, requestId: string | undefined) => void>();

  constructor(private readonly o: DispatcherOptions) {
    this.sources = new SourceService(o.sources);
    this.requestMetrics = new LabelCache((fn, mode) => ({ latency: o.metrics.counted.latency.cell({ function: fn, mode }), byStatus: new Map() }));
    this.io = new IOLayer({
      logger: o.logger,
      metrics: o.metrics,
      egress: o.egress,
      outboundOf: (fn) => this.versions.get(fn)?.config.outbound,
      functionLog: (ctx, line) => this.platformLog(ctx.function, ctx.requestId, line),
    });
    const inner = o.accelerator?.isolation === 'inline' ? new InlineRunner() : new WorkerRunner({ ...o.accelerator, logger: o.logger });
    const reloads = o.metrics.instanceReloads;
    // The platform's one memory budget, split between containers and compiled programs.
    const budget = memoryBudget({ memoryMb: o.memoryMb, maxResident: o.accelerator?.maxResident, maxContainers: o.maxContainers });
    this.runner = new ResidentRunner(inner, { maxResident: budget.maxResident, onReload: () => reloads.inc() });
    const accel: AccelServices = {
      store: o.store,
      logger: o.logger,
      metrics: accelMetrics(o.metrics),
      io: this.io,
      policy: resolvePolicy(o.policy ?? {}),
      runner: this.runner,
      compiler: this.compiler,
      limits: o.accelerator?.limits,
      faultsForTests: o.faultsForTests,
    };
    const capacity = new Capacity(budget.maxContainers, budget.containersMb);
    this.gate = new StartGate(o.driver, o.startConcurrency ?? defaultStartConcurrency());
    this.stemCells = new StemCells({ driver: o.driver, gate: this.gate, capacity, logger: o.logger, metrics: o.metrics, size: o.stemCells ?? STEM_CELL_DEFAULTS.size });
    this.services = {
      accel,
      driver: this.gate.as('request'),
      capacity,
      stemCells: this.stemCells,
      metrics: o.metrics,
      logger: o.logger,
      io: this.io,
      windowMs: o.windowMs,
      logSink: (name) => this.logSink(name),
    };
  }

  get driverName(): string {
    return this.o.driver.name;
  }

  get policy(): Policy {
    return this.services.accel.policy;
  }

  /**
   * Loads every stored function (after a restart); containers start on first use. Instrumenting runs
   * here, on the main thread, before the server listens: nothing waits on the event loop yet, and
   * the worker's hop and start would only add to the restart.
   */
  init(): void {
    for (const rec of this.o.store.listFunctions()) {
      // The runnable text, style and blockers are derived from the stored source, as at deploy.
      const p = prepareSource(rec.source);
      const v = this.makeVersion(rec, undefined, p.ok ? p.facts : undefined);
      this.versions.set(rec.name, v);
      v.activate(toInstrumentation(v.code, p.ok ? p.instrumented : lightInstrument(rec.source)), false);
    }
  }

  /**
   * Validates, stores and activates a version. Throws ConfigError, SourceError (bad input) or
   * SourceUnavailableError (the check could not run). `config` undefined keeps the function's config
   * as it is when this deploy applies. The source is checked and instrumented off the event loop
   * when large (source-service.ts); deploys and removals of one name apply in the order they came,
   * so the last one wins.
   */
  async deploy(name: string, source: string, config: unknown): Promise<{ version: FunctionVersion; created: boolean; unchanged: boolean }> {
    const cfg = config === undefined ? undefined : validateConfig(config);
    if (cfg) this.checkOperatorAllows(cfg);
    const prepared = this.sources.prepare(source);
    return this.inOrder(name, async () => {
      const p = await prepared;
      if (!p.ok) throw 'unavailable' in p ? new SourceUnavailableError(p.unavailable) : new SourceError(p.message, p.line, p.column);
      return this.commit(name, source, cfg ?? this.versions.get(name)?.record.config ?? {}, p.instrumented, p.facts);
    });
  }

  /**
   * Stores the checked version and swaps it in; synchronous, so nothing interleaves. The same source
   * and config as the current version change nothing (its trace and compiled code stay).
   */
  private commit(name: string, source: string, cfg: Record<string, unknown>, instrumented: LightInstrumentation, facts: SourceFacts): { version: FunctionVersion; created: boolean; unchanged: boolean } {
    const old = this.versions.get(name);
    if (old && old.record.source === source && sameConfig(old.record.config, cfg)) return { version: old, created: false, unchanged: true };
    const { record, created } = this.o.store.putFunction(name, source, cfg);
    // A new version starts from its own (empty) trace and no compiled code.
    const v = this.swapIn(record, instrumented, facts);
    this.o.logger.info({ fn: name, version: record.version, created }, 'function deployed');
    return { version: v, created, unchanged: false };
  }

  /**
   * Makes a stored record the function's running version: its trace and compiled code come from the
   * store (as after a restart), it prestarts the pool its first request will use, and the version it
   * replaces drains (its requests in flight finish).
   */
  private swapIn(record: FunctionRecord, instrumented: LightInstrumentation, facts: SourceFacts): FunctionVersion {
    const old = this.versions.get(record.name);
    const v = this.makeVersion(record, old?.state.mode, facts);
    this.versions.set(record.name, v);
    v.activate(toInstrumentation(v.code, instrumented), this.o.prestartOnDeploy ?? DISPATCHER_DEFAULTS.prestartOnDeploy);
    if (old) void this.closeVersion(old, { drain: true });
    return v;
  }

  /** The stored versions of a function, newest first (docs/api.md "Versions"); undefined for no such function. */
  listVersions(name: string): VersionInfo[] | undefined {
    if (!this.versions.has(name)) return undefined;
    return this.o.store.listVersions(name);
  }

  /**
   * `PUT …/version`: makes stored version `version` current again, with its source, config, trace
   * and compiled code. Throws VersionNotFoundError, FunctionNotFoundError, ConfigError (the operator
   * no longer allows its config), SourceError or SourceUnavailableError. Ordered with deploys.
   */
  rollback(name: string, version: number): Promise<{ version: FunctionVersion; unchanged: boolean }> {
    return this.inOrder(name, async () => {
      const current = this.versions.get(name);
      if (!current) throw new FunctionNotFoundError(`no such function: ${name}`);
      if (current.record.version === version) return { version: current, unchanged: true };
      const target = this.o.store.getVersion(name, version);
      if (!target) throw new VersionNotFoundError(`function ${name} has no stored version ${version}`);
      this.checkOperatorAllows(target.config);
      const p = await this.sources.prepare(target.source);
      if (!p.ok) throw 'unavailable' in p ? new SourceUnavailableError(p.unavailable) : new SourceError(p.message, p.line, p.column);
      if (this.versions.get(name) !== current) throw new FunctionNotFoundError(`no such function: ${name}`);
      const record = this.o.store.setCurrentVersion(name, version);
      if (!record) throw new VersionNotFoundError(`function ${name} has no stored version ${version}`);
      const v = this.swapIn(record, p.instrumented, p.facts);
      this.o.logger.info({ fn: name, version, from: current.record.version }, 'function rolled back');
      return { version: v, unchanged: false };
    });
  }

  /**
   * `PATCH /api/functions/NAME`: a new version with the same source and the merged config
   * (versions.ts `mergeConfig`), which keeps the current version's trace (the live one) and compiled
   * code: the code did not change. A config equal to the current one changes nothing. Throws
   * ConfigError, FunctionNotFoundError, SourceUnavailableError. Ordered with deploys.
   */
  patchConfig(name: string, patch: unknown): Promise<{ version: FunctionVersion; unchanged: boolean }> {
    return this.inOrder(name, async () => {
      const current = this.versions.get(name);
      if (!current) throw new FunctionNotFoundError(`no such function: ${name}`);
      const cfg = validateConfig(mergeConfig(current.record.config, patch));
      this.checkOperatorAllows(cfg);
      if (sameConfig(current.record.config, cfg)) return { version: current, unchanged: true };
      const { source, version: from } = current.record;
      const [p, trace] = await Promise.all([this.sources.prepare(source), current.accel.traceJSON().catch(() => undefined)]);
      if (!p.ok) throw 'unavailable' in p ? new SourceUnavailableError(p.unavailable) : new SourceError(p.message, p.line, p.column);
      if (this.versions.get(name) !== current) throw new FunctionNotFoundError(`no such function: ${name}`);
      const traceJson = trace !== undefined && 'json' in trace ? trace.json : undefined;
      const { record } = this.o.store.putFunction(name, source, cfg, { accelerationOf: from, ...(traceJson !== undefined ? { traceJson } : {}) });
      const v = this.swapIn(record, p.instrumented, p.facts);
      // Names of the changed keys only: a value may be a secret.
      this.o.logger.info({ fn: name, version: record.version, from, keys: Object.keys(patch as object) }, 'function config changed');
      return { version: v, unchanged: false };
    });
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
    return this.inOrder(name, async () => {
      const v = this.versions.get(name);
      const existed = this.o.store.deleteFunction(name);
      if (v) {
        this.versions.delete(name);
        await this.closeVersion(v, {});
        for (const state of ['ready', 'starting', 'spare', 'stopping']) this.o.metrics.containers.set({ function: name, state }, 0);
      }
      return existed || !!v;
    });
  }

  get(name: string): FunctionVersion | undefined {
    return this.versions.get(name);
  }

  list(): FunctionVersion[] {
    return [...this.versions.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  setModePin(name: string, pin: ModePin): FunctionVersion | undefined {
    const v = this.versions.get(name);
    if (!v || !this.o.store.setModePin(name, pin)) return undefined;
    v.setPin(pin);
    return v;
  }

  /** Runs one request of function `name`; undefined when there is no such function. */
  async invoke(name: string, raw: RawRequest): Promise<Invocation | undefined> {
    const v = this.versions.get(name);
    if (!v) return undefined;
    const start = Date.now();
    const ctx: RequestContext = {
      id: `${this.idPrefix}-${(++this.seq).toString(36)}-${randomUUID().slice(24)}`,
      function: name,
      start,
      t0: performance.now(),
      deadline: start + v.config.timeout_ms,
      log: new ActivationLog(this.o.maxLogLines ?? DISPATCHER_DEFAULTS.maxLogLines),
    };
    this.inflight.set(ctx.id, ctx);
    try {
      let res = await v.handle(raw, ctx);
      // A redeploy closed the pool while the request waited: the new version serves it.
      const current = this.versions.get(name);
      if (res.outcome === 'closed' && current && current !== v) res = await current.handle(raw, ctx);
      return this.completed(v, ctx, res);
    } catch (err) {
      return this.failed(v, ctx, err);
    } finally {
      this.inflight.delete(ctx.id);
    }
  }

  private completed(v: FunctionVersion, ctx: RequestContext, res: ExecResult): Invocation {
    // The mode that served it: a re-execution after an abort is the container's response (CONTRACT §2).
    // Over the size limits it is the platform's 502, in every mode (a runner has applied it already).
    const inv: Invocation = { response: limitResponse(res.response), mode: res.mode, requestId: ctx.id, reexecutedAfterAbort: res.reexecutedAfterAbort };
    if (res.abortReason !== undefined) inv.abortReason = res.abortReason;
    if (res.abortDetail !== undefined) inv.abortDetail = res.abortDetail;
    if (res.coldStart) this.o.metrics.coldStarts.inc({ function: v.name });
    this.record(v, inv, ctx, res.reexecuted, res.outcome);
    return inv;
  }

  private failed(v: FunctionVersion, ctx: RequestContext, err: unknown): Invocation {
    this.o.logger.error({ fn: v.name, requestId: ctx.id, err: (err as Error).stack }, 'dispatcher error');
    const inv: Invocation = { response: platformError(500, 'internal error in the dispatcher'), mode: 'containers', requestId: ctx.id, reexecutedAfterAbort: false };
    try {
      this.record(v, inv, ctx, false, 'internal');
    } catch (e) {
      this.o.logger.error({ fn: v.name, requestId: ctx.id, err: (e as Error).stack }, 'recording an activation failed');
    }
    return inv;
  }

  /** Header value for a response served in `mode`. */
  static modeHeader(mode: Mode): string {
    return MODE_HEADER[mode];
  }

  stats(name: string): Record<string, unknown> | undefined {
    const v = this.versions.get(name);
    if (!v) return undefined;
    const counters = this.o.store.getStats(name);
    const requests: Record<string, number> = { container: 0, tracing: 0, accelerated: 0 };
    const aborts: Record<string, number> = {};
    const statuses: Record<string, number> = {};
    const outcomes: Record<string, number> = {};
    for (const [k, value] of Object.entries(counters)) {
      const [kind, key] = [k.slice(0, k.indexOf('.')), k.slice(k.indexOf('.') + 1)];
      if (kind === 'requests') requests[key] = value;
      else if (kind === 'aborts') aborts[key] = value;
      else if (kind === 'status') statuses[key] = value;
      else if (kind === 'outcome') outcomes[key] = value;
    }
    return { requests, aborts, statuses, outcomes, acceleration: accelStats(counters), containers: v.pool.stats() };
  }

  /**
   * Shutdown: every version closes (its trace written on this thread), then the shared parts. Those
   * replaced or removed and still closing are closed again, their drain cut short: the server has
   * stopped taking requests and given those in flight their grace, and no container may outlive us.
   */
  async close(): Promise<void> {
    this.gate.close();
    await this.sources.close();
    const all = new Set([...this.versions.values(), ...this.closing]);
    await Promise.all([...all].map((v) => this.closeVersion(v, { sync: true })));
    this.versions.clear();
    await this.stemCells.close();
    await this.compiler.close();
    await this.runner.close();
    await this.io.close();
  }

  /** Closes a version; until its containers are gone it is in `closing`, where shutdown finds it. */
  private closeVersion(v: FunctionVersion, opts: { drain?: boolean; sync?: boolean }): Promise<void> {
    this.closing.add(v);
    return v
      .close(opts)
      .catch((err: Error) => this.o.logger.error({ fn: v.name, version: v.record.version, err: err.stack }, 'closing a function version failed'))
      .finally(() => this.closing.delete(v));
  }

  private makeVersion(record: FunctionRecord, previous?: FunctionVersion['state']['mode'], facts?: SourceFacts): FunctionVersion {
    const config = resolveConfig(record.config);
    if (config.network === 'host' && !this.o.allowHostNetwork) {
      // Stored before the operator withdrew --allow-host-network: it runs, without the host's network.
      this.o.logger.warn({ fn: record.name }, 'config.network "host" is not allowed on this platform (--allow-host-network): the function runs with network "none"');
      config.network = 'none';
    }
    return new FunctionVersion(this.services, record, config, previous, facts);
  }

  /**
   * A function's console output: into the activation of the request it belongs to (capped there),
   * and the server's log; a line past its activation's cap goes to neither. Lines cut to the line
   * limit, whichever mode or pipe they came from. One sink per name (pino children are not free).
   */
  private logSink(name: string): (stream: LogStream, line: string, requestId: string | undefined) => void {
    let sink = this.sinks.get(name);
    if (sink) return sink;
    const fnLog = this.o.logger.child({ fn: name });
    sink = (stream, line, requestId) => {
      const ctx = requestId ? this.inflight.get(requestId) : undefined;
      if (ctx && !ctx.log.add(stream, line)) return;
      fnLog.info({ stream, requestId }, truncateLogLine(line));
    };
    this.sinks.set(name, sink);
    return sink;
  }

  /** A line of the platform's own into the logs of a function's request (e.g. why an outbound call was refused). */
  private platformLog(name: string, requestId: string | undefined, line: string): void {
    const ctx = requestId ? this.inflight.get(requestId) : undefined;
    ctx?.log.add('stdout', `[containerless] ${line}`);
    this.o.logger.warn({ fn: name, requestId }, line);
  }

  private record(v: FunctionVersion, inv: Invocation, ctx: RequestContext, reexecuted: boolean, outcome: string): void {
    const name = v.name;
    const ms = performance.now() - ctx.t0;
    const modeLabel = MODE_HEADER[inv.mode];
    const status = inv.response.status;
    const m = this.requestMetrics.get(name, modeLabel);
    let requests = m.byStatus.get(status);
    if (!requests) m.byStatus.set(status, (requests = this.o.metrics.counted.requests.cell({ function: name, mode: modeLabel, status: String(status) })));
    requests.inc();
    m.latency.observe(ms / 1000);
    // A request for a function deleted meanwhile is not recorded (the store drops it too).
    if (this.versions.get(name) === undefined) return;
    const activation: ActivationRecord = {
      id: inv.requestId,
      name,
      version: v.record.version,
      start: ctx.start,
      duration_ms: Math.round(ms * 100) / 100,
      mode: modeLabel,
      status,
      reexecuted: reexecuted || inv.reexecutedAfterAbort,
      logs: ctx.log.lines,
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
