// The acceleration policy as data (src/acceleration/modes.ts, version-policy.ts): every rule is a
// row here, with no pool, timer or worker. The integration tests in this folder drive the same rules
// through the HTTP API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY, initialModeState, initialVersionState, nextModeState, resolvePolicy, step, type PolicyEvent, type VersionFacts, type VersionState } from '../../src/acceleration/index.ts';
import type { ModePin } from '../../src/store/index.ts';
import { runEvents } from './policy-run.ts';

test('mode state machine: a containers pin holds; a failed recompile keeps the code that serves', () => {
  const s0 = initialModeState('auto', 0);
  assert.equal(s0.mode, 'containers');
  assert.equal(nextModeState(s0, { type: 'tracing-available' }).mode, 'tracing');
  const pinned = nextModeState(s0, { type: 'pin', pin: 'containers' });
  assert.equal(pinned.pin, 'containers');
  assert.equal(nextModeState(pinned, { type: 'tracing-available' }).mode, 'containers', 'pinned functions stay in containers');
  assert.equal(nextModeState(pinned, { type: 'compiled' }).mode, 'containers');
  assert.equal(nextModeState(s0, { type: 'pin', pin: 'accelerated' }).pin, 'accelerated');
  const tracing = nextModeState(s0, { type: 'tracing-available' });
  const failed = nextModeState(tracing, { type: 'compile-failed', reason: 'load: x' });
  assert.deepEqual([failed.mode, failed.reason], ['containers', 'compile failed: load: x']);
  const accelerated = nextModeState(tracing, { type: 'compiled' });
  assert.equal(nextModeState(accelerated, { type: 'compile-failed', reason: 'x' }), accelerated, 'a failed recompile keeps the program that serves');
});

const P = resolvePolicy({ compileAfterRequests: 3, compileWhenStableFor: 2, demoteWindow: 4, demoteMinAttempts: 4, demoteAbortRate: 0.5, retryAfterMs: 1000, retryAfterRequests: 5, retryBackoffMax: 4, recompileDelayMs: 7 });
const FACTS: VersionFacts = { canTrace: true, compiled: false, treeFailed: false, compileQueued: false };

function at(mode: 'containers' | 'tracing' | 'accelerated', pin: ModePin = 'auto', over: Partial<VersionState> = {}): VersionState {
  const s = initialVersionState(pin, 0);
  const m = mode === 'containers' ? s.mode : { ...s.mode, mode };
  return { ...s, mode: m, ...over };
}

const run = (s: VersionState, events: PolicyEvent[], facts: Partial<VersionFacts> = {}, now = 0) => runEvents(P, FACTS, s, events, facts, now);

test('activation: compiled code serves at once, else the version traces, unless pinned or told not to', () => {
  const cases: Array<[ModePin, Partial<VersionFacts>, boolean, string]> = [
    ['auto', { compiled: true }, true, 'accelerated'],
    ['auto', {}, true, 'tracing'],
    ['auto', { canTrace: false }, true, 'containers'],
    ['containers', { compiled: true }, true, 'containers'],
    ['auto', {}, false, 'containers'],
    ['accelerated', {}, false, 'tracing'],
  ];
  for (const [pin, facts, traceNew, mode] of cases) {
    const policy = { ...P, traceNewVersions: traceNew };
    const r = step(policy, initialVersionState(pin, 0), { type: 'activated' }, { ...FACTS, ...facts }, 0);
    assert.equal(r.state.mode.mode, mode, `${pin} ${JSON.stringify(facts)} traceNewVersions=${traceNew}`);
  }
});

test('a redeploy starts in containers with the previous pin and says why', () => {
  const prev = nextModeState(initialModeState('accelerated', 0), { type: 'tracing-available' }, 0);
  const s = initialVersionState('accelerated', 5, prev);
  assert.deepEqual([s.mode.mode, s.mode.pin, s.mode.reason], ['containers', 'accelerated', 'new version deployed']);
});

test('tracing: compile after N traced requests, or after M in a row that taught nothing, at once when pinned accelerated', () => {
  assert.deepEqual(run(at('tracing'), [{ type: 'path', grew: true }, { type: 'path', grew: true }]).actions, []);
  assert.deepEqual(run(at('tracing'), [{ type: 'path', grew: true }, { type: 'path', grew: true }, { type: 'path', grew: true }]).actions, [{ type: 'compile', delayMs: 0 }]);
  assert.deepEqual(run(at('tracing'), [{ type: 'path', grew: true }, { type: 'path', grew: false }, { type: 'path', grew: false }]).actions, [{ type: 'compile', delayMs: 0 }], 'stable for 2');
  assert.deepEqual(run(at('tracing', 'accelerated'), [{ type: 'path', grew: true }]).actions, [{ type: 'compile', delayMs: 0 }]);
  assert.deepEqual(run(at('containers'), [{ type: 'path', grew: true }]).actions, [], 'a path in containers mode changes nothing');
});

