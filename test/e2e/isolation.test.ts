import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, deploy, platform, tempDir } from './helpers.ts';

test('isolation with runc and network none: no host files, no host processes, no direct network', async (t) => {
  const p = await platform(t);
  const secretFile = join(tempDir(t, 'cl-secret-'), 'secret.txt');
  writeFileSync(secretFile, 'host secret');
  await deploy(p, 'probe', `const c = require('containerless');
const fs = require('fs');
c.listen(function (req) {
  let file;
  try { file = fs.readFileSync(req.query.file, 'utf8'); } catch (e) { file = 'error: ' + e.code; }
  const pids = fs.readdirSync('/proc').filter((x) => /^[0-9]+$/.test(x));
  let hostname = '';
  try { hostname = fs.readFileSync('/etc/hostname', 'utf8'); } catch (e) {}
  c.respond({ file: file, pids: pids.length, pid: process.pid, shadow: fs.existsSync('/etc/shadow'), hostname: hostname });
});`, { network: 'none' });
  const r = (await call(p, `/fn/probe/?file=${encodeURIComponent(secretFile)}`)).json();
  assert.equal(r.file, 'error: ENOENT', 'a host file outside the container root is not visible');
  assert.ok(r.pids <= 5, `only the container's own processes are visible (${r.pids})`);
  assert.equal(r.pid, 1, 'own PID namespace');
  assert.equal(r.shadow, false);
  assert.notEqual(r.hostname, (await import('node:os')).hostname() + '\n');
});

test('network "host" lets the function use Node networking directly; "none" does not', async (t) => {
  // network "host" is the operator's to allow (it bypasses the outbound policy).
  const p = await platform(t, { allowHostNetwork: true });
  const { mockBackend } = await import('./helpers.ts');
  const mock = await mockBackend(t);
  const source = `const c = require('containerless');
c.listen(function (req) {
  require('http').get(process.env.MOCK + '/text', (res) => { res.resume(); c.respond('reached ' + res.statusCode); })
    .on('error', (e) => c.respond('blocked: ' + e.code));
});`;
  await deploy(p, 'direct-host', source, { network: 'host', env: { MOCK: mock.url } });
  await deploy(p, 'direct-none', source, { network: 'none', env: { MOCK: mock.url } });
  assert.equal((await call(p, '/fn/direct-host/')).text, 'reached 200');
  assert.match((await call(p, '/fn/direct-none/')).text, /^blocked/);
});
