import { test } from 'node:test';
import assert from 'node:assert/strict';
import { totalmem } from 'node:os';
import { memoryBudget } from '../../src/platform/memory-budget.ts';

test('the budget: half the machine by default, a tenth kept for compiled programs', () => {
  const d = memoryBudget();
  assert.equal(d.totalMb, Math.floor(totalmem() / 2 ** 20 / 2));
  assert.ok(Math.abs(d.containersMb - d.totalMb * 0.9) < 1);
  assert.equal(d.maxResident, Math.floor((d.totalMb * 0.1) / 0.5));
  const small = memoryBudget({ memoryMb: 1000 });
  assert.deepEqual(small, { totalMb: 1000, containersMb: 900, maxResident: 200 });
  const pinned = memoryBudget({ memoryMb: 1000, maxResident: 10 });
  assert.deepEqual(pinned, { totalMb: 1000, containersMb: 995, maxResident: 10 }, 'an explicit count takes its own share');
  assert.equal(memoryBudget({ memoryMb: 1, maxResident: 10 }).containersMb, 0, 'never negative');
});
