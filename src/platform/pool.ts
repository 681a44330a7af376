import type { Logger } from 'pino';
import { platformError, type FnResponse, type IO, type LogStream, type RawRequest } from '../api/index.ts';
import type { Container, ContainerSpec, FunctionCode, InvokeOutcome } from '../sandbox/types.ts';
import type { Capacity, ReclaimOffer } from './capacity.ts';
import type { FunctionConfig } from './config.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { SlidingPeak } from './sliding-peak.ts';
import type { StartingDriver } from './start-gate.ts';
import type { StemCells, StemKey } from './stem-cells.ts';

export interface PoolOptions {
  /** Where containers start; through the platform's start gate, which hears how many requests wait. */
  driver: StartingDriver;
  code: FunctionCode;
  config: FunctionConfig;
  capacity: Capacity;
  metrics: Metrics;
  logger: Logger;
  /** The IO of calls that belong to no request (a container's top level); a request brings its own. */
  io: IO;
  /** The function's console output, with the request it belongs to when known. */
  log(stream: LogStream, line: string, requestId: string | undefined): void;
  /** Paths reported by traced containers (InvokeOutcome.arms). */
  onArms?(arms: number[], requestId: string): void;
  /** The top-level run's path of a traced container (`Container.load`'s `initArms`). */
  onInitArms?(arms: number[]): void;
  /** Sliding window for the peak concurrency that sizes the pool. */
  windowMs?: number;
  /** Max processes per container. */
  pids?: number;
  /** Grace after timeout_ms before the pool stops waiting on a driver that did not report. */
  timeoutGraceMs?: number;
  /** How long a request may wait for a container (start or free slot) before 429/503. */
  queueTimeoutMs?: number;
  /** Unique prefix for container ids. */
  idPrefix: string;
  /** The platform's shared generic runners: a cold start adopts one when its shape matches. */
  stemCells?: StemCells;
  now?: () => number;
}

/** One request as the pool takes it: its id (for the container and its logs) and its I/O. */
export interface PoolRequest {
  id: string;
  /** Where the request's outbound calls go (the request's own I/O, or a replay of an aborted attempt's). */
  io?: IO;
}

/** How one request went through the pool. */
export interface PoolResult {
  response: FnResponse;
  /**
   * ok: the function (or runner) answered; the rest are the platform's answers. `violation`: the
   * container was killed for breaking the runner protocol (502, not re-executed).
   */
  outcome: 'ok' | 'timeout' | 'died' | 'violation' | 'rejected' | 'load-error' | 'closed';
  /** The request ran a second time in a fresh container after its first container died. */
  reexecuted: boolean;
  /** The request waited for a container to start. */
  coldStart: boolean;
}

type SlotState = 'starting' | 'ready' | 'dead';

interface Slot {
  id: string;
  state: SlotState;
  /** The container being started or running; retiring the slot kills it once it exists. */
  started: Promise<Container>;
  container?: Container;
  inflight: number;
  lastUsed: number;
  /** When it finished loading; 0 while starting. */
  readyAt: number;
  /** A re-execution waiting for this particular fresh container. */
  reservedFor?: Waiter;
}

interface Waiter {
  resolve(slot: Slot): void;
  reject(res: PoolResult): void;
  timer: NodeJS.Timeout;
  fresh: boolean;
  /** When it joined the queue. */
  since: number;
}

class LoadError extends Error {}

export const POOL_DEFAULTS = { windowMs: 10_000, pids: 256, timeoutGraceMs: 1000, queueTimeoutMs: 30_000 } as const;

/**
 * The containers of one function version (DESIGN "OS sandboxes"): cold start on demand, warm reuse,
 * up to `concurrency` requests per container, growth to the peak demand of a sliding window (capped
 * by `max_containers` and the platform's Capacity), scale to zero after `idle_ms`, a bounded queue
 * while containers start, 504 plus replacement on timeout, one re-execution in a fresh container when
 * a container dies. A pre-started generic runner (`prestart`) takes the driver's start off the first
 * request's path; only `load` remains on it.
 */
