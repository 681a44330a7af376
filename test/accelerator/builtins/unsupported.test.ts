// Every case the library does not implement exactly aborts, with the reason the core reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callBuiltin, callMethod, construct, getGlobal, getStatic, setStatic, type BuiltinFunction, type Host } from '../../../src/accelerator/builtins/index.ts';
import { Abort, ErrorValue, makeHost, toRuntime } from './host.ts';

const g = (name: string) => getGlobal(name) as BuiltinFunction;
const s = (h: Host, ns: string, key: string) => getStatic(h, getGlobal(ns), key) as BuiltinFunction;
const cases: [string, (h: Host) => unknown][] = [
  ['unsupported:String.prototype.normalize', (h) => callMethod(h, 'é', 'normalize', [])],
  ['unsupported:String.prototype.localeCompare', (h) => callMethod(h, 'é', 'localeCompare', ['e'])],
  ['unsupported:String.prototype.localeCompare', (h) => callMethod(h, 'a', 'localeCompare', ['b', 'de'])],
  ['unsupported:String.prototype.toLocaleUpperCase', (h) => callMethod(h, 'i', 'toLocaleUpperCase', ['tr'])],
  ['unsupported:Number.prototype.toLocaleString', (h) => callMethod(h, 1234.5, 'toLocaleString', ['de-DE'])],
  ['unsupported:String.prototype.match', (h) => callMethod(h, 'a', 'match', ['a'])],
  ['unsupported:String.raw', (h) => s(h, 'String', 'raw')],
  ['unsupported:new String', (h) => construct(h, g('String'), ['x'])],
  ['unsupported:new Number', (h) => construct(h, g('Number'), [1])],
  ['unsupported:new Boolean', (h) => construct(h, g('Boolean'), [1])],
  ['unsupported:Array.prototype.keys', (h) => callMethod(h, [1], 'keys', [])],
  ['unsupported:Array.prototype.values', (h) => callMethod(h, [1], 'values', [])],
  ['unsupported:Array.prototype.entries', (h) => callMethod(h, [1], 'entries', [])],
  ['unsupported:Array.prototype.toLocaleString', (h) => callMethod(h, [1], 'toLocaleString', [])],
  ['unsupported:Array.prototype.copyWithin', (h) => callMethod(h, [1], 'copyWithin', [0, 0])],
  ['unsupported:Array(n)', (h) => construct(h, g('Array'), [3])],
  ['unsupported:Array(n)', (h) => callBuiltin(h, g('Array'), undefined, [1])],
  ['unsupported:Array.prototype.sort', (h) => callMethod(h, [[2], [1]], 'sort', [])],
  ['unsupported:Array.prototype.map', (h) => callMethod(h, [1, 2], 'map', [toRuntime((x: unknown, _i: number, a: unknown[]) => { a.length = 0; return x; })])],
  ['unsupported:Array.prototype.push', (h) => callMethod(h, Object.freeze([1]), 'push', [2])],
  ['unsupported:Array.from', (h) => callBuiltin(h, s(h, 'Array', 'from'), undefined, [null])],
  ['unsupported:Array.from', (h) => callBuiltin(h, s(h, 'Array', 'from'), undefined, [toRuntime(() => 1)])],
  ['unsupported:Object.create', (h) => s(h, 'Object', 'create')],
  ['unsupported:Object.getPrototypeOf', (h) => s(h, 'Object', 'getPrototypeOf')],
  ['unsupported:Object.defineProperty', (h) => s(h, 'Object', 'defineProperty')],
  ['unsupported:Object.prototype', (h) => s(h, 'Object', 'prototype')],
  ['unsupported:Object()', (h) => callBuiltin(h, g('Object'), undefined, [])],
  ['unsupported:Object.assign', (h) => callBuiltin(h, s(h, 'Object', 'assign'), undefined, [[], { a: 1 }])],
  ['unsupported:Object.assign', (h) => callBuiltin(h, s(h, 'Object', 'assign'), undefined, [Object.freeze({}), { a: 1 }])],
  ['unsupported:Object.assign', (h) => callBuiltin(h, s(h, 'Object', 'assign'), undefined, [{}, JSON.parse('{"__proto__":1}')])],
  ['unsupported:Object.fromEntries', (h) => callBuiltin(h, s(h, 'Object', 'fromEntries'), undefined, [[['__proto__', 1]]])],
  ['unsupported:Object.keys', (h) => callBuiltin(h, s(h, 'Object', 'keys'), undefined, [toRuntime(() => 1)])],
  ['unsupported:Object.freeze', (h) => callBuiltin(h, s(h, 'Object', 'freeze'), undefined, [toRuntime(() => 1)])],
  ['unsupported:Object.getOwnPropertyNames', (h) => callBuiltin(h, s(h, 'Object', 'getOwnPropertyNames'), undefined, [new ErrorValue('Error', 'x')])],
  ['unsupported:Object.prototype.toLocaleString', (h) => callMethod(h, {}, 'toLocaleString', [])],
  ['unsupported:Object.prototype.isPrototypeOf', (h) => callMethod(h, {}, 'isPrototypeOf', [{}])],
  ['unsupported:Object.prototype.__defineGetter__', (h) => callMethod(h, {}, '__defineGetter__', ['a', toRuntime(() => 1)])],
  ['unsupported:Function.prototype.toString', (h) => callMethod(h, toRuntime(() => 1), 'toString', [])],
  ['unsupported:Function.prototype.apply', (h) => callMethod(h, toRuntime(() => 1), 'apply', [null, { length: 1 }])],
  ['unsupported:Boolean.prototype.toLocaleString', (h) => callMethod(h, true, 'toLocaleString', [])],
  ['unsupported:JSON.parse', (h) => callBuiltin(h, s(h, 'JSON', 'parse'), undefined, ['[1,2]', toRuntime((k: string, v: unknown) => (k === '0' ? undefined : v))])],
  ['unsupported:JSON.stringify', (h) => callBuiltin(h, s(h, 'JSON', 'stringify'), undefined, [new ErrorValue('Error', 'm'), ['stack']])],
  ['unsupported:JSON.toString', (h) => s(h, 'JSON', 'toString')],
  ['unsupported:Math.hypot', (h) => callBuiltin(h, s(h, 'Math', 'hypot'), undefined, new Array(2000).fill(1))],
  ['unsupported:decodeURIComponent', (h) => callBuiltin(h, g('decodeURIComponent'), undefined, ['%'])],
  ['unsupported:encodeURIComponent', (h) => callBuiltin(h, g('encodeURIComponent'), undefined, ['\ud800'])],
  ['unsupported:new Date', (h) => construct(h, g('Date'), [])],
  ['unsupported:Date()', (h) => callBuiltin(h, g('Date'), undefined, [])],
  ['unsupported:Date.parse', (h) => s(h, 'Date', 'parse')],
  ['unsupported:Error.cause', (h) => construct(h, g('Error'), ['x', { cause: 1 }])],
  ['unsupported:Error.captureStackTrace', (h) => s(h, 'Error', 'captureStackTrace')],
  ['unsupported:new Math.max', (h) => construct(h, s(h, 'Math', 'max'), [])],
  ['unsupported:write:Math.PI', (h) => setStatic(h, getGlobal('Math'), 'PI')],
];

test('each unsupported case aborts with its reason', () => {
  for (const [reason, f] of cases) {
    const h = makeHost();
    let got: unknown;
    try { got = f(h); } catch (e) {
      if (e instanceof Abort) {
        assert.equal(e.reason, reason, `${reason}: ${e.detail ?? ''}`);
        continue;
      }
      throw e;
    }
    assert.fail(`${reason}: returned ${String(got)}`);
  }
});
