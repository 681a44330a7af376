import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CASES } from './equivalence-cases.ts';
import { observe } from './helpers.ts';

for (const c of CASES) {
  test(`instrumented code behaves like the original: ${c.name}`, async () => {
    const original = await observe(c.source, c.batches, false);
    const traced = await observe(c.source, c.batches, true);
    assert.deepEqual(traced.responses, original.responses);
    // Concurrent requests interleave by timing, which varies under load: compare each request's own
    // log lines in order, and outbound calls as a multiset (their bodies name the request).
    const byRequest = (logs: string[]) => [...logs].sort((a, b) => a.split(' ')[1].localeCompare(b.split(' ')[1]));
    const sortedCalls = (o: typeof original) => o.calls.map((x) => JSON.stringify(x)).sort();
    assert.deepEqual(sortedCalls(traced), sortedCalls(original));
    assert.deepEqual(byRequest(traced.logs), byRequest(original.logs));
    // Every run hit the program arm at load and each request hit at least one arm.
    assert.ok(traced.paths[0].arms.includes(0));
    for (const p of traced.paths.slice(1)) assert.ok(p.arms.length > 0, 'a request recorded no arms');
  });
}
