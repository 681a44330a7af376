// A pruned arm must not take its declarations with it: a name it declared would otherwise resolve to
// an outer binding of the same name in compiled code, a wrong answer instead of Node's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceLocally, buildSkeleton } from '../../src/tracer/index.ts';
import { materialize } from '../../src/trace/index.ts';
import { compile } from '../../src/compiler/index.ts';
import { createInstance, loadCompiled } from '../../src/accelerator/index.ts';
import { loadFunction, type IO, type RawRequest } from '../../src/api/index.ts';

const noIO: IO = { request: async () => undefined };
const req = (path: string): RawRequest => ({ method: 'GET', path, query: {}, headers: {}, body: '' });

const source = `const c = require('containerless');
var x = 'outer-x';
let y = 'outer-y';
function f(flag) {
  if (flag) { var x = 'inner'; }
  return String(x);
}
function g(k) {
  switch (k) {
    case 1: let y = 'case'; return y;
    default: return typeof y;
  }
}
c.listen(function (req) {
  if (req.path === '/f') c.respond(f(false));
  else if (req.path === '/g') c.respond(g(2));
  else c.respond(String(f(true)) + g(1));
});`;

test('Unknown arms list the names they declared', () => {
  const sk = buildSkeleton(source);
  const json = JSON.stringify(materialize(sk, { 0: 1 }));
  assert.match(json, /"vars":\["x"\]/);
});

test('a var declared only in an untraced arm shadows the outer one in compiled code, as in Node', async () => {
  const { tree } = await traceLocally(source, [req('/f'), req('/g')], noIO);
  const inst = createInstance(loadCompiled(compile(tree).code), { io: noIO, log() {} });
  const node = loadFunction(source, { io: noIO, log() {} });
  const want = await node.invoke(req('/f'), { timeoutMs: 2000 });
  const got = await inst.handle(req('/f'), { timeoutMs: 2000 });
  assert.equal(want.body, 'undefined');
  assert.equal(got.kind, 'response', JSON.stringify(got));
  if (got.kind === 'response') assert.equal(got.response.body, want.body);
});

test('a let declared only in an untraced switch case is not read as the outer one: Node throws, compiled code aborts', async () => {
  const { tree } = await traceLocally(source, [req('/g')], noIO);
  const inst = createInstance(loadCompiled(compile(tree).code), { io: noIO, log() {} });
  const node = loadFunction(source, { io: noIO, log() {} });
  const want = await node.invoke(req('/g'), { timeoutMs: 2000 });
  assert.equal(want.status, 500);
  const got = await inst.handle(req('/g'), { timeoutMs: 2000 });
  if (got.kind === 'response') assert.equal(got.response.body, want.body);
  else assert.match(got.reason, /^(unsupported|unknown-path)/);
});
