import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SandboxDriver } from '../../src/sandbox/index.ts';
import { ensureRunc, killAll, makeDriver, raw, tmpStateDir, track, undiciIO } from './helpers.ts';

let state: ReturnType<typeof tmpStateDir>;
let driver: SandboxDriver;
before(async () => {
  ensureRunc();
  state = tmpStateDir('traced');
  driver = await makeDriver('runc', state.dir);
});
after(async () => {
  await killAll();
  state?.remove();
});

// Instrumented by hand the way the tracer instruments (docs/pipeline-interfaces.md): `$__cl.p[ARM] = 1`.
const INSTRUMENTED = `
$__cl.p[0] = 1;
const c = require('containerless');
c.listen(function (req) {
  $__cl.p[1] = 1;
  if (req.path === '/a') { $__cl.p[2] = 1; setTimeout(function () { $__cl.p[4] = 1; c.respond('a'); $__cl.p[6] = 1; }, 30); }
  else if (req.path === '/c') { c.get('http://127.0.0.1:1/', function (body) { $__cl.p[7] = 1; c.respond(String(body)); }); }
  else { $__cl.p[3] = 1; setTimeout(function () { $__cl.p[5] = 1; c.respond('b'); }, 10); }
});
`;

test('traced runs report the top-level arms at load and each request’s own arms', async () => {
  const c = track(await driver.start({ id: `traced-${process.pid}`, memoryMb: 128, pids: 64, network: 'none', io: undiciIO, log() {} }));
  const loaded = await c.load({ name: 't', version: 1, source: INSTRUMENTED, env: {}, traced: { armCount: 8 } });
  assert.deepEqual(loaded.initArms, [0]);
  // Interleaved: /a's callback runs after /b's; each keeps its own path.
  // /c's arm 7 is in a containerless callback (entered by the host), the others in timers.
  const [a, b, cc] = await Promise.all([
    c.invoke(raw({ path: '/a' }), { timeoutMs: 2000, requestId: 'ra' }),
    c.invoke(raw({ path: '/b' }), { timeoutMs: 2000, requestId: 'rb' }),
    c.invoke(raw({ path: '/c' }), { timeoutMs: 2000, requestId: 'rc' }),
  ]);
  assert.deepEqual(cc.kind === 'response' && [cc.response.body, cc.arms], ['undefined', [1, 7]]);
  assert.deepEqual(a, { kind: 'response', response: { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'a' }, arms: [1, 2, 4, 6] });
  assert.deepEqual(b.kind === 'response' && b.arms, [1, 3, 5]);
  await c.kill();
});

test('untraced runs carry no arms, and env reaches process.env', async () => {
  const c = track(await driver.start({ id: `untraced-${process.pid}`, memoryMb: 128, pids: 64, network: 'none', io: undiciIO, log() {} }));
  await c.load({ name: 'u', version: 1, source: `const c = require('containerless'); c.listen(() => c.respond(process.env.GREETING + ' ' + (process.env.CONTAINERLESS_RUNNER_SOCKET === undefined)));`, env: { GREETING: 'hi' } });
  const out = await c.invoke(raw(), { timeoutMs: 2000, requestId: 'r1' });
  assert.deepEqual(out, { kind: 'response', response: { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'hi true' } });
  await c.kill();
});
