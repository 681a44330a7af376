import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { corpus, corpusSource, rawFor, sampleRequests, seedFor } from './harness.ts';
import { startMockBackend, type MockBackend } from '../../src/cli/trace-run/mock-backend.ts';
import { createHttpIO } from '../../src/cli/trace-run/http-io.ts';
import { createNodeRunner } from '../../src/cli/trace-run/oracle.ts';
import { compareRuns, formatDifferences } from '../../src/cli/trace-run/compare.ts';

// Oracle-only checks of the corpus: every function loads and answers its generated requests in
// plain Node, and answers deterministically (two fresh instances agree), which the differential
// tests rely on.

let backend: MockBackend;
before(async () => {
  backend = await startMockBackend();
});
after(async () => {
  await backend.close();
});

test('the corpus has at least 40 functions and an arbitrary for every file', () => {
  const dir = fileURLToPath(new URL('../../corpus/', import.meta.url));
  // `*.tmp.js` are scratch files other tools may drop here briefly; every other file is corpus.
  const files = readdirSync(dir).filter((f) => f.endsWith('.js') && !f.includes('.tmp.')).map((f) => f.slice(0, -3)).sort();
  assert.ok(files.length >= 40, `only ${files.length} functions`);
  assert.deepEqual(corpus.map((c) => c.name).sort(), files);
});

test('every corpus function answers its requests deterministically in Node', async () => {
  const io = createHttpIO({ allowOutbound: [new URL(backend.url).host] });
  for (const entry of corpus) {
    const source = corpusSource(entry.name);
    const first = createNodeRunner(source, { io });
    const second = createNodeRunner(source, { io });
    const statuses = new Set<number>();
    let outboundCalls = 0;
    for (const spec of sampleRequests(entry, 12, seedFor(entry.name, 1))) {
      const raw = rawFor(spec, backend.url);
      const a = await first.run(raw);
      const b = await second.run(raw);
      statuses.add(a.response.status);
      assert.notEqual(a.response.status, 504, `${entry.name}: timed out on ${JSON.stringify(spec)}`);
      const diffs = compareRuns(a, b);
      assert.equal(diffs.length, 0, `${entry.name} is not deterministic on ${JSON.stringify(spec)}:\n${formatDifferences(diffs)}`);
      outboundCalls += a.outbound.length;
    }
    assert.ok(statuses.size > 0);
    if (entry.backend) assert.ok(outboundCalls > 0, `${entry.name}: declared as using the backend but made no outbound call`);
    else assert.equal(outboundCalls, 0, `${entry.name}: outbound calls from a function not declared as using the backend`);
  }
});

test('the mock backend answers deterministically and counts calls', async () => {
  // Its own backend: calls that corpus functions make after responding may still be arriving at the shared one.
  const backend = await startMockBackend();
  const io = createHttpIO({ allowOutbound: [new URL(backend.url).host] });
  const before = backend.calls.length;
  const a = await io.request({ method: 'POST', url: `${backend.url}/login`, headers: { 'content-type': 'application/json' }, body: '{"username":"ab","password":"ab-pw"}' });
  const b = await io.request({ method: 'POST', url: `${backend.url}/login`, headers: { 'content-type': 'application/json' }, body: '{"username":"ab","password":"ab-pw"}' });
  assert.ok(a && b);
  assert.equal(a.status, 200);
  assert.equal(a.body, b.body);
  assert.equal(JSON.parse(a.body).ok, true);
  const bad = await io.request({ method: 'POST', url: `${backend.url}/accounts/x/withdraw`, headers: {}, body: '{"amount":1e9}' });
  assert.equal(bad?.status, 409);
  assert.equal(backend.calls.length, before + 3);
  assert.equal(await io.request({ method: 'GET', url: 'http://127.0.0.1:1/', headers: {} }), undefined);
  await backend.close();
});
