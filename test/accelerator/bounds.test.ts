// Invariant 3: fuel, memory and stack bound every request; exhaustion aborts with the right reason,
// poisons the instance, runs no more user code of that request, and the process keeps serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS } from '../../src/accelerator/index.ts';
import { abortedWith, accelerate, raw, recordingIO } from './helpers.ts';

function fn(body: string, top = ''): string {
  return `const c = require('containerless');\n${top}\nc.listen(function (req) {\n${body}\n});`;
}

async function abortReason(body: string, limits?: Parameters<typeof accelerate>[2], top = ''): Promise<{ reason: string; line?: number }> {
  const inst = accelerate(fn(body, top), undefined, limits);
  const r = await inst.handle(raw(), { timeoutMs: 2000 });
  assert.equal(r.kind, 'abort', JSON.stringify(r));
  assert.equal(inst.poisoned, true);
  return r.kind === 'abort' ? { reason: r.reason, line: r.loc?.line } : { reason: '' };
}

test('while(true){} aborts with fuel, with the loop\'s location, having spent exactly the default fuel', async () => {
  const inst = accelerate(fn('let i = 0;\nwhile (true) { i++; }'));
  const r = await inst.handle(raw(), { timeoutMs: 60_000 });
  assert.equal(r.kind, 'abort', JSON.stringify(r));
  assert.deepEqual(r.kind === 'abort' && [r.reason, r.loc?.line], ['fuel', 5]);
  // Stopped by its fuel, not by the request's timeout; what the default fuel costs in time is
  // bench/fuel-rates.ts's figure (docs/accelerator.md, "Fuel").
  assert.equal(r.usage?.fuel, DEFAULT_LIMITS.fuel);
});

test('an empty infinite for loop and a do-while abort with fuel', async () => {
  assert.equal((await abortReason('for (;;) {}')).reason, 'fuel');
  assert.equal((await abortReason('do {} while (1);')).reason, 'fuel');
});

test('unbounded string growth aborts with memory (or fuel: a large rope pays for its flattening)', async () => {
  assert.equal((await abortReason("let s = 'x';\nwhile (true) s += s;", { fuel: 1e9 })).reason, 'memory');
  assert.equal((await abortReason("let s = 'x';\nwhile (true) s += s;")).reason, 'fuel');
});

test('unbounded array growth aborts with memory', async () => {
  assert.equal((await abortReason('const a = [];\nwhile (true) a.push({ x: 1 });', { fuel: 1e9 })).reason, 'memory');
  assert.equal((await abortReason('const a = [];\nfor (let i = 0; ; i++) a[i] = i;', { fuel: 1e9 })).reason, 'memory');
});

test('unbounded recursion aborts with stack, even through catch', async () => {
  assert.equal((await abortReason('function f(n) { return f(n + 1) + 1; }\nf(0);')).reason, 'stack');
  assert.equal((await abortReason('function f() { try { return f(); } catch (e) { return e; } }\nc.respond(String(f()));')).reason, 'stack');
  assert.equal((await abortReason('const o = { m: (n) => o.m(n + 1) };\no.m(0);')).reason, 'stack');
});

test('recursion deeper than any trace but within limits works', async () => {
  const inst = accelerate(fn('function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }\nc.respond(depth(1000));'));
  const r = await inst.handle(raw(), { timeoutMs: 1000 });
  assert.equal(r.kind === 'response' && r.response.body, '1000');
});

test('no user code of an aborted request runs: catch, finally and callbacks', async () => {
  const io = recordingIO();
  const inst = accelerate(
    fn(`
      if (req.path === '/wait') { c.get('http://x/slow', function () { c.respond('other finished'); }); return; }
      try { while (true) {} } catch (e) { c.get('http://x/catch', function () {}); c.respond('caught'); }
      finally { c.get('http://x/finally', function () {}); c.respond('finally'); }`),
    io,
  );
  const waiting = inst.handle(raw({ path: '/wait' }), { timeoutMs: 2000 });
  const r = await inst.handle(raw(), { timeoutMs: 2000 });
  assert.equal(r.kind, 'abort');
  assert.equal(r.kind === 'abort' && r.reason, 'fuel');
  assert.deepEqual(io.calls.map((c) => c.url), ['http://x/slow']);
  assert.equal(inst.poisoned, true);
  // The other request, already waiting on a callback, still finishes.
  const w = await waiting;
  assert.equal(w.kind === 'response' && w.response.body, 'other finished');
  // A poisoned instance refuses new requests; a fresh one serves.
  const refused = await inst.handle(raw(), { timeoutMs: 100 });
  assert.equal(refused.kind, 'abort');
});

test('each request has its own fuel: many small requests on one instance never run out', async () => {
  const inst = accelerate(fn('let s = 0; for (let i = 0; i < 100000; i++) s += i; c.respond(s);'));
  for (let k = 0; k < 30; k++) {
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.equal(r.kind === 'response' && r.response.body, String((100000 * 99999) / 2));
  }
});

test('the top level is bounded too', () => {
  assert.throws(() => accelerate('const c = require("containerless"); while (true) {} c.listen(function () {});'), /fuel/);
});

test('limits are configurable', async () => {
  assert.equal((await abortReason('let s = 0; for (let i = 0; i < 1000; i++) s += i; c.respond(s);', { fuel: 100 })).reason, 'fuel');
  assert.equal((await abortReason('function d(n) { return n && d(n - 1); } c.respond(d(50));', { maxDepth: 10 })).reason, 'stack');
  assert.equal((await abortReason('c.respond([1, 2, 3].map(String));', { memoryBytes: 300 })).reason, 'memory');
});

test('an undeclared name aborts instead of throwing when the tree may have lost declarations', async () => {
  const { parse } = await import('@babel/parser');
  const { compile } = await import('../../src/compiler/index.ts');
  const { createInstance, loadCompiled } = await import('../../src/accelerator/index.ts');
  const p = parse(fn(`if (req.path === '/x') { var hidden = 1; } c.respond(String(hidden));`), { sourceType: 'script' }).program as unknown as { body: { expression: { arguments: { body: { body: { consequent: unknown }[] } }[] } }[] };
  p.body[1]!.expression.arguments[0]!.body.body[0]!.consequent = { type: 'Unknown', arm: 9, loc: { line: 3, column: 23 } };
  const inst = createInstance(loadCompiled(compile({ program: p }).code), { io: recordingIO(), log() {} });
  const r = await inst.handle(raw(), { timeoutMs: 1000 });
  assert.ok(abortedWith(r, 'unsupported:global', 'global:hidden'), JSON.stringify(r));
});

test('the top level gets ten requests\' fuel: a library\'s tables build once, a runaway top level still aborts', async () => {
  const spin = (n: number) => `let t = 0; for (let i = 0; i < ${n}; i++) { t = (t + i) % 7; }`;
  // About three requests' fuel at the top level: loads and serves.
  const inst = accelerate(fn('c.respond(String(t));', spin(DEFAULT_LIMITS.fuel * 3 / 2)));
  const r = await inst.handle(raw(), { timeoutMs: 5000 });
  assert.equal(r.kind, 'response', JSON.stringify(r));
  // More than ten requests' fuel (one unit an iteration at least): the instance cannot start.
  assert.throws(() => accelerate(fn('c.respond(String(t));', spin(DEFAULT_LIMITS.fuel * 12))), /top level aborted: fuel/);
});
