/**
 * The acceleration policy (DESIGN "Execution modes"): when a function is traced, compiled, demoted
 * and given another chance. Plain data with documented defaults (docs/policy.md) so that tests and
 * operators can set it (`DispatcherOptions.policy`, `PlatformOptions.policy`, `serve --policy JSON`).
 * Pins from `PUT /api/functions/NAME/mode` override it per function.
 */
export interface Policy {
  /** A new function or version runs its first containers traced (false: plain containers until `POST …/compile` or a pin). */
  traceNewVersions: boolean;
  /** Compile once this many requests have been traced since tracing (re)started (N). */
  compileAfterRequests: number;
  /** …or earlier, once this many traced requests in a row added no new arm to the tree (M). */
  compileWhenStableFor: number;
  /** Demotion looks at the last this many accelerated attempts (K). */
  demoteWindow: number;
  /** Demote when more than this fraction of those attempts aborted (X, 0..1). */
  demoteAbortRate: number;
  /** …but only once the window holds at least this many attempts. */
  demoteMinAttempts: number;
  /** After a demotion or a failed compile, trace again (and so compile again) after this long… */
  retryAfterMs: number;
  /** …or after this many requests served by containers, whichever comes first. */
  retryAfterRequests: number;
  /** Each further failed compile in a row multiplies both retry thresholds by 2, up to this factor. */
  retryBackoffMax: number;
  /** New paths learned while accelerated are recompiled after this delay, so a burst costs one compile. */
  recompileDelayMs: number;
  /** A changed trace tree is written to the store at most this often (and on shutdown). */
  persistTraceMs: number;
  /** Recent traced requests kept per version and replayed by compiled code before it goes live (0: no check). */
  preliveSample: number;
  /** The pre-live replays stop after this long; the requests replayed by then decide. */
  preliveBudgetMs: number;
}

export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({
  traceNewVersions: true,
  compileAfterRequests: 1,
  compileWhenStableFor: 5,
  demoteWindow: 20,
  demoteAbortRate: 0.5,
  demoteMinAttempts: 10,
  retryAfterMs: 60_000,
  retryAfterRequests: 200,
  retryBackoffMax: 32,
  recompileDelayMs: 50,
  persistTraceMs: 500,
  preliveSample: 8,
  preliveBudgetMs: 5_000,
});

export class PolicyError extends Error {
  override name = 'PolicyError';
}

/** The defaults with `over` applied; unknown keys and out-of-range values are refused, not ignored. */
export function resolvePolicy(over: unknown = {}): Policy {
  if (over === null || typeof over !== 'object' || Array.isArray(over)) throw new PolicyError('policy must be an object');
  const p: Policy = { ...DEFAULT_POLICY };
  for (const [key, value] of Object.entries(over as Record<string, unknown>)) {
    if (!(key in DEFAULT_POLICY)) throw new PolicyError(`unknown policy field ${JSON.stringify(key)} (known: ${Object.keys(DEFAULT_POLICY).join(', ')})`);
    const k = key as keyof Policy;
    if (k === 'traceNewVersions') {
      if (typeof value !== 'boolean') throw new PolicyError('policy.traceNewVersions must be a boolean');
      p.traceNewVersions = value;
    } else if (k === 'demoteAbortRate') {
      if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new PolicyError('policy.demoteAbortRate must be a number in [0, 1]');
      p.demoteAbortRate = value;
    } else {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new PolicyError(`policy.${k} must be a non-negative integer`);
      p[k] = value;
    }
  }
  if (p.compileAfterRequests < 1) throw new PolicyError('policy.compileAfterRequests must be at least 1');
  if (p.retryBackoffMax < 1) throw new PolicyError('policy.retryBackoffMax must be at least 1');
  if (p.demoteWindow < 1) throw new PolicyError('policy.demoteWindow must be at least 1');
  return p;
}
