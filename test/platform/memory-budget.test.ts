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
  assert.deepEqual(small, { totalMb: 1000, containersMb: 900, maxContainers: 64, maxResident: 200 });
  const pinned = memoryBudget({ memoryMb: 1000, maxResident: 10 });
  assert.deepEqual(pinned, { totalMb: 1000, containersMb: 995, maxContainers: 64, maxResident: 10 }, 'an explicit count takes its own share');
  assert.equal(memoryBudget({ memoryMb: 1, maxResident: 10 }).containersMb, 0, 'never negative');
});

test('the container count: 64, or as many default-sized containers as the budget holds when that is more', () => {
  assert.equal(memoryBudget({ memoryMb: 4000 }).maxContainers, 64, 'a small budget keeps the floor; memory bounds it anyway');
  // 12 GB, half of a 24 GB machine: 11 059 MB for containers, 86 of 128 MB.
  assert.equal(memoryBudget({ memoryMb: 12_288 }).maxContainers, 86);
  assert.equal(memoryBudget({ memoryMb: 12_288, maxContainers: 10 }).maxContainers, 10, "the operator's count wins");
});
