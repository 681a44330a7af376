import { availableParallelism } from 'node:os';
import type { Container, ContainerSpec, SandboxDriver } from '../sandbox/types.ts';

/**
 * Who waits for a start: a request (a cold start, or a stem cell a cold start adopted) or nobody yet
 * (a pool's spare, a stem cell's refill).
 */
export type StartPriority = 'request' | 'background';

/** A start handed to the gate; `promote` moves a background start that a request now waits for ahead. */
export interface StartTicket {
  readonly container: Promise<Container>;
  promote(): void;
}

interface Waiting {
  spec: ContainerSpec;
  priority: StartPriority;
  resolve(c: Container): void;
  reject(err: Error): void;
}

/** How many container starts run at once by default: each is a burst of CPU (runc, then Node's start). */
export function defaultStartConcurrency(): number {
  return Math.max(2, availableParallelism());
}

/**
 * At most `limit` containers start at once; the rest wait in order, requests' starts before
 * background ones. Starting every container a burst asks for at once shares the CPU among all of
 * them, so all finish late (and the dispatcher's own thread gets a sliver of the CPU meanwhile): 50
 * cold starts on 2 cores each took seconds. In order, the first functions are served after one start
 * time, trace, compile and stop needing containers, while the later ones wait no longer than before.
 */
export class StartGate {
  private running = 0;
  private readonly waiting: Record<StartPriority, Waiting[]> = { request: [], background: [] };
  private closed = false;

  constructor(
    private readonly driver: SandboxDriver,
    readonly limit = defaultStartConcurrency(),
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

  start(spec: ContainerSpec, priority: StartPriority = 'request'): StartTicket {
    let entry!: Waiting;
    const container = new Promise<Container>((resolve, reject) => {
      entry = { spec, priority, resolve, reject };
    });
    if (this.closed) entry.reject(new Error('the platform is shutting down'));
    else {
      this.waiting[priority].push(entry);
      this.pump();
    }
    return {
      container,
      promote: () => {
        const i = this.waiting.background.indexOf(entry);
        if (i < 0) return;
        this.waiting.background.splice(i, 1);
        entry.priority = 'request';
        this.waiting.request.push(entry);
        this.pump();
      },
    };
  }

  /** The driver as pools see it: every start through the gate at one priority. */
  as(priority: StartPriority): SandboxDriver {
    const d = this.driver;
    return {
      name: d.name,
      limitations: d.limitations,
      start: (spec) => this.start(spec, priority).container,
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

  private pump(): void {
    while (this.running < this.limit) {
      const next = this.waiting.request.shift() ?? this.waiting.background.shift();
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
