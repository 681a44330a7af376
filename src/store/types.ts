/** How the operator pinned a function's execution mode (CONTRACT §3 `PUT …/mode`). */
export type ModePin = 'auto' | 'containers' | 'accelerated';

export interface FunctionRecord {
  name: string;
  version: number;
  source: string;
  /** The config as the user gave it; defaults are applied by the dispatcher so they can evolve. */
  config: Record<string, unknown>;
  modePin: ModePin;
  createdAt: number;
  updatedAt: number;
}

/** One stored version of a function, without its source (`GET /api/functions/NAME/versions`). */
export interface VersionInfo {
  version: number;
  /** Epoch milliseconds. */
  createdAt: number;
  /** The version requests run on. */
  current: boolean;
  /** As the user gave it (with secrets: show it through the platform's publicConfig). */
  config: Record<string, unknown>;
  sourceBytes: number;
  hasTrace: boolean;
  hasCompiled: boolean;
}

/** One request as `GET /api/functions/NAME/logs` shows it. */
export interface ActivationRecord {
  id: string;
  name: string;
  version: number;
  /** Epoch milliseconds. */
  start: number;
  duration_ms: number;
  mode: string;
  status: number;
  reexecuted: boolean;
  /** Why an accelerated attempt aborted (one of the accelerator's closed set of reasons). */
  abort_reason?: string;
  /** What exactly aborted, and where: free-form text (docs/api.md). */
  abort_detail?: string;
  logs: string[];
}

/** Counters such as `requests.container`, `status.200`, `aborts.fuel`, `outcome.timeout`. */
export type StatsMap = Record<string, number>;
