import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../../src/store/index.ts';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'cl-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('functions: create, replace, version, pin, delete; survives reopening', (t) => {
  const dir = tempDir(t);
  const s = Store.open(dir);
  const a = s.putFunction('hello', 'src1', { timeout_ms: 100 });
  assert.equal(a.created, true);
  assert.equal(a.record.version, 1);
  const b = s.putFunction('hello', 'src2', {});
  assert.equal(b.created, false);
  assert.equal(b.record.version, 2);
  assert.ok(s.setModePin('hello', 'containers'));
  s.setTrace('hello', 2, '{"format":"containerless-trace"}');
  s.setCompiled('hello', 2, 'code');
  s.close();
  const r = Store.open(dir);
  const f = r.getFunction('hello')!;
  assert.deepEqual([f.version, f.source, f.modePin, f.config], [2, 'src2', 'containers', {}]);
  assert.equal(r.getTrace('hello', 2), '{"format":"containerless-trace"}');
  assert.equal(r.getCompiled('hello', 2), 'code');
  assert.equal(r.getTrace('hello', 1), undefined);
  assert.deepEqual(r.listFunctions().map((x) => x.name), ['hello']);
  assert.equal(r.deleteFunction('hello'), true);
  assert.equal(r.getFunction('hello'), undefined);
  assert.equal(r.deleteFunction('hello'), false);
  r.close();
});

test('activations are bounded per function and counters add up', (t) => {
  const s = Store.open(tempDir(t), { activationsPerFunction: 5 });
  s.putFunction('f', 'x', {});
  for (let i = 0; i < 12; i++) {
    s.recordActivation({ id: `a${i}`, name: 'f', version: 1, start: i, duration_ms: 1, mode: 'container', status: 200, reexecuted: i === 11, logs: [`line ${i}`] });
    s.count('f', 'requests.container');
    s.flush();
  }
  const acts = s.listActivations('f');
  assert.deepEqual(acts.map((a) => a.id), ['a11', 'a10', 'a9', 'a8', 'a7']);
  assert.deepEqual(acts[0]!.logs, ['line 11']);
  assert.equal(acts[0]!.reexecuted, true);
  assert.equal(s.getStats('f')['requests.container'], 12);
  // Activations of a function deleted meanwhile are dropped, not resurrected.
  s.recordActivation({ id: 'late', name: 'gone', version: 1, start: 0, duration_ms: 1, mode: 'container', status: 200, reexecuted: false, logs: [] });
  s.flush();
  assert.deepEqual(s.listActivations('gone'), []);
  s.close();
});

test('buffered writes: many activations between flushes keep the newest, counters are exact, close flushes', (t) => {
  const dir = tempDir(t);
  const s = Store.open(dir, { activationsPerFunction: 3, flushIntervalMs: 3_600_000 });
  s.putFunction('f', 'x', {});
  s.putFunction('g', 'x', {});
  for (let i = 0; i < 50; i++) {
    s.recordActivation({ id: `f${i}`, name: 'f', version: 1, start: i, duration_ms: 1, mode: 'accelerated', status: 200, reexecuted: false, logs: [] });
    s.count('f', 'requests.accelerated');
    if (i % 10 === 0) {
      s.recordActivation({ id: `g${i}`, name: 'g', version: 1, start: i, duration_ms: 1, mode: 'container', status: 500, reexecuted: false, abort_reason: 'fuel', logs: ['x'] });
      s.count('g', 'status.500');
    }
  }
  assert.deepEqual(s.listActivations('f').map((a) => a.id), ['f49', 'f48', 'f47']);
  assert.deepEqual(s.listActivations('g').map((a) => [a.id, a.abort_reason, a.logs]), [['g40', 'fuel', ['x']], ['g30', 'fuel', ['x']], ['g20', 'fuel', ['x']]]);
  assert.equal(s.getStats('f')['requests.accelerated'], 50);
  s.recordActivation({ id: 'last', name: 'f', version: 1, start: 99, duration_ms: 1, mode: 'accelerated', status: 200, reexecuted: false, logs: [] });
  s.count('f', 'requests.accelerated', 2);
  s.close();
  const r = Store.open(dir);
  assert.deepEqual(r.listActivations('f').map((a) => a.id), ['last', 'f49', 'f48']);
  assert.deepEqual(r.getStats('f'), { 'requests.accelerated': 52 });
  assert.deepEqual(r.getStats('g'), { 'status.500': 5 });
  r.close();
});

test('old activations are trimmed in batches, a quarter over the retention; reads show the retention only', (t) => {
  const dir = tempDir(t);
  const rowsOf = (name: string) => {
    const db = new Database(join(dir, 'containerless.db'), { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM activations WHERE name = ?').get(name) as { n: number }).n;
    } finally {
      db.close();
    }
  };
  const act = (name: string, i: number) => ({ id: `${name}${i}`, name, version: 1, start: i, duration_ms: 1, mode: 'accelerated', status: 200, reexecuted: false, logs: [] });
  const s = Store.open(dir, { activationsPerFunction: 8, flushIntervalMs: 3_600_000 });
  s.putFunction('f', 'x', {});
  const stored: number[] = [];
  for (let i = 0; i < 14; i++) {
    s.recordActivation(act('f', i));
    s.flush();
    stored.push(rowsOf('f'));
    const ids = s.listActivations('f').map((a) => a.id);
    assert.deepEqual(ids, Array.from({ length: Math.min(8, i + 1) }, (_, k) => `f${i - k}`));
  }
  // Up to 8 + 2 rows, then back to 8: one trim per two flushes here, not one per flush.
  assert.deepEqual(stored, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 8, 9, 10, 8]);
  // A re-created function starts its count again (its rows went with the delete).
  s.deleteFunction('f');
  s.putFunction('f', 'x', {});
  s.recordActivation(act('f', 100));
  s.flush();
  assert.equal(rowsOf('f'), 1);
  for (let i = 0; i < 30; i++) s.recordActivation(act('f', 200 + i));
  s.close();
  // A batch over the retention writes its newest 8; with the 1 before, 9 rows are within the slack.
  assert.equal(rowsOf('f'), 9);
  const reopened = Store.open(dir, { activationsPerFunction: 8 });
  assert.deepEqual(reopened.listActivations('f').map((a) => a.id), Array.from({ length: 8 }, (_, k) => `f${229 - k}`));
  reopened.close();
  // A new connection with a smaller retention reads the stored count and trims on its first flush.
  const r = Store.open(dir, { activationsPerFunction: 3, flushIntervalMs: 3_600_000 });
  r.recordActivation(act('f', 300));
  r.flush();
  assert.equal(rowsOf('f'), 3);
  assert.deepEqual(r.listActivations('f').map((a) => a.id), ['f300', 'f229', 'f228']);
  r.close();
});
