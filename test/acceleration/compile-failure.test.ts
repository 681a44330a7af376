import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelPlatform, call, deploy, fnInfo, mode, until } from './helpers.ts';

// The top level needs far more fuel than an accelerated instance gets: the compiled code validates
// but its top level aborts when the instance starts, so it can never serve; a container runs it fine.
const SOURCE = `const c = require('containerless');
let warm = 0;
for (let i = 0; i < 20000000; i++) { warm = (warm + i) % 1009; }
c.listen(function (req) { c.respond('warm=' + warm + ' ' + req.path); });`;

test('a compiled program that cannot start keeps the function traced, correct, and the failure visible', async (t) => {
  const p = await accelPlatform(t);
  await deploy(p, 'cold', SOURCE);
  const first = await call(p, '/fn/cold/a');
  assert.equal(mode(first), 'tracing');
  for (let i = 0; i < 3; i++) assert.equal((await call(p, `/fn/cold/${i}`)).text, first.text.replace('/a', `/${i}`));
  await until('compile failure reported', async () => (await fnInfo(p, 'cold')).compile_error !== null);
  const info = await fnInfo(p, 'cold');
  assert.match(info.compile_error, /load: .*top level/);
  assert.equal(info.mode, 'tracing');
  assert.ok(info.stats.acceleration.compile_failures >= 1);
  const r = await call(p, '/fn/cold/b');
  assert.deepEqual([mode(r), r.text], ['tracing', first.text.replace('/a', '/b')]);
  const now = await call(p, '/api/functions/cold/compile', { method: 'POST' });
  assert.equal(now.status, 422);
  assert.match(now.json().error, /cannot compile: load: /);
  assert.equal((await call(p, '/api/functions/cold/compiled')).status, 404);
  assert.match((await call(p, '/metrics')).text, /containerless_compiles_total\{function="cold",outcome="failed"\} [1-9]/);
});
