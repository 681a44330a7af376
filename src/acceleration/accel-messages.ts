/**
 * Messages between the dispatcher and its accelerator workers (accel-workers.ts, accel-worker.ts).
 * Types only: both threads import this file, neither imports the other.
 */
import type { AccelResult, FunctionIdentity, Limits } from '../accelerator/index.ts';
import type { LogStream, OutboundRequest, OutboundResponse, RawRequest } from '../api/index.ts';

/** Slots of the worker's shared status array (an Int32Array over a SharedArrayBuffer). */
export const STATUS = {
  /** Milliseconds since the worker started (modulo 2^32), bumped by its heartbeat timer (0 until it runs). */
  heartbeat: 0,
  /** The slot of the function whose code the worker entered last (see ToWorker's `slot`). */
  running: 1,
  /** The worker thread's kernel id (0 where unknown): the watchdog reads its CPU time. */
  tid: 2,
  size: 3,
} as const;

export interface LoadSpec {
  /** Compiled code; validated in the worker before anything of it runs. */
  code: string;
  /** What the function's process.env starts as. */
  env: Record<string, string>;
  limits?: Partial<Limits>;
  /** What a Lambda handler's context shows of the function, as its containers are told. */
  identity?: FunctionIdentity;
}

export type ToWorker =
  | { t: 'load'; key: string; slot: number; spec: LoadSpec }
  | { t: 'unload'; key: string }
  | { t: 'req'; key: string; slot: number; id: string; raw: RawRequest; timeoutMs: number }
  | { t: 'io-res'; cid: number; slot: number; res: OutboundResponse | null };

/** A request's log lines travel with its result: [stream, line]. */
export type LogLines = Array<[LogStream, string]>;

export type FromWorker =
  | { t: 'ready' }
  | { t: 'loaded'; key: string; error?: string }
  | { t: 'res'; id: string; result: AccelResult; logs: LogLines }
  | { t: 'io'; key: string; cid: number; id?: string; req: OutboundRequest }
  | { t: 'log'; key: string; stream: LogStream; line: string };
