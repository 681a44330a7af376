import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Store } from '../../src/store/index.ts';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'cl-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A second connection in another thread (as the compile worker has) that takes the write lock with
 * `sql` and holds it, blocking its own thread as an fsync of a large write does, until `release()`
 * (then for `lingerMs` more, so that a writer called right after release finds the lock still held)
 * or at most `holdMs`; then it commits. `locked` resolves once it holds the lock, `done` once it
 * committed. Whether a write of ours waited is read from what it sees, not from a clock: the other
 * connection's change is visible only once it has committed.
 */
function otherWriter(dbPath: string, sql: string, { holdMs = 60_000, lingerMs = 200 } = {}): { locked: Promise<void>; done: Promise<void>; release(): void } {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const Database = require(workerData.lib);
     const db = new Database(workerData.dbPath);
     db.pragma('busy_timeout = 5000');
     db.exec('BEGIN IMMEDIATE');
     db.exec(workerData.sql);
     parentPort.postMessage('locked');
     const flag = new Int32Array(workerData.flag);
     if (Atomics.wait(flag, 0, 0, workerData.holdMs) !== 'timed-out') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.lingerMs);
     db.exec('COMMIT');
     db.close();
     parentPort.postMessage('done');`,
    { eval: true, workerData: { lib: createRequire(import.meta.url).resolve('better-sqlite3'), dbPath, sql, holdMs, lingerMs, flag: flag.buffer } },
  );
  const messages: string[] = [];
  const waiters = new Map<string, () => void>();
  worker.on('message', (m: string) => {
    messages.push(m);
    waiters.get(m)?.();
  });
  const failed = new Promise<never>((_, reject) => worker.on('error', reject));
  const when = (m: string) => Promise.race([failed, new Promise<void>((r) => (messages.includes(m) ? r() : waiters.set(m, r)))]);
  const release = () => {
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  return { locked: when('locked'), done: when('done'), release };
}

test('a deploy waits for another connection that holds the write lock instead of failing "database is locked"', async (t) => {
  const s = Store.open(tempDir(t));
  t.after(() => s.close());
  s.putFunction('f', 'v1', {});
  // What the compile worker does: a trace write on its own connection.
  const other = otherWriter(s.path, `UPDATE versions SET trace_json = '{"t":1}' WHERE name = 'f' AND version = 1`);
  t.after(() => other.release());
  await other.locked;
  assert.equal(s.getTrace('f', 1), undefined, 'the other write is not committed yet');
  // Before the fix: a deferred transaction that read, then tried to write, got SQLITE_BUSY at once
  // (SQLite does not call the busy handler when a read transaction upgrades to a write one).
  other.release();
  const { record } = s.putFunction('f', 'v2', {});
  assert.equal(record.version, 2);
  assert.equal(s.getTrace('f', 1), '{"t":1}', 'the write waited for the other connection to commit');
  await other.done;
  assert.equal(s.getFunction('f')?.source, 'v2');
  assert.equal(s.getTrace('f', 1), '{"t":1}', 'the other connection\'s write is kept too');
});

test('mode pins and deletes wait for the lock; reads do not wait and show the buffer', async (t) => {
  const s = Store.open(tempDir(t), { flushIntervalMs: 3_600_000 });
  t.after(() => s.close());
  s.putFunction('f', 'v1', {});
  s.putFunction('g', 'v1', {});
  s.recordActivation({ id: 'a1', name: 'f', version: 1, start: 1, duration_ms: 1, mode: 'container', status: 200, reexecuted: false, logs: [] });
  s.count('f', 'status.200');
  s.flush();
  s.recordActivation({ id: 'a2', name: 'f', version: 1, start: 2, duration_ms: 1, mode: 'container', status: 500, reexecuted: false, abort_reason: 'fuel', logs: ['x'] });
  s.count('f', 'status.200', 2);
  const other = otherWriter(s.path, `UPDATE versions SET trace_json = '{}' WHERE name = 'g'`);
  t.after(() => other.release());
  await other.locked;
  // The lock is held until released below: a read that waited for it would fail with SQLITE_BUSY.
  assert.deepEqual(s.listActivations('f').map((a) => [a.id, a.abort_reason, a.logs]), [['a2', 'fuel', ['x']], ['a1', undefined, []]]);
  assert.deepEqual(s.listActivations('f', 1).map((a) => a.id), ['a2']);
  assert.deepEqual(s.getStats('f'), { 'status.200': 3 });
  assert.equal(s.getTrace('g', 1), undefined, 'reads answered while the other connection held the lock');
  other.release();
  assert.equal(s.setModePin('f', 'containers'), true);
  assert.equal(s.getTrace('g', 1), '{}', 'the pin waited for the other connection to commit');
  assert.equal(s.deleteFunction('g'), true);
  await other.done;
  assert.equal(s.getFunction('f')?.modePin, 'containers');
  assert.equal(s.getFunction('g'), undefined);
  s.flush();
  assert.deepEqual(s.listActivations('f').map((a) => a.id), ['a2', 'a1'], 'the same once written');
  assert.deepEqual(s.getStats('f'), { 'status.200': 3 });
});

test('the periodic flush does not block on another writer: it keeps its batch and writes it later', async (t) => {
  const s = Store.open(tempDir(t), { flushIntervalMs: 3_600_000 });
  t.after(() => s.close());
  s.putFunction('f', 'v1', {});
  // Held for 3 s unless released, less than the store's 5 s busy timeout: a flush that waited for
  // the lock would get it, write, and see the other connection's commit.
  const other = otherWriter(s.path, `UPDATE versions SET trace_json = '{}' WHERE name = 'f'`, { holdMs: 3000 });
  t.after(() => other.release());
  await other.locked;
  s.recordActivation({ id: 'a1', name: 'f', version: 1, start: 1, duration_ms: 1, mode: 'container', status: 200, reexecuted: false, logs: ['x'] });
  s.count('f', 'status.200', 2);
  assert.equal(s.tryFlush(), false, 'the lock is held elsewhere: nothing written yet');
  assert.equal(s.getTrace('f', 1), undefined, 'and it returned while the lock was still held, without waiting for it');
  s.recordActivation({ id: 'a2', name: 'f', version: 1, start: 2, duration_ms: 1, mode: 'container', status: 200, reexecuted: false, logs: [] });
  s.count('f', 'status.200');
  other.release();
  await other.done;
  assert.equal(s.tryFlush(), true);
  assert.deepEqual(s.listActivations('f').map((a) => a.id), ['a2', 'a1'], 'no activation lost, order kept');
  assert.deepEqual(s.getStats('f'), { 'status.200': 3 }, 'no count lost or doubled');
});
