// Issue 12 "honest states" as policy rows (src/acceleration/version-policy.ts): every way a version
// can be left in `tracing` after a retry ends in a stated mode, and compiled code the pre-live check
// refused never goes live. The HTTP-level tests are in prelive-e2e.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialVersionState, resolvePolicy, step, type Mode, type PolicyEvent, type VersionFacts, type VersionState } from '../../src/acceleration/index.ts';
import type { ModePin } from '../../src/store/index.ts';
import { runEvents } from './policy-run.ts';

const P = resolvePolicy({ compileAfterRequests: 3, compileWhenStableFor: 2, retryAfterMs: 1000, retryAfterRequests: 5 });
const FACTS: VersionFacts = { canTrace: true, compiled: false, treeFailed: false, compileQueued: false };

function at(mode: Mode, pin: ModePin = 'auto', over: Partial<VersionState> = {}): VersionState {
  const s = initialVersionState(pin, 0);
  return { ...s, mode: { ...s.mode, mode }, ...over };
}

const run = (s: VersionState, events: PolicyEvent[], facts: Partial<VersionFacts> = {}, now = 10) => runEvents(P, FACTS, s, events, facts, now);

const due: PolicyEvent[] = [{ type: 'path', grew: false }, { type: 'path', grew: false }];

test('every sticky tracing state of the policy ends in a stated mode', () => {
  // [what happened, state, events, facts, mode after, reason pattern, compile asked]
  const rows: Array<[string, VersionState, PolicyEvent[], Partial<VersionFacts>, Mode, RegExp, boolean]> = [
    ['compile skipped: the tree is the one already compiled (retry after a demotion)', at('tracing'), [{ type: 'compile-skipped' }], { compiled: true, treeCompiled: true }, 'containers', /^demoted: .*learned no new path/, false],
    ['compile skipped: the tree is the one whose compile failed', at('tracing'), [{ type: 'compile-skipped' }], { treeFailed: true, compileError: 'compile: x' }, 'containers', /^compile failed: compile: x \(tracing again learned no new path\)/, false],
    ['compile skipped: the tree is the one the pre-live check refused', at('tracing'), [{ type: 'compile-skipped' }], { treeFailed: true, treeFailedCheck: true, compileError: 'its compiled code aborts at 3:4 (y)' }, 'containers', /^runs in containers: its compiled code aborts at 3:4 \(y\) \(tracing again learned no new path\)/, false],
    ['compile skipped while another is queued: that one decides', at('tracing'), [{ type: 'compile-skipped' }], { treeFailed: true, compileQueued: true }, 'tracing', /tracing|new function/, false],
    ['compile failed', at('tracing'), [{ type: 'compile-failed', reason: 'validate: z' }], {}, 'containers', /^compile failed: validate: z/, false],
    ['pre-live check refused the code', at('tracing'), [{ type: 'check-failed', reason: 'its compiled code answered the traced request GET / differently' }], {}, 'containers', /^runs in containers: its compiled code answered the traced request GET \/ differently/, false],
    ['retry learned nothing, tree refused by the check', at('tracing'), due, { treeFailed: true, treeFailedCheck: true, compileError: 'r' }, 'containers', /^runs in containers: r \(tracing again learned no new path\)/, false],
    ['retry learned nothing, tree compiled before', at('tracing'), due, { compiled: true, treeCompiled: true }, 'containers', /^demoted: /, false],
    ['traced requests never answer (timeouts, crashes): nothing to compile', at('tracing'), [{ type: 'traced-no-path' }, { type: 'traced-no-path' }], { hasPaths: false }, 'containers', /^runs in containers: none of its last 2 traced requests answered/, false],
    ['traced requests that fail after some answered: compile what there is', at('tracing'), [{ type: 'traced-no-path' }, { type: 'traced-no-path' }], { hasPaths: true }, 'tracing', /./, true],
    ['a new tree after a retry is compiled', at('tracing'), [{ type: 'path', grew: true }, ...due], { compiled: true, treeCompiled: false }, 'tracing', /./, true],
  ];
  for (const [what, s, events, facts, mode, reason, compile] of rows) {
    const r = run(s, events, facts);
    assert.equal(r.s.mode.mode, mode, what);
    assert.match(r.s.mode.reason, reason, what);
    assert.equal(r.actions.some((a) => a.type === 'compile'), compile, what);
    if (mode === 'containers') assert.equal(r.s.demotedAt, 10, `${what}: a retry is scheduled`);
  }
});

test('a version sent back to containers is retried, and a retry that learns nothing goes back with a longer wait', () => {
  let { s } = run(at('tracing'), [{ type: 'check-failed', reason: 'its compiled code aborts at 1:2 (q)' }]);
  assert.equal(s.failedFallbacks, 1);
  // Not yet: neither the time nor the request count is reached.
  assert.equal(step(P, s, { type: 'request' }, FACTS, 500).state.mode.mode, 'containers');
  s = step(P, s, { type: 'request' }, FACTS, 2000).state;
  assert.equal(s.mode.mode, 'tracing');
  const again = run(s, due, { treeFailed: true, treeFailedCheck: true, compileError: 'its compiled code aborts at 1:2 (q)' }, 3000).s;
  assert.equal(again.mode.mode, 'containers');
  assert.equal(again.failedFallbacks, 2);
  assert.equal(step(P, again, { type: 'request' }, FACTS, 3000 + 1500).state.mode.mode, 'containers', 'the second wait is twice as long');
  assert.equal(step(P, again, { type: 'request' }, FACTS, 3000 + 2001).state.mode.mode, 'tracing');
});

test('a check failure of a recompile keeps the program that serves; a pin keeps tracing', () => {
  const serving = at('accelerated');
  assert.equal(run(serving, [{ type: 'check-failed', reason: 'x' }]).s, serving);
  const pinned = at('tracing', 'accelerated');
  assert.equal(run(pinned, [{ type: 'check-failed', reason: 'x' }]).s.mode.mode, 'tracing');
  // Traced requests that never answer do not push a pinned function out of tracing either.
  assert.equal(run(pinned, [{ type: 'traced-no-path' }], { hasPaths: false }).s.mode.mode, 'tracing');
});
