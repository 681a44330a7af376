import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, corpusSource, rawFor, sampleRequests, seedFor } from './harness.ts';
import { startMockBackend, type MockBackend } from '../../src/cli/trace-run/mock-backend.ts';
import { createHttpIO } from '../../src/cli/trace-run/http-io.ts';
import { createNodeRunner } from '../../src/cli/trace-run/oracle.ts';
import { createInstrumentedRunner } from '../../src/cli/trace-run/instrumented.ts';
import { compareRuns, formatDifferences } from '../../src/cli/trace-run/compare.ts';

// "The tracer changes no observable behaviour": for the whole corpus, the instrumented file and the
// original give the same responses, outbound calls and logs for the same requests, in the same order
// (so global state evolves alike), and the instrumented run records a path for every request.

// Uncaught errors are logged with their stack: its frames name host code and columns, which
// instrumentation shifts (lines stay), so only the message lines are compared.
const withoutStackFrames = (logs: string[]) => logs.map((l) => l.split('\n').filter((x) => !/^\s+at /.test(x)).join('\n'));

let backend: MockBackend;
before(async () => {
  backend = await startMockBackend();
});
after(async () => {
  await backend.close();
});

test('instrumented and original corpus functions behave identically', async () => {
  const io = createHttpIO({ allowOutbound: [new URL(backend.url).host] });
  for (const entry of corpus) {
    const source = corpusSource(entry.name);
    const original = createNodeRunner(source, { io });
    const traced = createInstrumentedRunner(source, { io });
    assert.deepEqual(traced.startupLogs, original.startupLogs, `${entry.name}: top-level logs differ`);
    for (const spec of sampleRequests(entry, 15, seedFor(entry.name, 2))) {
      const raw = rawFor(spec, backend.url);
      const a = await original.run(raw);
      const b = await traced.run(raw);
      const diffs = compareRuns(a, b);
      assert.equal(diffs.length, 0, `${entry.name} differs when instrumented on ${JSON.stringify(spec)}:\n${formatDifferences(diffs)}`);
      assert.deepEqual(withoutStackFrames(b.logs), withoutStackFrames(a.logs), `${entry.name}: logs differ on ${JSON.stringify(spec)}`);
      // Arm 1 and up are inside the program; every request at least enters the handler's body.
      assert.ok(b.path.arms.length > 0, `${entry.name}: empty path for ${JSON.stringify(spec)}`);
    }
    const tree = traced.tree();
    assert.equal(tree.paths, 16, `${entry.name}: the tree counts the top level and every request`);
  }
});

test('requests traced concurrently record the same paths as when traced one at a time', async () => {
  const io = createHttpIO({ allowOutbound: [new URL(backend.url).host] });
  // Functions whose requests interleave through outbound callbacks, and whose paths do not depend
  // on global state (so order cannot change a path).
  for (const entry of corpus.filter((e) => e.backend)) {
    const source = corpusSource(entry.name);
    const requests = sampleRequests(entry, 12, seedFor(entry.name, 3)).map((s) => rawFor(s, backend.url));
    // Generous timeouts: a request cut off by its timeout stops recording at an arbitrary point.
    const sequential = createInstrumentedRunner(source, { io, timeoutMs: 60_000 });
    const one: number[][] = [];
    for (const r of requests) one.push((await sequential.run(r)).path.arms);
    const concurrent = createInstrumentedRunner(source, { io, timeoutMs: 60_000 });
    const all = await Promise.all(requests.map((r) => concurrent.run(r)));
    for (const o of all) assert.notEqual(o.response.status, 504, `${entry.name}: a traced request timed out`);
    assert.deepEqual(all.map((o) => o.path.arms), one, `${entry.name}: paths differ when requests interleave`);
  }
});
