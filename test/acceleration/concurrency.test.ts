// What the dispatcher's event loop does meanwhile (its delay during such a burst) is a figure of
// bench/accel-burst.ts, not something a test on a shared machine can bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelPlatform, call, deploy, fnInfo, untilAccelerated } from './helpers.ts';
import { MIX_CONFIG, MIX_KINDS, MIX_SOURCE, mixExpected } from './mix-function.ts';

test('200 concurrent requests mixing known and unknown paths: all answered right, no 5xx, every kind learned', async (t) => {
  // Demotion off: most of the burst's kinds are unknown at first, which is what this test is about.
  const p = await accelPlatform(t, { demoteWindow: 1000, demoteMinAttempts: 1000 });
  await deploy(p, 'mix', MIX_SOURCE, MIX_CONFIG);
  for (let i = 0; i < 3; i++) {
    await call(p, `/fn/mix/?k=0&v=${i}`);
    await call(p, `/fn/mix/?k=1&v=${i}`);
  }
  await untilAccelerated(p, '/fn/mix/?k=0&v=1');

  const reqs = Array.from({ length: 200 }, (_, i) => ({ k: i % MIX_KINDS, v: 1000 + i }));
  const answers = await Promise.all(reqs.map(({ k, v }) => call(p, `/fn/mix/?k=${k}&v=${v}`)));
  const modes: Record<string, number> = {};
  for (const [i, { k, v }] of reqs.entries()) {
    const r = answers[i]!;
    assert.ok(r.status < 500, `k=${k} v=${v}: ${r.status} ${r.text}`);
    assert.equal(r.text, mixExpected(k, v), `k=${k} v=${v}`);
    const m = `${r.headers.get('x-containerless-mode')}${r.headers.get('x-containerless-reexecuted') ? '+re' : ''}`;
    modes[m] = (modes[m] ?? 0) + 1;
  }
  t.diagnostic(`modes: ${JSON.stringify(modes)}`);
  assert.ok((modes['tracing+re'] ?? 0) > 0, 'unknown paths were re-executed');
  assert.ok((modes['accelerated'] ?? 0) > 0, 'known paths were accelerated');

  // Every kind is learned: once the recompiles land, all eight are accelerated.
  for (let k = 0; k < MIX_KINDS; k++) assert.equal((await untilAccelerated(p, `/fn/mix/?k=${k}&v=77`)).text, mixExpected(k, 77));
  const info = await fnInfo(p, 'mix');
  assert.equal(info.compile_error, null);
  t.diagnostic(`compiles: ${info.stats.acceleration.compiles}, re-executions: ${info.stats.acceleration.reexecutions}`);
});
