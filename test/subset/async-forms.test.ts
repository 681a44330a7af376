// The async forms of the grammar (docs/compiled-code.md): `rt.afn(name, length, function* (…) {…})`
// with awaits as `yield Expr`. Real compiler output validates; each mutation into a neighbouring
// shape (a generator anywhere else, `yield` outside the body of rt.afn, `yield*`, the generator
// function or object as a value) is rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@babel/parser';
import { compile } from '../../src/compiler/index.ts';
import { validate, ValidationError } from '../../src/subset/index.ts';

const source = `
const c = require('containerless');
const get = (url) => new Promise(function (res) { c.get(url, res); });
async function load(id) {
  const a = await get('http://b/' + id);
  try { await Promise.reject(new Error('x')); } catch (e) { a.err = e.message; }
  return a;
}
c.listen(async function (req) {
  const [x, y] = await Promise.all([load(1), load(2)]);
  const o = { async m(v) { return (await v) + 1; } };
  c.respond({ x: x, y: y, m: await o.m(1) });
});`;

const code = compile({ program: parse(source, { sourceType: 'script' }).program }).code;

const mutations: Record<string, (c: string) => string> = {
  'a generator function in rt.fn': (c) => c.replace(/rt\.fn\("", 1, function \(/, 'rt.fn("", 1, function* ('),
  'a plain function in rt.afn': (c) => c.replace(/rt\.afn\("load", 1, function\* \(/, 'rt.afn("load", 1, function ('),
  'an async function in rt.afn': (c) => c.replace(/rt\.afn\("load", 1, function\* \(/, 'rt.afn("load", 1, async function ('),
  'an async generator in rt.afn': (c) => c.replace(/rt\.afn\("load", 1, function\* \(/, 'rt.afn("load", 1, async function* ('),
  'a named generator in rt.afn': (c) => c.replace(/rt\.afn\("load", 1, function\* \(/, 'rt.afn("load", 1, function* g('),
  'rt.afn without its name': (c) => c.replace(/rt\.afn\("load", 1, /, 'rt.afn(1, '),
  'the generator function as a value': (c) => c.replace('"use strict";', '"use strict";\n  let g = function* () { (yield 1); };'),
  'the generator function called natively': (c) => c.replace('"use strict";', '"use strict";\n  (function* () { (yield 1); })();'),
  'yield in a plain function nested in rt.afn': (c) => c.replace(/(rt\.afn\("load", 1, function\* \(\w+\) \{\n)/, '$1    rt.fn("", 0, function () { (yield 1); });\n'),
  'yield* in rt.afn': (c) => c.replace(/\(yield /, '(yield* '),
  'a bare yield in rt.afn': (c) => c.replace(/\(yield [^;]*\);/, '(yield);'),
  'yield of a free identifier': (c) => c.replace(/\(yield /, '(yield process, '),
  'an arrow generator-like escape via rt.afn as a value': (c) => c.replace('"use strict";', '"use strict";\n  let f = rt.afn;'),
  'rt.afn with a spread': (c) => c.replace(/rt\.afn\("load", 1, /, 'rt.afn(...rt.arr(["load", 1]), '),
};

test('the compiler output of async code validates, and uses the async forms', () => {
  validate(code);
  assert.match(code, /rt\.afn\("load", 1, function\* \(\w+\) \{/);
  assert.match(code, /rt\.afn\("", 1, function\* \(req_\d+\) \{/);
  assert.match(code, /rt\.afn\("m", 1, function\* \(/);
  assert.match(code, /\(yield rt\.c1\(get_\d+, "get", /);
});

for (const [name, mutate] of Object.entries(mutations)) {
  test(`rejects: ${name}`, () => {
    const mutated = mutate(code);
    assert.notEqual(mutated, code, 'mutation did not apply');
    assert.throws(() => validate(mutated), ValidationError);
  });
}

test('await outside an async function compiles to an abort, not to yield', () => {
  const out = compile({ program: parse('function f() { return 1; }', { sourceType: 'module', allowAwaitOutsideFunction: true }).program }).code;
  validate(out);
  const top = compile({ program: parse('const v = await 1;', { sourceType: 'module', allowAwaitOutsideFunction: true }).program }).code;
  validate(top);
  assert.match(top, /rt\.unsupported\("await", 1, 10\)/);
  assert.doesNotMatch(top, /yield/);
});

test('async generators compile to rt.agfn; their yield* to (yield rt.agdel(v)), never native yield* (async-generator-forms.test.ts)', () => {
  const out = compile({ program: parse('async function* g() { yield 1; yield* g(); }', { sourceType: 'script' }).program }).code;
  validate(out);
  assert.match(out, /rt\.agfn\("g", 0, function\* /);
  assert.match(out, /\(yield rt\.agy\(1\)\)/);
  assert.match(out, /\(yield rt\.agdel\(/);
  assert.doesNotMatch(out, /\(yield\* /);
});

const generators = compile({ program: parse(`
function* range(a, b) { for (let i = a; i < b; i++) { const got = yield i; if (got) return got; } }
const o = { *items() { yield 'x'; yield; } };
const all = [...range(0, 3), ...o.items()];`, { sourceType: 'script' }).program }).code;

const generatorMutations: Record<string, (c: string) => string> = {
  'a plain function in rt.gfn': (c) => c.replace(/rt\.gfn\("range", 2, function\* \(/, 'rt.gfn("range", 2, function ('),
  'an async generator in rt.gfn': (c) => c.replace(/rt\.gfn\("range", 2, function\* \(/, 'rt.gfn("range", 2, async function* ('),
  'yield* of a name in rt.gfn': (c) => c.replace(/\(yield i_/, '(yield* i_'),
  'yield in a plain function nested in rt.gfn': (c) => c.replace(/(rt\.gfn\("range", 2, function\* \([\w, ]+\) \{\n)/, '$1    rt.fn("", 0, function () { (yield 1); });\n'),
  'a generator function outside rt.gfn': (c) => c.replace(/rt\.gfn\("items", 0, /, 'rt.c0('),
};

test('the compiler output of generators validates, and uses rt.gfn', () => {
  validate(generators);
  assert.match(generators, /rt\.gfn\("range", 2, function\* \(/);
  assert.match(generators, /rt\.gfn\("items", 0, function\* \(\) \{/);
  assert.match(generators, /\(yield void 0\)/);
});

for (const [name, mutate] of Object.entries(generatorMutations)) {
  test(`rejects: ${name}`, () => {
    const mutated = mutate(generators);
    assert.notEqual(mutated, generators, 'mutation did not apply');
    assert.throws(() => validate(mutated), ValidationError);
  });
}

// Async functions and generators that see their receiver: rt.afnt / rt.gfnt(name, length, flags,
// function* (this, newTarget, argumentsList, …) {…}).
const receivers = compile({ program: parse(`'use strict';
class Repo {
  rows = [];
  async add(row) { await null; this.rows.push(row); return this.rows.length; }
  *each() { for (const r of this.rows) yield r; }
}
const api = { base: 1, async get(n) { return (await n) + this.base + arguments.length; } };
module.exports = { Repo, api };`, { sourceType: 'script' }).program }).code;

const receiverMutations: Record<string, (c: string) => string> = {
  'a plain function in rt.afnt': (c) => c.replace(/rt\.afnt\("add", 1, 0, function\* \(/, 'rt.afnt("add", 1, 0, function ('),
  'an async generator in rt.afnt': (c) => c.replace(/rt\.afnt\("add", 1, 0, function\* \(/, 'rt.afnt("add", 1, 0, async function* ('),
  'a named generator in rt.gfnt': (c) => c.replace(/rt\.gfnt\("each", 0, 0, function\* \(/, 'rt.gfnt("each", 0, 0, function* g('),
  'rt.afnt without the receiver parameters': (c) => c.replace(/rt\.afnt\("add", 1, 0, function\* \([^)]*\)/, 'rt.afnt("add", 1, 0, function* (row)'),
  'rt.afnt with a pattern for this': (c) => c.replace(/rt\.afnt\("add", 1, 0, function\* \(\$this\d+,/, 'rt.afnt("add", 1, 0, function* ({ x },'),
  'rt.afnt without its flags': (c) => c.replace(/rt\.afnt\("add", 1, 0, /, 'rt.afnt("add", 1, '),
  'rt.gfnt with flags out of range': (c) => c.replace(/rt\.gfnt\("each", 0, 0, /, 'rt.gfnt("each", 0, 99, '),
  'rt.afnt with computed flags': (c) => c.replace(/rt\.afnt\("add", 1, 0, /, 'rt.afnt("add", 1, rt.num(0), '),
  'yield* of a name in rt.gfnt': (c) => c.replace(/\(yield r_/, '(yield* r_'),
  'yield in a plain function nested in rt.afnt': (c) => c.replace(/(rt\.afnt\("add", 1, 0, function\* \([^)]*\) \{\n)/, '$1    rt.fn("", 0, function () { (yield 1); });\n'),
  'rt.afnt as a value': (c) => c.replace('"use strict";', '"use strict";\n  let f = rt.afnt;'),
};

test('the compiler output of async and generator methods with a receiver validates, and uses rt.afnt / rt.gfnt', () => {
  validate(receivers);
  assert.match(receivers, /rt\.afnt\("add", 1, 0, function\* \(\$this\d+, \$nt\d+, \$args\d+, row_\d+\) \{/);
  assert.match(receivers, /rt\.gfnt\("each", 0, 0, function\* \(\$this\d+, \$nt\d+, \$args\d+\) \{/);
  assert.match(receivers, /rt\.afnt\("get", 1, 2, function\* \(/);
});

for (const [name, mutate] of Object.entries(receiverMutations)) {
  test(`rejects: ${name}`, () => {
    const mutated = mutate(receivers);
    assert.notEqual(mutated, receivers, 'mutation did not apply');
    assert.throws(() => validate(mutated), ValidationError);
  });
}

// A named async function (or generator) expression that calls itself: rt.afntrec / rt.gfntrec.
const selfRefs = compile({ program: parse(`'use strict';
const retry = async function attempt(n) { if (n > 0) return attempt(n - 1); return (await n) + 1; };
const walk = function* visit(t) { yield t.v; for (const k of t.k) for (const v of visit(k)) yield v; };
module.exports = { retry, walk };`, { sourceType: 'script' }).program }).code;

const selfMutations: Record<string, (c: string) => string> = {
  'a plain inner function in rt.afntrec': (c) => c.replace(/(rt\.afntrec\("attempt", 1, 0, function \(\w+\) \{ return )function\* \(/, '$1function ('),
  'a generator maker in rt.afntrec': (c) => c.replace(/rt\.afntrec\("attempt", 1, 0, function \(/, 'rt.afntrec("attempt", 1, 0, function* ('),
  'rt.afntrec without the receiver parameters': (c) => c.replace(/(rt\.afntrec\("attempt", 1, 0, function \(\w+\) \{ return function\* )\([^)]*\)/, '$1(n_9)'),
  'a second statement in rt.gfntrec\'s maker': (c) => c.replace(/(rt\.gfntrec\("visit", 1, 0, function \(\w+\) \{ )return /, '$1rt.tick(); return '),
  'rt.afntrec without its flags': (c) => c.replace(/rt\.afntrec\("attempt", 1, 0, /, 'rt.afntrec("attempt", 1, '),
  'yield in the maker of rt.gfntrec': (c) => c.replace(/(rt\.gfntrec\("visit", 1, 0, function \(\w+\) \{ )return /, '$1return (yield 1), '),
};

test('named async and generator expressions that call themselves validate, as rt.afntrec / rt.gfntrec', () => {
  validate(selfRefs);
  assert.match(selfRefs, /rt\.afntrec\("attempt", 1, 0, function \(\w+\) \{ return function\* \(\$this\d+, \$nt\d+, \$args\d+, n_\d+\) \{/);
  assert.match(selfRefs, /rt\.gfntrec\("visit", 1, 0, function \(\w+\) \{ return function\* \(/);
  assert.doesNotMatch(selfRefs, /self-reference/);
});

for (const [name, mutate] of Object.entries(selfMutations)) {
  test(`rejects: ${name}`, () => {
    const mutated = mutate(selfRefs);
    assert.notEqual(mutated, selfRefs, 'mutation did not apply');
    assert.throws(() => validate(mutated), ValidationError);
  });
}
