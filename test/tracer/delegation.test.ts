// The tracer accepts `yield*` (trace format version 4): a generator that delegates is traced like any
// code, its arms inside the delegated-to generator are recorded, and the compiled code delegates
// (rt.ydeleg) and answers an unseen request as Node does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSkeleton, traceLocally } from '../../src/tracer/index.ts';
import { compile } from '../../src/compiler/index.ts';
import { createInstance, loadCompiled } from '../../src/accelerator/index.ts';
import { loadFunction } from '../../src/api/index.ts';
import { raw, recordingIO } from '../accelerator/helpers.ts';

const SOURCE = `const c = require('containerless');
function* leaves(t) { if (t.kids.length === 0) { yield t.v; return 1; } let n = 0; for (const k of t.kids) n += yield* leaves(k); return n; }
function* all(t) { const n = yield* leaves(t); yield 'count ' + n; yield* ['end']; }
c.listen((req) => {
  const depth = Number(req.query.d) || 0;
  let t = { v: 'leaf', kids: [] };
  for (let i = 0; i < depth; i++) t = { v: 'n' + i, kids: [t, { v: 'x' + i, kids: [] }] };
  c.respond([...all(t)]);
});`;

test('yield* is not on the unsupported list; a delegating generator is traced, compiled and answers as Node does', async () => {
  assert.deepEqual(buildSkeleton(SOURCE).unsupported, []);
  const { tree } = await traceLocally(SOURCE, [raw({ query: { d: '2' } })], recordingIO());
  assert.ok(!JSON.stringify(tree.program).includes('"Unsupported"'));
  const { code } = compile(tree);
  assert.match(code, /\(yield\* rt\.ydeleg\(rt\.c1\(leaves_\d+, "leaves", k_\d+\), "\(intermediate value\)"\)\)/);
  const inst = createInstance(loadCompiled(code), { io: recordingIO(), log() {} });
  const node = loadFunction(SOURCE, { io: recordingIO(), log() {} });
  for (const d of ['1', '4']) {
    const r = raw({ query: { d } });
    const a = await inst.handle(r, { timeoutMs: 1000 });
    assert.equal(a.kind, 'response', JSON.stringify(a));
    assert.deepEqual(a.kind === 'response' && a.response, await node.invoke(r, { timeoutMs: 1000 }));
  }
});
