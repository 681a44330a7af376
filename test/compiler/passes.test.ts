// Each compiler pass on its own: scope resolution, numeric inference, code generation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@babel/parser';
import { resolveScopes } from '../../src/compiler/resolve-scopes.ts';
import type { Binding } from '../../src/compiler/scope.ts';
import { inferNumeric } from '../../src/compiler/types.ts';
import { compile } from '../../src/compiler/index.ts';
import { validate } from '../../src/subset/index.ts';
import type { N } from '../../src/compiler/nodes.ts';

function program(src: string): N {
  return parse(src, { sourceType: 'script' }).program as unknown as N;
}

/** The bindings of a program by source name (the last one declared wins for duplicates). */
function bindingsByName(src: string): Map<string, Binding[]> {
  const p = program(src);
  const info = resolveScopes(p);
  inferNumeric(p, info);
  const m = new Map<string, Binding[]>();
  for (const b of info.bindings) m.set(b.name, [...(m.get(b.name) ?? []), b]);
  return m;
}

const one = (m: Map<string, Binding[]>, name: string): Binding => {
  const l = m.get(name);
  assert.ok(l && l.length === 1, `one binding named ${name}`);
  return l[0]!;
};

test('scope: unique names, var hoisting, block shadowing, globals', () => {
  const p = program(`var a = 1; function f(b) { if (b) { var inner = 2; let a = 3; } return a + inner + Math.max(b); }`);
  const info = resolveScopes(p);
  const names = info.bindings.map((b) => b.js);
  assert.equal(new Set(names).size, names.length);
  const kinds = Object.fromEntries(info.bindings.map((b) => [`${b.name}:${b.kind}`, b.fnNode === null ? 'top' : 'fn']));
  assert.deepEqual(kinds, { 'a:var': 'top', 'f:function': 'top', 'b:param': 'fn', 'inner:var': 'fn', 'a:let': 'fn' });
  // `a` in `return a + …` is the top-level var (the block's let is out of scope), Math is global.
  const ret = (p.body[1] as N).body.body[1].argument as N;
  const aRef = ret.left.left as N;
  assert.equal(info.refs.get(aRef)?.kind, 'var');
  const mathRef = ret.right.callee.object as N;
  assert.equal(info.refs.get(mathRef), null);
});

test('scope: TDZ checks only where a read can precede initialisation', () => {
  const m = bindingsByName(`
    const early = () => usedTooSoon; early(); let usedTooSoon = 1;
    let fine = 1; const g = () => fine;
    function hoisted() { return lateButSafe; } const lateButSafe = 2; hoisted();
    function calledEarly() { return notYet; } calledEarly(); const notYet = 3;
    function a() { return b(); } function b() { return viaChain; } a(); const viaChain = 4;
    sameFn; let sameFn = 5;
    switch (1) { case 1: let inCase = 1; }
    for (let i = 0; i < 1; i++) setTimeout(() => i);
  `);
  assert.equal(one(m, 'usedTooSoon').tdz, true);
  assert.equal(one(m, 'fine').tdz, false);
  assert.equal(one(m, 'lateButSafe').tdz, false);
  assert.equal(one(m, 'notYet').tdz, true);
  assert.equal(one(m, 'viaChain').tdz, true);
  assert.equal(one(m, 'sameFn').tdz, true);
  assert.equal(one(m, 'inCase').tdz, true);
  assert.equal(one(m, 'i').tdz, false);
});

test('numeric inference: only locals that surely hold numbers', () => {
  const m = bindingsByName(`
    let i = 0; i++; let j = i * 2; let s = 0; s += 'x'; let t = 0; t += 1; const k = -1;
    function f(p) { let q = p; return q; } let u; u = 1; var v = 1;
    let fromCall = Math.max(1, 2); let cond = i > 1 ? 1 : 2; let plus = i + j;
  `);
  for (const n of ['i', 'j', 't', 'k', 'cond', 'plus']) assert.equal(one(m, n).numeric, true, n);
  for (const n of ['s', 'p', 'q', 'u', 'v', 'fromCall']) assert.equal(!!one(m, n).numeric, false, n);
});

