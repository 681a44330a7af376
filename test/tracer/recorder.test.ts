import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSkeleton, createRecorder, traceLocally } from '../../src/tracer/index.ts';
import type { Skeleton } from '../../src/trace/index.ts';
import { fakeIO, observe, raw } from './helpers.ts';

const SOURCE = `
const c = require('containerless');
c.listen(function (req) {
  c.get('http://backend/x?delay=' + req.query.d, function (body) {
    if (req.path === '/a') { c.respond('took a'); }
    else { c.respond('took b'); }
  });
  setTimeout(function () { if (req.path === '/a') { console.log('timer a'); } else { console.log('timer b'); } }, Number(req.query.d) / 2);
  Promise.resolve().then(() => req.path === '/a' ? 1 : 2);
});`;

/** The ids of the arms of a given kind whose location is on `line`. */
const armsOn = (s: Skeleton, line: number, kind: string) => s.arms.filter((a) => a.loc.line === line && a.kind === kind).map((a) => a.id);

test('concurrent requests whose callbacks resolve out of order are recorded apart', async () => {
  const s = buildSkeleton(SOURCE);
  // /a is slow and /b fast, so /b's callback runs in the middle of /a's request.
  const { paths, responses } = await observe(SOURCE, [[raw('/a', { query: { d: '80' } }), raw('/b', { query: { d: '20' } })]], true);
  assert.deepEqual(responses.map((r) => r.body), ['took a', 'took b']);
  const [cbA, cbB] = [armsOn(s, 5, 'if-consequent')[0], armsOn(s, 6, 'if-alternate')[0]];
  const [timerA, timerB] = [armsOn(s, 8, 'if-consequent')[0], armsOn(s, 8, 'if-alternate')[0]];
  const [promiseA, promiseB] = [armsOn(s, 9, 'conditional-consequent')[0], armsOn(s, 9, 'conditional-alternate')[0]];
  const [a, b] = [paths[1].arms, paths[2].arms];
  for (const arm of [cbA, timerA, promiseA]) { assert.ok(a.includes(arm), `a hit ${arm}`); assert.ok(!b.includes(arm), `b did not hit ${arm}`); }
  for (const arm of [cbB, timerB, promiseB]) { assert.ok(b.includes(arm), `b hit ${arm}`); assert.ok(!a.includes(arm), `a did not hit ${arm}`); }
  assert.ok(!paths[0].arms.includes(cbA) && paths[0].arms.includes(0), 'the top-level path is only the top level');
});

test('a recorder needs only the arm count (as a tracing container gets it)', () => {
  const rec = createRecorder({ armCount: 3 });
  const h = rec.begin('r1');
  rec.enterContext({ id: 'r1' });
  rec.binding.p[2] = 1;
  rec.enterContext(undefined);
  rec.binding.p[1] = 1;
  assert.deepEqual(rec.end(h), { arms: [2] });
});

test('outside any request, hits are dropped, never thrown', () => {
  const s = buildSkeleton('const c = require("containerless"); if (1) {}');
  const rec = createRecorder(s);
  rec.binding.p[1] = 1; // no path entered, no host attached
  rec.attach({ current: () => undefined });
  rec.binding.p[1] = 1;
  const h = rec.begin();
  rec.enter(h);
  rec.binding.p[1] = 1;
  rec.enter(undefined);
  assert.deepEqual(rec.end(h), { arms: [1] });
  assert.deepEqual(rec.end(rec.begin()), { arms: [] });
});

test('traceLocally: top level once, batches concurrently, merged tree', async () => {
  const calls: never[] = [];
  const { tree, responses, paths, skeleton } = await traceLocally(SOURCE, [raw('/b', { query: { d: '1' } }), [raw('/a', { query: { d: '20' } }), raw('/b', { query: { d: '5' } })]], fakeIO(calls));
  assert.deepEqual(responses.map((r) => r.body), ['took b', 'took a', 'took b']);
  assert.equal(paths.length, 4);
  assert.equal(tree.paths, 4);
  assert.equal(tree.counts[0], 1);
  const cbB = armsOn(skeleton, 6, 'if-alternate')[0];
  assert.equal(tree.counts[cbB], 2);
});
