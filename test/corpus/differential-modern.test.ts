// Differential tests over the modern corpus (corpus/modern/: async, classes, generators, regexps,
// Map/Set, dates): train, then compare Node and the accelerated run on unseen requests. Zero
// mismatches; functions the accelerator cannot load yet are listed in known-failures-modern.json.
import { readFileSync } from 'node:fs';
import { test, before, after } from 'node:test';
import { modernCorpus } from '../../corpus/modern/index.ts';
import { startMockBackend, type MockBackend } from '../../src/cli/trace-run/mock-backend.ts';
import { differential, type FunctionSummary, type KnownFailure } from './differential.ts';

const known: Record<string, KnownFailure> = JSON.parse(readFileSync(new URL('./known-failures-modern.json', import.meta.url), 'utf8'));
const source = (name: string) => readFileSync(new URL(`../../corpus/modern/${name}.js`, import.meta.url), 'utf8');

let backend: MockBackend;
const summaries: FunctionSummary[] = [];
before(async () => {
  backend = await startMockBackend();
});
after(async () => {
  await backend.close();
  const equal = summaries.reduce((n, s) => n + s.equal, 0);
  const aborted = summaries.reduce((n, s) => n + s.aborted, 0);
  console.log(`differential modern: ${summaries.length} functions, ${equal} equal, ${aborted} aborted`);
});
for (const entry of modernCorpus) {
  test(`differential (modern): ${entry.name}`, async (t) => {
    summaries.push(await differential(t, entry, backend.url, source(entry.name), known[entry.name]));
  });
}
