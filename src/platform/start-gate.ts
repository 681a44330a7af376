import { availableParallelism } from 'node:os';
import type { Container, ContainerSpec, SandboxDriver } from '../sandbox/types.ts';

/**
 * Who waits for a start: a request (a cold start, or a stem cell a cold start adopted) or nobody yet
 * (a pool's spare, a stem cell's refill).
 */
export type StartPriority = 'request' | 'background';

/** How many requests wait for a start now: read each time the gate picks the next start. */
export type Demand = () => number;

/** A driver whose starts may say how many requests wait for them (the gate's `as('request')`). */
export interface StartingDriver extends SandboxDriver {
  start(spec: ContainerSpec, demand?: Demand): Promise<Container>;
}

/** A start handed to the gate; `promote` moves a background start that a request now waits for ahead. */
export interface StartTicket {
  readonly container: Promise<Container>;
  promote(demand?: Demand): void;
}

interface Waiting {
  spec: ContainerSpec;
  priority: StartPriority;
  demand: Demand;
  /** When it joined its queue (performance.now()). */
  since: number;
  resolve(c: Container): void;
  reject(err: Error): void;
}

/**
 * A request's start that has waited this long goes before any start more requests wait for: the
 * order by demand must not starve a rarely used function while busier ones keep asking.
 */
export const START_AGING_MS = 5_000;

const ONE: Demand = () => 1;

/** How many container starts run at once by default: each is a burst of CPU (runc, then Node's start). */
export function defaultStartConcurrency(): number {
  return Math.max(2, availableParallelism());
}

/**
 * At most `limit` containers start at once; the rest wait, requests' starts before background ones.
 * Starting every container a burst asks for at once shares the CPU among all of them, so all finish
 * late (and the dispatcher's own thread gets a sliver of the CPU meanwhile): 50 cold starts on 2
 * cores each took seconds. Among requests' starts, the one the most requests wait for goes first
 * (oldest first among equals, and any that waited `agingMs` before the rest): when dozens of
 * functions are cold at once, a start serves every request queued on its function, so starting the
 * busiest first leaves the fewest requests waiting (in the tenants bench's ramp, in order of arrival
 * a hundred requests waited over a second for a start).
 */
export class StartGate {
  private running = 0;
  private readonly waiting: Record<StartPriority, Waiting[]> = { request: [], background: [] };
  private closed = false;

  constructor(
    private readonly driver: SandboxDriver,
    readonly limit = defaultStartConcurrency(),
    private readonly agingMs = START_AGING_MS,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`start concurrency must be a positive integer, got ${limit}`);
  }

  /** Starts waiting now (not yet handed to the driver). */
  get queued(): number {
    return this.waiting.request.length + this.waiting.background.length;
  }

  get active(): number {
    return this.running;
  }

  start(spec: ContainerSpec, priority: StartPriority = 'request', demand: Demand = ONE): StartTicket {
    let entry!: Waiting;
    const container = new Promise<Container>((resolve, reject) => {
      entry = { spec, priority, demand, since: performance.now(), resolve, reject };
    });
    if (this.closed) entry.reject(new Error('the platform is shutting down'));
    else {
      this.waiting[priority].push(entry);
      this.pump();
    }
    return {
      container,
      promote: (demand?: Demand) => {
        const i = this.waiting.background.indexOf(entry);
        if (i < 0) return;
        this.waiting.background.splice(i, 1);
        entry.priority = 'request';
        if (demand) entry.demand = demand;
        entry.since = performance.now();
        this.waiting.request.push(entry);
        this.pump();
      },
    };
  }

  /** The driver as pools see it: every start through the gate at one priority. */
  as(priority: StartPriority): StartingDriver {
    const d = this.driver;
    return {
      name: d.name,
      limitations: d.limitations,
      start: (spec, demand) => this.start(spec, priority, demand).container,
      cleanupLeftovers: () => d.cleanupLeftovers(),
      ...(d.removeRemaining ? { removeRemaining: () => d.removeRemaining!() } : {}),
    };
  }

  /** Refuses the starts still waiting (nobody will use them) and any new one. Running ones finish. */
  close(): void {
    this.closed = true;
    const err = new Error('the platform is shutting down');
    for (const q of [this.waiting.request, this.waiting.background]) for (const w of q.splice(0)) w.reject(err);
  }

  /** The request start to run next: the oldest past `agingMs`, else the most wanted (oldest first among equals). */
  private nextRequest(): Waiting | undefined {
    const q = this.waiting.request;
    if (q.length === 0) return undefined;
    let best = 0;
    if (performance.now() - q[0]!.since < this.agingMs) {
      let most = q[0]!.demand();
      for (let i = 1; i < q.length; i++) {
        const d = q[i]!.demand();
        if (d > most) [best, most] = [i, d];
      }
    }
    return q.splice(best, 1)[0];
  }

  private pump(): void {
    while (this.running < this.limit) {
      const next = this.nextRequest() ?? this.waiting.background.shift();
      if (!next) return;
      this.running++;
      let started: Promise<Container>;
      try {
        started = this.driver.start(next.spec);
      } catch (err) {
        started = Promise.reject(err as Error);
      }
      started.then(next.resolve, next.reject).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }
}
