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
