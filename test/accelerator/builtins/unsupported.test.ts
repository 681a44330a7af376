// Every case the library does not implement exactly aborts, with the reason the core reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callBuiltin, callMethod, construct, getGlobal, getStatic, setStatic, type BuiltinFunction, type Host } from '../../../src/accelerator/builtins/index.ts';
import { Abort, ErrorValue, makeHost, toRuntime } from './host.ts';

const g = (name: string) => getGlobal(name) as BuiltinFunction;
const s = (h: Host, ns: string, key: string) => getStatic(h, getGlobal(ns), key) as BuiltinFunction;
const cases: [string, (h: Host) => unknown][] = [
  ['String.prototype.localeCompare', (h) => callMethod(h, 'é', 'localeCompare', ['e'])],
  ['String.prototype.localeCompare', (h) => callMethod(h, 'a', 'localeCompare', ['b', 'de'])],
  ['String.prototype.toLocaleUpperCase', (h) => callMethod(h, 'i', 'toLocaleUpperCase', ['tr'])],
  ['Number.prototype.toLocaleString', (h) => callMethod(h, 1234.5, 'toLocaleString', [{}])],
  ['RegExp /a/v', (h) => callMethod(h, 'a', 'search', [construct(h, g('RegExp'), ['a', 'v'])])],
  ['String.raw', (h) => s(h, 'String', 'raw')],
  ['new String', (h) => construct(h, g('String'), ['x'])],
  ['new Number', (h) => construct(h, g('Number'), [1])],
  ['new Boolean', (h) => construct(h, g('Boolean'), [1])],
  ['Array.prototype.toLocaleString', (h) => callMethod(h, [1], 'toLocaleString', [])],
  ['Array.prototype.copyWithin', (h) => callMethod(h, [1], 'copyWithin', [0, 0])],
  ['Array(n)', (h) => construct(h, g('Array'), [3])],
  ['Array(n)', (h) => callBuiltin(h, g('Array'), undefined, [1])],
  ['Array.prototype.sort', (h) => callMethod(h, [[2], [1]], 'sort', [])],
  ['Array.prototype.map', (h) => callMethod(h, [1, 2], 'map', [toRuntime((x: unknown, _i: number, a: unknown[]) => { a.length = 0; return x; })])],
  ['Array.prototype.push', (h) => callMethod(h, Object.freeze([1]), 'push', [2])],
  ['Array.from', (h) => callBuiltin(h, s(h, 'Array', 'from'), undefined, [null])],
  ['Array.from', (h) => callBuiltin(h, s(h, 'Array', 'from'), undefined, [toRuntime(() => 1)])],
  ['Object.create', (h) => callBuiltin(h, s(h, 'Object', 'create'), undefined, [g('Math')])],
  ['Object.getPrototypeOf', (h) => callBuiltin(h, s(h, 'Object', 'getPrototypeOf'), undefined, [toRuntime(() => 1)])],
  ['Object.defineProperty', (h) => callBuiltin(h, s(h, 'Object', 'defineProperty'), undefined, [{}, 'x', { set: 1 }])],
  ['Object.prototype.isPrototypeOf', (h) => getStatic(h, s(h, 'Object', 'prototype'), 'isPrototypeOf')],
  ['Object()', (h) => callBuiltin(h, g('Object'), undefined, [1])],
  ['Object.assign', (h) => callBuiltin(h, s(h, 'Object', 'assign'), undefined, [[], { a: 1 }])],
  ['Object.assign', (h) => callBuiltin(h, s(h, 'Object', 'assign'), undefined, [Object.freeze({}), { a: 1 }])],
  ['Object.assign', (h) => callBuiltin(h, s(h, 'Object', 'assign'), undefined, [{}, JSON.parse('{"__proto__":1}')])],
  ['Object.fromEntries', (h) => callBuiltin(h, s(h, 'Object', 'fromEntries'), undefined, [[['__proto__', 1]]])],
  ['Object.keys', (h) => callBuiltin(h, s(h, 'Object', 'keys'), undefined, [toRuntime(() => 1)])],
  ['Object.freeze', (h) => callBuiltin(h, s(h, 'Object', 'freeze'), undefined, [toRuntime(() => 1)])],
  ['Object.getOwnPropertyNames', (h) => callBuiltin(h, s(h, 'Object', 'getOwnPropertyNames'), undefined, [new ErrorValue('Error', 'x')])],
  ['Object.prototype.toLocaleString', (h) => callMethod(h, {}, 'toLocaleString', [])],
  ['Object.prototype.isPrototypeOf', (h) => callMethod(h, {}, 'isPrototypeOf', [{}])],
  ['Object.prototype.__defineGetter__', (h) => callMethod(h, {}, '__defineGetter__', ['a', toRuntime(() => 1)])],
  ['Function.prototype.toString', (h) => callMethod(h, toRuntime(() => 1), 'toString', [])],
  ['Function.prototype.apply', (h) => callMethod(h, toRuntime(() => 1), 'apply', [null, { length: 1 }])],
  ['Boolean.prototype.toLocaleString', (h) => callMethod(h, true, 'toLocaleString', [])],
  ['JSON.parse', (h) => callBuiltin(h, s(h, 'JSON', 'parse'), undefined, ['[1,2]', toRuntime((k: string, v: unknown) => (k === '0' ? undefined : v))])],
  ['JSON.stringify', (h) => callBuiltin(h, s(h, 'JSON', 'stringify'), undefined, [new ErrorValue('Error', 'm'), ['stack']])],
  ['JSON.toString', (h) => s(h, 'JSON', 'toString')],
  ['Math.hypot', (h) => callBuiltin(h, s(h, 'Math', 'hypot'), undefined, new Array(2000).fill(1))],
  ['Date.prototype.getDay', (h) => getStatic(h, s(h, 'Date', 'prototype'), 'getDay')],
  ['Error.captureStackTrace', (h) => s(h, 'Error', 'captureStackTrace')],
  ['new Math.max', (h) => construct(h, s(h, 'Math', 'max'), [])],
  ['write:Math.PI', (h) => setStatic(h, getGlobal('Math'), 'PI')],
];

test('each unsupported case aborts as unsupported:builtin, its detail naming what', () => {
  for (const [what, f] of cases) {
    const h = makeHost();
    let got: unknown;
    try { got = f(h); } catch (e) {
      if (e instanceof Abort) {
        assert.equal(e.reason, 'unsupported:builtin', `${what}: ${e.detail}`);
        assert.ok(e.detail === what || e.detail.startsWith(`${what} (`), `${what}: ${e.detail}`);
        continue;
      }
      throw e;
    }
    assert.fail(`${what}: returned ${String(got)}`);
  }
});
