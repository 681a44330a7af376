import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelPlatform, call, deploy, fnInfo, mode, untilAccelerated } from './helpers.ts';

// Far more work than the accelerator's fuel allows: every accelerated attempt aborts with `fuel`.
const HEAVY = `const c = require('containerless');
c.listen(function (req) {
  let s = 0;
  const n = Number(req.query.n);
  for (let i = 0; i < n; i++) { s = (s + i * 7) % 1000003; }
  c.respond('s=' + s);
});`;

function expected(n: number): string {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + i * 7) % 1000003;
  return `s=${s}`;
}

test('a function that aborts on every request is demoted to containers, stays correct, and is retried later', async (t) => {
  // Without the pre-live check, which would keep this code from going live at all (prelive-e2e.test.ts):
  // demotion is for code that passed it and then meets requests it aborts on.
  const p = await accelPlatform(t, { demoteWindow: 4, demoteMinAttempts: 4, demoteAbortRate: 0.5, retryAfterRequests: 3, retryAfterMs: 600_000, preliveSample: 0 });
  await deploy(p, 'heavy', HEAVY);
  const N = 3_000_000;
  for (let i = 0; i < 3; i++) assert.equal((await call(p, `/fn/heavy/?n=${N + i}`)).text, expected(N + i));
  // Until the compile lands, requests are traced; then every accelerated attempt aborts on fuel.
  const modes: string[] = [];
  let demoted = false;
  // Bounded by time, not by a count: on a loaded machine the compile can land after many requests.
  const until = Date.now() + 90_000;
  for (let i = 0; Date.now() < until && !demoted; i++) {
    const r = await call(p, `/fn/heavy/?n=${N + i}`);
    assert.equal(r.status, 200);
    assert.equal(r.text, expected(N + i));
    modes.push(`${mode(r)}${r.headers.get('x-containerless-reexecuted') ? '+re' : ''}`);
    demoted = (await fnInfo(p, 'heavy')).mode === 'containers';
  }
  assert.ok(demoted, `demoted after: ${modes.join(' ')}`);
  assert.ok(modes.filter((m) => m === 'tracing+re').length >= 3, modes.join(' '));
  const info = await fnInfo(p, 'heavy');
  assert.equal(info.stats.acceleration.demotions, 1);
  assert.ok(info.stats.aborts.fuel >= 3, JSON.stringify(info.stats.aborts));
  assert.match(info.mode_reason, /demoted/);
  // Demoted: plain containers, correct answers, no re-execution.
  for (let i = 0; i < 3; i++) {
    const r = await call(p, `/fn/heavy/?n=${1000 + i}`);
    assert.deepEqual([mode(r), r.text, r.headers.get('x-containerless-reexecuted')], ['container', expected(1000 + i), null]);
  }
  // retryAfterRequests (3) served by containers: the function is traced again.
  const retried = await call(p, '/fn/heavy/?n=10');
  assert.equal(retried.text, expected(10));
  assert.equal(mode(retried), 'tracing');
  assert.match((await call(p, '/metrics')).text, /containerless_demotions_total\{function="heavy"\} 1/);
  // Tracing again learns no new path (the aborts were fuel, not unknown paths): recompiling would give
  // the same code, so the function goes back to containers and says why, instead of tracing for good.
  let after = await fnInfo(p, 'heavy');
  for (let i = 0; i < 10 && after.mode !== 'containers'; i++) {
    assert.equal((await call(p, `/fn/heavy/?n=${20 + i}`)).text, expected(20 + i));
    after = await fnInfo(p, 'heavy');
  }
  assert.equal(after.mode, 'containers', JSON.stringify(after));
  assert.match(after.mode_reason, /tracing again learned no new path/);
});

test('small requests of a demoted-prone function still accelerate when they fit the fuel', async (t) => {
  const p = await accelPlatform(t);
  await deploy(p, 'light', HEAVY);
  for (let i = 0; i < 3; i++) await call(p, `/fn/light/?n=${100 + i}`);
  const r = await untilAccelerated(p, '/fn/light/?n=1000');
  assert.equal(r.text, expected(1000));
});
