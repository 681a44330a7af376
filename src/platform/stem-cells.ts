import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { IO, LogStream } from '../api/index.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { Container, ContainerSpec, SandboxDriver } from '../sandbox/types.ts';
import type { Capacity, ReclaimOffer } from './capacity.ts';
import type { Demand, StartGate } from './start-gate.ts';

/** What makes two generic runners interchangeable: everything fixed when the sandbox starts. */
export interface StemKey {
  memoryMb: number;
  pids: number;
  network: ContainerSpec['network'];
}

/** Who a runner's outbound calls and console output belong to, once a pool adopted it. */
export interface StemOwner {
  io: IO;
  log(stream: LogStream, line: string, requestId: string | undefined): void;
  /** How many of the adopter's requests wait for the runner (orders its start if it has not begun). */
  demand?: Demand;
}

interface Cell {
  key: string;
  memoryMb: number;
  container: Promise<Container>;
  /** Moves the start ahead of other background starts once a request waits for it. */
  promote(demand?: Demand): void;
  /** Set when a pool adopts the runner: where its relay sends calls and lines from then on. */
  relay: { owner?: StemOwner };
}

export interface StemCellOptions {
  driver: SandboxDriver;
  /** When set, runners start through it, behind the starts requests wait for. */
  gate?: StartGate;
  capacity: Capacity;
  logger: Logger;
  metrics: Metrics;
  /** How many generic runners wait, across every function (0: none). */
  size: number;
  idPrefix?: string;
}

export const STEM_CELL_DEFAULTS = { size: 2 } as const;

const keyOf = (k: StemKey): string => `${k.memoryMb}/${k.pids}/${k.network}`;

/**
 * The platform's shared pre-started generic runners (OpenWhisk's stem cells). A deploy asks for one
 * of its sandbox shape (`want`); a pool's cold start adopts one (`take`) and then only loads code,
 * and the taken cell is replaced at once. There are `size` of them whatever the number of deployed
 * functions, so a thousand deploys hold a handful of runners, not a thousand. A runner's outbound
 * calls and log lines go through a relay until a pool adopts it, so one runner can serve any function
 * of its shape. Each holds a unit of the platform's Capacity, and gives it back first when a pool
 * needs one (a waiting runner is the cheapest container to lose).
 */
export class StemCells {
  private readonly cells: Cell[] = [];
  /** Shapes most recently asked for, newest last: what a replacement is started as. */
  private readonly wanted: StemKey[] = [];
  private seq = 0;
  /** Kills of runners given up, in flight: closing waits for them too. */
  private readonly stops = new Set<Promise<void>>();
  /** Container ids are unique on the machine: several platforms (and test runs) share one runtime. */
  private readonly idPrefix: string;
  private closed = false;
  private readonly stopReclaim: () => void;

  constructor(private readonly o: StemCellOptions) {
    this.idPrefix = `${o.idPrefix ?? 'stem'}-${randomUUID().slice(0, 6)}`;
    this.stopReclaim = o.capacity.addReclaimer(() => this.reclaimOffer());
  }

  get enabled(): boolean {
    return this.o.size > 0 && !this.closed;
  }

  get count(): number {
    return this.cells.length;
  }

  /** A function of this shape was deployed: keep a runner of its shape ready, evicting the oldest other shape if full. */
  want(key: StemKey): void {
    if (this.closed || this.o.size <= 0) return;
    const k = keyOf(key);
    const i = this.wanted.findIndex((w) => keyOf(w) === k);
    if (i >= 0) this.wanted.splice(i, 1);
    this.wanted.push(key);
    if (this.wanted.length > this.o.size) this.wanted.shift();
    if (!this.cells.some((c) => c.key === k)) {
      if (this.cells.length >= this.o.size) this.drop(this.cells[0]!); // the oldest: cells are kept in start order
      this.start(key);
    }
    this.fill();
  }

  /** Tops up to `size` runners, of the shapes most recently wanted. */
  fill(): void {
    if (this.closed || this.wanted.length === 0) return;
    for (let i = this.wanted.length - 1; this.cells.length < this.o.size; i = (i - 1 + this.wanted.length) % this.wanted.length) {
      if (!this.start(this.wanted[i]!)) return;
    }
  }

  /**
   * A runner of this shape, started or starting, with its capacity unit: the caller owns both now.
   * Undefined when none waits; the pool then starts its own.
   */
  take(key: StemKey, owner: StemOwner): Promise<Container> | undefined {
    const k = keyOf(key);
    const i = this.cells.findIndex((c) => c.key === k);
    if (i < 0) return undefined;
    const [cell] = this.cells.splice(i, 1);
    cell!.relay.owner = owner;
    cell!.promote(owner.demand);
    this.publish();
    this.fill();
    return cell!.container;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopReclaim();
    const all = this.cells.splice(0);
    for (const c of all) this.o.capacity.release(c.memoryMb);
    this.publish();
    await Promise.all([...all.map((c) => this.kill(c)), ...this.stops]);
  }

  private start(key: StemKey): boolean {
    if (!this.o.capacity.tryTake({ reclaim: false, mb: key.memoryMb })) return false;
    const relay: Cell['relay'] = {};
    const spec: ContainerSpec = {
      id: `${this.idPrefix}-${++this.seq}`,
      ...key,
      // A generic runner makes no calls before it loads code; a call then belongs to the adopter.
      io: { request: (req, requestId) => (relay.owner ? relay.owner.io.request(req, requestId) : Promise.resolve(undefined)) },
      log: (stream, line, requestId) => {
        if (relay.owner) relay.owner.log(stream, line, requestId);
        else this.o.logger.warn({ stream, line }, 'a waiting generic runner wrote output');
      },
    };
    const ticket = this.o.gate ? this.o.gate.start(spec, 'background') : { container: this.o.driver.start(spec), promote: () => {} };
    const cell: Cell = { key: keyOf(key), memoryMb: key.memoryMb, relay, container: ticket.container, promote: ticket.promote };
    this.cells.push(cell);
    this.publish();
    cell.container.then(
      (c) => void c.exited.then(() => this.lost(cell)),
      (err: Error) => {
        this.o.logger.warn({ err: err.message }, 'starting a stem cell failed');
        this.lost(cell);
      },
    );
    return true;
  }

  /** A waiting runner exited or never started: its room is free again (one adopted is its pool's). */
  private lost(cell: Cell): boolean {
    const i = this.cells.indexOf(cell);
    if (i < 0) return false;
    this.cells.splice(i, 1);
    this.o.capacity.release(cell.memoryMb);
    this.publish();
    return true;
  }

  /** Gives a waiting runner up: its room at once, its kill awaited by close. */
  private drop(cell: Cell): void {
    if (!this.lost(cell)) return;
    const done = this.kill(cell).finally(() => this.stops.delete(done));
    this.stops.add(done);
  }

  private reclaimOffer(): ReclaimOffer | undefined {
    const oldest = this.cells[0];
    return oldest && { idleMs: Infinity, reclaim: () => this.drop(oldest) };
  }

  private async kill(cell: Cell): Promise<void> {
    try {
      const c = await cell.container;
      await c.kill();
    } catch {
      // It never started: nothing to stop.
    }
  }

  private publish(): void {
    this.o.metrics.stemCells.set(this.cells.length);
  }
}
