import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ABORT_REASONS } from '../../src/accelerator/index.ts';
import { Store } from '../../src/store/index.ts';
import { legacyAbortReason } from '../../src/store/legacy-aborts.ts';

test('legacy abort reasons map into the closed set, keeping what they named as the detail', () => {
  for (const r of ABORT_REASONS) assert.deepEqual(legacyAbortReason(r), { reason: r, detail: null });
  const cases: Array<[string, string, string]> = [
    ['unsupported:require:fs', 'unsupported:module', 'require:fs'],
    ['unsupported:global:Buffer', 'unsupported:global', 'global:Buffer'],
    ['unsupported:global-assign:x', 'unsupported:global', 'global-assign:x'],
    ['unsupported:process:exit', 'unsupported:process', 'process:exit'],
    ['unsupported:process-write:env', 'unsupported:process', 'process-write:env'],
    ['unsupported:process-env-write', 'unsupported:process', 'process-env-write'],
    ['unsupported:class', 'unsupported:syntax', 'class'],
    ['unsupported:syntax:ClassDeclaration', 'unsupported:syntax', 'syntax:ClassDeclaration'],
    ['unsupported:default-parameter-scope', 'unsupported:syntax', 'default-parameter-scope'],
    ['unsupported:frozen-delete', 'unsupported:value', 'frozen-delete'],
    ['unsupported:toPrimitive-hook', 'unsupported:value', 'toPrimitive-hook'],
    ['unsupported:String.prototype.normalize', 'unsupported:builtin', 'String.prototype.normalize'],
    ['unsupported:new Date', 'unsupported:builtin', 'new Date'],
    ['unsupported:decodeURIComponent', 'unsupported:builtin', 'decodeURIComponent'],
  ];
  for (const [old, reason, detail] of cases) assert.deepEqual(legacyAbortReason(old), { reason, detail }, old);
  const all = new Set<string>(ABORT_REASONS);
  for (const old of ['whatever', 'unsupported:', 'unsupported:?']) assert.ok(all.has(legacyAbortReason(old).reason), old);
});

test('a data directory of schema 1 opens with abort_detail and counters keyed by the closed set, counts kept', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cl-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const s = Store.open(dir);
  s.putFunction('f', 'src', {});
  s.close();
  // Schema 1 is schema 2 without the column: make the file as an older release left it.
  const db = new Database(join(dir, 'containerless.db'));
  db.exec('ALTER TABLE activations DROP COLUMN abort_detail');
  db.pragma('user_version = 1');
  const insert = db.prepare(`INSERT INTO activations (id, name, version, start, duration_ms, mode, status, reexecuted, abort_reason, logs_json)
    VALUES (?, 'f', 1, ?, 1, 'tracing', 200, 1, ?, '["line"]')`);
  const old = ['unsupported:require:fs', 'unsupported:String.prototype.normalize', 'fuel', null, 'unsupported:class'];
  old.forEach((reason, i) => insert.run(`a${i}`, i, reason));
  const count = db.prepare("INSERT INTO stats (name, key, count) VALUES ('f', ?, ?)");
  for (const [key, n] of [['aborts.unsupported:require:fs', 2], ['aborts.unsupported:require:os', 3], ['aborts.fuel', 1], ['aborts.unsupported:class', 4], ['requests.container', 9]] as const) count.run(key, n);
  db.close();

  const r = Store.open(dir);
  t.after(() => r.close());
  const acts = r.listActivations('f').reverse();
  assert.deepEqual(acts.map((a) => [a.id, a.abort_reason, a.abort_detail, a.logs]), [
    ['a0', 'unsupported:module', 'require:fs', ['line']],
    ['a1', 'unsupported:builtin', 'String.prototype.normalize', ['line']],
    ['a2', 'fuel', undefined, ['line']],
    ['a3', undefined, undefined, ['line']],
    ['a4', 'unsupported:syntax', 'class', ['line']],
  ]);
  assert.deepEqual(r.getStats('f'), { 'aborts.unsupported:module': 5, 'aborts.fuel': 1, 'aborts.unsupported:syntax': 4, 'requests.container': 9 });
  // New activations carry their detail.
  r.recordActivation({ id: 'b', name: 'f', version: 1, start: 9, duration_ms: 1, mode: 'tracing', status: 200, reexecuted: true, abort_reason: 'unsupported:module', abort_detail: 'require:os at 3:4', logs: [] });
  r.flush();
  assert.deepEqual([r.listActivations('f', 1)[0]!.abort_reason, r.listActivations('f', 1)[0]!.abort_detail], ['unsupported:module', 'require:os at 3:4']);
});
