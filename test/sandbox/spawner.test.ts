import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Spawner, type SpawnedChild } from '../../src/sandbox/spawner.ts';

const ENV = { PATH: '/usr/bin:/bin' };

/** Everything a child relays, in order, until its streams end. */
async function outcome(c: SpawnedChild): Promise<{ out: string; err: string; exit?: [number | null, string | null]; errors: string[] }> {
  const errors: string[] = [];
  c.on('error', (e: Error) => errors.push(e.message));
  let out = '';
  let err = '';
  c.stdout!.on('data', (d: Buffer) => (out += String(d)));
  c.stderr!.on('data', (d: Buffer) => (err += String(d)));
  // Not events.once(c, 'exit'): it rejects on 'error'. A spawn that fails emits 'error' and may never
  // emit 'exit' (as Node's own ChildProcess), so the end of both streams is what is awaited.
  let exit: [number | null, string | null] | undefined;
  c.on('exit', (code: number | null, signal: string | null) => (exit = [code, signal]));
  await Promise.all([once(c.stdout!, 'end'), once(c.stderr!, 'end')]);
  return { out, err, exit, errors };
}

test('a spawned child relays its output byte for byte, then its exit code', async (t) => {
  const s = new Spawner();
  t.after(() => s.close());
  const r = await outcome(s.spawn('/bin/sh', ['-c', 'printf "a\\nb"; printf "é\\0x" >&2; exit 3'], ENV));
  assert.deepEqual(r, { out: 'a\nb', err: 'é\0x', exit: [3, null], errors: [] });
});

test('kill reaches the child; the environment is exactly the one given', async (t) => {
  const s = new Spawner();
  t.after(() => s.close());
  const c = s.spawn('/bin/sh', ['-c', 'echo "$ONLY-$HOME"; exec sleep 30'], { ...ENV, ONLY: 'me' });
  const done = outcome(c);
  await once(c.stdout!, 'data');
  assert.equal(c.kill('SIGKILL'), true);
  const r = await done;
  assert.deepEqual(r.exit, [null, 'SIGKILL']);
  assert.equal(r.out, 'me-\n');
});

test('a command that cannot run fails with an error and an exit, like a spawn on this thread', async (t) => {
  const s = new Spawner();
  t.after(() => s.close());
  const r = await outcome(s.spawn('/no/such/runtime', [], ENV));
  assert.match(r.errors.join(), /ENOENT/);
  assert.deepEqual([r.out, r.err], ['', '']);
  assert.notDeepEqual(r.exit, [0, null], 'never a clean exit');
});

test('if the spawner thread goes away, its children are reported gone and a new spawn starts a new thread', async () => {
  const s = new Spawner();
  const c = s.spawn('/bin/sh', ['-c', 'echo up; exec sleep 2'], ENV);
  const done = outcome(c);
  await once(c.stdout!, 'data');
  await s.close();
  const r = await done;
  assert.deepEqual(r.exit, [null, 'SIGKILL']);
  assert.match(r.errors.join(), /spawner stopped/);
  const again = await outcome(s.spawn('/bin/sh', ['-c', 'echo again'], ENV));
  assert.equal(again.out, 'again\n');
  await s.close();
});
