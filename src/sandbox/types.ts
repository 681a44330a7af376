import type { FnResponse, IO, LogStream, RawRequest } from '../api/index.ts';

/** Which OS sandbox runs a container. `process` is for development only: it is not a sandbox. */
export type DriverName = 'runc' | 'bwrap' | 'process';

export interface ContainerSpec {
  /** Unique, `[a-z0-9-]`; drivers prefix it so leftovers of a crashed server can be found. */
  id: string;
  memoryMb: number;
  /** Max processes/threads in the container. */
  pids: number;
  network: 'none' | 'host';
  /** Outbound calls of the function (containerless.get/post/…) are served here, by the dispatcher. */
  io: IO;
  /** The function's console output and uncaught errors; requestId when attributable. */
  log(stream: LogStream, line: string, requestId: string | undefined): void;
}

export interface FunctionCode {
  name: string;
  version: number;
  source: string;
  env: Record<string, string>;
  /**
   * Present when the source is instrumented by the tracer: the runner binds `$__cl` to a recorder whose
   * `p` is a Uint8Array(armCount) per request, and reports the hit arms with each response.
   */
  traced?: { armCount: number };
}

export type InvokeOutcome =
  /** The function answered, or the runner itself answered (500 uncaught error, 504 silent handler). */
  | { kind: 'response'; response: FnResponse; arms?: number[] }
  /** The container did not answer within the deadline: it is presumed stuck and must be killed. */
  | { kind: 'timeout' }
  /**
   * The container died (exit, OOM kill, crash) with the request in flight. `violation`: the platform
   * killed it because it broke the runner protocol (docs/sandbox.md): its code is hostile or broken
   * beyond the runner, so its requests are not re-executed.
   */
  | { kind: 'died'; reason: string; violation?: boolean };

/** Addition: limits of `Container.load`. */
export interface LoadOptions {
  /** Limit for the function's top-level run; default LOAD_TIMEOUT_MS (10 s). The container should be killed after it. */
  timeoutMs?: number;
}

export interface InvokeOptions {
  timeoutMs: number;
  /** Unique among the requests in flight in this container. */
  requestId: string;
  /**
   * Addition: serves this request's outbound calls instead of `spec.io` (e.g. a per-request IO that
   * logs or replays calls). Calls made outside any request still use `spec.io`.
   */
  io?: IO;
}

export interface Container {
  readonly id: string;
  readonly driver: DriverName;
  /** Addition: the container's name in its runtime (`cl-<id>`, as `runc list` shows it). */
  readonly runtimeId?: string;
  /** Addition: milliseconds from spawning the sandbox to the runner's `ready` (cold start without load). */
  readonly startedInMs?: number;
  /** Requests in flight now. */
  readonly inflight: number;
  /** Loads a function into this (generic, pre-started) runner; rejects with the load error's message. */
  load(code: FunctionCode, opts?: LoadOptions): Promise<{ initArms?: number[] }>;
  invoke(req: RawRequest, opts: InvokeOptions): Promise<InvokeOutcome>;
  /** Resolves once when the container has exited, for any reason. */
  readonly exited: Promise<{ code: number | null; signal: string | null; reason: string }>;
  /** Stops and removes the container; idempotent. */
  kill(): Promise<void>;
  /** Resident memory of the container's processes in bytes, when the driver can tell. */
  rss(): Promise<number | undefined>;
}

export interface SandboxDriver {
  readonly name: DriverName;
  /** Starts a generic runner, ready for `load`. */
  start(spec: ContainerSpec): Promise<Container>;
  /** Removes containers left over from a previous server process; returns how many. */
  cleanupLeftovers(): Promise<number>;
  /**
   * A clean shutdown's last step, once every pool has closed: removes the containers of this state
   * directory that are still there and whose owner is this process or gone; returns their ids. A
   * driver whose sandboxes cannot outlive the server (they die with it) need not have it.
   */
  removeRemaining?(): Promise<string[]>;
  /** What this host could not enforce (e.g. "memory limit: cgroup not writable"), for the logs. */
  readonly limitations: string[];
}
