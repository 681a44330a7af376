import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelPlatform, call, deploy, fnInfo, mode, until } from './helpers.ts';

// The top level needs far more fuel than an accelerated instance gets: the compiled code validates
// but its top level aborts when the instance starts, so it can never serve; a container runs it fine.
const SOURCE = `const c = require('containerless');
let warm = 0;
for (let i = 0; i < 20000000; i++) { warm = (warm + i) % 1009; }
c.listen(function (req) { c.respond('warm=' + warm + ' ' + req.path); });`;

test('a compiled program that cannot start falls back to containers, stays correct, and the failure is visible', async (t) => {
  const p = await accelPlatform(t, { retryAfterRequests: 3, retryAfterMs: 600_000 });
  await deploy(p, 'cold', SOURCE);
  const first = await call(p, '/fn/cold/a');
  assert.equal(mode(first), 'tracing');
  for (let i = 0; i < 3; i++) assert.equal((await call(p, `/fn/cold/${i}`)).text, first.text.replace('/a', `/${i}`));
  await until('compile failure reported', async () => (await fnInfo(p, 'cold')).compile_error !== null);
  const info = await fnInfo(p, 'cold');
  assert.match(info.compile_error, /load: .*top level/);
  // Tracing costs every request; with nothing to switch to, the function is served by plain containers.
  assert.equal(info.mode, 'containers');
  assert.match(info.mode_reason, /compile failed: load: /);
  assert.equal(info.stats.acceleration.compile_failures, 1);
  const r = await call(p, '/fn/cold/b');
  assert.deepEqual([mode(r), r.text], ['container', first.text.replace('/a', '/b')]);
  const now = await call(p, '/api/functions/cold/compile', { method: 'POST' });
  assert.equal(now.status, 422);
  assert.match(now.json().error, /cannot compile: load: /);
  assert.equal((await call(p, '/api/functions/cold/compiled')).status, 404);
  assert.match((await call(p, '/metrics')).text, /containerless_compiles_total\{function="cold",outcome="failed"\} [1-9]/);
});

test('after a failed compile the function is traced again on the retry schedule, backing off while nothing new is learned', async (t) => {
  const p = await accelPlatform(t, { retryAfterRequests: 3, retryAfterMs: 600_000 });
  await deploy(p, 'cold', SOURCE);
  const modes: string[] = [];
  const expectOk = async (i: number) => {
    const r = await call(p, `/fn/cold/x${i}`);
    assert.equal(r.status, 200);
    assert.match(r.text, new RegExp(`^warm=\\d+ /x${i}$`));
    modes.push(mode(r)!);
  };
  let i = 0;
  for (; i < 4; i++) await expectOk(i);
  await until('fallen back to containers', async () => (await fnInfo(p, 'cold')).mode === 'containers');
  const failures = (await fnInfo(p, 'cold')).stats.acceleration.compile_failures;
  assert.equal(failures, 1);
  // 3 container requests (retryAfterRequests) and the function traces again; the same path adds
  // nothing, so after compileWhenStableFor (2) traced requests it falls back again without compiling.
  for (const end = i + 40; i < end && !modes.slice(4).includes('tracing'); i++) await expectOk(i);
  assert.ok(modes.slice(4).includes('tracing'), `traced again: ${modes.join(' ')}`);
  await until('fallen back again', async () => {
    await expectOk(i++);
    return (await fnInfo(p, 'cold')).mode === 'containers';
  });
  const again = await fnInfo(p, 'cold');
  assert.equal(again.stats.acceleration.compile_failures, failures, 'the unchanged tree was not compiled again');
  assert.match(again.mode_reason, /learned no new path/);
  // The second fall-back doubles the wait: 3 container requests no longer start tracing.
  const before = modes.length;
  for (let k = 0; k < 4; k++) await expectOk(i++);
  assert.deepEqual(modes.slice(before), ['container', 'container', 'container', 'container']);
});
