/**
 * The acceleration policy of one function version as pure transitions: `step(policy, state, event,
 * facts, now)` gives the next state and the actions its owner (function-version.ts) must take.
 * Nothing here has timers, pools or I/O, so every rule is a row of a table test
 * (test/dispatcher/version-policy.test.ts). The mode itself moves by the state machine of modes.ts.
 */
import type { ModePin } from '../store/index.ts';
import { initialModeState, nextModeState, type ModeEvent, type ModeState } from './modes.ts';
import type { Policy } from './policy.ts';

export interface VersionState {
  mode: ModeState;
  /** Traced requests since tracing (re)started, and how many in a row reached no new arm. */
  tracedRequests: number;
  stableFor: number;
  /** Outcomes of the last accelerated attempts, true = aborted (the demotion window). */
  window: readonly boolean[];
  /** When the version last fell back to containers (a demotion or a failed compile), until it traces again. */
  demotedAt?: number;
  requestsSinceDemotion: number;
  /** Fallbacks after failed compiles since the last good one: backs off the retry. */
  failedFallbacks: number;
}

/** What the owner knows of the world that the rules read. */
export interface VersionFacts {
  /** The source could be instrumented: the version can run traced. */
  canTrace: boolean;
  /** Compiled code is loaded and can serve. */
  compiled: boolean;
  /** The tree as it is now already failed to compile once (compiling it again would fail again). */
  treeFailed: boolean;
  /** A compile is scheduled and has not started. */
  compileQueued: boolean;
  /**
   * The loaded code was compiled from the tree as it is now: compiling again would give the same
   * code (after a demotion, the code that aborted too often). Absent: false.
   */
  treeCompiled?: boolean;
  compileError?: string;
  /** The tree as it is now failed the pre-live check, not the compile (`compileError` says why). Absent: false. */
  treeFailedCheck?: boolean;
  /** Some traced request reported a path (there is something to compile). Absent: true. */
  hasPaths?: boolean;
}

export type PolicyEvent =
  /** The version was made (deploy or restart), with `facts` of its stored trace and code. */
  | { type: 'activated' }
  /** A request arrives: time to try acceleration again after a fallback? */
  | { type: 'request' }
  /** A request was served by the plain containers. */
  | { type: 'container-request' }
  /** A traced request's path was merged; `grew`: it reached an arm no path had reached. */
  | { type: 'path'; grew: boolean }
  /** A traced request ended without a path (a timeout, a crash): it taught nothing. */
  | { type: 'traced-no-path' }
  /** A scheduled compile did nothing: the tree is the one already compiled, or the one that failed. */
  | { type: 'compile-skipped' }
  /** The compiled code did not pass the pre-live check (prelive-check.ts): it did not go live. */
  | { type: 'check-failed'; reason: string }
  /** An accelerated attempt ended; a `backstop` stop is not the function's own outcome. */
  | { type: 'attempt'; aborted: boolean; backstop: boolean }
  /** An aborted attempt was re-executed in a container. */
  | { type: 'reexecuted' }
  | { type: 'compiled' }
  | { type: 'compile-failed'; reason: string }
  /** Stored compiled code turned out not to load. */
  | { type: 'load-failed'; reason: string }
  /** The backstop stopped the accelerator worker while this version's code ran. */
  | { type: 'backstop'; cause: string }
  | { type: 'pin'; pin: ModePin };

export type PolicyAction =
  /** Compile the tree after `delayMs` (coalesced by the owner with one already queued). */
  | { type: 'compile'; delayMs: number }
  /** The version was demoted for aborting too often (counted by the owner). */
  | { type: 'demoted' };

export interface Step {
  state: VersionState;
  actions: PolicyAction[];
}

export function initialVersionState(pin: ModePin, now: number, previous?: ModeState): VersionState {
  // A redeploy starts in containers with the previous version's pin and says why.
  const mode = previous ? nextModeState({ ...previous, pin }, { type: 'redeployed' }, now) : initialModeState(pin, now);
  return { mode, tracedRequests: 0, stableFor: 0, window: [], requestsSinceDemotion: 0, failedFallbacks: 0 };
}

