import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RT_OPS } from '../../src/subset/index.ts';
import { Runtime } from '../../src/accelerator/runtime.ts';

test('the runtime implements every operation the validator allows', () => {
  for (const op of RT_OPS) assert.equal(typeof (Runtime.prototype as unknown as Record<string, unknown>)[op], 'function', op);
});

test('operation names are unique and none is an Object.prototype name', () => {
  assert.equal(new Set(RT_OPS).size, RT_OPS.length);
  for (const op of RT_OPS) assert.ok(!(op in Object.prototype), op);
});
