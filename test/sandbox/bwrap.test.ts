// What only bwrap does; its isolation is checked by the table (isolation.test.ts).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { makeDriver, tmpStateDir } from './helpers.ts';

let state: ReturnType<typeof tmpStateDir>;
let unavailable: string | undefined;

before(async () => {
  state = tmpStateDir('bwrap');
  await makeDriver('bwrap', state.dir).catch((err: Error) => (unavailable = err.message));
});
after(() => state?.remove());

test('bwrap: a stuck sandbox dies with its killed server (--die-with-parent)', async (t) => {
  if (unavailable) return t.skip(`bwrap cannot run here: ${unavailable}`);
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
