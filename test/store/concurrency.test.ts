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
 * A second connection in another thread (as the compile worker has) that takes the write lock, holds
 * it for `holdMs` (blocking its own thread, as an fsync of a large write does) and commits.
 * Resolves `locked` once it holds the lock, `done` once it committed.
 */
function otherWriter(dbPath: string, holdMs: number, sql: string): { locked: Promise<void>; done: Promise<void> } {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const Database = require(workerData.lib);
     const db = new Database(workerData.dbPath);
     db.pragma('busy_timeout = 5000');
     db.exec('BEGIN IMMEDIATE');
     db.exec(workerData.sql);
     parentPort.postMessage('locked');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
     db.exec('COMMIT');
     db.close();
     parentPort.postMessage('done');`,
    { eval: true, workerData: { lib: createRequire(import.meta.url).resolve('better-sqlite3'), dbPath, holdMs, sql } },
  );
  const messages: string[] = [];
  const waiters = new Map<string, () => void>();
  worker.on('message', (m: string) => {
    messages.push(m);
    waiters.get(m)?.();
  });
  const failed = new Promise<never>((_, reject) => worker.on('error', reject));
  const when = (m: string) => Promise.race([failed, new Promise<void>((r) => (messages.includes(m) ? r() : waiters.set(m, r)))]);
  return { locked: when('locked'), done: when('done') };
}

test('a deploy waits for another connection that holds the write lock instead of failing "database is locked"', async (t) => {
  const s = Store.open(tempDir(t));
  t.after(() => s.close());
  s.putFunction('f', 'v1', {});
  // What the compile worker does: a trace write on its own connection.
  const other = otherWriter(s.path, 300, `UPDATE versions SET trace_json = '{"t":1}' WHERE name = 'f' AND version = 1`);
  await other.locked;
  // Before the fix: a deferred transaction that read, then tried to write, got SQLITE_BUSY at once
  // (SQLite does not call the busy handler when a read transaction upgrades to a write one).
  const t0 = performance.now();
  const { record } = s.putFunction('f', 'v2', {});
  assert.equal(record.version, 2);
  assert.ok(performance.now() - t0 >= 200, 'the write waited for the other connection to commit');
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
  const other = otherWriter(s.path, 400, `UPDATE versions SET trace_json = '{}' WHERE name = 'g'`);
  await other.locked;
  const t0 = performance.now();
  assert.deepEqual(s.listActivations('f').map((a) => [a.id, a.abort_reason, a.logs]), [['a2', 'fuel', ['x']], ['a1', undefined, []]]);
  assert.deepEqual(s.listActivations('f', 1).map((a) => a.id), ['a2']);
  assert.deepEqual(s.getStats('f'), { 'status.200': 3 });
  assert.ok(performance.now() - t0 < 200, 'reads did not wait for the other writer');
  assert.equal(s.setModePin('f', 'containers'), true);
  assert.ok(performance.now() - t0 >= 200, 'the pin waited for the lock');
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
  const other = otherWriter(s.path, 400, `UPDATE versions SET trace_json = '{}' WHERE name = 'f'`);
  await other.locked;
  s.recordActivation({ id: 'a1', name: 'f', version: 1, start: 1, duration_ms: 1, mode: 'container', status: 200, reexecuted: false, logs: ['x'] });
  s.count('f', 'status.200', 2);
  const t0 = performance.now();
  assert.equal(s.tryFlush(), false, 'the lock is held elsewhere: nothing written yet');
  assert.ok(performance.now() - t0 < 200, 'and the event loop was not held waiting for it');
  s.recordActivation({ id: 'a2', name: 'f', version: 1, start: 2, duration_ms: 1, mode: 'container', status: 200, reexecuted: false, logs: [] });
  s.count('f', 'status.200');
  await other.done;
  assert.equal(s.tryFlush(), true);
  assert.deepEqual(s.listActivations('f').map((a) => a.id), ['a2', 'a1'], 'no activation lost, order kept');
  assert.deepEqual(s.getStats('f'), { 'status.200': 3 }, 'no count lost or doubled');
});
