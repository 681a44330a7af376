// The corpus functions written with classes, constructor functions and `this` (corpus/class-*.js,
// corpus/proto-constructor.js): traced, compiled and run against Node like the rest of the corpus,
// and here also required to be answered accelerated for most test requests, not only never wrong.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpusEntry } from '../../corpus/index.ts';
import { differential, TEST } from './differential.ts';

for (const name of ['class-service', 'class-hierarchy', 'proto-constructor']) {
  test(`${name}: equal to Node and mostly accelerated`, async (t) => {
    const s = await differential(t, corpusEntry(name), 'http://127.0.0.1:9');
    assert.equal(s.mismatched, 0);
    assert.ok(s.equal >= TEST * 0.6, `${name}: only ${s.equal} of ${TEST} answered accelerated ${JSON.stringify(s.reasons)}`);
  });
}
