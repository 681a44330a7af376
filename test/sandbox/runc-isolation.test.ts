import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { detectCgroups, type Container, type SandboxDriver } from '../../src/sandbox/index.ts';
import { ensureRunc, killAll, makeDriver, respond, startMockServer, startWith, tmpStateDir, type MockServer } from './helpers.ts';
import { PROBE } from './probe-function.ts';

let state: ReturnType<typeof tmpStateDir>;
let driver: SandboxDriver;
let mock: MockServer;
let c: Container;
let secretFile: string;

before(async () => {
  ensureRunc();
  state = tmpStateDir('isolation');
  secretFile = path.join(state.dir, 'secret.txt');
  writeFileSync(secretFile, 'host secret', { mode: 0o644 });
  process.env.CL_TEST_SECRET = 'server env must not leak';
  driver = await makeDriver('runc', state.dir);
  mock = await startMockServer();
  ({ c } = await startWith(driver, PROBE, { network: 'none', memoryMb: 96, pids: 32 }));
});
after(async () => {
  await killAll();
  await mock?.close();
  state?.remove();
});

const json = async (req: Parameters<typeof respond>[1]) => JSON.parse((await respond(c, req, 5000)).body);

test('the function cannot read host files outside its root', async () => {
  assert.equal(readFileSync(secretFile, 'utf8'), 'host secret', 'the file is there on the host');
  assert.deepEqual(await json({ path: '/read', query: { file: secretFile } }), { ok: false, code: 'ENOENT' });
  assert.deepEqual(await json({ path: '/read', query: { file: '/etc/passwd' } }), { ok: false, code: 'ENOENT' });
  assert.deepEqual(await json({ path: '/read', query: { file: '/root/.bashrc' } }), { ok: false, code: 'ENOENT' });
});

test('the function sees only its own processes', async () => {
  const r = await json({ path: '/procs', query: { pid: String(process.pid) } });
  assert.deepEqual(r.pids, [1], 'the runner is pid 1 of its own PID namespace and alone');
  assert.equal(r.hostPidVisible, process.pid === 1, 'the test process is not visible');
});

test('Node networking fails with network none, containerless.get works', async () => {
  const direct = await json({ path: '/nodehttp', query: { url: `${mock.url}/direct` } });
  assert.equal(direct.ok, false);
  assert.ok(!mock.hits.some((h) => h.url === '/direct'), 'nothing reached the backend directly');
  const viaApi = await json({ path: '/clget', query: { url: `${mock.url}/api` } });
  assert.equal(viaApi.ok, true);
  assert.equal(viaApi.body.url, '/api');
});

test('no capabilities, no_new_privs, seccomp, unprivileged user, clean environment, minimal root', async () => {
  const r = await json({ path: '/self' });
  assert.equal(r.uid, 65534);
  assert.equal(r.capEff, '0000000000000000');
  assert.equal(r.capBnd, '0000000000000000');
  assert.equal(r.noNewPrivs, '1');
  assert.equal(r.seccomp, '2', 'a seccomp filter is installed');
  assert.equal(r.secret, null);
  assert.deepEqual(r.root, ['dev', 'lib', 'lib64', 'opt', 'proc', 'run', 'tmp', 'usr']);
});

test('the root is read-only; /tmp is writable', async () => {
  const r = await json({ path: '/write' });
  assert.equal(r['/tmp/x'], 'ok');
  for (const f of ['/usr/x', '/opt/containerless/x', '/run/containerless/x', '/x']) assert.match(r[f], /EROFS|EACCES/, f);
});

test('memory and pids limits are in the container’s cgroup', async () => {
  const cg = detectCgroups();
  assert.ok(cg.memory && cg.pids, `this host allows cgroup limits (${cg.limitations.join('; ')})`);
  const usage = await c.rss();
  assert.ok(usage !== undefined && usage > 1024 * 1024 && usage < 96 * 1024 * 1024, `usage ${usage}`);
  const own = (ctrl: string) => {
    const line = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.split(':')[1]?.split(',').includes(ctrl));
    return line ? line.split(':')[2] : '/';
  };
  const cid = `cl-${c.id}`;
  if (cg.mode === 'v2') {
    assert.equal(readFileSync(`/sys/fs/cgroup/containerless/${cid}/memory.max`, 'utf8').trim(), String(96 * 1024 * 1024));
  } else {
    assert.equal(readFileSync(path.join('/sys/fs/cgroup/memory', own('memory'), 'containerless', cid, 'memory.limit_in_bytes'), 'utf8').trim(), String(96 * 1024 * 1024));
    assert.equal(readFileSync(path.join('/sys/fs/cgroup/pids', own('pids'), 'containerless', cid, 'pids.max'), 'utf8').trim(), '32');
  }
});

test('the pids limit holds: 20 child processes cannot all start (and seccomp still lets one start)', async () => {
  // Memory to spare, so that the children's start-up cannot push the cgroup into reclaim.
  const { c: forker } = await startWith(driver, PROBE, { memoryMb: 512, pids: 24 });
  const f = JSON.parse((await respond(forker, { path: '/fork' }, 15000)).body);
  assert.ok(f.spawned > 0 && f.failed > 0, `spawned ${f.spawned}, failed ${f.failed}`);
  await forker.kill();
});

test('network "host" shares the host network: Node networking reaches the backend', async () => {
  const { c: hostNet } = await startWith(driver, PROBE, { network: 'host' });
  const r = JSON.parse((await respond(hostNet, { path: '/nodehttp', query: { url: `${mock.url}/hostnet` } }, 5000)).body);
  assert.deepEqual(r, { ok: true, status: 200 });
  await hostNet.kill();
});
