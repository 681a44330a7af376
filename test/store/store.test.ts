import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
