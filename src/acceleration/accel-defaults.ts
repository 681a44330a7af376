/**
 * The accelerator workers' limits and clocks, apart from accel-workers.ts so that `containerless serve
 * --help` can show them without loading the accelerator.
 */
export const ACCEL_WORKER_DEFAULTS = {
  heapMb: 512,
  watchdogMs: 1000,
  /** How often a worker beats, and how often the dispatcher looks. */
  beatMs: 50,
  checkMs: 100,
  /** A request the worker has not answered this long after its timeout is given up. */
  replyMarginMs: 2000,
} as const;
