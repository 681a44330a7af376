import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelPlatform, call, deploy, fnInfo, mode, untilAccelerated } from './helpers.ts';

const version = (v: string) => `const c = require('containerless');
c.listen(function (req) { if (req.query.x === 'a') { c.respond('${v}:a'); } else { c.respond('${v}:other'); } });`;

test('updating the source resets trace and compiled code; the old compiled code never answers for the new source', async (t) => {
  const p = await accelPlatform(t);
  await deploy(p, 'ver', version('one'));
  for (let i = 0; i < 3; i++) await call(p, '/fn/ver/?x=a');
  await untilAccelerated(p, '/fn/ver/?x=a');
  assert.equal((await call(p, '/api/functions/ver/compiled')).status, 200);
  const oldTrace = (await call(p, '/api/functions/ver/trace')).json();
  assert.ok(oldTrace.paths >= 3);

  const replaced = await deploy(p, 'ver', version('two'));
  assert.equal(replaced.version, 2);
  assert.equal(replaced.mode, 'tracing', 'a new version is traced from scratch');
  assert.equal((await call(p, '/api/functions/ver/compiled')).status, 404, 'no compiled code for the new version');
  assert.equal((await call(p, '/api/functions/ver/trace')).status, 404, 'no trace for the new version yet');
  // Every answer from now on is the new source's, in whatever mode.
  const seen = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const r = await call(p, '/fn/ver/?x=a');
    assert.equal(r.text, 'two:a', `${mode(r)} answered ${r.text}`);
    seen.add(mode(r)!);
  }
  assert.ok(seen.has('tracing'));
  const acc = await untilAccelerated(p, '/fn/ver/?x=a');
  assert.equal(acc.text, 'two:a');
  const trace = (await call(p, '/api/functions/ver/trace')).json();
  assert.notEqual(trace.source_sha256, oldTrace.source_sha256);
  assert.match((await call(p, '/api/functions/ver/compiled')).text, /two:a/);
  const info = await fnInfo(p, 'ver');
  assert.equal(info.version, 2);
});
