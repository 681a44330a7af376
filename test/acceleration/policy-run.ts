// Drives the policy's pure step function through a list of events (the policy table tests).
import { step, type Policy, type PolicyEvent, type VersionFacts, type VersionState } from '../../src/acceleration/index.ts';

/** Runs `events` in order from `s` with the facts `base` overridden by `facts`: the last state and every action. */
export function runEvents(p: Policy, base: VersionFacts, s: VersionState, events: PolicyEvent[], facts: Partial<VersionFacts> = {}, now = 0) {
  const actions = [];
  for (const e of events) {
    const r = step(p, s, e, { ...base, ...facts }, now);
    s = r.state;
    actions.push(...r.actions);
  }
  return { s, actions };
}
