// What only the process driver does; what it does not isolate is in the table (isolation.test.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { SandboxDriver } from '../../src/sandbox/index.ts';
import { invoke, killAll, makeDriver, startWith, tmpStateDir } from './helpers.ts';

let state: ReturnType<typeof tmpStateDir>;
let driver: SandboxDriver;
before(async () => {
  state = tmpStateDir('process');
  driver = await makeDriver('process', state.dir);
});
after(async () => {
  await killAll();
  state?.remove();
});

test('process: says loudly that it is not a sandbox', async () => {
  assert.ok(driver.limitations.some((l) => l.startsWith('NOT A SANDBOX')));
});

test('process: process.exit(1) → died; while(true) → timeout, then kill', async () => {
  const { c } = await startWith(driver, `const c = require('containerless'); c.listen((req) => { if (req.path === '/exit') process.exit(1); while (true) {} });`);
  const t = await invoke(c, { path: '/spin' }, 200);
  assert.equal(t.kind, 'timeout');
  await c.kill();
  assert.equal((await c.exited).reason, 'killed by the platform');
  const { c: c2 } = await startWith(driver, `const c = require('containerless'); c.listen((req) => { if (req.path === '/exit') process.exit(1); });`);
  assert.deepEqual(await invoke(c2, { path: '/exit' }), { kind: 'died', reason: 'exited with code 1' });
});

test('process: cleanupLeftovers kills a stuck runner of a killed server', async () => {
  const fixture = fileURLToPath(new URL('./fixtures/leftover-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, state.dir, 'process'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (out += d));
  while (!out.includes('\n')) await once(child.stdout, 'data');
  const cid = out.trim();
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  const runnerPids = () =>
    readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`/${cid}/runner.sock`);
        } catch {
          return false;
        }
      });
  assert.equal(runnerPids().length, 1, 'the stuck runner outlived its server');
  const removed = await (await makeDriver('process', state.dir)).cleanupLeftovers();
  assert.ok(removed >= 1);
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(runnerPids(), []);
});
