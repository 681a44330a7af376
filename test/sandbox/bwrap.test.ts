import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Container, SandboxDriver } from '../../src/sandbox/index.ts';
import { invoke, killAll, makeDriver, respond, startMockServer, startWith, tmpStateDir, type MockServer } from './helpers.ts';
import { PROBE } from './probe-function.ts';

let state: ReturnType<typeof tmpStateDir>;
let driver: SandboxDriver;
let mock: MockServer;
let c: Container;
let secretFile: string;

before(async () => {
  state = tmpStateDir('bwrap');
  secretFile = path.join(state.dir, 'secret.txt');
  writeFileSync(secretFile, 'host secret', { mode: 0o644 });
  driver = await makeDriver('bwrap', state.dir);
  mock = await startMockServer();
  ({ c } = await startWith(driver, PROBE, { network: 'none' }));
});
after(async () => {
  await killAll();
  await mock?.close();
  state?.remove();
});

const json = async (req: Parameters<typeof respond>[1]) => JSON.parse((await respond(c, req, 5000)).body);

test('bwrap: hello loads and answers', async () => {
  assert.equal(c.driver, 'bwrap');
  assert.equal((await respond(c, { path: '/hello' })).body, `hello from cl-${c.id}`);
});

test('bwrap: host files, host processes and Node networking are out of reach; containerless.get works', async () => {
  assert.deepEqual(await json({ path: '/read', query: { file: secretFile } }), { ok: false, code: 'ENOENT' });
  const procs = await json({ path: '/procs', query: { pid: String(process.pid) } });
  assert.equal(procs.hostPidVisible, false);
  assert.ok(procs.pids.length <= 2, `pids ${procs.pids}`); // bwrap's own init plus the runner
  assert.equal((await json({ path: '/nodehttp', query: { url: `${mock.url}/direct` } })).ok, false);
  assert.equal((await json({ path: '/clget', query: { url: `${mock.url}/api` } })).body.url, '/api');
  const self = await json({ path: '/self' });
  assert.equal(self.uid, 65534);
  assert.equal(self.capEff, '0000000000000000');
  assert.equal(self.noNewPrivs, '1');
  assert.equal(self.secret, null);
  const w = await json({ path: '/write' });
  assert.equal(w['/tmp/x'], 'ok');
  assert.match(w['/usr/x'], /EROFS|EACCES/);
});

test('bwrap: the cgroup memory limit stops unbounded allocation', async () => {
  assert.ok(!driver.limitations.some((l) => l.startsWith('memory limit')), driver.limitations.join('; '));
  const { c: hog } = await startWith(driver, `const c = require('containerless'); const keep = []; c.listen(() => { for (;;) keep.push(new Array(1e5).fill(1)); });`, { memoryMb: 64 });
  const out = await invoke(hog, {}, 20000);
  assert.equal(out.kind, 'died');
  assert.match((out as { reason: string }).reason, /memory/);
});

test('bwrap: a stuck sandbox dies with its killed server (--die-with-parent)', async () => {
  const fixture = fileURLToPath(new URL('./fixtures/leftover-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, state.dir, 'bwrap'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (out += d));
  while (!out.includes('\n')) await once(child.stdout, 'data');
  const cid = out.trim();
  const runnerPids = () =>
    readdirSync('/proc').filter((p) => {
      try {
        if (!/^\d+$/.test(p)) return false;
        const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
        return argv[0] === process.execPath && argv.includes('/opt/containerless/runner.js') && hostnameOf(p) === cid;
      } catch {
        return false;
      }
    });
  try {
    assert.equal(runnerPids().length, 1, 'the stuck runner is running');
  } finally {
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
  for (let i = 0; i < 50 && runnerPids().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(runnerPids(), []);
});

/** The UTS namespace's host name of a process: bwrap sets it to the container's runtime id. */
function hostnameOf(pid: string): string {
  return execFileSync('nsenter', ['-t', pid, '-u', 'hostname'], { encoding: 'utf8' }).trim();
}
