// `yield*` in compiled code (docs/compiled-code.md): only `(yield* rt.ydeleg(Expr, text))`, only in
// the body of a generator (rt.gfn, rt.gfnt, rt.gfntrec), never in an async function's body (rt.afn),
// and rt.ydeleg nowhere else, since its value is a host iterator. Real compiler output validates;
// each mutation into a neighbouring shape is rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@babel/parser';
import { compile } from '../../src/compiler/index.ts';
import { validate, ValidationError } from '../../src/subset/index.ts';

const code = compile({ program: parse(`'use strict';
function* inner(n) { for (let i = 0; i < n; i++) yield i; return n; }
function* outer(xs) { const r = yield* inner(2); yield* xs; return r; }
class Tree { constructor(v, kids) { this.v = v; this.kids = kids; } *[Symbol.iterator]() { yield this.v; for (const k of this.kids) yield* k; } }
const walk = function* visit(t) { yield t.v; for (const k of t.k) yield* visit(k); };
async function load(x) { return await x; }
const all = [...outer([5]), ...new Tree(1, []), ...walk({ v: 1, k: [] })];`, { sourceType: 'script' }).program }).code;

test('the compiler output of yield* validates, as (yield* rt.ydeleg(Expr, text)) in generator bodies', () => {
  validate(code);
  assert.match(code, /\(yield\* rt\.ydeleg\(rt\.c1\(inner_\d+, "inner", 2\), "\(intermediate value\)"\)\)/);
  assert.match(code, /\(yield\* rt\.ydeleg\(xs_\d+, "#value"\)\)/);
  assert.match(code, /rt\.gfnt\(/);
  assert.match(code, /rt\.gfntrec\("visit"/);
  assert.equal(code.match(/yield\* rt\.ydeleg\(/g)?.length, 4);
});

const mutations: Record<string, (c: string) => string> = {
  'yield* of a bare expression': (c) => c.replace(/\(yield\* rt\.ydeleg\((xs_\d+), "#value"\)\)/, '(yield* $1)'),
  'yield* of another rt operation': (c) => c.replace(/\(yield\* rt\.ydeleg\((xs_\d+), "#value"\)\)/, '(yield* rt.iter($1, "#value"))'),
  'rt.ydeleg with one argument': (c) => c.replace(/rt\.ydeleg\((xs_\d+), "#value"\)/, 'rt.ydeleg($1)'),
  'rt.ydeleg with a computed text': (c) => c.replace(/rt\.ydeleg\((xs_\d+), "#value"\)/, 'rt.ydeleg($1, $1)'),
  'rt.ydeleg with a spread': (c) => c.replace(/rt\.ydeleg\((xs_\d+), "#value"\)/, 'rt.ydeleg(...$1)'),
  'rt.ydeleg outside yield*': (c) => c.replace(/\(yield\* rt\.ydeleg\((xs_\d+), "#value"\)\)/, '(yield rt.ydeleg($1, "#value"))'),
  'rt.ydeleg as a value': (c) => c.replace('"use strict";', '"use strict";\n  let d = rt.ydeleg;'),
  'rt.ydeleg called as a statement': (c) => c.replace('"use strict";', '"use strict";\n  rt.ydeleg(rt.arr([]), null);'),
  'yield* in the body of rt.afn': (c) => c.replace(/\(yield (x_\d+)\)/, '(yield* rt.ydeleg($1, "#value"))'),
  'yield* in a plain function nested in rt.gfn': (c) => c.replace(/(rt\.gfn\("outer", 1, function\* \([\w, ]+\) \{\n)/, '$1    rt.fn("", 0, function () { (yield* rt.ydeleg(rt.arr([]), null)); });\n'),
  'yield* in the maker of rt.gfntrec': (c) => c.replace(/(rt\.gfntrec\("visit", 1, 0, function \(\w+\) \{ )return /, '$1return (yield* rt.ydeleg(rt.arr([]), null)), '),
};

for (const [name, mutate] of Object.entries(mutations)) {
  test(`rejects: ${name}`, () => {
    const mutated = mutate(code);
    assert.notEqual(mutated, code, 'mutation did not apply');
    assert.throws(() => validate(mutated), ValidationError);
  });
}
