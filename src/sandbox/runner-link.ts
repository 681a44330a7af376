import type { Socket } from 'node:net';
import type { IO, OutboundResponse, RawRequest } from '../api/index.ts';
import { createBatchedSender, createLineDecoder, type FromRunner, type ReadyMessage, type ToRunner } from './protocol.ts';
import type { ContainerSpec, FunctionCode, InvokeOptions, InvokeOutcome } from './types.ts';

/** How long after `timeoutMs` a container may still answer before it is declared stuck. */
export const TIMEOUT_MARGIN_MS = 500;
/** Default limit for a function's top-level run (`load`). */
export const LOAD_TIMEOUT_MS = 10_000;

interface Pending {
  resolve(outcome: InvokeOutcome): void;
  timer: NodeJS.Timeout;
  io: IO;
}

/**
 * The dispatcher's end of one runner's socket: sends `load`/`invoke`, serves the runner's `io` calls
 * with the I/O layer, routes logs, and settles every request exactly once (response, timeout or died).
 */
export class RunnerLink {
  readonly ready: Promise<ReadyMessage>;
  private readonly pending = new Map<string, Pending>();
  private loadWaiter: { resolve(v: { initArms?: number[] }): void; reject(e: Error): void } | undefined;
  private closedReason: string | undefined;
  private onReady!: (m: ReadyMessage) => void;
  private onNotReady!: (e: Error) => void;

  constructor(
    private readonly sock: Socket,
    private readonly spec: ContainerSpec,
  ) {
    this.ready = new Promise((resolve, reject) => {
      this.onReady = resolve;
      this.onNotReady = reject;
    });
    this.ready.catch(() => {});
    this.send = createBatchedSender<ToRunner>(sock);
    sock.on(
      'data',
      createLineDecoder<FromRunner>(
        (msg) => this.onMessage(msg),
        (line) => spec.log('stderr', `sandbox: unreadable runner message: ${line.slice(0, 200)}`, undefined),
      ),
    );
    sock.on('error', () => {}); // 'close' follows and carries the consequence
  }

  get inflight(): number {
    return this.pending.size;
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  load(code: FunctionCode, timeoutMs = LOAD_TIMEOUT_MS): Promise<{ initArms?: number[] }> {
    if (this.closedReason !== undefined) return Promise.reject(new Error(`container is gone: ${this.closedReason}`));
    if (this.loadWaiter) return Promise.reject(new Error('a load is already in progress'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.loadWaiter = undefined;
        reject(new Error(`the function's top-level code did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      this.loadWaiter = {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.send({ type: 'load', name: code.name, version: code.version, source: code.source, env: code.env, traced: code.traced });
    });
  }

  invoke(req: RawRequest, opts: InvokeOptions): Promise<InvokeOutcome> {
    if (this.closedReason !== undefined) return Promise.resolve({ kind: 'died', reason: this.closedReason });
    const id = opts.requestId;
    if (this.pending.has(id)) return Promise.reject(new Error(`request id ${id} is already in flight in this container`));
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, { kind: 'timeout' }), opts.timeoutMs + TIMEOUT_MARGIN_MS);
      this.pending.set(id, { resolve, timer, io: opts.io ?? this.spec.io });
      this.send({ type: 'invoke', id, req, timeoutMs: opts.timeoutMs });
    });
  }

  /** The container is gone: every request in flight has died with it. Idempotent. */
  close(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.onNotReady(new Error(reason));
    this.loadWaiter?.reject(new Error(`the container exited while loading the function: ${reason}`));
    this.loadWaiter = undefined;
    for (const id of [...this.pending.keys()]) this.settle(id, { kind: 'died', reason });
    this.sock.destroy();
  }

  private settle(id: string, outcome: InvokeOutcome): void {
    const p = this.pending.get(id);
    if (!p) return; // late answer after a timeout: ignored
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(outcome);
  }

  private readonly send: (msg: ToRunner) => void;

  private onMessage(msg: FromRunner): void {
    switch (msg.type) {
      case 'ready':
        this.onReady(msg);
        break;
      case 'loaded':
        this.loadWaiter?.resolve(msg.initArms ? { initArms: msg.initArms } : {});
        this.loadWaiter = undefined;
        break;
      case 'load-error':
        this.loadWaiter?.reject(new Error(msg.message));
        this.loadWaiter = undefined;
        break;
      case 'response':
        this.settle(msg.id, msg.arms ? { kind: 'response', response: msg.res, arms: msg.arms } : { kind: 'response', response: msg.res });
        break;
      case 'io': {
        const io = (msg.id !== undefined ? this.pending.get(msg.id)?.io : undefined) ?? this.spec.io;
        void safeRequest(io, msg.req).then((res) => this.send({ type: 'io-result', ioId: msg.ioId, res: res ?? null }));
        break;
      }
      case 'log':
        this.spec.log(msg.stream, msg.line, msg.id);
        break;
    }
  }
}

/** The IO contract says "never rejects"; a buggy layer must still not leave a callback hanging. */
async function safeRequest(io: IO, req: Parameters<IO['request']>[0]): Promise<OutboundResponse | undefined> {
  try {
    return await io.request(req);
  } catch {
    return undefined;
  }
}
