import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SandboxDriver } from '../../src/sandbox/index.ts';
import { ensureRunc, invoke, killAll, track, makeDriver, respond, runcIds, startWith, tmpStateDir } from './helpers.ts';

let state: ReturnType<typeof tmpStateDir>;
let driver: SandboxDriver;

before(async () => {
  ensureRunc();
  state = tmpStateDir('faults');
  driver = await makeDriver('runc', state.dir);
});
after(async () => {
  await killAll();
  state?.remove();
});

test('while(true) in a handler: the container misses the deadline (timeout) and kill removes it', async () => {
  const { c } = await startWith(driver, `require('containerless').listen(function (req) { if (req.path === '/spin') while (true) {} require('containerless').respond('ok'); });`);
  // `timeout` is the link's verdict at the deadline: the runner, spinning, could not answer itself.
  const out = await invoke(c, { path: '/spin' }, 300);
  assert.equal(out.kind, 'timeout');
  await c.kill();
  const e = await c.exited;
  assert.equal(e.reason, 'killed by the platform');
  assert.ok(!runcIds().includes(`cl-${c.id}`));
});

test('process.exit(1) in a handler: died, with the exit code as reason; neighbours in flight die too', async () => {
  const { c } = await startWith(
    driver,
    `const c = require('containerless'); c.listen(function (req) { if (req.path === '/exit') process.exit(1); });`,
  );
  const waiting = invoke(c, { path: '/never' }, 5000);
  await new Promise((r) => setTimeout(r, 50));
  const out = await invoke(c, { path: '/exit' }, 5000);
  assert.deepEqual(out, { kind: 'died', reason: 'exited with code 1' });
  assert.equal((await waiting).kind, 'died');
  const e = await c.exited;
  assert.equal(e.code, 1);
  assert.ok(!runcIds().includes(`cl-${c.id}`));
});

test('an async uncaught error fails only its own request; the runner keeps serving', async () => {
  const { c, logs } = await startWith(
    driver,
    `const c = require('containerless');
     c.listen(function (req) {
       if (req.path === '/timer') setTimeout(() => { throw new RangeError('late'); }, 20);
       else if (req.path === '/reject') Promise.resolve().then(() => { throw new Error('rejected'); });
       else setTimeout(() => c.respond('fine ' + req.path), 100);
     });`,
  );
  const [bad, rej, good] = await Promise.all([respond(c, { path: '/timer' }), respond(c, { path: '/reject' }), respond(c, { path: '/ok' })]);
  assert.deepEqual([bad.status, JSON.parse(bad.body)], [500, { error: 'Uncaught RangeError: late' }]);
  assert.deepEqual([rej.status, JSON.parse(rej.body)], [500, { error: 'Uncaught Error: rejected' }]);
  assert.deepEqual([good.status, good.body], [200, 'fine /ok']);
  assert.equal((await respond(c, { path: '/again' })).body, 'fine /again');
  assert.ok(logs.some((l) => l.stream === 'stderr' && l.line.includes('RangeError: late') && l.id !== undefined));
  await c.kill();
});

test('a load error is reported with its message and the container can be killed', async () => {
  const c = track(await driver.start({ id: `loaderr-${process.pid}`, memoryMb: 64, pids: 32, network: 'none', io: { request: async () => undefined }, log() {} }));
  await assert.rejects(c.load({ name: 'x', version: 1, source: 'let x = ;', env: {} }), /does not compile/);
  await c.kill();
  const c2 = track(await driver.start({ id: `nolisten-${process.pid}`, memoryMb: 64, pids: 32, network: 'none', io: { request: async () => undefined }, log() {} }));
  await assert.rejects(c2.load({ name: 'x', version: 1, source: 'module.exports = 1;', env: {} }), /did not call containerless.listen/);
  await c2.kill();
});

test('cleanupLeftovers removes the container of a killed server, not live ones', async () => {
  const { c: mine } = await startWith(driver, `require('containerless').listen(() => require('containerless').respond('alive'));`);
  const fixture = fileURLToPath(new URL('./fixtures/leftover-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, state.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (out += d));
  while (!out.includes('\n')) await once(child.stdout, 'data');
  const leftover = out.trim();
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  assert.ok(runcIds().includes(leftover), 'the killed server left its container running');

  const fresh = await makeDriver('runc', state.dir);
  const removed = await fresh.cleanupLeftovers();
  assert.ok(removed >= 1, `removed ${removed}`);
  assert.ok(!runcIds().includes(leftover), 'the leftover is gone');
  assert.ok(runcIds().includes(`cl-${mine.id}`), 'a live server’s container is kept');
  assert.equal((await respond(mine)).body, 'alive');
  await mine.kill();
});
