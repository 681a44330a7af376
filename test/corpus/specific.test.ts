import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpus, corpusSource, rawFor, sampleRequests, seedFor } from './harness.ts';
import { startMockBackend, type MockBackend } from '../../src/cli/trace-run/mock-backend.ts';
import { createHttpIO } from '../../src/cli/trace-run/http-io.ts';
import { runPipeline } from '../../src/cli/trace-run/pipeline.ts';
import { createNodeRunner } from '../../src/cli/trace-run/oracle.ts';
import { createInstrumentedRunner } from '../../src/cli/trace-run/instrumented.ts';
import { compareRuns, formatDifferences } from '../../src/cli/trace-run/compare.ts';
import { formatResultLine } from '../../src/cli/trace-run/format.ts';
import { toRawRequest, type RequestSpec } from '../../src/cli/trace-run/request-spec.ts';
import { buildSkeleton } from '../../src/tracer/index.ts';
import { addPath, emptyTree } from '../../src/trace/index.ts';
import { compile } from '../../src/compiler/index.ts';
import { createInstance, loadCompiled, type Limits } from '../../src/accelerator/index.ts';
import type { IO } from '../../src/api/index.ts';

// The specific promises of issue 3 beyond the generated differential tests.

let backend: MockBackend;
before(async () => {
  backend = await startMockBackend();
});
after(async () => {
  await backend.close();
});

/** Trains on `train`, tests on `test`; every test request must run accelerated and equal Node. */
async function allEqual(name: string, train: RequestSpec[], test: RequestSpec[]): Promise<void> {
  const report = await runPipeline({ source: corpusSource(name), train: train.map((s) => rawFor(s, backend.url)), test: test.map((s) => rawFor(s, backend.url)), io: createHttpIO({ allowOutbound: [new URL(backend.url).host] }) });
  assert.equal(report.failure, undefined, `${name}: ${JSON.stringify(report.failure)}`);
  const bad = report.results.filter((r) => r.verdict !== 'equal');
  assert.deepEqual(bad.map(formatResultLine), [], `${name}: every request must run accelerated and agree with Node`);
  assert.equal(report.counts.equal, test.length);
}

const query = (q: Record<string, string>, path = '/'): RequestSpec => ({ path, query: q });

test('recursion deeper than any traced depth runs accelerated and agrees with Node', async () => {
  await allEqual('recursion', [0, 1, 2, 3].map((d) => query({ depth: String(d) })), [10, 50, 150, 400].map((d) => query({ depth: String(d) })));
});

test('loops running more iterations than traced run accelerated and agree with Node', async () => {
  // Up to n = 2000 the loops take the arms traced with n <= 4 (the `evens > 1000` exit needs more).
  await allEqual('control-for', [0, 1, 2, 4].map((n) => query({ n: String(n) })), [100, 999, 2000].map((n) => query({ n: String(n) })));
  await allEqual('control-while-do', [1, 2, 3].map((n) => query({ n: String(n) })), [27, 97, 871, 999999].map((n) => query({ n: String(n) })));
  await allEqual('primes', [2, 10].map((n) => query({ n: String(n) })), [1000, 5000].map((n) => query({ n: String(n) })));
});

test('closures that mutate shared variables agree with Node', async () => {
  await allEqual('closures-shared', [0, 1, 2, 3].map((s) => query({ steps: String(s), start: String(s % 5) })), [4, 17, 60, 120].map((s) => query({ steps: String(s), start: String(s % 5) })));
  await allEqual('higher-order', [query({ ops: 'inc,dbl,neg,sq,nope', x: '1' })], [query({ ops: 'sq,sq,inc', x: '3' }), query({ ops: 'neg,dbl,dbl,dbl', x: '-7' })]);
});

test('exceptions thrown in one function and caught in another agree with Node', async () => {
  const kinds = ['12', 'abc', '-5'];
  await allEqual('exceptions', [...kinds.map((a) => query({ amount: a, depth: '1' })), query({ depth: '0' })], [...kinds.map((a) => query({ amount: a, depth: '15' })), query({ depth: '7' }), query({ amount: '3.5', depth: '20' })]);
});

test('global state persists across requests of one accelerated instance, as in a warm container', async () => {
  const reqs = ['/a', '/b', '/a', '/c', '/a'].map((p, i) => query({ add: String(i) }, p));
  await allEqual('global-counter', reqs.slice(0, 2), reqs);
});

/** Runaway requests cannot be traced in Node; compile a tree in which every arm is known instead. */
function compileAllArmsKnown(source: string) {
  const skeleton = buildSkeleton(source);
  const arms = Array.from({ length: skeleton.armCount }, (_, i) => i);
  const tree = addPath(emptyTree(skeleton), skeleton, { arms });
  return loadCompiled(compile(tree).code);
}

