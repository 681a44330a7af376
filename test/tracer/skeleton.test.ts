import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSkeleton, instrument, TraceParseError, UNSUPPORTED } from '../../src/tracer/index.ts';
import type { ArmKind } from '../../src/trace/index.ts';

const EVERY_ARM = `
const c = require('containerless');
function f(a = 1, { b = 2 } = {}) {
  if (a) g(); else h();
  const x = a ? 1 : 2;
  const y = a && b, z = a || b, w = a ?? b;
  let q; q &&= 1; q ||= 2; q ??= 3;
  switch (a) { case 1: break; default: }
  for (let i = 0; i < 1; i++) {}
  for (const k in {}) ;
  for (const v of []) {}
  while (false) {}
  do {} while (false);
  try {} catch (e) {} finally {}
  return () => x;
}
c.listen(f);
`;

test('the same source gives the same skeleton', () => {
  const a = buildSkeleton(EVERY_ARM);
  const b = buildSkeleton(EVERY_ARM);
  assert.equal(a.armCount, b.armCount);
  assert.deepEqual(a.arms, b.arms);
  assert.deepEqual(a.functions, b.functions);
  assert.equal(a.sha256, b.sha256);
  assert.equal(instrument(EVERY_ARM).code, instrument(EVERY_ARM).code);
});

test('every kind of arm is numbered, in pre-order from the program', () => {
  const s = buildSkeleton(EVERY_ARM);
  const kinds = new Map<ArmKind, number>();
  for (const a of s.arms) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(kinds), {
    program: 1, 'default-value': 3, 'function-body': 2, 'if-consequent': 1, 'if-alternate': 1,
    'conditional-consequent': 1, 'conditional-alternate': 1, 'logical-right': 6, 'switch-case': 2,
    'loop-body': 5, catch: 1, finally: 1,
  });
  assert.equal(s.arms[0].kind, 'program');
  s.arms.forEach((a, i) => assert.equal(a.id, i));
  // Pre-order: source order here, since no arm nests in an earlier sibling's range.
  for (let i = 1; i < s.arms.length; i++) {
    const [p, q] = [s.arms[i - 1].loc, s.arms[i].loc];
    assert.ok(p.line < q.line || (p.line === q.line && p.column <= q.column), `arm ${i} out of order`);
  }
  // Every arm has exactly one marker in the instrumented code.
  const code = instrument(EVERY_ARM).code;
  for (let i = 0; i < s.armCount; i++) assert.equal(code.split(`$__cl.p[${i}] = 1`).length - 1, 1, `arm ${i}`);
});

test('functions get "LINE:COL" ids and the names JavaScript gives them', () => {
  const s = buildSkeleton(`
const a = function () {};
const b = () => 1;
function c() { return function inner() {}; }
const o = { m() {}, 'str key': function () {}, 7: () => 0, [Symbol.iterator]: function () {} };
let d; d = () => 2;
const { e = () => 3 } = {};
[1].map(function (x) { return x; });`);
  const names = s.functions.map((f) => `${f.fnId} ${f.name}`);
  assert.deepEqual(names, ['2:10 a', '3:10 b', '4:0 c', '4:22 inner', '5:12 m', '5:31 str key', '5:50 7', '5:78 ', '6:11 d', '7:12 e', '8:8 ']);
  const inner = s.functions.find((f) => f.name === 'inner')!;
  assert.equal(inner.parentFnId, '4:0');
  assert.equal(s.arms[inner.bodyArm].kind, 'function-body');
  assert.equal(s.arms[inner.bodyArm].fnId, '4:22');
});

test('unsupported syntax is recognised, with an arm each, and not traced inside', () => {
  const src = `
class A { m() { if (x) y(); } }
const B = class {};
const o = { get g() { return 1; }, set g(v) {}, async am() {}, *gm() {} };
function* gen() { yield 1; }
async function af() { await 1; }
const r = /re/g, big = 1n;
function f() { return [this, arguments.length, new.target]; }
const t = String.raw\`x\`;
const m = { f() { return super.x; } };
L: function lf() {}
eval('1');
with ({}) {}
debugger;
import('x');`;
  const s = buildSkeleton(src);
  const whats = s.unsupported.map((u) => u.what).sort();
  // Classes, getters, setters, tagged templates, `this`, `arguments`, `new.target` and `super` are supported
  // (src/accelerator/classes.ts), as are async functions and generators (but async generators).
  assert.deepEqual(whats, ['bigint', 'debugger', 'direct-eval', 'import', 'labelled-function', 'with'].sort());
  for (const w of whats) assert.ok((UNSUPPORTED as readonly string[]).includes(w));
  // The class method's body is traced: its `if` has arms.
  assert.equal(s.arms.filter((a) => a.kind === 'if-consequent').length, 1);
  assert.ok(s.functions.some((f) => f.name === 'm'));
  for (const u of s.unsupported) assert.equal(s.arms[u.arm].id, u.arm);
  // Declarations and property names called `arguments` are not uses.
  assert.equal(buildSkeleton('function f(arguments) { var o = { arguments: 1 }; return o.arguments; }').unsupported.length, 0);
});

test('a parse error carries line and column', () => {
  assert.throws(() => buildSkeleton('const a = 1;\nconst b = (;\n'), (err: unknown) => {
    assert.ok(err instanceof TraceParseError);
    assert.equal(err.line, 2);
    assert.equal(err.column, 11);
    assert.match(err.message, /Unexpected token/);
    return true;
  });
  assert.throws(() => instrument('function ('), TraceParseError);
});

test('top-level return and new.target parse, as loadFunction accepts them', () => {
  const s = buildSkeleton('if (true) return;\nconst t = new.target;');
  // new.target is syntax the tracer keeps (compiled code aborts on it outside a function).
  assert.deepEqual(s.unsupported.map((u) => u.what), []);
});

test('instrumentation inserts no newline, so line numbers do not move', () => {
  const code = instrument(EVERY_ARM).code;
  assert.equal(code.split('\n').length, EVERY_ARM.split('\n').length);
});
