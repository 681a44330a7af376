// Async generators in compiled code (docs/compiled-code.md): `rt.agfn(name, length, function* …)`,
// whose Yield is `(yield rt.agy(Expr))` and whose bare `yield` is an await. rt.agy's value (the
// runtime's yield marker) is never a value of compiled code: it is admitted only as the operand of
// `yield` in rt.agfn's own body. Real compiler output validates; each neighbouring shape is rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@babel/parser';
import { compile } from '../../src/compiler/index.ts';
import { validate, ValidationError } from '../../src/subset/index.ts';

const code = compile({ program: parse(`'use strict';
async function* pairs(xs) { for (const x of xs) { const v = await x; yield [v, v]; } return 0; }
function* plain() { yield 1; }
async function load(x) { return await x; }
const g = async function* () { yield; };
class K { *keys() { yield this; } async *vals() { yield this; } }
const self = async function* me() { yield me; };
async function* deleg(xs) { const r = yield* xs; yield* pairs(r); }`, { sourceType: 'script' }).program }).code;

test('the compiler output of an async generator validates, its yield as (yield rt.agy(Expr))', () => {
  validate(code);
  assert.match(code, /rt\.agfn\("pairs", 1, function\* \(/);
  assert.match(code, /\(yield rt\.agy\(rt\.arr\(\[v_\d+, v_\d+\]\)\)\)/);
  assert.match(code, /\(yield rt\.agy\(void 0\)\)/);
  assert.match(code, /return \(yield 0\);/);
  assert.match(code, /rt\.agfnt\("vals", 0, \d+, function\* \(/);
  assert.match(code, /rt\.agfntrec\("me", 0, \d+, function \(\w+\) \{ return function\* \(/);
  assert.match(code, /\(yield rt\.agdel\(xs_\d+\)\)/);
});

const mutations: Record<string, (c: string) => string> = {
  'rt.agy as a value': (c) => c.replace('"use strict";', '"use strict";\n  let d = rt.agy;'),
  'rt.agy called outside yield': (c) => c.replace('"use strict";', '"use strict";\n  let d = rt.agy(1);'),
  'rt.agy inside an expression under yield': (c) => c.replace(/\(yield rt\.agy\(void 0\)\)/, '(yield [rt.agy(void 0)])'),
  'rt.agy with two arguments': (c) => c.replace(/rt\.agy\(void 0\)/, 'rt.agy(void 0, 1)'),
  'rt.agy with a spread': (c) => c.replace(/rt\.agy\(void 0\)/, 'rt.agy(...rt.arr([]))'),
  'yield rt.agy in the body of rt.gfnt': (c) => c.replace(/(rt\.gfnt\("keys"[\s\S]*?)\(yield (\$this\d+)\)/, '$1(yield rt.agy($2))'),
  'rt.agfnt with a plain function': (c) => c.replace(/rt\.agfnt\("vals", 0, (\d+), function\* /, 'rt.agfnt("vals", 0, $1, function '),
  'yield rt.agy in the body of rt.gfn': (c) => c.replace(/\(yield 1\)/, '(yield rt.agy(1))'),
  'yield rt.agy in the body of rt.afn': (c) => c.replace(/(rt\.afn\("load"[\s\S]*?)\(yield (x_\d+)\)/, '$1(yield rt.agy($2))'),
  'yield rt.agy in a plain function nested in rt.agfn': (c) => c.replace(/(rt\.agfn\("pairs", 1, function\* \([\w, ]+\) \{\n)/, '$1    rt.fn("", 0, function () { (yield rt.agy(1)); });\n'),
  'yield* in the body of rt.agfn': (c) => c.replace(/\(yield rt\.agy\(void 0\)\)/, '(yield* rt.ydeleg(rt.arr([]), null))'),
  'rt.agdel as a value': (c) => c.replace('"use strict";', '"use strict";\n  let d = rt.agdel;'),
  'rt.agdel called outside yield': (c) => c.replace('"use strict";', '"use strict";\n  let d = rt.agdel(rt.arr([]));'),
  'rt.agdel under yield*': (c) => c.replace(/\(yield rt\.agdel\((xs_\d+)\)\)/, '(yield* rt.agdel($1))'),
  'rt.agdel with two arguments': (c) => c.replace(/rt\.agdel\((xs_\d+)\)/, 'rt.agdel($1, null)'),
  'rt.agdel inside an expression under yield': (c) => c.replace(/\(yield rt\.agdel\((xs_\d+)\)\)/, '(yield [rt.agdel($1)])'),
  'yield rt.agdel in the body of rt.gfn': (c) => c.replace(/\(yield 1\)/, '(yield rt.agdel(1))'),
  'yield rt.agdel in the body of rt.afn': (c) => c.replace(/(rt\.afn\("load"[\s\S]*?)\(yield (x_\d+)\)/, '$1(yield rt.agdel($2))'),
  'rt.agfn with a plain function': (c) => c.replace(/rt\.agfn\("pairs", 1, function\* /, 'rt.agfn("pairs", 1, function '),
};

for (const [name, mutate] of Object.entries(mutations)) {
  test(`rejects: ${name}`, () => {
    const mutated = mutate(code);
    assert.notEqual(mutated, code, 'mutation did not apply');
    assert.throws(() => validate(mutated), ValidationError);
  });
}
