import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Capacity } from '../../src/platform/index.ts';
import { StartGate } from '../../src/platform/start-gate.ts';
import { StemCells } from '../../src/platform/stem-cells.ts';
import { createMetrics } from '../../src/metrics/index.ts';
import type { Container, ContainerSpec, SandboxDriver } from '../../src/sandbox/types.ts';

/** A driver whose starts finish only when the test says so, in any order. */
class HeldDriver implements SandboxDriver {
  readonly name = 'process' as const;
  readonly limitations: string[] = [];
  readonly begun: string[] = [];
  private readonly held = new Map<string, { resolve(c: Container): void; reject(e: Error): void }>();
  start(spec: ContainerSpec): Promise<Container> {
    this.begun.push(spec.id);
    return new Promise((resolve, reject) => this.held.set(spec.id, { resolve, reject }));
  }
  finish(id: string, err?: Error): void {
    const h = this.held.get(id);
    assert.ok(h, `${id} was never started`);
    this.held.delete(id);
    if (err) h.reject(err);
    else h.resolve({ id, exited: new Promise(() => {}), kill: async () => {} } as unknown as Container);
  }
  async cleanupLeftovers(): Promise<number> {
    return 0;
  }
}

const spec = (id: string): ContainerSpec => ({ id, memoryMb: 128, pids: 64, network: 'none', io: { request: async () => undefined }, log: () => {} });
const tick = () => new Promise((r) => setImmediate(r));

test('at most `limit` starts run at once; the rest start in order as earlier ones finish or fail', async () => {
  const d = new HeldDriver();
  const gate = new StartGate(d, 2);
  const got = ['a', 'b', 'c', 'd'].map((id) => gate.start(spec(id)).container);
  got[2]!.catch(() => {});
  assert.deepEqual(d.begun, ['a', 'b']);
  assert.deepEqual([gate.active, gate.queued], [2, 2]);
  d.finish('b');
  assert.equal((await got[1]!).id, 'b');
  await tick();
  assert.deepEqual(d.begun, ['a', 'b', 'c']);
  d.finish('c', new Error('no room'));
  await assert.rejects(got[2]!, /no room/);
  await tick();
  assert.deepEqual(d.begun, ['a', 'b', 'c', 'd'], 'a failed start frees its place too');
  d.finish('a');
  d.finish('d');
  assert.deepEqual((await Promise.all([got[0]!, got[3]!])).map((c) => c.id), ['a', 'd']);
  assert.deepEqual([gate.active, gate.queued], [0, 0]);
});

test('a start a request waits for goes before background ones, and a promoted one joins the requests', async () => {
  const d = new HeldDriver();
  const gate = new StartGate(d, 1);
  gate.start(spec('first'));
  const bg1 = gate.start(spec('bg1'), 'background');
  gate.start(spec('bg2'), 'background');
  gate.start(spec('req1'));
  d.finish('first');
  await tick();
  assert.deepEqual(d.begun, ['first', 'req1'], 'the request start jumped the background ones');
  bg1.promote(); // a cold start adopted it: now a request waits for it
  gate.start(spec('req2'));
  d.finish('req1');
  await tick();
  d.finish('bg1');
  await tick();
  d.finish('req2');
  await tick();
  assert.deepEqual(d.begun, ['first', 'req1', 'bg1', 'req2', 'bg2']);
});

test('closing refuses the starts still waiting and any new one; running ones finish', async () => {
  const d = new HeldDriver();
  const gate = new StartGate(d, 1);
  const running = gate.start(spec('run')).container;
  const waiting = gate.start(spec('wait')).container;
  gate.close();
  await assert.rejects(waiting, /shutting down/);
  await assert.rejects(gate.start(spec('late')).container, /shutting down/);
  d.finish('run');
  assert.equal((await running).id, 'run');
  assert.deepEqual(d.begun, ['run']);
});

test('a driver that throws instead of rejecting fails that start only', async () => {
  const gate = new StartGate({ ...new HeldDriver(), name: 'process', limitations: [], start: () => { throw new Error('sync boom'); }, cleanupLeftovers: async () => 0 }, 1);
  await assert.rejects(gate.start(spec('x')).container, /sync boom/);
  await assert.rejects(gate.start(spec('y')).container, /sync boom/);
  assert.equal(gate.active, 0);
  assert.throws(() => new StartGate(new HeldDriver(), 0), /positive integer/);
});

test('a stem cell taken while its start waits behind a cold start is promoted ahead of the other refills', async () => {
  const d = new HeldDriver();
  const gate = new StartGate(d, 1);
  const stem = new StemCells({ driver: d, gate, capacity: new Capacity(100), logger: pino({ level: 'silent' }), metrics: createMetrics({ defaultMetrics: false }), size: 3 });
  const key = { memoryMb: 128, pids: 64, network: 'none' as const };
  gate.start(spec('cold')); // a cold start is running: every stem cell waits behind it
  stem.want(key); // three cells of this shape, all waiting in the gate
  assert.equal(d.begun.length, 1);
  const taken = stem.take(key, { io: { request: async () => undefined }, log: () => {} });
  assert.ok(taken);
  d.finish('cold');
  await tick();
  // The taken cell (the first started) goes next; the refill `take` asked for waits behind the others.
  const next = d.begun[1]!;
  d.finish(next);
  assert.equal((await taken).id, next);
  for (let i = 0; i < 3; i++) {
    await tick();
    d.finish(d.begun.at(-1)!);
  }
  await tick();
  assert.equal(d.begun.length, 5, 'the cold start, the three cells and one refill');
  await stem.close();
});

test('among request starts the one the most requests wait for goes first, read when a slot frees', async () => {
  const d = new HeldDriver();
  const gate = new StartGate(d, 1);
  gate.start(spec('run'));
  const waiting: Record<string, number> = { quiet: 1, busy: 3, busy2: 3, later: 0 };
  for (const id of Object.keys(waiting)) gate.start(spec(id), 'request', () => waiting[id]!);
  gate.start(spec('bg'), 'background');
  d.finish('run');
  await tick();
  assert.deepEqual(d.begun, ['run', 'busy'], 'most wanted first; of two equals, the older');
  waiting.later = 9; // requests piled up on a start that asked last
  d.finish('busy');
  await tick();
  d.finish('later');
  await tick();
  d.finish('busy2');
  await tick();
  d.finish('quiet');
  await tick();
  assert.deepEqual(d.begun, ['run', 'busy', 'later', 'busy2', 'quiet', 'bg'], 'demand is read when a slot frees; background last');
});

test('a request start waiting past the aging bound goes before busier ones, so none starves', async () => {
  const d = new HeldDriver();
  const gate = new StartGate(d, 1, 30);
  gate.start(spec('run'));
  gate.start(spec('rare'), 'request', () => 1);
  await new Promise((r) => setTimeout(r, 40));
  gate.start(spec('hot'), 'request', () => 50);
  d.finish('run');
  await tick();
  assert.deepEqual(d.begun, ['run', 'rare'], 'rare waited 40 ms > 30 ms: it goes first');
  d.finish('rare');
  await tick();
  assert.deepEqual(d.begun, ['run', 'rare', 'hot']);
});

test('a stem cell promoted for a cold start carries the adopter’s demand into the order', async () => {
  const d = new HeldDriver();
  const gate = new StartGate(d, 1);
  gate.start(spec('run'));
  const cell = gate.start(spec('cell'), 'background');
  gate.start(spec('one'), 'request', () => 1);
  cell.promote(() => 4);
  d.finish('run');
  await tick();
  assert.deepEqual(d.begun, ['run', 'cell'], 'the adopted cell has four requests waiting on it');
});
