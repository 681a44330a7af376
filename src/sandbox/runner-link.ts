import type { Socket } from 'node:net';
import type { IO, OutboundResponse, RawRequest } from '../api/index.ts';
import { checkFromRunner } from './protocol-check.ts';
import { createBatchedSender, createLineDecoder, maxRunnerLineBytes, RUNNER_FLOW_LIMITS, type FromRunner, type IoMessage, type ReadyMessage, type ToRunner } from './protocol.ts';
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
 * The function shares the runner's process and can write to this socket, so every line is bounded
 * and checked: an oversized line, a line that is not JSON or a message of the wrong shape is a
 * protocol violation, which closes the link (its requests die with `violation`) and calls
 * `onViolation` so the container is killed. Log lines and `io` calls count for a request only
 * while that request is in flight on this very link.
 */
export class RunnerLink {
  readonly ready: Promise<ReadyMessage>;
  private readonly pending = new Map<string, Pending>();
  private loadWaiter: { resolve(v: { initArms?: number[] }): void; reject(e: Error): void } | undefined;
  private closedReason: string | undefined;
  private onReady!: (m: ReadyMessage) => void;
  private onNotReady!: (e: Error) => void;
  /** Arms of the function being loaded or loaded (traced code): bounds `arms` and the line length. */
  private armCount = 0;
  private maxLine = maxRunnerLineBytes(0);
  /** Outbound calls of this runner being performed now, and those waiting for a turn. */
  private ioInFlight = 0;
  private readonly ioQueue: Array<{ io: IO; msg: IoMessage }> = [];

  constructor(
    private readonly sock: Socket,
    private readonly spec: ContainerSpec,
    private readonly onViolation: (reason: string) => void = () => {},
  ) {
    this.ready = new Promise((resolve, reject) => {
      this.onReady = resolve;
      this.onNotReady = reject;
    });
    this.ready.catch(() => {});
    this.send = createBatchedSender<ToRunner>(sock, () => this.flow());
    sock.on('drain', () => this.flow());
    sock.on(
      'data',
      createLineDecoder<unknown>(
        (msg) => this.onLine(msg),
        (line) => this.violation(`a line that is not JSON: ${JSON.stringify(line.slice(0, 80))}`),
        { maxLineBytes: () => this.maxLine, onOversize: (bytes, max) => this.violation(`a message line over ${max} bytes (${bytes} so far, no newline)`) },
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
      this.armCount = code.traced?.armCount ?? 0;
      this.maxLine = maxRunnerLineBytes(this.armCount);
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
  close(reason: string, violation = false): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.onNotReady(new Error(reason));
    this.loadWaiter?.reject(new Error(`the container exited while loading the function: ${reason}`));
    this.loadWaiter = undefined;
    this.ioQueue.length = 0;
    const outcome: InvokeOutcome = violation ? { kind: 'died', reason, violation: true } : { kind: 'died', reason };
    for (const id of [...this.pending.keys()]) this.settle(id, outcome);
    this.sock.destroy();
  }

  /** The runner (or the function posing as it) broke the protocol: nothing more is read from it. */
  private violation(what: string): false {
    if (this.closedReason === undefined) {
      const reason = `the container broke the runner protocol: ${what}`;
      this.close(reason, true);
      this.onViolation(reason);
    }
    return false;
  }

  private settle(id: string, outcome: InvokeOutcome): void {
    const p = this.pending.get(id);
    if (!p) return; // late answer after a timeout: ignored
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(outcome);
  }

  private readonly send: (msg: ToRunner) => void;

  private perform(io: IO, msg: IoMessage): void {
    this.ioInFlight++;
    void safeRequest(io, msg.req).then((res) => {
      this.ioInFlight--;
      if (this.closedReason !== undefined) return;
      this.send({ type: 'io-result', ioId: msg.ioId, res: res ?? null });
      const next = this.ioQueue.shift();
      if (next) this.perform(next.io, next.msg);
      this.flow();
    });
  }

  /**
   * Reads the runner's socket only while it is within RUNNER_FLOW_LIMITS: calls in flight and what
   * it has not read yet. Paused, the runner's own writes wait in its process, not in this one.
   */
  private flow(): void {
    if (this.closedReason !== undefined) return;
    const over = this.ioQueue.length > 0 || this.ioInFlight >= RUNNER_FLOW_LIMITS.maxIoInFlight || this.sock.writableLength > RUNNER_FLOW_LIMITS.maxUnsentBytes;
    if (over && !this.sock.isPaused()) this.sock.pause();
    else if (!over && this.sock.isPaused()) this.sock.resume();
  }

  private onLine(raw: unknown): void | false {
    if (this.closedReason !== undefined) return false;
    const bad = checkFromRunner(raw, { armCount: this.armCount });
    if (bad !== undefined) return this.violation(bad);
    this.onMessage(raw as FromRunner);
  }

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
        // Only a request in flight here selects its own IO (its call log); any other id is a call
        // from outside a request, served with the container's IO. The IO is chosen now: the request
        // may end while the call waits its turn.
        const io = (msg.id !== undefined ? this.pending.get(msg.id)?.io : undefined) ?? this.spec.io;
        if (this.ioInFlight < RUNNER_FLOW_LIMITS.maxIoInFlight) this.perform(io, msg);
        else this.ioQueue.push({ io, msg });
        this.flow();
        break;
      }
      case 'log':
        // A line naming a request that is not in flight here (another container's, or one that has
        // ended) belongs to this container's function, not to that request.
        this.spec.log(msg.stream, msg.line, msg.id !== undefined && this.pending.has(msg.id) ? msg.id : undefined);
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