test('an infinite loop, unbounded allocation and unbounded recursion abort with fuel, memory, stack; the process keeps serving', async () => {
  const program = compileAllArmsKnown(readFileSync(new URL('./fixtures/runaway.js', import.meta.url), 'utf8'));
  const noIO: IO = { request: async () => undefined };
  // Each limit is tested alone: for the allocation cases fuel is raised so that memory is what runs
  // out (at default limits, the work of copying may spend the fuel first: either abort is right).
  const lots = { fuel: 1e9 };
  const expectations: Array<[string, Partial<Limits>, string[]]> = [
    ['/spin', {}, ['fuel']],
    ['/alloc-array', lots, ['memory']],
    ['/alloc-string', lots, ['memory']],
    ['/alloc-objects', lots, ['memory']],
    ['/alloc-array', {}, ['memory', 'fuel']],
    ['/alloc-string', {}, ['memory', 'fuel']],
    ['/alloc-objects', {}, ['memory', 'fuel']],
    ['/recurse', {}, ['stack']],
  ];
  for (const [path, limits, reasons] of expectations) {
    const instance = createInstance(program, { io: noIO, log() {}, limits });
    // Had the limits not stopped it, the request timeout would answer 504 (a response, not an abort).
    const result = await instance.handle(toRawRequest({ path }), { timeoutMs: 60_000 });
    assert.equal(result.kind, 'abort', `${path} must abort, got ${JSON.stringify(result).slice(0, 300)}`);
    assert.ok(result.kind === 'abort' && reasons.includes(result.reason), `${path} with limits ${JSON.stringify(limits)} aborts for ${reasons.join(' or ')}, got ${result.kind === 'abort' ? result.reason : ''}`);
    assert.equal(instance.poisoned, true, `${path}: an aborted instance is poisoned`);
    const next = createInstance(program, { io: noIO, log() {}, limits: {} });
    const ok = await next.handle(toRawRequest({ path: '/after' }), { timeoutMs: 1000 });
    assert.equal(ok.kind, 'response');
    assert.equal(ok.kind === 'response' && ok.response.body, 'ok /after', `a request right after ${path} is served`);
  }
});

test('concurrent requests on one accelerated instance agree with Node, each with its own outbound calls', async () => {
  const io = createHttpIO({ allowOutbound: [new URL(backend.url).host] });
  for (const name of ['banking', 'outbound-sequence', 'audit-log']) {
    const entry = corpus.find((e) => e.name === name)!;
    const source = corpusSource(name);
    const tracer = createInstrumentedRunner(source, { io });
    for (const s of sampleRequests(entry, 40, seedFor(name, 30))) await tracer.run(rawFor(s, backend.url));
    const program = loadCompiled(compile(tracer.tree()).code);
    const requests = sampleRequests(entry, 20, seedFor(name, 31)).map((s) => rawFor(s, backend.url));
    // Generous timeouts: 20 interleaved chains of outbound calls on a loaded 2-core machine can take
    // seconds, and a request cut off by its timeout stops recording its calls at an arbitrary point.
    const oracle = createNodeRunner(source, { io, timeoutMs: 60_000 });
    const expected = await Promise.all(requests.map((r) => oracle.run(r)));
    const instance = createInstance(program, { io, log() {}, limits: {} });
    const actual = await Promise.all(requests.map((r) => instance.handle(r, { timeoutMs: 60_000 })));
    let answered = 0;
    actual.forEach((a, i) => {
      assert.notEqual(expected[i]!.response.status, 504, `${name}: the oracle timed out`);
      if (a.kind === 'abort') return;
      answered++;
      const diffs = compareRuns(expected[i]!, { response: a.response, outbound: a.outbound });
      assert.equal(diffs.length, 0, `${name} ${JSON.stringify(requests[i])} under concurrency:\n${formatDifferences(diffs)}`);
    });
    // Requests interleave through their callbacks; nearly all must have been answered accelerated.
    assert.ok(answered >= 16, `${name}: only ${answered} of 20 concurrent requests answered accelerated`);
  }
});

test('a request that never responds times out with the same 504 in both modes', async () => {
  const source = `const c = require('containerless');
    c.listen(function (req) { if (req.path === '/silent') return; c.respond('spoke'); });`;
  const reqs = [toRawRequest({ path: '/silent' }), toRawRequest({ path: '/' })];
  const report = await runPipeline({ source, train: reqs, test: reqs, io: createHttpIO(), timeoutMs: 300 });
  assert.deepEqual(report.results.map((r) => [r.verdict, r.oracle.response.status]), [['equal', 504], ['equal', 200]]);
});
