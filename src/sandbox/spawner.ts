import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { Worker } from 'node:worker_threads';

/**
 * Spawns sandbox processes from a worker thread of the dispatcher. libuv spawns with vfork: the
 * calling thread waits until the child has exec'd, and on a machine busy starting containers that
 * took 15–60 ms a spawn; on the event loop it stalled every accelerated answer in flight (the tenants
 * bench saw bursts of 20–60 ms late answers at each cold start). From a worker only that thread
 * waits. The children are still the dispatcher's (same process), their output and exit are relayed.
 */

/** What container.ts uses of a child process. */
export interface SpawnedChild extends EventEmitter {
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  kill(signal?: NodeJS.Signals): boolean;
}

type ToWorker = { type: 'spawn'; id: number; command: string; args: string[]; env: Record<string, string> } | { type: 'kill'; id: number; signal: NodeJS.Signals };
type FromWorker =
  | { type: 'out'; id: number; stream: 'stdout' | 'stderr'; data: Uint8Array }
  | { type: 'error'; id: number; message: string }
  | { type: 'exit'; id: number; code: number | null; signal: NodeJS.Signals | null }
  | { type: 'closed'; id: number };

// Plain CommonJS for an eval'd worker: no build step, no loader, the same in dist/ and from sources.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const kids = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'kill') { const c = kids.get(m.id); if (c) c.kill(m.signal); return; }
  let c;
  try {
    c = spawn(m.command, m.args, { env: m.env, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    parentPort.postMessage({ type: 'error', id: m.id, message: e.message });
    parentPort.postMessage({ type: 'exit', id: m.id, code: null, signal: null });
    parentPort.postMessage({ type: 'closed', id: m.id });
    return;
  }
  kids.set(m.id, c);
  for (const stream of ['stdout', 'stderr']) c[stream].on('data', (data) => parentPort.postMessage({ type: 'out', id: m.id, stream, data }));
  c.on('error', (e) => parentPort.postMessage({ type: 'error', id: m.id, message: e.message }));
  c.on('exit', (code, signal) => parentPort.postMessage({ type: 'exit', id: m.id, code, signal }));
  c.on('close', () => { kids.delete(m.id); parentPort.postMessage({ type: 'closed', id: m.id }); });
});
`;

class RelayedChild extends EventEmitter implements SpawnedChild {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  exited = false;

  constructor(
    private readonly id: number,
    /** The thread that spawned it: only that thread's loss orphans it. */
    readonly worker: Worker,
  ) {
    super();
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.exited) return false;
    this.worker.postMessage({ type: 'kill', id: this.id, signal } satisfies ToWorker);
    return true;
  }

  /** The worker is gone: nothing of this child will be relayed any more. */
  orphaned(): void {
    if (!this.exited) {
      this.emit('error', new Error('the container spawner stopped'));
      this.exited = true;
      this.emit('exit', null, 'SIGKILL');
    }
    this.stdout.end();
    this.stderr.end();
  }
}

export class Spawner {
  private worker?: Worker;
  private readonly children = new Map<number, RelayedChild>();
  private seq = 0;

  spawn(command: string, args: string[], env: Record<string, string>): SpawnedChild {
    const w = this.ensureWorker();
    const id = ++this.seq;
    const child = new RelayedChild(id, w);
    this.children.set(id, child);
    w.ref(); // as a ChildProcess handle does, a live child keeps the process alive

    w.postMessage({ type: 'spawn', id, command, args, env } satisfies ToWorker);
    return child;
  }

  /** Stops the worker (its children keep running: their owners stop them); for shutdown and tests. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.on('message', (m: FromWorker) => this.onMessage(m));
    const lost = () => {
      if (this.worker === w) this.worker = undefined;
      for (const [id, c] of this.children) {
        if (c.worker !== w) continue;
        this.children.delete(id);
        c.orphaned();
      }
    };
    w.on('error', lost);
    w.on('exit', lost);
    w.unref(); // after the listeners (which ref it): only live children keep the process alive
    this.worker = w;
    return w;
  }

  private onMessage(m: FromWorker): void {
    const c = this.children.get(m.id);
    if (!c) return;
    switch (m.type) {
      case 'out':
        (m.stream === 'stdout' ? c.stdout : c.stderr).write(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
        break;
      case 'error':
        c.emit('error', new Error(m.message));
        break;
      case 'exit':
        c.exited = true;
        c.emit('exit', m.code, m.signal);
        break;
      case 'closed':
        this.children.delete(m.id);
        if (![...this.children.values()].some((o) => o.worker === c.worker)) c.worker.unref();
        c.stdout.end();
        c.stderr.end();
        break;
    }
  }
}
