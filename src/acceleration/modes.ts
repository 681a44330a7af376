import type { ModePin } from '../store/index.ts';

/**
 * A function version's execution mode as data (DESIGN "Execution modes"): the state machine the
 * policy's rules (version-policy.ts) move along.
 */
export type Mode = 'containers' | 'tracing' | 'accelerated';

/** The `x-containerless-mode` header value of a response served in each mode (CONTRACT §2). */
export const MODE_HEADER: Record<Mode, 'container' | 'tracing' | 'accelerated'> = {
  containers: 'container',
  tracing: 'tracing',
  accelerated: 'accelerated',
};

export type ModeEvent =
  | { type: 'pin'; pin: ModePin }
  | { type: 'tracing-available' }
  | { type: 'compiled' }
  | { type: 'demoted'; reason: string }
  | { type: 'compile-failed'; reason: string }
  | { type: 'load-failed'; reason: string }
  /** Compiled code that did not pass the pre-live check (prelive-check.ts): `reason` is the whole text. */
  | { type: 'check-failed'; reason: string }
  /** Tracing can teach nothing more and there is no program to switch to: `reason` is the whole text. */
  | { type: 'stopped-tracing'; reason: string }
  | { type: 'redeployed' };

export interface ModeState {
  mode: Mode;
  pin: ModePin;
  /** Epoch ms of the last change of `mode`. */
  since: number;
  /** Why the function is in its mode, for `GET /api/functions/NAME`. */
  reason: string;
}

/** Which modes each mode may move to; anything else is a bug in the caller. */
export const TRANSITIONS: Readonly<Record<Mode, readonly Mode[]>> = {
  // containers → accelerated: stored compiled code after a restart, or leaving a containers pin.
  containers: ['tracing', 'accelerated'],
  tracing: ['accelerated', 'containers'],
  accelerated: ['tracing', 'containers'],
};

export function initialModeState(pin: ModePin, now = Date.now()): ModeState {
  return { mode: 'containers', pin, since: now, reason: 'new function' };
}

/** The pure transition function; callers store its result. */
export function nextModeState(state: ModeState, event: ModeEvent, now = Date.now()): ModeState {
  const to = (mode: Mode, reason: string, pin = state.pin): ModeState => {
    if (mode !== state.mode && !TRANSITIONS[state.mode].includes(mode)) throw new Error(`mode: ${state.mode} → ${mode} is not a transition`);
    return { mode, pin, since: mode === state.mode ? state.since : now, reason };
  };
  switch (event.type) {
    case 'pin':
      if (event.pin === 'containers') return to('containers', 'pinned to containers', 'containers');
      return { ...state, pin: event.pin };
    case 'redeployed':
      return to('containers', 'new version deployed');
    case 'demoted':
      return to('containers', `demoted: ${event.reason}`);
    case 'compile-failed':
      // Tracing costs every request something: without a program to switch to, plain containers.
      return state.mode === 'tracing' ? to('containers', `compile failed: ${event.reason}`) : state;
    case 'check-failed':
    case 'stopped-tracing':
      return state.mode === 'tracing' ? to('containers', event.reason) : state;
    case 'load-failed':
      // Compiled code that was being served turned out not to load (stored code after a restart).
      return state.mode === 'accelerated' ? to('containers', `compiled code did not load: ${event.reason}`) : state;
    case 'tracing-available':
      if (state.pin === 'containers' || state.mode !== 'containers') return state;
      return to('tracing', 'tracing');
    case 'compiled':
      if (state.pin === 'containers') return state;
      return to('accelerated', 'compiled trace loaded');
  }
}
