import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instrument } from '../../src/tracer/index.ts';
import { observe, raw } from './helpers.ts';

// Places where a naive marker would change behaviour: ASI, references (`this` of calls, delete,
// assignment), optional chains, names of anonymous functions, directives, scopes of defaults.
const SOURCE = String.raw`
var c = require('containerless')
var results = []
function add(label, fn) { try { results.push([label, fn()]) } catch (e) { results.push([label, 'threw ' + e.name + ': ' + e.message]) } }

add('asi before this', function () { var o = { m() { const r = []
  r.push(1)
  this.v = 2
  return r.concat(this.v) } }; return o.m() })
add('asi before tagged template and regexp', function () { var r = []
  r.push(0)
  String.raw` + '`x${r.length}`' + String.raw`.length
  if (r) {}
  /a/.test('a') && r.push('re')
  return r })
add('an unsupported expression starting a statement', function () { const r = [1]; if (r) {}
  1n.constructor
  return r.length })
add('delete and assign arguments (sloppy)', function () { function f(a) { const d = delete arguments; arguments = [9]; return [d, arguments[0], a] } return f(1) })
add('arguments as a destructuring target', function () { function f() { [arguments] = [7]; return arguments } return f() })
add('super through chains', function () {
  const base = { g() { return 'base' + (this === obj) }, h: null }
  const obj = { __proto__: base, f() { return [super.g(), super.h?.(), super.g?.().length, super.missing?.x.y] } }
  return obj.f() })
add('names from positions', function () {
  const k = 'comp'
  const f = async function () {}, g2 = function* () {}
  let cl; cl = class {}
  let lz; lz ||= class {}
  const o = { h: function* () {}, [k]: async () => 1, 5: class {}, 'a b': async function () {} }
  const { dflt = async () => 0 } = {}
  return [f.name, g2.name, cl.name, lz.name, o.h.name, o[k].name, o[5].name, o['a b'].name, dflt.name] })
add('getters and setters with odd keys', function () {
  const o = { get 1() { return 'one' }, get 'a b'() { return 'ab' }, set [('c' + 'd')](v) { this._cd = v }, get [Symbol.toStringTag]() { return 'T' } }
  o.cd = 4
  return [o[1], o['a b'], o._cd, String(o), Object.getOwnPropertyDescriptor(o, '1').get.name, Object.getOwnPropertyDescriptor(o, 'cd').set.name] })
add('default scope', function () { function f(a, b = () => a) { var a = 2; return [a, b()] } return f(1) })
add('concise bodies', function () { const mk = () => ({ a: 1 }); const seq = (x) => (x, x + 1); return [mk(), seq(1)] })
add('switch labels with comments and parens', function () {
  const r = []
  for (const v of [1, 2, 3])
    switch (v) { case /* c */ 1 /* d */ : r.push('one'); break; case (2): r.push('two'); default /* e */ : r.push('dflt') }
  return r })
add('new.target, direct eval, typeof undeclared in a branch', function () {
  function F() { return { t: new.target === F } }
  function e() { const local = 4; return eval('local + 1') }
  return [new F().t, F().t, e(), true ? typeof nope : 0, false ? 0 : (1, 2)] })
add('labels and loops with single statements', function () {
  let s = ''
  lbl: { if (s === '') break lbl; s += 'never' }
  outer: for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (j === 1) continue outer; else if (i === 2) break outer; else s += i + '' + j
  let k = 0
  do k++
  while (k < 4)
  return [s, k] })
add('this in arrows and methods', function () { const o = { v: 3, m() { return [1].map(() => this.v) } }; return o.m() })
add('optional calls keep this', function () { const o = { v: 5, m() { return this.v } }; const n = null; return [o?.m(), o.m?.(), n?.m(), o && o.m(), n ?? o.m()] })
// V8 prints the source text of callees, iterables and destructured values in its messages.
const z0 = 0, zo = { n: 5 }
add('message: logical in a callee', function () { return (z0 || zo.n)() })
add('message: logical in a member callee', function () { return (z0 || zo).n() })
add('message: computed key in a callee', function () { return zo[z0 || 'n']() })
add('message: this in a callee', function () { return { m() { return this.nope() } }.m() })
add('message: arguments in a callee', function () { return (function () { return arguments[0]() })(1) })
add('message: regexp in a callee', function () { return /re/.nope() })
add('message: new of a logical', function () { return new (z0 || zo.n)() })
add('message: spread of a logical', function () { return [...(z0 || 5)] })
add('message: for-of a logical', function () { for (const x of (z0 || 5)) return x })
add('message: destructuring a logical', function () { const { q } = z0 || undefined; return q })
add('message: template in a callee', function () { return ` + '`${z0 || 1}`' + String.raw`.nope() })
add('message: conditional in a callee', function () { return (z0 ? zo : zo.n)() })
add('a user $__cl', function () { const $__cl = { p: [] }; const { $__cl: again = 1 } = {}; const sh = { $__cl }; return [typeof $__cl.p, again, sh.$__cl === $__cl] })

c.listen(function (req) { c.respond(results) })
`;

test('tricky places for markers behave exactly like the original', async () => {
  const original = await observe(SOURCE, [[raw('/')]], false);
  const traced = await observe(SOURCE, [[raw('/')]], true);
  const results = JSON.parse(original.responses[0].body) as [string, unknown][];
  assert.equal(results.length, 28);
  for (const [label, value] of results) assert.ok(!String(value).startsWith('threw SyntaxError'), `${label}: ${value}`);
  assert.deepEqual(JSON.parse(traced.responses[0].body), results);
  assert.ok(instrument(SOURCE).code.includes(';($__cl.p['), 'a wrapped expression at a statement start is protected from ASI');
  for (const [label, value] of results) if (label.startsWith('message:')) assert.match(String(value), /^threw TypeError/, label);
  // Arms whose text V8 may print are left unmarked and flagged, so they stay Unknown.
  const { skeleton } = instrument(SOURCE);
  assert.ok(skeleton.arms.filter((a) => a.untraced).length >= 8);
  assert.ok(!skeleton.arms.some((a) => a.untraced && a.kind === 'conditional-consequent'));
});
