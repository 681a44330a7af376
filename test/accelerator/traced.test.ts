// The pipeline through the real tracer: trace some requests locally, compile the tree, and check
// that traced paths run accelerated with Node's answers while untraced arms abort with
// `unknown-path` at the right place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceLocally } from '../../src/tracer/index.ts';
import { compile } from '../../src/compiler/index.ts';
import { createInstance, loadCompiled } from '../../src/accelerator/index.ts';
import { loadFunction } from '../../src/api/index.ts';
import { raw, recordingIO } from './helpers.ts';

const source = `const c = require('containerless');
let total = 0;
function score(word) {
  let s = 0;
  for (const ch of word) {
    switch (ch) {
      case 'a': s += 1; break;
      case 'z': s += 26; break;
      default: s += 2;
    }
  }
  return s;
}
c.listen(function (req) {
  const w = req.query.w || 'none';
  if (req.path === '/score') {
    total += score(w);
    c.respond({ w: w, score: score(w), total: total });
  } else if (req.path === '/fetch') {
    c.get('http://backend/' + w, function (body) {
      c.respond(body === undefined ? 'no backend' : { got: body });
    });
  } else {
    c.respond('other', { status: 404 });
  }
});`;

async function traced(train: ReturnType<typeof raw>[]) {
  const io = recordingIO((r) => ({ echo: r.url }));
  const { tree } = await traceLocally(source, train, io);
  const { code } = compile(tree);
  return loadCompiled(code);
}

test('traced paths run accelerated and agree with Node, including deeper loops than traced', async () => {
  const program = await traced([raw({ path: '/score', query: { w: 'ab' } }), raw({ path: '/fetch', query: { w: 'x' } })]);
  const io = recordingIO((r) => ({ echo: r.url }));
  const inst = createInstance(program, { io, log() {} });
  const node = loadFunction(source, { io: recordingIO((r) => ({ echo: r.url })), log() {} });
  for (const r of [raw({ path: '/score', query: { w: 'abababbbbbbbbba' } }), raw({ path: '/score', query: { w: 'b' } }), raw({ path: '/fetch', query: { w: 'y' } })]) {
    const a = await inst.handle(r, { timeoutMs: 1000 });
    const n = await node.invoke(r, { timeoutMs: 1000 });
    assert.equal(a.kind, 'response', JSON.stringify(a));
    assert.deepEqual(a.kind === 'response' && a.response, n);
  }
  assert.deepEqual(io.calls.map((c) => c.url), ['http://backend/y']);
});

test('untraced arms abort with unknown-path at their location', async () => {
  const program = await traced([raw({ path: '/score', query: { w: 'ab' } })]);
  const cases: [ReturnType<typeof raw>, number][] = [
    [raw({ path: '/other', query: { w: 'a' } }), 19], // the whole else-if chain was never reached
    [raw({ path: '/fetch', query: { w: 'a' } }), 19], // the else-if branch
    [raw({ path: '/score', query: { w: 'z' } }), 8], // an untraced switch case
    [raw({ path: '/score' }), 15], // `|| 'none'` never evaluated
  ];
  for (const [r, line] of cases) {
    const inst = createInstance(program, { io: recordingIO(), log() {} });
    const a = await inst.handle(r, { timeoutMs: 1000 });
    assert.equal(a.kind, 'abort', `${r.path} ${JSON.stringify(r.query)}`);
    assert.equal(a.kind === 'abort' && a.reason, 'unknown-path');
    assert.equal(a.kind === 'abort' && a.loc?.line, line, `${r.path} ${JSON.stringify(r.query)}: ${JSON.stringify(a)}`);
    assert.equal(inst.poisoned, true);
  }
});
