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
  /**
   * A busy worker is stopped when its heartbeat stalled for the watchdog's time while it ran on the
   * CPU that long; or, whatever its CPU time, when it stalled this many times the watchdog's time.
   */
  stallLimit: 10,
  /** A request the worker has not answered this long after its timeout is given up. */
  replyMarginMs: 2000,
} as const;
