import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { callBuiltin, callMethod, construct, getGlobal, getStatic, type BuiltinFunction } from '../../../src/accelerator/builtins/index.ts';
import { differential, num, spec, specialNumbers, type DiffStats, type Spec } from './diff.ts';
import { ErrorValue, makeHost, isUnsupported, unsupportedOn } from './host.ts';
import { defaultLocaleIsEnUS } from '../../../src/accelerator/builtins/values.ts';
import { timeValue } from '../../../src/accelerator/builtins/date.ts';

const h0 = makeHost();
const MathNs = getGlobal('Math');
const mathFns = Object.getOwnPropertyNames(Math).filter((k) => typeof (Math as unknown as Record<string, unknown>)[k] === 'function' && k !== 'random');
const numArg = fc.oneof({ weight: 3, arbitrary: num.map((v): Spec => ({ k: 'prim', v })) }, { weight: 1, arbitrary: spec });

test('every Math function agrees with Node bit for bit', () => {
  const stats: DiffStats = { equal: 0, aborted: 0 };
  for (const name of mathFns) {
    const f = getStatic(h0, MathNs, name) as BuiltinFunction;
    assert.equal(f.name, name);
    assert.equal(f.length, (Math as unknown as Record<string, (...a: unknown[]) => unknown>)[name].length, `${name}.length`);
    fc.assert(fc.property(fc.array(numArg, { maxLength: 4 }), (args) => {
      differential(args, (h, a) => callBuiltin(h, f, undefined, a), (a) => (Math as unknown as Record<string, (...x: unknown[]) => unknown>)[name](...a), stats);
    }), { numRuns: 150 });
  }
  for (const k of ['E', 'LN10', 'LN2', 'LOG10E', 'LOG2E', 'PI', 'SQRT1_2', 'SQRT2']) {
    assert.equal(getStatic(h0, MathNs, k), (Math as unknown as Record<string, number>)[k]);
  }
  const r = callBuiltin(h0, getStatic(h0, MathNs, 'random') as BuiltinFunction, undefined, []) as number;
  assert.ok(r >= 0 && r < 1);
  assert.equal(stats.aborted, 0);
});

const methods = ['toString', 'toFixed', 'toPrecision', 'toExponential', 'valueOf', 'toLocaleString'];
for (const name of methods) {
  test(`Number.prototype.${name} agrees with Node`, () => {
    const stats: DiffStats = { equal: 0, aborted: 0 };
    const digits = fc.oneof(fc.integer({ min: -2, max: 102 }).map((v): Spec => ({ k: 'prim', v })), spec);
    fc.assert(fc.property(num, fc.array(digits, { maxLength: 1 }), (x, args) => {
      differential(args, (h, a) => callMethod(h, x, name, a), (a) => (x as unknown as Record<string, (...y: unknown[]) => unknown>)[name](...a), stats,
        (r, d) => name === 'toLocaleString' && isUnsupported(r, d, 'Number.prototype.toLocaleString'));
    }), { numRuns: 500 });
    assert.ok(stats.equal > (name === 'toLocaleString' && !defaultLocaleIsEnUS ? -1 : 100), `${stats.equal} equal`);
  });
}

test('Number(x), Number statics, globals parseInt/parseFloat/isNaN/isFinite, Boolean(x) agree with Node', () => {
  const stats: DiffStats = { equal: 0, aborted: 0 };
  const NumberFn = getGlobal('Number') as BuiltinFunction;
  const fns: [BuiltinFunction, (...a: unknown[]) => unknown][] = [
    [NumberFn, Number as (...a: unknown[]) => unknown],
    [getGlobal('Boolean') as BuiltinFunction, Boolean as (...a: unknown[]) => unknown],
    [getGlobal('parseInt') as BuiltinFunction, parseInt as (...a: unknown[]) => unknown],
    [getGlobal('parseFloat') as BuiltinFunction, parseFloat as (...a: unknown[]) => unknown],
    [getGlobal('isNaN') as BuiltinFunction, isNaN as (...a: unknown[]) => unknown],
    [getGlobal('isFinite') as BuiltinFunction, isFinite as (...a: unknown[]) => unknown],
    ...['isInteger', 'isFinite', 'isNaN', 'isSafeInteger', 'parseInt', 'parseFloat'].map((k): [BuiltinFunction, (...a: unknown[]) => unknown] =>
      [getStatic(h0, NumberFn, k) as BuiltinFunction, (Number as unknown as Record<string, (...a: unknown[]) => unknown>)[k]]),
    ...['encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI'].map((k): [BuiltinFunction, (...a: unknown[]) => unknown] =>
      [getGlobal(k) as BuiltinFunction, (globalThis as unknown as Record<string, (...a: unknown[]) => unknown>)[k]]),
  ];
  const strNum = fc.constantFrom('12px', '  -0x1F  ', '0b11', '1e3', '.5', '-.5e-3', 'Infinity', '-Infinity', '', ' ', '\n42\t', '0x', '08', '1_000', '%E4%', '%C3%A9', 'a b&c=d/é?', '\ud800');
  const arg = fc.oneof(numArg, strNum.map((v): Spec => ({ k: 'prim', v })));
  for (const [ours, theirs] of fns) {
    fc.assert(fc.property(fc.array(arg, { maxLength: 2 }), (args) => {
      // A malformed URI throws the realm's URIError, as V8 throws its own.
      differential(args, (h, a) => callBuiltin(h, ours, undefined, a), (a) => theirs(...a), stats);
    }), { numRuns: 200 });
  }
  assert.equal(getStatic(h0, NumberFn, 'parseInt'), getGlobal('parseInt'));
  for (const k of ['MAX_SAFE_INTEGER', 'MIN_SAFE_INTEGER', 'MAX_VALUE', 'MIN_VALUE', 'EPSILON', 'POSITIVE_INFINITY', 'NEGATIVE_INFINITY', 'NaN']) {
    assert.ok(Object.is(getStatic(h0, NumberFn, k), (Number as unknown as Record<string, number>)[k]), k);
  }
  assert.ok(stats.equal > 2000, `${stats.equal}`);
  void specialNumbers;
});