export class Pool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Waiter[] = [];
  private readonly window: SlidingPeak;
  private readonly now: () => number;
  private spare?: { container: Promise<Container>; since: number };
  private inflight = 0;
  /**
   * Containers retired whose kill has not completed: they still exist (in `runc list`, in memory),
   * so `stats()` and the gauge count them until the kill is done. Their capacity unit is given back
   * at once, so that a replacement (after a timeout) or another pool (a reclaim) need not wait for
   * a kill; the platform may thus briefly hold one container per kill in flight beyond its budget.
   */
  private stopping = 0;
  /** Kills in flight: closing waits for them too, so no container outlives the pool. */
  private readonly stops = new Set<Promise<void>>();
  /**
   * When a request last came or finished. A pool that has had none is not active: it keeps no
   * container of its own (a version in tracing mode never sends one to its plain pool), only its
   * pre-started runner, stopped once that is idle_ms old.
   */
  private lastActivity = -Infinity;
  private seq = 0;
  private closed = false;
  private closing?: Promise<void>;
  private drainCut = false;
  /** Set while the pool waits in the Capacity's queue for a unit. */
  private cancelCapacityWait?: () => void;
  private readonly ticker: NodeJS.Timeout;
  private readonly stopReclaim: () => void;

  constructor(private readonly o: PoolOptions) {
    this.now = o.now ?? Date.now;
    this.window = new SlidingPeak(o.windowMs ?? POOL_DEFAULTS.windowMs, this.now);
    this.ticker = setInterval(() => this.tick(), Math.max(20, Math.min(1000, Math.floor(o.config.idle_ms / 4))));
    this.ticker.unref();
    this.stopReclaim = o.capacity.addReclaimer(() => this.reclaimOffer());
    this.publish(); // a replacing pool starts from zero containers
  }

  get name(): string {
    return this.o.code.name;
  }

  /** Counts for the API and tests. */
  stats(): { ready: number; starting: number; stopping: number; inflight: number; queued: number; spare: boolean; containers: string[] } {
    let ready = 0;
    let starting = 0;
    const containers: string[] = [];
    for (const s of this.slots) {
      if (s.state === 'ready') ready++;
      else if (s.state === 'starting') starting++;
      if (s.container && s.state !== 'dead') containers.push(s.container.id);
    }
    return { ready, starting, stopping: this.stopping, inflight: this.inflight, queued: this.queue.length, spare: !!this.spare, containers };
  }

  /** Resident memory of each live container, when the driver can tell. */
  async rss(): Promise<Array<{ id: string; rss_bytes: number | null }>> {
    const live = [...this.slots].filter((s) => s.state !== 'dead' && s.container);
    return Promise.all(live.map(async (s) => ({ id: s.container!.id, rss_bytes: (await s.container!.rss().catch(() => undefined)) ?? null })));
  }

  /** Starts a generic runner now so that the next cold start only loads the code. */
  prestart(): void {
    if (this.spare || this.closed || this.liveSlots() >= this.o.config.max_containers || !this.o.capacity.tryTake({ reclaim: false, mb: this.o.config.memory_mb })) return;
    // Nobody waits for a spare until a cold start takes it: its demand is this pool's queue, 0 till then.
    const container = this.startFor(`${this.o.idPrefix}-${++this.seq}`);
    this.spare = { container, since: this.now() };
    this.publish();
    container.then(
      (c) => void c.exited.then(() => {
        if (this.spare?.container === container) {
          this.spare = undefined;
          this.o.capacity.release(this.o.config.memory_mb);
          this.publish();
        }
      }),
      (err: Error) => {
        this.o.logger.warn({ fn: this.name, err: err.message }, 'pre-starting a runner failed');
        if (this.spare?.container === container) {
          this.spare = undefined;
          this.o.capacity.release(this.o.config.memory_mb);
          this.publish();
        }
      },
    );
  }

  /**
   * Stops every container with nothing in flight (and the pre-started runner), and forgets recent
   * demand so the ticker does not start them again: the caller serves elsewhere now. A request that
   * comes later is a cold start, as after idle_ms.
   */
  retireIdle(): void {
    if (this.closed) return;
    for (const s of [...this.slots]) if (s.state === 'ready' && s.inflight === 0 && !s.reservedFor) void this.retire(s, 'no longer needed');
    void this.stopSpare();
    if (this.inflight === 0 && this.queue.length === 0) {
      this.lastActivity = -Infinity;
      this.window.reset();
    }
  }

  async invoke(raw: RawRequest, req: PoolRequest): Promise<PoolResult> {
    const requestId = req.id;
    if (this.closed) return reject(503, 'function is being replaced or removed', 'closed');
    this.lastActivity = this.now();
    let first: PoolResult;
    let cold: boolean;
    try {
      const got = await this.acquire(false);
      cold = got.cold;
      first = await this.run(got.slot, raw, req);
    } catch (res) {
      return res as PoolResult;
    }
    first.coldStart = cold;
    if (first.outcome !== 'died') return first;
    // The container died with the request in flight: functions tolerate re-execution, so run it
    // once more in a fresh container (CONTRACT §1), and answer 502 if that dies too.
    this.o.metrics.reexecutions.inc({ function: this.name, reason: 'died' });
    this.o.logger.warn({ fn: this.name, requestId }, 'container died mid-request; re-executing once');
    try {
      const got = await this.acquire(true);
      const second = await this.run(got.slot, raw, req);
      second.reexecuted = true;
      second.coldStart = cold || got.cold;
      if (second.outcome === 'died') second.response = platformError(502, 'the sandbox died while running the request (twice)');
      return second;
    } catch (res) {
      return { ...(res as PoolResult), reexecuted: true };
    }
  }

  /**
   * Stops taking requests, lets those in flight finish (`drain`, bounded by timeout_ms), then kills
   * every container. Every call resolves once they are gone; a call without `drain` cuts a drain in
   * progress short (shutdown: the server has already given requests in flight their grace).
   */
  close(opts: { drain?: boolean } = {}): Promise<void> {
    if (!opts.drain) this.drainCut = true;
    return (this.closing ??= this.shutdown(opts.drain === true));
  }

  private async shutdown(drain: boolean): Promise<void> {
    this.closed = true;
    clearInterval(this.ticker);
    this.stopReclaim();
    this.cancelCapacityWait?.();
    for (const w of this.queue.splice(0)) {
      clearTimeout(w.timer);
      w.reject(reject(503, 'function is being replaced or removed', 'closed'));
    }
    if (drain) {
      const deadline = this.now() + this.o.config.timeout_ms + 1000;
      while (this.inflight > 0 && !this.drainCut && this.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    }
    const kills: Promise<void>[] = [];
    for (const s of [...this.slots]) kills.push(this.retire(s, 'pool closed'));
    kills.push(this.stopSpare());
    await Promise.all(kills);
    await Promise.all([...this.stops]);
  }

  // --- acquiring a container -------------------------------------------------------------------

  private acquire(fresh: boolean): Promise<{ slot: Slot; cold: boolean }> {
    if (this.closed) return Promise.reject(reject(503, 'function is being replaced or removed', 'closed'));
    if (!fresh) {
      const slot = this.pickReady();
      if (slot) return Promise.resolve({ slot: this.claim(slot), cold: false });
    }
    // The queue holds max_queue requests beyond what the containers being started will absorb.
    if (this.queue.length >= this.o.config.max_queue + this.startingSlots() * this.o.config.concurrency) {
      const atLimit = this.liveSlots() >= this.o.config.max_containers;
      this.o.metrics.rejections.inc({ function: this.name, status: atLimit ? '429' : '503' });
      return Promise.reject(
        atLimit
          ? reject(429, `over the function's concurrency limit (${this.o.config.max_containers} containers × ${this.o.config.concurrency}, queue ${this.o.config.max_queue})`, 'rejected')
          : reject(503, 'no capacity: containers are starting and the queue is full', 'rejected'),
      );
    }
    // Waiting for a container is not the function's time: cold starts do not eat into timeout_ms.
    const wait = this.o.queueTimeoutMs ?? POOL_DEFAULTS.queueTimeoutMs;
    return new Promise((resolve, rej) => {
      const waiter: Waiter = {
        fresh,
        since: this.now(),
        resolve: (slot) => {
          clearTimeout(waiter.timer);
          // A cold start: the container became ready while this request waited for it (waiting for
          // a busy warm container to free a slot is queueing, not a cold start).
          resolve({ slot, cold: slot.readyAt > waiter.since });
        },
        reject: (res) => {
          clearTimeout(waiter.timer);
          rej(res);
        },
        timer: setTimeout(() => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          for (const s of this.slots) if (s.reservedFor === waiter) s.reservedFor = undefined;
          const atLimit = this.liveSlots() >= this.o.config.max_containers;
          this.o.metrics.rejections.inc({ function: this.name, status: atLimit ? '429' : '503' });
          rej(
            atLimit
              ? reject(429, `over the function's concurrency limit: no free container within ${wait} ms`, 'rejected')
              : reject(503, `no capacity: no container could be started within ${wait} ms`, 'rejected'),
          );
        }, wait),
      };
      this.queue.push(waiter);
      this.window.record(this.inflight + this.queue.length);
      if (fresh) {
        const slot = this.startSlot();
        if (slot) slot.reservedFor = waiter;
      }
      this.scaleForDemand();
      this.drain();
    });
  }

  /** The least loaded ready container with a free slot: spreading keeps each event loop short. */
  private pickReady(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) {
      if (s.state !== 'ready' || s.reservedFor || s.inflight >= this.o.config.concurrency) continue;
      if (!best || s.inflight < best.inflight || (s.inflight === best.inflight && s.lastUsed > best.lastUsed)) best = s;
    }
    return best;
  }

  /** Counts the request against the slot before any await, so the next pick sees it busy. */
  private claim(slot: Slot): Slot {
    slot.inflight++;
    this.inflight++;
    slot.lastUsed = this.now();
    // Every container is now full: pre-start a runner so the next growth only has to load code.
    if (!this.spare && !this.pickReady()) this.prestart();
    return slot;
  }

  private startingSlots(): number {
    let n = 0;
    for (const s of this.slots) if (s.state === 'starting') n++;
    return n;
  }

  private liveSlots(): number {
    let n = 0;
    for (const s of this.slots) if (s.state !== 'dead') n++;
    return n;
  }

  /** Hands free slots to queued requests, reserved fresh containers first. */
  private drain(): void {
    for (const s of this.slots) {
      const w = s.reservedFor;
      if (s.state === 'ready' && w) {
        s.reservedFor = undefined;
        const i = this.queue.indexOf(w);
        if (i >= 0) {
          this.queue.splice(i, 1);
          w.resolve(this.claim(s));
        }
      }
    }
    while (this.queue.length > 0) {
      const slot = this.pickReady();
      if (!slot) break;
      this.queue.shift()!.resolve(this.claim(slot));
    }
  }

  /** Starts containers for the requests waiting now (request path; the ticker grows by the window). */
  private scaleForDemand(): void {
    const c = this.o.config;
    let starting = 0;
    let freeReady = 0;
    for (const s of this.slots) {
      if (s.state === 'starting') starting++;
      else if (s.state === 'ready') freeReady += Math.max(0, c.concurrency - s.inflight);
    }
    const uncovered = this.queue.length - freeReady - starting * c.concurrency;
    const want = Math.ceil(Math.max(0, uncovered) / c.concurrency);
    for (let i = 0; i < want; i++) if (!this.startSlot()) break;
    if (this.liveSlots() === 0 && this.queue.length > 0 && this.closedForCapacity()) this.waitForCapacity();
  }

  /**
   * No container and none can start: the waiting requests keep their queue deadline while the pool
   * takes the next unit another pool releases (or reclaims one on the ticker, once another pool's
   * container has idled a second).
   */
  private waitForCapacity(): void {
    if (this.cancelCapacityWait) return;
    this.cancelCapacityWait = this.o.capacity.whenFree(() => {
      this.cancelCapacityWait = undefined;
      if (this.closed || this.queue.length === 0 || !this.startSlot({ unitTaken: true })) this.o.capacity.release(this.o.config.memory_mb);
    }, this.o.config.memory_mb);
  }

  private closedForCapacity(): boolean {
    return !this.o.capacity.fits(this.o.config.memory_mb);
  }

  /**
   * How many requests each of this pool's starts serves, as the start gate orders starts: the queue
   * shared among the starts under way (the first ready container takes them all, so a busy function's
   * second and third starts count for less than a quiet function's only one).
   */
  private readonly demand = (): number => this.queue.length / Math.max(1, this.startingSlots());

  /** A start through the gate, ordered by how many of this pool's requests wait. */
  private startFor(id: string): Promise<Container> {
    return this.o.driver.start(this.spec(id), this.demand);
  }

  /** Starts one container (using the pre-started runner when there is one); undefined at a limit. */
  private startSlot(opts: { unitTaken?: boolean } = {}): Slot | undefined {
    if (this.closed || this.liveSlots() >= this.o.config.max_containers) return undefined;
    let container: Promise<Container>;
    if (opts.unitTaken) container = this.startFor(`${this.o.idPrefix}-${++this.seq}`);
    else if (this.spare) {
      container = this.spare.container; // its capacity unit moves to the slot
      this.spare = undefined;
    } else {
      const adopted = this.o.stemCells?.take(this.stemKey(), { io: this.o.io, log: this.o.log, demand: this.demand });
      if (adopted) {
        container = adopted; // its capacity unit moves to the slot
        this.seq++;
      } else {
        if (!this.o.capacity.tryTake({ mb: this.o.config.memory_mb })) return undefined;
        container = this.startFor(`${this.o.idPrefix}-${++this.seq}`);
      }
    }
    const slot: Slot = { id: `${this.o.idPrefix}-slot${this.seq}`, state: 'starting', started: container, inflight: 0, lastUsed: this.now(), readyAt: 0 };
    this.slots.add(slot);
    this.publish();
    const t0 = performance.now();
    void (async () => {
      try {
        const c = await container;
        slot.container = c;
        void c.exited.then((how) => this.onExit(slot, how.reason));
        if (slot.state === 'dead') return; // retired while starting: retire kills it
        let loaded: { initArms?: number[] } | undefined;
        try {
          loaded = await c.load(this.o.code);
        } catch (err) {
          throw new LoadError((err as Error).message);
        }
        if (loaded?.initArms && this.o.onInitArms) this.o.onInitArms(loaded.initArms);
        if ((slot.state as SlotState) === 'dead') return;
        slot.state = 'ready';
        slot.lastUsed = slot.readyAt = this.now();
        this.o.metrics.coldStartSeconds.observe({ function: this.name }, (performance.now() - t0) / 1000);
        this.o.logger.debug({ fn: this.name, container: c.id, ms: Math.round(performance.now() - t0) }, 'container ready');
        this.publish();
        this.drain();
      } catch (err) {
        this.onStartFailure(slot, err as Error);
      }
    })();
    return slot;
  }

  private onStartFailure(slot: Slot, err: Error): void {
    const isLoad = err instanceof LoadError;
    this.o.logger.warn({ fn: this.name, err: err.message }, isLoad ? 'function failed to load' : 'container failed to start');
    const reserved = slot.reservedFor;
    void this.retire(slot, 'start failed');
    // Requests waiting only on this start fail now rather than at their queue deadline.
    const stillComing = [...this.slots].some((s) => s.state !== 'dead');
    const victims = stillComing ? (reserved ? [reserved] : []) : this.queue.slice();
    for (const w of victims) {
      const i = this.queue.indexOf(w);
      if (i >= 0) this.queue.splice(i, 1);
      w.reject(
        isLoad
          ? { ...reject(500, `the function failed to load: ${err.message}`, 'load-error') }
          : reject(503, `no capacity: a container could not be started (${err.message})`, 'rejected'),
      );
    }
  }

  // --- running a request -----------------------------------------------------------------------

  private async run(slot: Slot, raw: RawRequest, req: PoolRequest): Promise<PoolResult> {
    const requestId = req.id;
    const c = slot.container!;
    const cfg = this.o.config;
    this.window.record(this.inflight + this.queue.length);
    let outcome: InvokeOutcome;
    let guard: NodeJS.Timeout | undefined;
    try {
      // The driver enforces timeout_ms; the guard covers a driver that never reports.
      outcome = await Promise.race([
        c.invoke(raw, this.invokeOptions(req)),
        new Promise<InvokeOutcome>((r) => {
          guard = setTimeout(() => r({ kind: 'timeout' }), cfg.timeout_ms + (this.o.timeoutGraceMs ?? POOL_DEFAULTS.timeoutGraceMs));
        }),
      ]);
    } catch (err) {
      outcome = { kind: 'died', reason: (err as Error).message };
    } finally {
      clearTimeout(guard);
      slot.inflight--;
      this.inflight--;
      slot.lastUsed = this.now();
      this.lastActivity = this.now();
    }
    let result: PoolResult;
    if (outcome.kind === 'response') {
      if (outcome.arms && this.o.onArms) this.o.onArms(outcome.arms, requestId);
      result = { response: outcome.response, outcome: 'ok', reexecuted: false, coldStart: false };
    } else if (outcome.kind === 'timeout') {
      this.o.logger.warn({ fn: this.name, requestId, container: c.id }, 'request timed out; killing its container');
      void this.retire(slot, 'timeout');
      this.scaleToWindow();
      result = reject(504, `function timed out after ${cfg.timeout_ms} ms`, 'timeout');
    } else if (outcome.violation) {
      // Its code wrote to the runner's socket what the runner never sends: hostile or broken beyond
      // the platform's API. Re-running the request would run the attack again; the function's
      // author sees why in the response and the activation.
      this.o.logger.warn({ fn: this.name, requestId, container: c.id, reason: outcome.reason }, 'container killed for a protocol violation');
      void this.retire(slot, outcome.reason);
      result = reject(502, `${outcome.reason} (the container was killed; the request was not re-executed)`, 'violation');
    } else {
      void this.retire(slot, `died: ${outcome.reason}`);
      result = reject(502, `the sandbox died while running the request: ${outcome.reason}`, 'died');
    }
    this.drain();
    return result;
  }

  // --- shrinking and growing -------------------------------------------------------------------

  private onExit(slot: Slot, reason: string): void {
    if (slot.state === 'dead') return;
    this.o.logger.info({ fn: this.name, container: slot.container?.id, reason }, 'container exited');
    void this.retire(slot, reason);
    if (this.queue.length > 0) this.scaleForDemand();
  }

  /** Kills a container, retrying a failed kill (the runtime may be busy with others); never rejects. */
  private async killQuietly(container: Promise<Container>): Promise<void> {
    let c: Container;
    try {
      c = await container;
    } catch {
      return; // it never started
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await c.kill();
      } catch (err) {
        if (attempt >= 3) return void this.o.logger.warn({ fn: this.name, container: c.id, err: (err as Error).message }, 'killing a container failed');
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  /** Takes the slot out of service at once; it is counted as stopping until its container is killed. */
  private async retire(slot: Slot, why: string): Promise<void> {
    if (slot.state === 'dead') return;
    slot.state = 'dead';
    this.slots.delete(slot);
    this.o.logger.debug({ fn: this.name, container: slot.container?.id, why }, 'container retired');
    await this.stop(slot.started);
  }

  /** Stops the pre-started runner, if there is one. */
  private stopSpare(): Promise<void> {
    const spare = this.spare;
    if (!spare) return Promise.resolve();
    this.spare = undefined;
    return this.stop(spare.container);
  }

  /** Kills a container (a slot's or the spare runner), counted as stopping until the kill is done. */
  private stop(container: Promise<Container>): Promise<void> {
    this.o.capacity.release(this.o.config.memory_mb);
    this.stopping++;
    this.publish();
    const done = this.killQuietly(container).finally(() => {
      this.stopping--;
      this.stops.delete(done);
      this.publish();
    });
    this.stops.add(done);
    return done;
  }

  /** Containers the window's peak demand calls for (at least one while the function is active). */
  private desired(): number {
    const c = this.o.config;
    return Math.min(c.max_containers, Math.max(1, Math.ceil(this.window.peak() / c.concurrency)));
  }

  /** Off the request path: brings the pool up to the window's peak (e.g. after a timeout kill). */
  private scaleToWindow(): void {
    if (this.closed) return;
    let live = this.liveSlots();
    const want = this.desired();
    while (live < want && this.now() - this.lastActivity < this.o.config.idle_ms) {
      if (!this.startSlot()) break;
      live++;
    }
  }

  private tick(): void {
    if (this.closed) return;
    const now = this.now();
    const idleFor = now - this.lastActivity;
    const cfg = this.o.config;
    if (this.inflight === 0 && this.queue.length === 0 && idleFor >= cfg.idle_ms) {
      // Scale to zero, the pre-started runner included.
      for (const s of [...this.slots]) if (s.state === 'ready') void this.retire(s, 'idle');
      if (this.spare && now - this.spare.since >= cfg.idle_ms) void this.stopSpare();
      return;
    }
    // Waiting on capacity: another pool's container may have idled long enough to be reclaimed.
    if (this.cancelCapacityWait && this.liveSlots() === 0 && this.queue.length > 0) {
      // Out of the Capacity's queue first: a reclaim's release must not hand this pool room twice.
      this.cancelCapacityWait();
      this.cancelCapacityWait = undefined;
      if (!this.o.capacity.tryTake({ mb: this.o.config.memory_mb })) this.waitForCapacity();
      else if (!this.startSlot({ unitTaken: true })) this.o.capacity.release(this.o.config.memory_mb);
    }
    // Trim containers idle for idle_ms beyond what the window's peak needs.
    let live = this.liveSlots();
    const want = this.desired();
    for (const s of [...this.slots]) {
      if (live <= want) break;
      if (s.state === 'ready' && s.inflight === 0 && !s.reservedFor && now - s.lastUsed >= cfg.idle_ms) {
        void this.retire(s, 'over window peak');
        live--;
      }
    }
    this.scaleToWindow();
  }

  /** The idle container this pool would give back to another that needs capacity. */
  private reclaimOffer(): ReclaimOffer | undefined {
    if (this.spare) return { idleMs: Infinity, reclaim: () => void this.stopSpare() };
    let victim: Slot | undefined;
    for (const s of this.slots) {
      if (s.state === 'ready' && s.inflight === 0 && !s.reservedFor && (!victim || s.lastUsed < victim.lastUsed)) victim = s;
    }
    const idleMs = victim ? this.now() - victim.lastUsed : 0;
    // One used within the last second is likely to be used again before a start would pay off.
    if (!victim || idleMs < 1000) return undefined;
    const slot = victim; // the closure keeps this one, whatever `victim` was
    return { idleMs, reclaim: () => void this.retire(slot, 'reclaimed for another function') };
  }

  /**
   * The sandbox's container implementation accepts a per-request `io` beyond the Container
   * interface; drivers that do not know it use the container's `spec.io`, so passing it is safe.
   */
  private invokeOptions(req: PoolRequest): Parameters<Container['invoke']>[1] {
    const opts: { timeoutMs: number; requestId: string; io?: IO } = { timeoutMs: this.o.config.timeout_ms, requestId: req.id };
    if (req.io) opts.io = req.io;
    return opts;
  }

  /** The sandbox shape of this pool's containers: what a shared generic runner must match. */
  stemKey(): StemKey {
    return { memoryMb: this.o.config.memory_mb, pids: this.o.pids ?? POOL_DEFAULTS.pids, network: this.o.config.network };
  }

  private spec(id: string): ContainerSpec {
    return { id, ...this.stemKey(), io: this.o.io, log: this.o.log };
  }

  private publish(): void {
    if (this.closed) return; // the pool that replaces this one owns the gauges now
    const st = this.stats();
    this.o.metrics.containers.set({ function: this.name, state: 'ready' }, st.ready);
    this.o.metrics.containers.set({ function: this.name, state: 'starting' }, st.starting);
    this.o.metrics.containers.set({ function: this.name, state: 'spare' }, st.spare ? 1 : 0);
    this.o.metrics.containers.set({ function: this.name, state: 'stopping' }, st.stopping);
  }
}

function reject(status: number, message: string, outcome: PoolResult['outcome']): PoolResult {
  return { response: platformError(status, message), outcome, reexecuted: false, coldStart: false };
}
