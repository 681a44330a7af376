// The texts of the guarded forms (src/subset/forms.ts), which the compiler emits, are what the
// validator admits: with locals in every place, and for named reads only names Object.prototype lacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INHERITED_NAMES, indexRead, isNumber, isObject, keyedRead, lengthRead, namedRead, strictEquality, validate, ValidationError } from '../../src/subset/index.ts';

const LOCALS = ['o', 'k', 'a', 'b'];

/** A program that declares `locals` and evaluates `expr` once. */
function program(expr: string, locals = LOCALS): string {
  return `(function (rt) {\n  "use strict";\n  let ${locals.join(', ')};\n  let z = (${expr});\n})`;
}

const rejects = (code: string) => assert.throws(() => validate(code), ValidationError, code);

/** Each form, built from locals (`o`, `k`, `a`, `b`) and from the expression `e` in one operand's place. */
const FORMS: Record<string, { locals: string; expression: string }> = {
  'number check': { locals: isNumber('o'), expression: isNumber('rt.get(o, "x")') },
  'named read': { locals: namedRead('o', 'name'), expression: namedRead('rt.get(o, "x")', 'name') },
  'length read': { locals: lengthRead('o'), expression: lengthRead('rt.get(o, "x")') },
  'index read': { locals: indexRead('o', '3'), expression: indexRead('rt.get(o, "x")', '3') },
  'keyed read': { locals: keyedRead('o', 'k'), expression: keyedRead('o', 'rt.get(o, "x")') },
  'keyed read of an expression': { locals: keyedRead('o', 'k'), expression: keyedRead('rt.get(o, "x")', 'k') },
  'strict equality': { locals: strictEquality('===', 'a', 'b'), expression: strictEquality('===', 'a', 'rt.get(o, "x")') },
  'strict inequality': { locals: strictEquality('!==', 'a', 'b'), expression: strictEquality('!==', 'rt.get(o, "x")', 'b') },
};

for (const [name, form] of Object.entries(FORMS)) {
  test(`${name}: admitted on locals`, () => validate(program(form.locals)));
  test(`${name}: rejected with an expression in a local's place`, () => rejects(program(form.expression)));
  test(`${name}: rejected when any of its locals is not declared`, () => {
    const used = LOCALS.filter((l) => new RegExp(`\\b${l}\\b`).test(form.locals));
    assert.ok(used.length > 0);
    for (const missing of used) rejects(program(form.locals, LOCALS.filter((l) => l !== missing)));
  });
}

test('IsObject is admitted only as the guard of an element read', () => {
  rejects(program(isObject('o')));
  validate(program(indexRead('o', '0')));
});

test('an index read takes integer literals ≥ 0 only', () => {
  for (const n of ['0', '7', '4294967294']) validate(program(indexRead('o', n)));
  for (const n of ['-1', '0.5', '"0"', 'k', '1e-3']) rejects(program(indexRead('o', n)));
});

test('a named read of any name Object.prototype has is rejected', () => {
  const names = [...INHERITED_NAMES].filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  assert.ok(names.includes('constructor') && names.includes('__proto__') && names.includes('toString'));
  for (const n of names) rejects(program(namedRead('o', n)));
  validate(program(namedRead('o', 'constructorX')));
});

test('every name of Object.prototype is in INHERITED_NAMES', () => {
  for (const n of Object.getOwnPropertyNames(Object.prototype)) assert.ok(INHERITED_NAMES.has(n), n);
});
