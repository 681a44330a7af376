// Invariant 1: the validator accepts the compiler's output and rejects anything outside the grammar.
// Each mutation is applied to real compiler output; the mutated program must be rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@babel/parser';
import { compile } from '../../src/compiler/index.ts';
import { validate, ValidationError } from '../../src/subset/index.ts';

const source = `
const c = require('containerless');
let hits = 0;
function helper(a, b = 2) { return a + b; }
c.listen(function (req) {
  hits++;
  const out = { n: 0, items: [] };
  for (let i = 0; i < 3; i++) { out.n += helper(i); }
  while (out.n > 100) { out.n--; }
  for (const k in req.query) out.items.push(k);
  try { if (req.path === '/x') throw new Error('x'); } catch (e) { out.err = e.message; } finally { out.done = true; }
  const items = out.items;
  out.first = [items[hits], items[0], items.length];
  const m = req.method;
  const p = req.path;
  out.same = [m === p, m !== p];
  out.re = /a+/g.test(p);
  out.keys = Object.keys(req.query);
  c.respond(out);
});`;

const code = compile({ program: parse(source, { sourceType: 'script' }).program }).code;

function insertAfterStrict(stmt: string): (c: string) => string {
  return (c) => c.replace('"use strict";', `"use strict";\n  ${stmt}`);
}
function inHandler(stmt: string): (c: string) => string {
  return (c) => c.replace(/(rt\.fn\("", 1, function \(req_\d+\) \{\n)/, `$1    ${stmt}\n`);
}

// `rt.okeys(req.query)` with its guarded read: $1 the argument, $2 the request's local.
const OKEYS = /rt\.okeys\((\((req_\d+) != null && \(req_\d+\.query, rt\.po\(req_\d+\)\) \? req_\d+\.query : rt\.get\(req_\d+, "query"\)\))\)/;

const mutations: Record<string, (c: string) => string> = {
  'free identifier': insertAfterStrict('process;'),
  'free identifier in a function': inHandler('require("fs");'),
  'this': insertAfterStrict('this;'),
  'arguments': inHandler('let z = arguments;'),
  'plain member access': (c) => c.replace(/rt\.get\((req_\d+), "path"\)/, '$1.path'),
  'computed member access': (c) => c.replace(/rt\.get\((req_\d+), "path"\)/, '$1["path"]'),
  'computed member on rt': (c) => c.replace('rt.tick()', 'rt["tick"]()'),
  'unknown rt operation': (c) => c.replace('rt.tick()', 'rt.constructor()'),
  'rt member read as a value': insertAfterStrict('let z = rt.get;'),
  'rt member of a member': (c) => c.replace('rt.tick()', 'rt.get.call()'),
  'rt passed as a value': insertAfterStrict('rt.c0(rt, null);'),
  'rt reassigned': insertAfterStrict('rt = 1;'),
  'rt declared': insertAfterStrict('let rt = 1;'),
  'eval': insertAfterStrict('eval("1");'),
  'Function': insertAfterStrict('Function("return 1")();'),
  'constructor of a function': insertAfterStrict('rt.fn("f", 0, function () {}).constructor("return process")();'),
  'import()': insertAfterStrict('import("fs");'),
  'with': insertAfterStrict('with (rt) {}'),
  'new': insertAfterStrict('new rt.fn("f", 0, function () {});'),
  'super and class': insertAfterStrict('class A {}'),
  'getter in object literal': insertAfterStrict('rt.obj({ get x() { return 1; } });'),
  'method in object literal': insertAfterStrict('rt.obj({ x() { return 1; } });'),
  'computed key in object literal': insertAfterStrict('rt.obj({ ["a"]: 1 });'),
  '__proto__ key': insertAfterStrict('rt.obj({ "__proto__": 1 });'),
  '__proto__ identifier key': insertAfterStrict('rt.obj({ __proto__: 1 });'),
  'generator as rt.fn argument': insertAfterStrict('rt.fn("f", 0, function* () {});'),
  'async as rt.fn argument': insertAfterStrict('rt.fn("f", 0, async function () {});'),
  'arrow as rt.fn argument': insertAfterStrict('rt.fn("f", 0, () => 1);'),
  'named function expression': insertAfterStrict('rt.fn("f", 0, function f() {});'),
  'function outside rt.fn': insertAfterStrict('let f = function () {};'),
  'arrow outside rt.fn': insertAfterStrict('let f = () => 1;'),
  'function declaration': insertAfterStrict('function g() {}'),
  'function as another op argument': insertAfterStrict('rt.c0(function () {}, null);'),
  'regex literal': insertAfterStrict('let r = /a+/;'),
  'bigint literal': insertAfterStrict('let b = 1n;'),
  'template literal': insertAfterStrict('let t = `x`;'),
  'tagged template': insertAfterStrict('rt.tpl`x`;'),
  'loop without fuel check': (c) => c.replace(/(while \(.*\) \{[^\n]*\n)\s*rt\.tick\(\);\n/, '$1'),
  'for loop without fuel check': (c) => c.replace(/(for \(let i_\d+[^\n]*\n)\s*rt\.tick\(\);\n/, '$1'),
  'loop body not a block': insertAfterStrict('while (true) rt.tick();'),
  'fuel check not first': (c) => c.replace(/(while \(.*\) \{[^\n]*\n)(\s*)rt\.tick\(\);\n/, '$1$2rt.depth();\n$2rt.tick();\n'),
  'catch without rt.caught': (c) => c.replace(/let (e_\d+) = rt\.caught\((\$c\d+), (\$\d+)\);/, 'let $1 = $2;'),
  'catch parameter used later': (c) => c.replace(/(let e_\d+ = rt\.caught\((\$c\d+), \$\d+\);)/, '$1 rt.c0($2, null);'),
  'finally without rt.fin': (c) => c.replace(/rt\.fin\(\$\d+\);/, 'rt.depth();'),
  'throw without rt.thr': (c) => c.replace(/throw rt\.thr\(([^;]*)\);/, 'throw $1;'),
  'loose equality': insertAfterStrict('let q = (1 == 2);'),
  'in operator': insertAfterStrict('let q = ("a" in {});'),
  'instanceof': insertAfterStrict('let q = ({} instanceof Object);'),
  'typeof': insertAfterStrict('let q = typeof 1;'),
  'delete': insertAfterStrict('let q = {}; delete q.x;'),
  'update expression': insertAfterStrict('let q = 1; q++;'),
  'compound assignment': insertAfterStrict('let q = 1; q += 1;'),
  'member assignment': insertAfterStrict('let q = rt.obj({}); q.x = 1;'),
  'var': insertAfterStrict('var q = 1;'),
  'const': insertAfterStrict('const q = 1;'),
  'spread argument': insertAfterStrict('let q = rt.arr([]); rt.arr(...q);'),
  'array spread': insertAfterStrict('let q = [...[]];'),
  'array hole': insertAfterStrict('let q = [1, , 2];'),
  'void of an expression': insertAfterStrict('let q = void rt.tick();'),
  'undefined identifier': insertAfterStrict('let q = undefined;'),
  'globalThis': insertAfterStrict('let q = globalThis;'),
  'debugger': insertAfterStrict('debugger;'),
  'second top-level statement': (c) => c + '\nprocess.exit();',
  'program not a function': () => '1;',
  'program without use strict': (c) => c.replace('"use strict";', ''),
  'program with two parameters': (c) => c.replace('(function (rt) {', '(function (rt, x) {'),
  'destructuring declaration': insertAfterStrict('let { a } = rt.obj({});'),
  'for-of over a plain expression': insertAfterStrict('for (let x of [1]) { rt.tick(); }'),
  'for-in': insertAfterStrict('for (let x in rt.obj({})) { rt.tick(); }'),
  'optional call': insertAfterStrict('rt.tick?.();'),
  'identifier out of scope': insertAfterStrict('{ let inner = 1; } let q = inner;'),
  'label then function': insertAfterStrict('L: function h() {}'),
  // The guarded plain read (plain-read.ts): only the exact shape, on a local, of a name Object.prototype lacks.
  'plain read of constructor': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '$1 != null && ($1.constructor, rt.po($1)) ? $1.constructor : rt.get($1, "constructor")'),
  'plain read of __proto__': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '$1 != null && ($1.__proto__, rt.po($1)) ? $1.__proto__ : rt.get($1, "__proto__")'),
  'plain read of toString': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '$1 != null && ($1.toString, rt.po($1)) ? $1.toString : rt.get($1, "toString")'),
  'plain read of another local': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, `$1 != null && ($1.path, rt.po(${/hits_\d+/.exec(c)![0]})) ? $1.path : rt.get($1, "path")`),
  'plain read computed': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '$1 != null && ($1.path, rt.po($1)) ? $1["path"] : rt.get($1, "path")'),
  'plain read, fallback of another key': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '$1 != null && ($1.path, rt.po($1)) ? $1.path : rt.get($1, "query")'),
  'plain read guarded by &&': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '$1 != null && ($1.path, rt.po($1)) && $1.path'),
  'plain read of a member': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '$1 != null && ($1.path, rt.po($1)) ? $1.path.x : rt.get($1, "path")'),
  'plain read with the guard on an expression': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '$1 != null && ($1.path, rt.po(rt.get($1, "query"))) ? $1.path : rt.get($1, "path")'),
  'plain read without the read before the guard': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '$1 != null && rt.po($1) ? $1.path : rt.get($1, "path")'),
  'plain read of another name before the guard': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '$1 != null && ($1.constructor, rt.po($1)) ? $1.path : rt.get($1, "path")'),
  'plain read of another local before the guard': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, `$1 != null && (${/hits_\d+/.exec(c)![0]}.path, rt.po($1)) ? $1.path : rt.get($1, "path")`),
  'plain read with a computed read before the guard': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '$1 != null && ($1["path"], rt.po($1)) ? $1.path : rt.get($1, "path")'),
  'plain read with a call before the guard': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '$1 != null && (rt.tick(), rt.po($1)) ? $1.path : rt.get($1, "path")'),
  'plain read with three guard parts': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '$1 != null && ($1.path, $1.path, rt.po($1)) ? $1.path : rt.get($1, "path")'),
  'plain read without the null check': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '($1.path, rt.po($1)) ? $1.path : rt.get($1, "path")'),
  'plain read with a strict null check': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '$1 !== null && ($1.path, rt.po($1)) ? $1.path : rt.get($1, "path")'),
  'plain read with the null check on another local': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, `${/hits_\d+/.exec(c)![0]} != null && ($1.path, rt.po($1)) ? $1.path : rt.get($1, "path")`),
  'plain read, null check against undefined': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, '$1 != void 0 && ($1.path, rt.po($1)) ? $1.path : rt.get($1, "path")'),
  'plain read in the old form': (c) => c.replace(/(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/, 'rt.po($1) ? $1.path : rt.get($1, "path")'),
  // The guarded index read: a number key (checked, or an integer literal) of an object, or `length` of an array.
  'index read without the key check': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null && typeof (hits_\d+) === "number" \? /, 'typeof $1 === "object" && $1 !== null ? '),
  'index read checking another key': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null && typeof (hits_\d+) === "number" \? /, 'typeof $1 === "object" && $1 !== null && typeof $1 === "number" ? '),
  'index read guarded on another local': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null && typeof (hits_\d+) === "number" \? /, 'typeof out_7 === "object" && out_7 !== null && typeof $2 === "number" ? '),
  'index read of a string key': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null \? items_\d+\[0\] : rt\.get\(items_\d+, 0\)/, 'typeof $1 === "object" && $1 !== null ? $1["constructor"] : rt.get($1, "constructor")'),
  'index read of a negative literal': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null \? items_\d+\[0\] : rt\.get\(items_\d+, 0\)/, 'typeof $1 === "object" && $1 !== null ? $1[-1] : rt.get($1, -1)'),
  'index read of a fraction literal': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null \? items_\d+\[0\] : rt\.get\(items_\d+, 0\)/, 'typeof $1 === "object" && $1 !== null ? $1[0.5] : rt.get($1, 0.5)'),
  'index read of an expression key': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null \? items_\d+\[0\] : rt\.get\(items_\d+, 0\)/, 'typeof $1 === "object" && $1 !== null ? $1[rt.key(0)] : rt.get($1, 0)'),
  'array read of constructor by name': (c) => c.replace(/rt\.ia\((items_\d+)\) \? items_\d+\.length : rt\.get\(items_\d+, "length"\)/, 'rt.ia($1) ? $1.constructor : rt.get($1, "constructor")'),
  'array length read with another fallback': (c) => c.replace(/rt\.ia\((items_\d+)\) \? items_\d+\.length : rt\.get\(items_\d+, "length"\)/, 'rt.ia($1) ? $1.length : rt.get($1, "map")'),
  // The keyed read after the index check: `rt.pk(x, k) ? x[k] : rt.get(x, k)`, same local object and key everywhere.
  'keyed read guarded on another object': (c) => c.replace(/rt\.pk\((items_\d+), (hits_\d+)\)/, 'rt.pk(out_7, $2)'),
  'keyed read guarded on another key': (c) => c.replace(/rt\.pk\((items_\d+), (hits_\d+)\)/, 'rt.pk($1, out_7)'),
  'keyed read of another key': (c) => c.replace(/rt\.pk\((items_\d+), (hits_\d+)\) \? items_\d+\[hits_\d+\]/, 'rt.pk($1, $2) ? $1[out_7]'),
  'keyed read of another object': (c) => c.replace(/rt\.pk\((items_\d+), (hits_\d+)\) \? items_\d+\[hits_\d+\]/, 'rt.pk($1, $2) ? out_7[$2]'),
  'keyed read of a literal key': (c) => c.replace(/rt\.pk\((items_\d+), (hits_\d+)\) \? items_\d+\[hits_\d+\]/, 'rt.pk($1, $2) ? $1["constructor"]'),
  'keyed read by name': (c) => c.replace(/rt\.pk\((items_\d+), (hits_\d+)\) \? items_\d+\[hits_\d+\]/, 'rt.pk($1, $2) ? $1.constructor'),
  'keyed read of a member': (c) => c.replace(/rt\.pk\((items_\d+), (hits_\d+)\) \? items_\d+\[hits_\d+\]/, 'rt.pk($1, $2) ? $1[$2].x'),
  'keyed read guarded by rt.po': (c) => c.replace(/rt\.pk\((items_\d+), (hits_\d+)\)/, 'rt.po($1)'),
  'keyed read guarded by rt.pk with an extra argument': (c) => c.replace(/rt\.pk\((items_\d+), (hits_\d+)\)/, 'rt.pk($1, $2, $2)'),
  'keyed read with a second native read as fallback': (c) => c.replace(/rt\.pk\((items_\d+), (hits_\d+)\) \? items_\d+\[hits_\d+\] : rt\.get\(items_\d+, hits_\d+\)/, 'rt.pk($1, $2) ? $1[$2] : $1[$2]'),
  'keyed read without the index check before it': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null && typeof (hits_\d+) === "number" \? items_\d+\[hits_\d+\] : /, ''),
  'keyed read after an unchecked index read': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null \? items_\d+\[0\] : rt\.get\(items_\d+, 0\)/, 'typeof $1 === "object" && $1 !== null ? $1[0] : rt.pk($1, 0) ? $1[0] : rt.get($1, 0)'),
  'rt.pk as a value': (c) => c.replace(/(rt\.fn\("", 1, function \((req_\d+)\) \{\n)/, '$1    let z = rt.pk($2, "path");\n'),
  // The object guard of element reads: `typeof x === "object" && x !== null`, exactly, on the read's own local.
  'element read guarded by typeof function': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null \? /, 'typeof $1 === "function" && $1 !== null ? '),
  'element read without the null check': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null \? /, 'typeof $1 === "object" ? '),
  'element read with a loose null check': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null \? /, 'typeof $1 === "object" && $1 != null ? '),
  'element read with the null check on another local': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null \? /, 'typeof $1 === "object" && out_7 !== null ? '),
  'element read with the typeof check on another local': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null \? /, 'typeof out_7 === "object" && $1 !== null ? '),
  'element read checks reversed': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null \? /, '$1 !== null && typeof $1 === "object" ? '),
  'element read against undefined': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null \? /, 'typeof $1 === "object" && $1 !== void 0 ? '),
  'element read guarded by rt.ia': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null \? /, 'rt.ia($1) ? '),
  'length read under the object guard': (c) => c.replace(/rt\.ia\((items_\d+)\) \? items_\d+\.length/, 'typeof $1 === "object" && $1 !== null ? $1.length'),
  'object guard as a value': inHandler('let z = typeof out_7 === "object" && out_7 !== null;'),
  'rt.ia as a value': (c) => c.replace(/(rt\.fn\("", 1, function \((req_\d+)\) \{\n)/, '$1    let z = rt.ia($2);\n'),
  'rt.po as a value': (c) => c.replace(/(rt\.fn\("", 1, function \((req_\d+)\) \{\n)/, '$1    let z = rt.po($2);\n'),
  // The inline number check (number-guard.ts): `typeof local === "number"` and nothing else.
  'typeof of another type': (c) => c.replace(/typeof (\$?\w+) === "number"/, 'typeof $1 === "object"'),
  'typeof of an expression': (c) => c.replace(/typeof (\$?\w+) === "number"/, 'typeof rt.get($1, "x") === "number"'),
  'typeof reversed': (c) => c.replace(/typeof (\$?\w+) === "number"/, '"number" === typeof $1'),
  'typeof with !==': (c) => c.replace(/typeof (\$?\w+) === "number"/, 'typeof $1 !== "number"'),
  'typeof alone': (c) => c.replace(/typeof (\$?\w+) === "number"/, 'typeof $1'),
  // The strict equality guard (equality-guard.ts): `typeof x === "string" ? rt.seq(x, y) : x === y`, exactly, on locals.
  'string check guarding another operator': (c) => c.replace(/typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/, 'typeof $1 === "string" ? rt.seq($1, $2) : $1 < $2'),
  'string check on another local': (c) => c.replace(/typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/, 'typeof $2 === "string" ? rt.seq($1, $2) : $1 === $2'),
  'string check leading to rt.seq of other locals': (c) => c.replace(/typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/, 'typeof $1 === "string" ? rt.seq($2, $1) : $1 === $2'),
  'string check comparing other locals': (c) => c.replace(/typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/, 'typeof $1 === "string" ? rt.seq($1, $2) : $2 === $1'),
  'string check leading to rt.seq with another argument': (c) => c.replace(/typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/, 'typeof $1 === "string" ? rt.seq($1, $2, $2) : $1 === $2'),
  'string check leading to another rt operation': (c) => c.replace(/typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/, 'typeof $1 === "string" ? rt.eq($1, $2) : $1 === $2'),
  'string check leading to a native comparison': (c) => c.replace(/typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/, 'typeof $1 === "string" ? $1 === $2 : $1 === $2'),
  'string check leading to a member read': (c) => c.replace(/typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/, 'typeof $1 === "string" ? $1.length : $1 === $2'),
  'string check comparing an expression': (c) => c.replace(/typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/, 'typeof $1 === "string" ? rt.seq($1, $2) : $1 === rt.get($2, "x")'),
  'string check comparing a literal': (c) => c.replace(/typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/, 'typeof $1 === "string" ? rt.seq($1, $2) : $1 === "x"'),
  'string check of a member': (c) => c.replace(/typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/, 'typeof $1.x === "string" ? rt.seq($1, $2) : $1 === $2'),
  'string check reversed': (c) => c.replace(/typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/, '"string" === typeof $1 ? rt.seq($1, $2) : $1 === $2'),
  'string check with !==': (c) => c.replace(/typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/, 'typeof $1 !== "string" ? rt.seq($1, $2) : $1 === $2'),
  'string check, branches swapped': (c) => c.replace(/typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/, 'typeof $1 === "string" ? $1 === $2 : rt.seq($1, $2)'),
  '!== guarded by rt.seq without negation': (c) => c.replace(/typeof (m_\d+) === "string" \? !rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ !== p_\d+/, 'typeof $1 === "string" ? rt.seq($1, $2) : $1 !== $2'),
  '=== guarded by a negated rt.seq': (c) => c.replace(/typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/, 'typeof $1 === "string" ? !rt.seq($1, $2) : $1 === $2'),
  'string check negating another operation': (c) => c.replace(/typeof (m_\d+) === "string" \? !rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ !== p_\d+/, 'typeof $1 === "string" ? !rt.eq($1, $2) : $1 !== $2'),
  'string check as a value': inHandler('let z = typeof out_7 === "string";'),
  'string check in an if': inHandler('if (typeof out_7 === "string") { rt.tick(); }'),
  // The guarded forms on `rt` itself: rt is never a local.
  'number check of rt': insertAfterStrict('let q = typeof rt === "number";'),
  'string check of rt': inHandler('let z = typeof rt === "string" ? rt.seq(rt, out_7) : rt === out_7;'),
  'named read of rt': insertAfterStrict('let q = rt != null && (rt.tick, rt.po(rt)) ? rt.tick : rt.get(rt, "tick");'),
  'index read of rt': insertAfterStrict('let q = typeof rt === "object" && rt !== null ? rt[0] : rt.get(rt, 0);'),
  'length read of rt': insertAfterStrict('let q = rt.ia(rt) ? rt.length : rt.get(rt, "length");'),
  'rt.ia with two arguments': (c) => c.replace(/rt\.ia\((items_\d+)\)/, 'rt.ia($1, $1)'),
  'rt.ia of an expression': (c) => c.replace(/rt\.ia\((items_\d+)\) \? items_\d+\.length : rt\.get\(items_\d+, "length"\)/, 'rt.ia(rt.get($1, "x")) ? $1.length : rt.get($1, "length")'),
  'element read guarded by rt.ia and a key check': (c) => c.replace(/typeof (items_\d+) === "object" && items_\d+ !== null && typeof (hits_\d+) === "number" \? /, 'rt.ia($1) && typeof $2 === "number" ? '),
  // Sharper forms of mutations above that the first rule they break is not the one they name.
  'bare member read': (c) => c.replace(/(rt\.fn\("", 1, function \((req_\d+)\) \{\n)/, '$1    let z = $2.path;\n'),
  'bare computed member read': (c) => c.replace(/(rt\.fn\("", 1, function \((req_\d+)\) \{\n)/, '$1    let z = $2["path"];\n'),
  'free identifier read in a function': inHandler('let z = process;'),
  'computed member call on rt': insertAfterStrict('rt["tick"]();'),
  'call of rt.constructor': insertAfterStrict('rt.constructor();'),
  'call of a member of an rt operation': insertAfterStrict('rt.get.call();'),
  // The program, statements, catch and finally, functions and literals: rules the mutations above do not reach.
  'async program': (c) => c.replace('(function (rt) {', '(async function (rt) {'),
  'generator program': (c) => c.replace('(function (rt) {', '(function* (rt) {'),
  'named program function': (c) => c.replace('(function (rt) {', '(function main(rt) {'),
  'second directive': insertAfterStrict('"use asm";'),
  'if arm not a block': insertAfterStrict('if (true) rt.tick();'),
  'else if': insertAfterStrict('if (true) {} else if (false) {}'),
  'do-while without fuel check': insertAfterStrict('do { rt.depth(); } while (false);'),
  'fuel check with an argument': (c) => c.replace(/(while \(.*\) \{[^\n]*\n\s*)rt\.tick\(\);/, '$1rt.tick(1);'),
  'for-of with a const head': (c) => c.replace(/for \(let (\$i\d+) of/, 'for (const $1 of'),
  'for-of with a destructuring head': insertAfterStrict('for (let [x] of rt.iter(rt.arr([]), null)) { rt.tick(); }'),
  'for-of without fuel check': (c) => c.replace(/(for \(let \$i\d+ of [^\n]*\n)\s*rt\.tick\(\);\n/, '$1'),
  'for-of variable named rt': insertAfterStrict('for (let rt of rt.iter(rt.arr([]), null)) { rt.tick(); }'),
  'throw of another rt operation': (c) => c.replace(/throw rt\.thr\(/, 'throw rt.global('),
  'catch without a parameter': (c) => c.replace(/catch \(\$c\d+\)/, 'catch'),
  'catch with a destructuring parameter': (c) => c.replace(/catch \((\$c\d+)\)/, 'catch ({ $1 })'),
  'rt.caught of another local': (c) => c.replace(/rt\.caught\((\$c\d+), /, 'rt.caught(out_7, '),
  'rt.caught with one argument': (c) => c.replace(/rt\.caught\((\$c\d+), \$\d+\)/, 'rt.caught($1)'),
  'rt.caught declared with a second declaration': (c) => c.replace(/let (e_\d+) = rt\.caught\((\$c\d+), (\$\d+)\);/, 'let $1 = rt.caught($2, $3), z = 1;'),
  'rt.caught not first': (c) => c.replace(/(let e_\d+ = rt\.caught)/, 'rt.tick();\n      $1'),
  'catch parameter named rt': (c) => c.replace(/catch \((\$c\d+)\) \{([^\n]*)\n(\s*)let (e_\d+) = rt\.caught\(\$c\d+, (\$\d+)\);\n[^\n]*\n/, 'catch (rt) {$2\n$3rt.caught(rt, $5);\n'),
  'catch parameter named undefined': (c) => c.replace(/catch \((\$c\d+)\) \{([^\n]*)\n(\s*)let (e_\d+) = rt\.caught\(\$c\d+, (\$\d+)\);\n[^\n]*\n/, 'catch (undefined) {$2\n$3rt.caught(undefined, $5);\n'),
  'rt.caught declared with const': (c) => c.replace(/let (e_\d+) = rt\.caught\(/, 'const $1 = rt.caught('),
  'rt.caught declared with var': (c) => c.replace(/let (e_\d+) = rt\.caught\(/, 'var $1 = rt.caught('),
  // The caught value as rt.caught's depth, through an outer local of the same name.
  'catch parameter as the depth': (c) => c.replace(/\$4 = rt\.depth\(\);/, '$$4 = rt.depth(); let $$c2 = $$4;').replace(/rt\.caught\((\$c\d+), \$\d+\)/, 'rt.caught($1, $1)'),
  'rt.fin not first': (c) => c.replace(/(rt\.fin\(\$\d+\);)/, 'rt.tick(); $1'),
  'rt.fn with a name that is not a string': insertAfterStrict('rt.fn(1, 0, function () {});'),
  'rt.fn with a length that is not a number': insertAfterStrict('rt.fn("f", "0", function () {});'),
  'rt.fn with two arguments': insertAfterStrict('rt.fn("f", function () {});'),
  'rt.fn of a non-function': insertAfterStrict('rt.fn("f", 0, rt.arr([]));'),
  'parameter named rt': insertAfterStrict('rt.fn("f", 1, function (rt) { return rt; });'),
  'parameter named undefined': insertAfterStrict('rt.fn("f", 1, function (undefined) {});'),
  'default parameter': insertAfterStrict('rt.fn("f", 1, function (a = 1) {});'),
  'destructured parameter': insertAfterStrict('rt.fn("f", 1, function ({ a }) {});'),
  'rest parameter of a pattern': insertAfterStrict('rt.fn("f", 0, function (...[a]) {});'),
  // rt.re: a regular expression literal's source and flags, as two string literals and nothing else.
  'rt.re with a computed source': (c) => c.replace(/rt\.re\("a\+", "g"\)/, 'rt.re("a+" + "b", "g")'),
  'rt.re with a variable source': (c) => c.replace(/rt\.re\("a\+", "g"\)(.*?)(p_\d+)/, 'rt.re($2, "g")$1$2'),
  'rt.re without flags': (c) => c.replace(/rt\.re\("a\+", "g"\)/, 'rt.re("a+")'),
  'rt.re with a third argument': (c) => c.replace(/rt\.re\("a\+", "g"\)/, 'rt.re("a+", "g", "x")'),
  'rt.re with a numeric flag': (c) => c.replace(/rt\.re\("a\+", "g"\)/, 'rt.re("a+", 1)'),
  'rt.re with a template source': (c) => c.replace(/rt\.re\("a\+", "g"\)/, 'rt.re(`a+`, "g")'),
  // rt.okeys: Object.keys of the global builtin, one argument.
  'rt.okeys without an argument': (c) => c.replace(OKEYS, 'rt.okeys()'),
  'rt.okeys with a second argument': (c) => c.replace(OKEYS, 'rt.okeys($1, 1)'),
  'rt.okeys with a spread argument': (c) => c.replace(OKEYS, 'rt.okeys(...$1)'),
  'rt.okeys of a function': (c) => c.replace(OKEYS, 'rt.okeys(function () {})'),
  'rt.okeys of a bare member read': (c) => c.replace(OKEYS, (_m, _a, r: string) => `rt.okeys(${r}.query)`),
  'rt.fnrec with a self named rt': insertAfterStrict('rt.fnrec("f", 0, function (rt) { return function () {}; });'),
  'rt.fnrec whose maker does more than return': insertAfterStrict('rt.fnrec("f", 0, function (self) { rt.tick(); return function () {}; });'),
  'rt.fnrec whose maker returns its parameter': insertAfterStrict('rt.fnrec("f", 0, function (self) { return self; });'),
  'rt.fnrec whose maker has two parameters': insertAfterStrict('rt.fnrec("f", 0, function (self, x) { return function () {}; });'),
  'rt.fnrec with an arrow maker': insertAfterStrict('rt.fnrec("f", 0, (self) => function () {});'),
  'rt.fnrec with a named maker': insertAfterStrict('rt.fnrec("f", 0, function m(self) { return function () {}; });'),
  'unary plus': insertAfterStrict('let q = +1;'),
  'void of another literal': insertAfterStrict('let q = void 1;'),
  'loose equality against a string': insertAfterStrict('let q = rt.arr([]); let r = (q == "x");'),
  'object spread': insertAfterStrict('let q = rt.obj({ ...rt.obj({}, 0) }, 0);'),
  'numeric key': insertAfterStrict('rt.obj({ 1: 2 }, 1);'),
  'destructuring assignment': insertAfterStrict('let q; [q] = rt.arr([]);'),
  'optional member': insertAfterStrict('let q = rt.arr([]); let r = q?.length;'),
};

// The other forms of the grammar, which the source above does not compile to: each validates.
const accepted: Record<string, (c: string) => string> = {
  'do-while': insertAfterStrict('do { rt.tick(); } while (false);'),
  'switch with a block-scoped case': insertAfterStrict('switch (1) { case 1: let q = 2; break; default: q = 3; }'),
  'labels, break and continue': insertAfterStrict('L: for (;;) { rt.tick(); if (true) { continue L; } break L; }'),
  'for-of over rt.iter': insertAfterStrict('for (let x of rt.iter(rt.arr([]), null)) { rt.tick(); }'),
  'rt.fnrec with a rest parameter': insertAfterStrict('let f = rt.fnrec("f", 1, function (self) { return function (a, ...r) { return rt.c1(self, "f", a); }; });'),
  'catch whose first statement only calls rt.caught': (c) => c.replace(/let (e_\d+) = rt\.caught\((\$c\d+), (\$\d+)\);\n\s*rt\.put\([^\n]*\n/, 'rt.caught($2, $3);\n'),
  'empty statement and void 0': insertAfterStrict(';let q = void 0;'),
  '== null and != null': insertAfterStrict('let q = rt.arr([]); let r = (q == null) || (q != null);'),
  'a let read before its declaration (the runtime throws, no host reached)': insertAfterStrict('let q = r; let r = 1;'),
};

test('the unmutated compiler output validates', () => {
  validate(code);
  // The mutations below start from these forms.
  assert.match(code, /(req_\d+) != null && \(req_\d+\.path, rt\.po\(req_\d+\)\) \? req_\d+\.path : rt\.get\(req_\d+, "path"\)/);
  assert.match(code, /typeof (\$?\w+) === "number"/);
  assert.match(code, /typeof (items_\d+) === "object" && items_\d+ !== null && typeof (hits_\d+) === "number" \? /);
  assert.match(code, /typeof (items_\d+) === "object" && items_\d+ !== null \? items_\d+\[0\] : rt\.get\(items_\d+, 0\)/);
  assert.match(code, /typeof (items_\d+) === "object" && items_\d+ !== null && typeof (hits_\d+) === "number" \? items_\d+\[hits_\d+\] : rt\.pk\(items_\d+, hits_\d+\) \? items_\d+\[hits_\d+\] : rt\.get\(items_\d+, hits_\d+\)/);
  assert.match(code, /rt\.ia\((items_\d+)\) \? items_\d+\.length : rt\.get\(items_\d+, "length"\)/);
  assert.match(code, /typeof (m_\d+) === "string" \? rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ === p_\d+/);
  assert.match(code, OKEYS);
  assert.match(code, /typeof (m_\d+) === "string" \? !rt\.seq\(m_\d+, (p_\d+)\) : m_\d+ !== p_\d+/);
});

for (const [name, mutate] of Object.entries(accepted)) {
  test(`accepts: ${name}`, () => {
    const changed = mutate(code);
    assert.notEqual(changed, code, 'change did not apply');
    validate(changed);
  });
}

for (const [name, mutate] of Object.entries(mutations)) {
  test(`rejects: ${name}`, () => {
    const mutated = mutate(code);
    assert.notEqual(mutated, code, 'mutation did not apply');
    assert.throws(() => validate(mutated), ValidationError);
  });
}