test('tracing a tree that already failed to compile falls back to containers instead of compiling it again', () => {
  const due = [{ type: 'path', grew: false }, { type: 'path', grew: false }] as PolicyEvent[];
  const r = run(at('tracing'), due, { treeFailed: true, compileError: 'load: boom' }, 50);
  assert.deepEqual(r.actions, []);
  assert.equal(r.s.mode.mode, 'containers');
  assert.match(r.s.mode.reason, /compile failed: load: boom \(tracing again learned no new path\)/);
  assert.deepEqual([r.s.demotedAt, r.s.failedFallbacks], [50, 1]);
  assert.equal(run(at('tracing'), due, { treeFailed: true, compileQueued: true }).s.mode.mode, 'tracing', 'a compile already queued decides');
  assert.equal(run(at('tracing', 'accelerated'), [...due, ...due], { treeFailed: true }).s.mode.mode, 'tracing', 'pinned accelerated keeps tracing');
});

test('tracing after a demotion that learned no new path goes back to containers, with a longer wait', () => {
  const due = [{ type: 'path', grew: false }, { type: 'path', grew: false }] as PolicyEvent[];
  const r = run(at('tracing'), due, { treeCompiled: true, compiled: true }, 70);
  assert.deepEqual(r.actions, [], 'the same tree is not compiled again');
  assert.equal(r.s.mode.mode, 'containers');
  assert.match(r.s.mode.reason, /^demoted: its accelerated code aborted too often, and tracing again learned no new path$/);
  assert.deepEqual([r.s.demotedAt, r.s.failedFallbacks], [70, 1]);
  // A path that grew the tree makes it a new tree: compiled as usual (treeCompiled is then false).
  assert.deepEqual(run(at('tracing'), [{ type: 'path', grew: true }, ...due], { treeCompiled: false, compiled: true }).actions, [{ type: 'compile', delayMs: 0 }]);
  assert.equal(run(at('tracing', 'accelerated'), due, { treeCompiled: true, compiled: true }).s.mode.mode, 'tracing', 'pinned accelerated keeps tracing');
});

test('accelerated: a new path schedules a delayed recompile; an old one does nothing', () => {
  assert.deepEqual(run(at('accelerated'), [{ type: 'path', grew: true }]).actions, [{ type: 'compile', delayMs: 7 }]);
  assert.deepEqual(run(at('accelerated'), [{ type: 'path', grew: false }]).actions, []);
});

test('demotion: more than the abort rate over a full window demotes an auto version; pins and backstop aborts do not count', () => {
  const aborts = (n: number, ok: number): PolicyEvent[] => [
    ...Array.from({ length: n }, () => ({ type: 'attempt', aborted: true, backstop: false }) as PolicyEvent),
    ...Array.from({ length: ok }, () => ({ type: 'attempt', aborted: false, backstop: false }) as PolicyEvent),
    { type: 'reexecuted' },
  ];
  const demoted = run(at('accelerated'), aborts(3, 1), {}, 10);
  assert.deepEqual([demoted.s.mode.mode, demoted.actions], ['containers', [{ type: 'demoted' }]]);
  assert.match(demoted.s.mode.reason, /75% of the last 4 accelerated requests aborted/);
  assert.deepEqual([demoted.s.demotedAt, demoted.s.window], [10, []]);
  assert.equal(run(at('accelerated'), aborts(2, 2)).s.mode.mode, 'accelerated', '50% is not more than the rate');
  assert.equal(run(at('accelerated'), aborts(3, 0)).s.mode.mode, 'accelerated', 'the window is not full yet');
  assert.equal(run(at('accelerated', 'accelerated'), aborts(4, 0)).s.mode.mode, 'accelerated', 'a pin is never demoted');
  const backstopped = run(at('accelerated'), [...Array.from({ length: 4 }, () => ({ type: 'attempt', aborted: true, backstop: true }) as PolicyEvent), { type: 'reexecuted' }]);
  assert.deepEqual([backstopped.s.mode.mode, backstopped.s.window], ['accelerated', []]);
  assert.equal(run(at('accelerated'), [...aborts(0, 10)]).s.window.length, 4, 'the window keeps its last K attempts');
});

