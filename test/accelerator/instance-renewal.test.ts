// A worn instance's budget is renewed from the isolate's heap in use (src/accelerator/instance.ts,
// renew): what its globals kept is part of that heap, so it can never keep more than its memory_mb,
// while a function whose requests only make temporaries keeps its globals instead of running its top
// level again every few thousand requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolateBytesInUse } from '../../src/accelerator/limits.ts';
import { accelerate, raw } from './helpers.ts';

const MIB = 1024 * 1024;
const fn = (top: string, body: string) => `const c = require('containerless');\n${top}\nc.listen(function (req) {\n${body}\n});`;

/** Keeps 300 KB more per request in a global (charged as such; in the heap only a rope's node). */
const GROWING = fn("const keep = []; let big = 'x'.repeat(300000);", 'keep.push(big + keep.length); c.respond(keep.length);');
/** Keeps an array of 30,000 numbers per request in a global: about 240 KB of real heap each. */
const KEEPING = fn('const keep = [];', 'const a = []; for (let i = 0; i < 30000; i++) a.push(i); keep.push(a); c.respond(keep.length);');
/** Makes about 1 MB of temporaries per request and keeps nothing; `starts` counts its top levels. */
const TEMPORARIES = fn(
  "const table = []; for (let i = 0; i < 1000; i++) table.push('row ' + i);",
  "const parts = []; for (let i = 0; i < 2000; i++) parts.push(table[i % 1000] + ' ' + i + 'x'.repeat(400)); c.respond({ n: parts.length, first: parts[0].length });",
);

test('renew with a given heap in use: the budget left becomes memory_mb minus it, if more than worn', async () => {
  const inst = accelerate(GROWING, undefined, { instanceMemoryBytes: 8 * MIB, memoryBytes: 1 * MIB });
  assert.equal(inst.renew(7.9 * MIB), true, 'an instance that is not worn serves on, whatever the heap');
  assert.ok(inst.memoryUsed < 1 * MIB, 'and its count is untouched');
  while (!inst.worn) assert.equal((await inst.handle(raw(), { timeoutMs: 1000 })).kind, 'response');
  assert.equal(inst.poisoned, true, 'worn');
  // Less than the worn threshold (1 MiB here) would be left: replace it.
  assert.equal(inst.renew(7.5 * MIB), false);
  assert.equal(inst.worn, true);
  assert.equal(inst.renew(2 * MIB), true);
  assert.equal(inst.worn, false);
  assert.equal(inst.poisoned, false);
  assert.equal(inst.memoryUsed, 2 * MIB, 'the heap in use is what counts as used from now on');
  const r = await inst.handle(raw(), { timeoutMs: 1000 });
  assert.equal(r.kind, 'response');
  assert.ok(inst.memoryUsed >= 2 * MIB + 300_000, `a request after the renewal is charged (${inst.memoryUsed})`);
});

test('an aborted instance is not renewed', async () => {
  const inst = accelerate(fn('', 'const r = new WeakRef({}); c.respond(String(r));'));
  assert.equal((await inst.handle(raw(), { timeoutMs: 1000 })).kind, 'abort');
  assert.equal(inst.renew(0), false);
});

test('renewed from the real heap, a growing global still stops within memory_mb', async () => {
  // A budget of the heap in use now plus 24 MiB: each renewal sees the kept arrays in the heap, so
  // one instance keeps at most about 24 MiB of them, never the 400 × 240 KB it would without the bound.
  const budget = isolateBytesInUse() + 24 * MIB;
  let inst = accelerate(KEEPING, undefined, { instanceMemoryBytes: budget, memoryBytes: 1 * MIB });
  let instances = 1;
  let most = 0;
  for (let i = 0; i < 400; i++) {
    if (!inst.renew()) {
      inst = accelerate(KEEPING, undefined, { instanceMemoryBytes: budget, memoryBytes: 1 * MIB });
      instances++;
    }
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.equal(r.kind, 'response', JSON.stringify(r).slice(0, 200));
    if (r.kind === 'response') most = Math.max(most, Number(r.response.body));
  }
  assert.ok(instances >= 2, `the instance was replaced (${instances} instances)`);
  assert.ok(most * 240_000 <= budget, `one instance kept ${most} arrays of 240 KB, within its ${Math.round(budget / MIB)} MiB`);
});

test('requests that only make temporaries keep their instance: the top level runs once', async () => {
  // 300 requests of about 1 MB each would wear out a budget of the heap plus 64 MiB several times.
  const budget = isolateBytesInUse() + 64 * MIB;
  let inst = accelerate(TEMPORARIES, undefined, { instanceMemoryBytes: budget, memoryBytes: 8 * MIB });
  let instances = 1;
  let charged = 0;
  let renewals = 0;
  for (let i = 0; i < 300; i++) {
    const worn = inst.worn;
    if (!inst.renew()) {
      inst = accelerate(TEMPORARIES, undefined, { instanceMemoryBytes: budget, memoryBytes: 8 * MIB });
      instances++;
    } else if (worn) renewals++;
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.equal(r.kind, 'response', JSON.stringify(r).slice(0, 200));
    charged += r.usage!.memory;
  }
  assert.ok(charged > 2 * budget, `the requests were charged ${Math.round(charged / MIB)} MiB in all`);
  assert.ok(renewals >= 1, 'the worn instance was renewed');
  assert.equal(instances, 1, 'and never replaced');
});
