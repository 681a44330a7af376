// Memory is counted per function instance, across requests and with the top level (globals
// included), against the instance's budget (the function's memory_mb): DESIGN invariant 3. Over the
// budget within a request, the request aborts with `memory` and the instance is poisoned; near it
// (worn), the instance is replaced between requests, without an abort.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccelResult, Instance } from '../../src/accelerator/index.ts';
import { accelerate, raw, recordingIO } from './helpers.ts';

const MIB = 1024 * 1024;
const fn = (top: string, body: string) => `const c = require('containerless');\n${top}\nc.listen(function (req) {\n${body}\n});`;

/** Keeps 300 KB more per request in a global, as the report did. */
const GROWING = fn("const keep = []; let big = 'x'.repeat(300000);", 'keep.push(big + keep.length); c.respond(keep.length);');

test('a global that keeps growing across requests reaches the budget: the request aborts with memory', async () => {
  const inst = accelerate(GROWING, undefined, { instanceMemoryBytes: 8 * MIB });
  let last: AccelResult | undefined;
  let served = 0;
  // Ignoring `worn` (as a caller that does not replace worn instances would), requests go on until one
  // allocates past the budget.
  for (let i = 0; i < 100 && !(last && last.kind === 'abort'); i++) {
    last = await inst.handle(raw(), { timeoutMs: 1000 });
    if (last.kind === 'response') served++;
  }
  assert.equal(last?.kind, 'abort', 'the budget stops the growth');
  assert.equal(last?.kind === 'abort' && last.reason, 'memory');
  assert.match((last?.kind === 'abort' && last.detail) || '', /instance budget/);
  assert.ok(served >= 10 && served < 30, `about 8 MiB / 300 KB requests were served (${served})`);
  assert.equal(inst.poisoned, true);
  assert.ok(inst.memoryUsed > 8 * MIB - 400_000, `${inst.memoryUsed} bytes charged`);
});

test('a worn instance is replaced between requests, without an abort, and its globals start again', async () => {
  const make = () => accelerate(GROWING, undefined, { instanceMemoryBytes: 8 * MIB });
  let inst: Instance = make();
  let instances = 1;
  const bodies: string[] = [];
  for (let i = 0; i < 80; i++) {
    // What the dispatcher does: a new instance when the current one is poisoned (aborted or worn).
    if (inst.poisoned) {
      assert.equal(inst.worn, true, 'poisoned here only because worn');
      inst = make();
      instances++;
    }
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.equal(r.kind, 'response', `request ${i}: ${JSON.stringify(r).slice(0, 200)}`);
    if (r.kind === 'response') bodies.push(r.response.body);
  }
  assert.ok(instances >= 3, `instances were replaced (${instances})`);
  // The global started again in each new instance: its count went back to 1.
  assert.ok(bodies.filter((b) => b === '1').length === instances, bodies.join(','));
  // Worn means: less left than one request may allocate (or half the budget, the smaller).
  assert.ok(Math.max(...bodies.map(Number)) * 300_000 < 8 * MIB, 'replaced before reaching the budget');
});

test('a worn instance still serves a request it is given (worn is advice to the caller)', async () => {
  const inst = accelerate(GROWING, undefined, { instanceMemoryBytes: 4 * MIB, memoryBytes: 1 * MIB });
  while (!inst.worn) assert.equal((await inst.handle(raw(), { timeoutMs: 1000 })).kind, 'response');
  assert.equal(inst.poisoned, true);
  const r = await inst.handle(raw(), { timeoutMs: 1000 });
  assert.equal(r.kind, 'response');
});

test('the top level counts against the instance budget', () => {
  const top = "const big = 'x'.repeat(100000); const keep = []; for (let i = 0; i < 40; i++) keep.push(big + i);";
  assert.throws(() => accelerate(fn(top, 'c.respond(1);'), undefined, { instanceMemoryBytes: 2 * MIB }), /aborted: memory/);
  const ok = accelerate(fn(top, 'c.respond(1);'), undefined, { instanceMemoryBytes: 16 * MIB });
  assert.ok(ok.memoryUsed >= 4_000_000, `${ok.memoryUsed}`);
});

test('requests that interleave on one instance share its budget', async () => {
  // The top level keeps 1 MB; each request 1 MB more after its outbound call answers; the instance
  // has 3.5 MiB in all: two requests fit.
  const io = recordingIO();
  const inst = accelerate(fn("const keep = []; const big = 'y'.repeat(1000000);", "c.get('http://backend/x', function () { keep.push(big + keep.length); c.respond(keep.length); });"), io, {
    instanceMemoryBytes: 3.5 * MIB,
  });
  const results = await Promise.all([1, 2, 3, 4].map(() => inst.handle(raw(), { timeoutMs: 2000 })));
  const reasons = results.map((r) => (r.kind === 'abort' ? r.reason : 'ok'));
  assert.deepEqual(reasons.filter((r) => r === 'ok').length, 2, reasons.join(','));
  assert.ok(reasons.includes('memory'), reasons.join(','));
});

test('each request is charged what it allocated, reported in its result', async () => {
  const inst = accelerate(fn('', "const n = Number(req.query.n); const a = []; for (let i = 0; i < n; i++) a.push('item ' + i); c.respond(a.length);"));
  const small = await inst.handle(raw({ query: { n: '10' } }), { timeoutMs: 1000 });
  const large = await inst.handle(raw({ query: { n: '10000' } }), { timeoutMs: 1000 });
  assert.ok(small.usage && large.usage);
  assert.ok(large.usage.fuel > 1000 * 2 && large.usage.fuel > 100 * small.usage.fuel / 10, JSON.stringify([small.usage, large.usage]));
  assert.ok(large.usage.memory > 10000 * 32, JSON.stringify(large.usage));
  assert.ok(inst.memoryUsed >= small.usage.memory + large.usage.memory);
});

test('strings are charged two bytes a character once one may hold a character outside Latin-1', async () => {
  const body = "const s = 'a'.repeat(100000) + req.path; c.respond(s.length);";
  const narrow = await accelerate(fn('', body)).handle(raw({ path: '/x' }), { timeoutMs: 1000 });
  const wide = await accelerate(fn('', body)).handle(raw({ path: '/\u0101' }), { timeoutMs: 1000 });
  const literal = await accelerate(fn("const sign = '\u20ac';", body)).handle(raw({ path: '/x' }), { timeoutMs: 1000 });
  const made = await accelerate(fn('', "const u = String.fromCharCode(0x101); const s = 'a'.repeat(100000) + req.path; c.respond(s.length + u);")).handle(raw({ path: '/x' }), { timeoutMs: 1000 });
  const m = [narrow, wide, literal, made].map((r) => r.usage!.memory);
  assert.ok(m[1]! > m[0]! + 90_000, `a request with a two-byte path: ${m.join(', ')}`);
  assert.ok(m[2]! > m[0]! + 90_000, `a program with a two-byte literal: ${m.join(', ')}`);
  assert.ok(m[3]! > m[0]! + 90_000, `a two-byte character made by the library: ${m.join(', ')}`);
});