test('retry: after retryAfterMs or retryAfterRequests (times the back-off) a fallen-back version traces again', () => {
  const fallen = at('containers', 'auto', { demotedAt: 0, failedFallbacks: 1 });
  assert.equal(run(fallen, [{ type: 'request' }], {}, 999).s.mode.mode, 'containers');
  const later = run(fallen, [{ type: 'request' }], {}, 1000).s;
  assert.deepEqual([later.mode.mode, later.demotedAt, later.tracedRequests], ['tracing', undefined, 0]);
  const counted = run(fallen, [...Array.from({ length: 5 }, () => ({ type: 'container-request' }) as PolicyEvent), { type: 'request' }], {}, 1).s;
  assert.equal(counted.mode.mode, 'tracing', 'after retryAfterRequests container requests');
  // Each further failed compile doubles both thresholds, up to retryBackoffMax.
  const third = at('containers', 'auto', { demotedAt: 0, failedFallbacks: 3 });
  assert.equal(run(third, [{ type: 'request' }], {}, 3999).s.mode.mode, 'containers');
  assert.equal(run(third, [{ type: 'request' }], {}, 4000).s.mode.mode, 'tracing');
  const many = at('containers', 'auto', { demotedAt: 0, failedFallbacks: 10 });
  assert.equal(run(many, [{ type: 'request' }], {}, 4000).s.mode.mode, 'tracing', 'capped at retryBackoffMax');
  assert.equal(run(at('containers', 'containers', { demotedAt: 0 }), [{ type: 'request' }], {}, 1e9).s.mode.mode, 'containers', 'a containers pin never retries');
});

test('compiles: success switches (fresh window, back-off reset); failure while tracing falls back; a failed recompile keeps serving', () => {
  const ok = run(at('tracing', 'auto', { failedFallbacks: 2, window: [true] }), [{ type: 'compiled' }]).s;
  assert.deepEqual([ok.mode.mode, ok.failedFallbacks, ok.window], ['accelerated', 0, []]);
  const failed = run(at('tracing'), [{ type: 'compile-failed', reason: 'compile: x' }], {}, 3).s;
  assert.deepEqual([failed.mode.mode, failed.demotedAt, failed.failedFallbacks], ['containers', 3, 1]);
  assert.equal(run(at('accelerated'), [{ type: 'compile-failed', reason: 'x' }]).s.mode.mode, 'accelerated');
  assert.equal(run(at('containers', 'containers'), [{ type: 'compiled' }]).s.mode.mode, 'containers', 'a containers pin holds');
});

test('stored code that does not load: back to tracing when possible', () => {
  const s = run(at('accelerated'), [{ type: 'load-failed', reason: 'bad' }]).s;
  assert.equal(s.mode.mode, 'tracing');
  assert.equal(run(at('accelerated'), [{ type: 'load-failed', reason: 'bad' }], { canTrace: false }).s.mode.mode, 'containers');
});

test('backstop: the version whose code was stopped is demoted whatever its pin, and backs off', () => {
  const s = run(at('accelerated', 'accelerated'), [{ type: 'backstop', cause: 'watchdog' }], {}, 9).s;
  assert.deepEqual([s.mode.mode, s.demotedAt, s.failedFallbacks], ['containers', 9, 1]);
  assert.match(s.mode.reason, /backstop \(watchdog\)/);
  assert.equal(run(at('tracing'), [{ type: 'backstop', cause: 'watchdog' }]).s.mode.mode, 'tracing', 'only accelerated code can be stopped');
});

test('pins: containers holds; leaving it returns to what the version earned; accelerated compiles a trace at once', () => {
  const pinned = run(at('accelerated'), [{ type: 'pin', pin: 'containers' }]).s;
  assert.deepEqual([pinned.mode.mode, pinned.mode.pin], ['containers', 'containers']);
  assert.equal(run(pinned, [{ type: 'pin', pin: 'auto' }], { compiled: true }).s.mode.mode, 'accelerated');
  assert.equal(run(pinned, [{ type: 'pin', pin: 'auto' }]).s.mode.mode, 'tracing');
  const demoted = at('containers', 'auto', { demotedAt: 5 });
  assert.equal(run(demoted, [{ type: 'pin', pin: 'auto' }], { compiled: true }).s.demotedAt, undefined, 'an explicit unpin ends the fallback');
  assert.deepEqual(run(at('tracing', 'auto', { tracedRequests: 1 }), [{ type: 'pin', pin: 'accelerated' }]).actions, [{ type: 'compile', delayMs: 0 }]);
  assert.deepEqual(run(at('tracing'), [{ type: 'pin', pin: 'accelerated' }]).actions, [], 'no trace yet: nothing to compile');
});

test('the default policy is the documented one', () => {
  assert.deepEqual(resolvePolicy({}), DEFAULT_POLICY);
  assert.throws(() => resolvePolicy({ nope: 1 }), /unknown policy field/);
});
