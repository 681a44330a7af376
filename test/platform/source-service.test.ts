import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceService, prepareSource } from '../../src/platform/index.ts';
import { lightInstrument, toInstrumentation } from '../../src/acceleration/index.ts';
import { buildSkeleton } from '../../src/tracer/index.ts';
import { treeFromCounts } from '../../src/acceleration/tree-from-counts.ts';

const GOOD = `const c = require('containerless');
c.listen(function (req) { if (req.path === '/a') { c.respond('a'); } else { c.respond('b'); } });`;
const BAD_SYNTAX = `const c = require('containerless');\nc.listen(function (req) {\n  c.respond(1 +);\n});`;
const NO_LISTEN = `const c = require('containerless');\nc.respond('hi');`;

/** A valid function of about `chars` characters: many small functions with branches. */
function bigSource(chars: number): string {
  const parts = [GOOD];
  for (let n = 0, size = GOOD.length; size < chars; n++) {
    const f = `function f${n}(x) { if (x === ${n}) { return x + 1; } return [x, 'abc']; }\n`;
    parts.push(f);
    size += f.length;
  }
  return parts.join('\n');
}

test('the source worker gives what the inline path gives: instrumentation, or the 400 with line and column', async (t) => {
  const svc = new SourceService({ inlineChars: 0 });
  t.after(() => svc.close());
  for (const source of [GOOD, BAD_SYNTAX, NO_LISTEN, 'function ('])
    assert.deepEqual(await svc.prepare(source), prepareSource(source), source);
  assert.equal(svc.running, true, 'a worker did the work');
  const bad = await svc.prepare(BAD_SYNTAX);
  assert.ok(!bad.ok && 'line' in bad && bad.line === 3, JSON.stringify(bad));
  const good = await svc.prepare(GOOD);
  assert.ok(good.ok && 'code' in good.instrumented && good.instrumented.code.includes(GOOD.slice(0, 20)));
});

test('small sources are done inline: no worker starts', async (t) => {
  const svc = new SourceService();
  t.after(() => svc.close());
  const out = await svc.prepare(GOOD);
  assert.equal(out.ok, true);
  assert.equal(svc.running, false);
});

test('sources are done one at a time in the order they came', async (t) => {
  const svc = new SourceService({ inlineChars: 0 });
  t.after(() => svc.close());
  const sources = [bigSource(200_000), GOOD, NO_LISTEN, bigSource(50_000), GOOD];
  const done: number[] = [];
  const outs = await Promise.all(sources.map((s, i) => svc.prepare(s).then((o) => (done.push(i), o))));
  assert.deepEqual(done, [0, 1, 2, 3, 4]);
  assert.deepEqual(outs.map((o) => o.ok), [true, true, false, true, true]);
});

test('a check over the time limit is a 503 outcome and the next source gets a fresh worker', async (t) => {
  // The limit counts from when the worker has loaded, so a fresh worker's start does not eat it.
  const svc = new SourceService({ inlineChars: 0, timeoutMs: 1000 });
  t.after(() => svc.close());
  const slow = svc.prepare(bigSource(4_000_000));
  const next = svc.prepare(GOOD);
  const out = await slow;
  assert.ok(!out.ok && 'unavailable' in out && /longer than 1000 ms/.test(out.unavailable), JSON.stringify(out).slice(0, 200));
  assert.deepEqual(await next, prepareSource(GOOD), 'the source queued behind it is done by a new worker');
});

test('a source whose check overruns the worker heap is refused; the process and the next deploy are fine', async (t) => {
  const svc = new SourceService({ inlineChars: 0, maxHeapMb: 96 });
  t.after(() => svc.close());
  const huge = await svc.prepare(bigSource(3_000_000));
  assert.ok(!huge.ok && 'message' in huge && /too large or complex/.test(huge.message), JSON.stringify(huge).slice(0, 200));
  assert.deepEqual(await svc.prepare(GOOD), prepareSource(GOOD), 'a new worker serves the next source');
});

test('close answers what waits with a 503 outcome, and later sources too', async (t) => {
  const svc = new SourceService({ inlineChars: 0 });
  const pending = svc.prepare(bigSource(500_000));
  await svc.close();
  const out = await pending;
  assert.ok(!out.ok && 'unavailable' in out, JSON.stringify(out).slice(0, 200));
  const later = await svc.prepare(GOOD);
  assert.ok(!later.ok && 'unavailable' in later);
  t.diagnostic('closed');
});

test('the dispatcher keeps no AST for a deployed source until a tree must be materialised on its thread', () => {
  const source = bigSource(20_000);
  const light = lightInstrument(source);
  assert.ok(!('error' in light));
  const ins = toInstrumentation(source, light);
  assert.ok(!('error' in ins));
  const full = buildSkeleton(source);
  assert.equal(ins.skeleton.armCount, full.armCount);
  assert.equal(ins.skeleton.sha256, full.sha256);
  const counts = { 0: 1, 1: 1 };
  // Built on first use, the same as the deploy-time skeleton: the same tree comes out.
  assert.deepEqual(treeFromCounts(ins.skeleton, counts, 1), treeFromCounts(full, counts, 1));
  assert.deepEqual(toInstrumentation('x', { error: 'nope' }), { error: 'nope' });
});
