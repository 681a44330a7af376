// The memory charges against reality: for each kind of allocation, a child process (with --expose-gc)
// runs a request that keeps what it made alive in a global, and compares the bytes the request was
// charged with the growth of V8's heap after a full collection (fixtures/heap-calibration.ts). The
// charge must be at least the real size (to within 5%, garbage collection's noise): the budgets bound
// what the platform really holds. The ratios are printed; docs/accelerator.md quotes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

test('every kind of allocation is charged at least what V8 allocates for it', (t) => {
  const script = join(import.meta.dirname, 'fixtures', 'heap-calibration.ts');
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8', timeout: 240_000 });
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; real: number; charged: number });
  assert.ok(rows.length >= 15, r.stdout);
  for (const row of rows) {
    t.diagnostic(`${row.name}: real ${row.real.toFixed(0)} B, charged ${row.charged.toFixed(0)} B (×${(row.charged / row.real).toFixed(2)})`);
    assert.ok(row.charged >= 0.95 * row.real, `${row.name}: charged ${row.charged.toFixed(0)} bytes for ${row.real.toFixed(0)} real`);
  }
});
