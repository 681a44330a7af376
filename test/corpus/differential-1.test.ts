import { test, before, after } from 'node:test';
import { corpus } from './harness.ts';
import { startMockBackend, type MockBackend } from '../../src/cli/trace-run/mock-backend.ts';
import { differential, TEST, TRAIN, type FunctionSummary } from './differential.ts';

// Differential tests, part 1 of 2 (the corpus is split so the two halves run in parallel):
// for each function, train on TRAIN (20) generated requests, then compare the original (oracle)
// and the accelerated run on TEST (30) others. Zero mismatches; abort rates are reported.

const PART = 1;
let backend: MockBackend;
const summaries: FunctionSummary[] = [];
before(async () => {
  backend = await startMockBackend();
});
after(async () => {
  await backend.close();
  const total = summaries.reduce((s, f) => ({ equal: s.equal + f.equal, aborted: s.aborted + f.aborted, mismatched: s.mismatched + f.mismatched }), { equal: 0, aborted: 0, mismatched: 0 });
  const n = total.equal + total.aborted + total.mismatched;
  console.log(`differential part ${PART}: ${summaries.length} functions, ${total.equal} equal, ${total.aborted} aborted, ${total.mismatched} mismatched; abort rate ${n ? ((100 * total.aborted) / n).toFixed(1) : '-'}% (train ${TRAIN}, test ${TEST} per function)`);
});

for (const entry of corpus.filter((_, i) => i % 2 === PART - 1)) {
  test(`differential: ${entry.name}`, async (t) => {
    summaries.push(await differential(t, entry, backend.url));
  });
}