export function step(policy: Policy, s: VersionState, e: PolicyEvent, facts: VersionFacts, now: number): Step {
  const actions: PolicyAction[] = [];
  const move = (state: VersionState, event: ModeEvent): VersionState => ({ ...state, mode: nextModeState(state.mode, event, now) });
  const pin = s.mode.pin;
  const mode = s.mode.mode;
  switch (e.type) {
    case 'activated': {
      if (pin === 'containers') return { state: s, actions };
      if (facts.compiled) return { state: move(s, { type: 'compiled' }), actions };
      if (facts.canTrace && (policy.traceNewVersions || pin === 'accelerated')) return { state: move(s, { type: 'tracing-available' }), actions };
      return { state: s, actions };
    }
    case 'request': {
      if (s.demotedAt === undefined || mode !== 'containers' || pin !== 'auto') return { state: s, actions };
      const factor = Math.min(policy.retryBackoffMax, 2 ** Math.max(0, s.failedFallbacks - 1));
      if (now - s.demotedAt < policy.retryAfterMs * factor && s.requestsSinceDemotion < policy.retryAfterRequests * factor) return { state: s, actions };
      const retried: VersionState = { ...s, demotedAt: undefined, tracedRequests: 0, stableFor: 0 };
      return { state: move(retried, { type: 'tracing-available' }), actions };
    }
    case 'container-request':
      return { state: s.demotedAt === undefined ? s : { ...s, requestsSinceDemotion: s.requestsSinceDemotion + 1 }, actions };
    case 'path':
    case 'traced-no-path': {
      const grew = e.type === 'path' && e.grew;
      if (mode === 'accelerated') {
        // A re-execution learned a new path: recompile (a burst of them costs one compile).
        if (grew) actions.push({ type: 'compile', delayMs: policy.recompileDelayMs });
        return { state: s, actions };
      }
      if (mode !== 'tracing') return { state: s, actions };
      const traced: VersionState = { ...s, tracedRequests: s.tracedRequests + 1, stableFor: grew ? 0 : s.stableFor + 1 };
      const due = pin === 'accelerated' || traced.tracedRequests >= policy.compileAfterRequests || (policy.compileWhenStableFor > 0 && traced.stableFor >= policy.compileWhenStableFor);
      if (!due) return { state: traced, actions };
      if (facts.hasPaths === false) {
        // Nothing to compile, and more of the same requests would teach nothing either.
        if (pin !== 'auto') return { state: traced, actions };
        const next = { ...traced, demotedAt: now, requestsSinceDemotion: 0, failedFallbacks: traced.failedFallbacks + 1 };
        const reason = `runs in containers: none of its last ${traced.tracedRequests} traced requests answered (timeouts or crashes), so there is nothing to compile`;
        return { state: move(next, { type: 'stopped-tracing', reason }), actions };
      }
      if (facts.compileQueued) return { state: traced, actions };
      const stop = learnedNothing(traced);
      if (stop) return { state: stop, actions };
      return { state: traced, actions: [{ type: 'compile', delayMs: 0 }] };
    }
    case 'compile-skipped':
      // Requests traced while the skipped compile waited found nothing new either.
      if (mode !== 'tracing' || facts.compileQueued) return { state: s, actions };
      return { state: learnedNothing(s) ?? s, actions };
    case 'check-failed': {
      // A recompile of a serving program that fails the check leaves that program serving.
      if (pin !== 'auto' || mode !== 'tracing') return { state: s, actions };
      const next = { ...s, demotedAt: now, requestsSinceDemotion: 0, failedFallbacks: s.failedFallbacks + 1 };
      return { state: move(next, { type: 'check-failed', reason: `runs in containers: ${e.reason}` }), actions };
    }
    case 'attempt': {
      if (e.backstop) return { state: s, actions };
      const window = [...s.window, e.aborted].slice(-policy.demoteWindow);
      return { state: { ...s, window }, actions };
    }
    case 'reexecuted': {
      if (pin !== 'auto' || mode !== 'accelerated') return { state: s, actions };
      const aborted = s.window.filter(Boolean).length;
      const rate = s.window.length === 0 ? 0 : aborted / s.window.length;
      if (s.window.length < Math.min(policy.demoteMinAttempts, policy.demoteWindow) || rate <= policy.demoteAbortRate) return { state: s, actions };
      const reason = `${Math.round(rate * 100)}% of the last ${s.window.length} accelerated requests aborted`;
      const demoted = move({ ...s, demotedAt: now, requestsSinceDemotion: 0, window: [] }, { type: 'demoted', reason });
      return { state: demoted, actions: [{ type: 'demoted' }] };
    }
    case 'compiled': {
      const next = move({ ...s, failedFallbacks: 0 }, { type: 'compiled' });
      // The window counts the attempts of the mode it is in: a fresh start when the version switches.
      return { state: mode !== 'accelerated' && next.mode.mode === 'accelerated' ? { ...next, window: [] } : next, actions };
    }
    case 'compile-failed':
      return { state: fallBack(s, e.reason), actions };
    case 'load-failed': {
      const next = move(s, { type: 'load-failed', reason: e.reason });
      return { state: facts.canTrace ? move(next, { type: 'tracing-available' }) : next, actions };
    }
    case 'backstop': {
      // Whatever the pin: it would stop the worker again, and with it other functions' requests.
      if (mode !== 'accelerated') return { state: s, actions };
      const next = { ...s, demotedAt: now, requestsSinceDemotion: 0, failedFallbacks: s.failedFallbacks + 1, window: [] };
      return { state: move(next, { type: 'demoted', reason: `its accelerated code was stopped by the backstop (${e.cause})` }), actions };
    }
    case 'pin': {
      let next = move(s, { type: 'pin', pin: e.pin });
      // Leaving a containers pin goes back to the mode the version had earned.
      if (e.pin !== 'containers' && next.mode.mode === 'containers') {
        next = { ...next, demotedAt: undefined };
        if (facts.compiled) next = move(next, { type: 'compiled' });
        else if (facts.canTrace) next = move(next, { type: 'tracing-available' });
      }
      if (e.pin === 'accelerated' && next.mode.mode === 'tracing' && next.tracedRequests > 0) actions.push({ type: 'compile', delayMs: 0 });
      return { state: next, actions };
    }
  }

  /**
   * Tracing is due to compile, but the tree is the one compiled already (after a demotion: the same
   * code would abort as before) or the one refused (by the compiler or the pre-live check): more
   * tracing would cost every request and teach nothing now. Plain containers, and the next retry
   * waits longer. Undefined when the tree is new.
   */
  function learnedNothing(traced: VersionState): VersionState | undefined {
    if (facts.treeCompiled && pin === 'auto') {
      const next = { ...traced, demotedAt: now, requestsSinceDemotion: 0, failedFallbacks: traced.failedFallbacks + 1 };
      return move(next, { type: 'demoted', reason: 'its accelerated code aborted too often, and tracing again learned no new path' });
    }
    if (!facts.treeFailed) return undefined;
    if (facts.treeFailedCheck && pin === 'auto') {
      const next = { ...traced, demotedAt: now, requestsSinceDemotion: 0, failedFallbacks: traced.failedFallbacks + 1 };
      return move(next, { type: 'check-failed', reason: `runs in containers: ${facts.compileError ?? 'unknown reason'} (tracing again learned no new path)` });
    }
    return fallBack(traced, `${facts.compileError ?? 'unknown error'} (tracing again learned no new path)`);
  }

  /** A compile failed while tracing: serve plain containers (tracing costs every request) and retry later. */
  function fallBack(state: VersionState, reason: string): VersionState {
    // A pin to `accelerated` keeps tracing: the operator asked for the trace to grow.
    if (state.mode.pin !== 'auto' || state.mode.mode !== 'tracing') return state;
    return move({ ...state, demotedAt: now, requestsSinceDemotion: 0, failedFallbacks: state.failedFallbacks + 1 }, { type: 'compile-failed', reason });
  }
}
