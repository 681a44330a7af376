// The forms compiled code of classes, constructors and receivers uses (rt.fnt, rt.fntrec and the
// class operations): real compiler output validates, and each forbidden neighbour shape is rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@babel/parser';
import { compile } from '../../src/compiler/index.ts';
import { validate, ValidationError } from '../../src/subset/index.ts';

const source = `
'use strict';
const c = require('containerless');
function Point(x) { this.x = x; if (!new.target) return null; }
Point.prototype.get = function () { return this.x + arguments.length; };
const fact = function f(n) { return n < 2 ? this : f.call(this, n - 1); };
class Base { #secret = 1; static made = 0; constructor(v) { this.v = v; } peek() { return this.#secret + (#secret in this ? 1 : 0); } get double() { return this.v * 2; } static { Base.made = 1; } }
class Child extends Base { constructor() { super(2); } peek() { return super.peek() + 1; } }
const temp = { c: 1, get f() { return this.c * 2; }, set f(v) { this.c = v; } };
c.listen(function (req) { c.respond([new Point(1).get(), new Child().peek(), new Child().double, fact.call(1, 3), temp.f]); });`;

const code = compile({ program: parse(source, { sourceType: 'script' }).program }).code;

test('compiled classes and receivers validate', () => {
  validate(code);
  // The mutations below start from these forms.
  assert.match(code, /rt\.fnt\("Point", 1, 1, function \((\$this\d+), (\$nt\d+), (\$args\d+), x_\d+\)/);
  assert.match(code, /rt\.fntrec\("f", 1, \d+, function \(f_\d+\) \{ return function \(\$this\d+/);
  assert.match(code, /rt\.cls\("Child", /);
  assert.match(code, /rt\.supc\(/);
  assert.match(code, /rt\.supcall\(/);
  assert.match(code, /rt\.get\(\$this\d+, \$p\d+\)/);
  assert.match(code, /rt\.inop\(\$p\d+, /);
  assert.match(code, /rt\.obja\(\["c", "f", "f"\], \[0, 1, 2\], \[1, rt\.fnt\("f", 0, /);
  assert.match(code, /let \$arguments\d+ = rt\.args\(\$args\d+, \d+\);/);
  assert.match(code, /\$this\d+ != null && \(\$this\d+\.x, rt\.po\(\$this\d+\)\) \? \$this\d+\.x : rt\.get\(\$this\d+, "x"\)/);
});

const mutations: Record<string, (c: string) => string> = {
  'this instead of the receiver local': (c) => c.replace(/rt\.get\((\$this\d+), "x"\)/, 'this.x'),
  'new.target instead of its local': (c) => c.replace(/\(!(\$nt\d+)\)/, '(!new.target)'),
  'arguments instead of its object': (c) => c.replace(/rt\.args\((\$args\d+), /, 'rt.args(arguments, '),
  'a local named arguments': (c) => c.replace(/let (\$arguments\d+) = rt\.args/, 'let arguments = rt.args'),
  'super as syntax': (c) => c.replace(/rt\.supcall\([^;]*?\)\)/, 'super.peek()'),
  'a class body': (c) => c.replace(/rt\.cls\("Child", /, '(class extends Object {}, rt.cls("Child", '),
  'a native read of a private name': (c) => c.replace(/rt\.get\((\$this\d+), (\$p\d+)\)/, '$1[$2]'),
  'a native read of an instance without its guard': (c) => c.replace(/\$this\d+ != null && \((\$this\d+)\.x, rt\.po\(\$this\d+\)\) \? \$this\d+\.x : rt\.get\(\$this\d+, "x"\)/, '$1.x'),
  'a guard of a native read on its own': (c) => c.replace(/rt\.get\((\$this\d+), (\$p\d+)\)/, 'rt.pk($1, $2)'),
  'rt.fnt without its receiver parameters': (c) => c.replace(/rt\.fnt\("Point", 1, 1, function \((\$this\d+), (\$nt\d+), (\$args\d+), /, 'rt.fnt("Point", 1, 1, function ('),
  'rt.fnt with a pattern for the receiver': (c) => c.replace(/rt\.fnt\("Point", 1, 1, function \((\$this\d+), /, 'rt.fnt("Point", 1, 1, function ({ a: $1 }, '),
  'rt.fnt with computed flags': (c) => c.replace('rt.fnt("Point", 1, 1, ', 'rt.fnt("Point", 1, rt.num(1), '),
  'rt.fnt with flags out of range': (c) => c.replace('rt.fnt("Point", 1, 1, ', 'rt.fnt("Point", 1, 99, '),
  'rt.fnt with a named function': (c) => c.replace(/rt\.fnt\("Point", 1, 1, function \(/, 'rt.fnt("Point", 1, 1, function Point('),
  'rt.fnt with an arrow': (c) => c.replace(/rt\.fnt\("Point", 1, 1, function \(([^)]*)\) \{/, 'rt.fnt("Point", 1, 1, ($1) => {'),
  'rt.fnt with three arguments': (c) => c.replace('rt.fnt("Point", 1, 1, ', 'rt.fnt("Point", 1, '),
  'rt.fntrec without its maker': (c) => c.replace(/rt\.fntrec\("f", 1, (\d+), function \((f_\d+)\) \{ return function/, 'rt.fntrec("f", 1, $1, function'),
  'a bare function among obja values': (c) => c.replace(/rt\.obja\(\["c", "f", "f"\], \[0, 1, 2\], \[1, rt\.fnt\("f", 0, \d+, (function)/, 'rt.obja(["c", "f", "f"], [0, 1, 2], [1, ($1'),
  'a getter in a literal instead of obja': (c) => c.replace(/rt\.obja\(\["c", "f", "f"\], \[0, 1, 2\], \[1, /, 'rt.obja(["c", "f", "f"], [0, 1, 2], [{ get g() { return 1; } }, '),
  'a receiver function outside rt.fnt': (c) => c.replace(/rt\.fnt\("Point", 1, 1, (function)/, 'rt.c0($1'),
};

for (const [name, mutate] of Object.entries(mutations)) {
  test(`rejects: ${name}`, () => {
    const mutated = mutate(code);
    assert.notEqual(mutated, code, 'mutation did not apply');
    assert.throws(() => validate(mutated), ValidationError);
  });
}