test('boolean methods, Date.now, Date.UTC, Date.parse, new Date', () => {
  assert.equal(callMethod(h0, true, 'toString', []), 'true');
  assert.equal(callMethod(h0, false, 'valueOf', []), false);
  const D = getGlobal('Date') as BuiltinFunction;
  const before = Date.now();
  const t = callBuiltin(h0, getStatic(h0, D, 'now') as BuiltinFunction, undefined, []) as number;
  assert.ok(before <= t && t <= Date.now(), 'the real clock, read between the two readings around it');
  assert.equal(callBuiltin(h0, getStatic(h0, D, 'UTC') as BuiltinFunction, undefined, [2020, 1, 29, 12]), Date.UTC(2020, 1, 29, 12));
  // Date objects themselves are tested in test/accelerator/dates.test.ts.
  assert.equal(timeValue(construct(h0, D, [1234])), 1234);
  assert.equal(callBuiltin(h0, getStatic(h0, D, 'parse') as BuiltinFunction, undefined, ['1970-01-01T00:00:01Z']), 1000);
  // Date.prototype is an opaque stand-in (globals.ts): its members abort.
  assert.throws(() => getStatic(h0, getStatic(h0, D, 'prototype'), 'getTime'), unsupportedOn('Date.prototype.getTime'));
  // Locale-dependent results are exact only when the default locale is en-US; otherwise they abort.
  if (defaultLocaleIsEnUS) assert.equal(callMethod(h0, 1234567.891, 'toLocaleString', []), '1,234,567.891');
  else assert.throws(() => callMethod(h0, 1234567.891, 'toLocaleString', []), unsupportedOn('Number.prototype.toLocaleString'));
  if (defaultLocaleIsEnUS) assert.equal(callMethod(h0, 1.5, 'toLocaleString', ['de']), '1,5');
  assert.throws(() => callMethod(h0, 1.5, 'toLocaleString', [7]), unsupportedOn('Number.prototype.toLocaleString'));
});

test('Error constructors make ErrorValues, with and without new', () => {
  for (const name of ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError']) {
    const E = getGlobal(name) as BuiltinFunction;
    assert.equal(E.name, name);
    for (const make of [() => construct(h0, E, ['boom', {}]), () => callBuiltin(h0, E, undefined, ['boom'])]) {
      const e = make();
      assert.ok(e instanceof ErrorValue);
      assert.deepEqual([e.name, e.message], [name, 'boom']);
    }
    assert.equal((construct(h0, E, [42]) as ErrorValue).message, '42');
    // No message given: no own message (Node's reads Error.prototype's '').
    assert.equal(Object.prototype.hasOwnProperty.call(construct(h0, E, []), 'message'), false);
    assert.equal(Object.prototype.hasOwnProperty.call(construct(h0, E, [undefined]), 'message'), false);
    const withCause = construct(h0, E, ['x', { cause: 1 }]) as ErrorValue;
    assert.deepEqual(Object.getOwnPropertyDescriptor(withCause, 'cause'), { value: 1, writable: true, enumerable: false, configurable: true });
    assert.equal(Object.prototype.hasOwnProperty.call(construct(h0, E, ['x', {}]), 'cause'), false);
    assert.throws(() => getStatic(h0, E, 'captureStackTrace'), /unsupported/);
    assert.throws(() => getStatic(h0, E, 'prototype'), /unsupported/);
  }
  assert.throws(() => getStatic(h0, getGlobal('Error'), 'prepareStackTrace'), unsupportedOn('Error.prepareStackTrace'));
});