test('codegen: loops check fuel, catch/finally start with the runtime, locations are marked', () => {
  const { code } = compile({ program: program(`let n = 0; while (n < 3) { n++; } for (const x of [1]) {} do {} while (false);
    try { n = 1; } catch (e) { n = 2; } finally { n = 3; }`) });
  validate(code);
  assert.equal((code.match(/rt\.tick\(\);/g) ?? []).length, 3);
  assert.match(code, /catch \(\$c\d+\) \{[^\n]*\n\s*let e_\d+ = rt\.caught\(\$c\d+, \$\d+\);/);
  assert.match(code, /finally \{[^\n]*\n\s*rt\.fin\(\$\d+\);/);
  assert.match(code, /while \(\(n_\d+ < 3\)\) \{ \/\/@1:11/);
});

test('codegen: native arithmetic only on known numbers', () => {
  const { code } = compile({ program: program(`let a = 1; let b = a * 2 + 1; function f(x) { return x * 2 + a; }`) });
  assert.match(code, /let b_\d+ = \(\(a_\d+ \* 2\) \+ 1\);/);
  // x is not known: checked inline (number-guard.ts); a product is a number either way
  assert.match(code, /return \(\(typeof x_\d+ === "number" \? \(x_\d+ \* 2\) : rt\.mul\(x_\d+, 2\)\) \+ a_\d+\);/);
});

test('codegen: Unknown and Unsupported nodes become aborts with their locations', () => {
  const tree = program(`if (x) { y(); } else { z(); }`);
  const ifs = tree.body[0] as N;
  ifs.alternate = { type: 'Unknown', arm: 2, loc: { line: 1, column: 21 } };
  ifs.consequent.body[0] = { type: 'Unsupported', what: 'class', arm: 3, hits: 1, loc: { start: { line: 1, column: 9 } } };
  const { code, stats } = compile({ program: tree });
  validate(code);
  assert.match(code, /rt\.unknown\(1, 21\);/);
  assert.match(code, /rt\.unsupported\("class", 1, 9\);/);
  assert.equal(stats.unknown, 1);
  assert.equal(stats.unsupported, 1);
});

test('codegen: functions only as rt.fn arguments; named function expressions see themselves', () => {
  const { code } = compile({ program: program(`const f = function fact(n) { return n ? n * fact(n - 1) : 1; }; const g = (a, ...r) => r;`) });
  validate(code);
  assert.match(code, /rt\.fnrec\("fact", 1, function \(fact_\d+\) \{ return function \(n_\d+\)/);
  assert.match(code, /rt\.fn\("g", 1, function \(a_\d+, \.\.\.r_\d+\)/);
});

test('compile is deterministic and does not modify its input', () => {
  const p = program(`let a = 1; function f() { for (const x of [a]) {} try { a++; } catch (e) {} return a; }`);
  const before = JSON.stringify(p);
  const one1 = compile({ program: p }).code;
  assert.equal(JSON.stringify(p), before);
  assert.equal(compile({ program: p }).code, one1);
});

test('declarations hidden in Unknown/Unsupported nodes: listed names bind, otherwise "not defined" is never asserted', () => {
  // function f(x) { if (x) { var y = 1; } return y; }  with the consequent never traced.
  const withVars = program(`let y = 5; function f(x) { if (x) { var y = 1; } return y; }`);
  const iff = (withVars.body[1] as N).body.body[0] as N;
  iff.consequent = { type: 'Unknown', arm: 3, loc: { line: 1, column: 33 }, vars: ['y'] };
  const a = compile({ program: withVars }).code;
  validate(a);
  assert.match(a, /rt\.fn\("f", 1, function \(x_\d+\) \{\n\s*let y_\d+;/, 'the hidden var is declared in f');
  assert.match(a, /return y_(\d+);/);
  const inner = /let (y_\d+);/.exec(a)![1];
  assert.match(a, new RegExp(`return ${inner};`), 'f returns its own (hidden) y, not the outer one');

  const noVars = program(`function f(x) { if (x) { var y = 1; } return y; }`);
  ((noVars.body[0] as N).body.body[0] as N).consequent = { type: 'Unknown', arm: 3, loc: { line: 1, column: 22 } };
  assert.match(compile({ program: noVars }).code, /rt\.global\("y", false\)/);
  assert.match(compile({ program: program(`function f() { return y; }`) }).code, /rt\.global\("y", true\)/);

  const cls = program(`let k = 1; class A {} function g() { return A; }`);
  cls.body[1] = { type: 'Unsupported', what: 'class', arm: 2, hits: 1, loc: { line: 1, column: 11 }, lexicals: ['A'] };
  const c = compile({ program: cls }).code;
  validate(c);
  assert.match(c, /return rt\.unsupported\("binding:A", 1, \d+\);/);
});

test('scope: classes bind like let outside, like const inside; methods, fields and static blocks are scopes', () => {
  const m = bindingsByName(`
    const early = () => K;
    class K { static { var hidden = 1; } m(x) { var local = x; return K; } f = 1; }
    function use() { return new K(); }`);
  const outer = m.get('K')!.find((b) => b.kind === 'let')!;
  const inner = m.get('K')!.find((b) => b.kind === 'const')!;
  assert.ok(outer && inner && outer !== inner, 'an outer let and an inner const named K');
  // `early` may run before the class is declared: the outer binding is checked at run time.
  assert.equal(outer.tdz, true);
  assert.equal(inner.tdz, false);
  // var in a static block or a method is not a var of the program.
  assert.ok(one(m, 'hidden').fnNode !== null);
  assert.ok(one(m, 'local').fnNode !== null);
});

test('codegen: receivers only where used, constructors by name, classes as rt calls', () => {
  const { code } = compile({ program: program(`
    function plain(a) { return a; }
    function Ctor() {}
    function usesThis() { return this; }
    const arrow = () => 1;
    new Ctor();
    class C extends Ctor { #p = 1; static s = 2; get g() { return this.#p; } }`) });
  validate(code);
  assert.match(code, /rt\.fn\("plain", 1, function \(a_\d+\)/);
  assert.match(code, /rt\.fnt\("Ctor", 0, 13, function \(\$this\d+, \$nt\d+, \$args\d+\)/);
  assert.match(code, /rt\.fnt\("usesThis", 0, 13, /);
  assert.match(code, /rt\.fn\("arrow", 0, /);
  assert.match(code, /rt\.cls\("C", Ctor_\d+, true, null, rt\.fnt\("", 0, 0, /);
  assert.match(code, /rt\.defm\(\$k\d+, false, 1, "g", rt\.fnt\("get g", 0, 0, /);
  // No source `this`, `class` or private name is left in the code (the name is only a string).
  assert.doesNotMatch(code, /(^|[^$\w])this\b|\bclass\s|\.#p/);
});

test('codegen: Object.keys of the certain global builtin is rt.okeys, nothing else is', () => {
  const code = (src: string) => compile({ program: program(src) }).code;
  const fused = code('const o = { a: 1 }; const k = Object.keys(o);');
  assert.match(fused, /rt\.okeys\(o_\d+\)/);
  validate(fused);
  // A local named Object, another static, a second argument, a spread: the general method call.
  assert.doesNotMatch(code('const Object = { keys() { return 1; } }; Object.keys(1);'), /rt\.okeys/);
  assert.doesNotMatch(code('Object.values({});'), /rt\.okeys/);
  assert.doesNotMatch(code('Object.keys({}, 1);'), /rt\.okeys/);
  assert.doesNotMatch(code('const a = [{}]; Object.keys(...a);'), /rt\.okeys/);
  assert.doesNotMatch(code('Object["keys"]({});'), /rt\.okeys/);
});
