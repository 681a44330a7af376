// Array patterns that step an iterator (src/compiler/emit-pattern.ts): the compiled form uses the
// five operations rt.aopen, rt.astep, rt.arestof, rt.aend and rt.aquit inside the try/catch/finally
// shape every compiled try has. Real compiler output validates; each mutation is rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@babel/parser';
import { compile } from '../../src/compiler/index.ts';
import { validate, ValidationError } from '../../src/subset/index.ts';
import { RT_OPS } from '../../src/subset/rt-ops.ts';

const code = compile({ program: parse(`'use strict';
function* g() { yield 1; yield 2; }
const [a = 1, [b] = [2], ...r] = g();
let x, y;
[x, y = a] = g();
function f([p = 0, { q }] = g()) { return p + q; }`, { sourceType: 'script' }).program }).code;

test('the compiler output of a stepping array pattern validates', () => {
  validate(code);
  for (const op of ['aopen', 'astep', 'arestof', 'aend', 'aquit']) {
    assert.ok(RT_OPS.includes(op as (typeof RT_OPS)[number]), op);
    assert.match(code, new RegExp(`rt\\.${op}\\(`), op);
  }
  assert.equal(code.match(/rt\.aopen\(/g)?.length, 3);
});

const mutations: Record<string, (c: string) => string> = {
  'an operation name next to rt.aopen': (c) => c.replace('rt.aopen(', 'rt.aopens('),
  'an operation name next to rt.astep': (c) => c.replace('rt.astep(', 'rt.asteps('),
  'an operation name next to rt.aquit': (c) => c.replace('rt.aquit(', 'rt.aquits('),
  'the catch not starting with rt.caught': (c) => c.replace(/let (\$e\d+) = rt\.caught\((\$c\d+), (\$\d+)\);\n(\s*)rt\.aquit\((\$\d+)\);/, 'rt.aquit($5);\n$4let $1 = rt.caught($2, $3);'),
  'the finally not starting with rt.fin': (c) => c.replace(/rt\.fin\((\$\d+)\);\n(\s*)rt\.aend\((\$\d+)\);/, 'rt.aend($3);\n$2rt.fin($1);'),
  'an operation read as a value': (c) => c.replace('"use strict";', '"use strict";\n  let s = rt.astep;'),
};

for (const [name, mutate] of Object.entries(mutations)) {
  test(`rejects: ${name}`, () => {
    const mutated = mutate(code);
    assert.notEqual(mutated, code, 'mutation did not apply');
    assert.throws(() => validate(mutated), ValidationError);
  });
}

// The same pattern inside a larger expression: rt.apat(Expr, text, ($t) => (Expr)).
const exprCode = compile({ program: parse(`'use strict';
function* g() { yield 1; yield 2; }
let a, b, r;
function f(v) { return v; }
f([a = 1, [b] = [2], ...r] = g());
function* h() { let x; yield ([x = 1] = g(), x); }
const k = () => [a = 0] = g();`, { sourceType: 'script' }).program }).code;

test('the compiler output of an array pattern stepping inside an expression validates', () => {
  validate(exprCode);
  assert.ok(RT_OPS.includes('apat'));
  assert.equal(exprCode.match(/rt\.apat\(/g)?.length, 3);
  assert.match(exprCode, /rt\.apat\(\$\d+, "#value", \(\$\d+\) => \(/);
});

const exprMutations: Record<string, (c: string) => string> = {
  'an arrow with two parameters': (c) => c.replace(/rt\.apat\((\$\d+), "#value", \((\$\d+)\) =>/, 'rt.apat($1, "#value", ($2, $$9) =>'),
  'an arrow with a block body': (c) => c.replace(/rt\.apat\((\$\d+), "#value", \((\$\d+)\) => \(/, 'rt.apat($1, "#value", ($2) => { return ('),
  'an async arrow': (c) => c.replace(/rt\.apat\((\$\d+), "#value", \(/, 'rt.apat($1, "#value", async ('),
  'a text that is not a literal': (c) => c.replace(/rt\.apat\((\$\d+), "#value",/, 'rt.apat($1, $1,'),
  'a function expression instead of the arrow': (c) => c.replace(/rt\.apat\((\$\d+), "#value", \((\$\d+)\) => \(/, 'rt.apat($1, "#value", function ($2) { return ('),
  'an arrow passed to another operation': (c) => c.replace(/rt\.apat\((\$\d+), "#value",/, 'rt.aopen($1, "#value",'),
  'a yield inside the arrow': (c) => c.replace(/rt\.apat\((\$\d+), "#value", \((\$\d+)\) => \(/, 'rt.apat($1, "#value", ($2) => ((yield 1), '),
  'the arrow parameter used outside it': (c) => c.replace(/rt\.apat\((\$\d+), "#value", \((\$\d+)\) => \(/, '$$99 + rt.apat($1, "#value", ($$99) => ($$99, '),
  'a fourth argument': (c) => c.replace(/rt\.apat\((\$\d+), "#value",/, 'rt.apat($1, "#value", 1,'),
  'the arrow as a value': (c) => c.replace('"use strict";', '"use strict";\n  let s = ($1) => ($1);'),
};

for (const [name, mutate] of Object.entries(exprMutations)) {
  test(`rejects: ${name}`, () => {
    const mutated = mutate(exprCode);
    assert.notEqual(mutated, exprCode, 'mutation did not apply');
    assert.throws(() => validate(mutated), ValidationError);
  });
}
