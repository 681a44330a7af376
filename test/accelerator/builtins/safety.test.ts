// No path to the host: whatever compiled code asks of the library, it gets a runtime value or an abort.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import {
  BuiltinFunction, GlobalObject, Namespace, callBuiltin, callMethod, construct, getGlobal, getStatic, isBuiltinValue, setStatic, typeofBuiltin,
} from '../../../src/accelerator/builtins/index.ts';
import { Abort, ErrorValue, Thrown, assertRuntimeValue, makeHost, toRuntime, isUnsupported, unsupportedOn } from './host.ts';

const h = makeHost();
const globalNames = ['Math', 'JSON', 'Object', 'Array', 'Number', 'String', 'Boolean', 'Date', 'Error', 'TypeError', 'RangeError',
  'SyntaxError', 'ReferenceError', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI',
  'URL', 'URLSearchParams', 'Headers', 'Request', 'Response', 'fetch', 'atob', 'btoa', 'crypto', 'Map', 'Set', 'WeakMap', 'WeakSet', 'structuredClone', 'RegExp', 'Symbol', 'Buffer', 'Intl'];
const dangerous = ['constructor', '__proto__', 'prototype', 'caller', 'callee', 'arguments', '__defineGetter__', '__lookupGetter__',
  '__defineSetter__', '__lookupSetter__', 'isPrototypeOf', 'call', 'apply', 'bind', 'toString', 'valueOf', 'toLocaleString',
  'getPrototypeOf', 'setPrototypeOf', 'defineProperty', 'getOwnPropertyDescriptor', 'create', 'captureStackTrace', 'prepareStackTrace', 'Symbol'];

/** Runs f; a result must be a runtime value, an exception must be an abort or a thrown runtime value. */
function outcome(f: () => unknown): 'value' | 'abort' | 'throw' {
  try {
    assertRuntimeValue(f());
    return 'value';
  } catch (e) {
    if (e instanceof Abort) return 'abort';
    if (e instanceof Thrown) { assertRuntimeValue(e.value); return 'throw'; }
    throw e;
  }
}

test('globals: only the known ones, never through a prototype', () => {
  for (const n of globalNames) assert.ok(isBuiltinValue(getGlobal(n)), n);
  for (const n of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'process', 'require', 'eval',
    'Proxy', 'Reflect', 'undefined', 'module', 'import']) {
    assert.equal(getGlobal(n), undefined, n);
  }
  // global/globalThis: the library's own stand-in (no state, no host object), never Node's global.
  for (const n of ['global', 'globalThis']) assert.ok(getGlobal(n) instanceof GlobalObject && getGlobal(n) !== globalThis, n);
  assert.ok(Number.isNaN(getGlobal('NaN')));
  assert.equal(getGlobal('Infinity'), Infinity);
  assert.equal(typeofBuiltin(getGlobal('Math')), 'object');
  assert.equal(typeofBuiltin(getGlobal('String')), 'function');
  assert.equal(typeofBuiltin({}), undefined);
});

test('statics: prototype, constructor, __proto__ and other host members abort; unknown names are undefined', () => {
  for (const n of globalNames) {
    const g = getGlobal(n);
    for (const key of dangerous) {
      const r = outcome(() => getStatic(h, g, key));
      if (r === 'value') {
        const v = getStatic(h, g, key);
        assert.ok(isBuiltinValue(v) || v === undefined, `${n}.${key} gave ${String(v)}`);
      }
    }
    // Object.prototype and Array.prototype read as builtin namespaces of their own (never the host's
    // prototypes): checked below; every other builtin's prototype aborts.
    // The web kinds' constructors' prototypes are opaque stand-ins (globals.ts: every member aborts).
    const opaque = ['Date', 'Map', 'Set', 'RegExp', 'WeakMap', 'WeakSet', 'ArrayBuffer', 'DataView', 'URL', 'URLSearchParams', 'Headers', 'Request', 'Response', 'TextEncoder', 'TextDecoder'];
    const ownPrototype = n === 'Object' || n === 'Array' || n === 'Function' || n === 'Symbol' || opaque.includes(n);
    const mustAbort = ['constructor', '__proto__', '__defineGetter__', ...(g instanceof BuiltinFunction && !ownPrototype ? ['prototype'] : [])];
    // A function's call, apply, bind and toString are Function.prototype's builtins, shared by all.
    if (g instanceof BuiltinFunction) {
      for (const key of ['call', 'apply', 'bind', 'toString']) {
        assert.equal(getStatic(h, g, key), getStatic(h, getStatic(h, getGlobal('Function'), 'prototype'), key), `${n}.${key}`);
      }
    }
    for (const key of mustAbort) {
      assert.throws(() => getStatic(h, g, key), (e: unknown) => e instanceof Abort && e.reason === 'unsupported:builtin', `${n}.${key}`);
    }
    assert.equal(getStatic(h, g, 'noSuchMember'), undefined);
    assert.throws(() => setStatic(h, g, 'x'), unsupportedOn(/^write:/));
  }
  for (const n of ['Object', 'Array', 'Function', 'Symbol']) {
    const p = getStatic(h, getGlobal(n), 'prototype');
    assert.ok(isBuiltinValue(p) && (p as unknown) !== Object.prototype && (p as unknown) !== Array.prototype, `${n}.prototype is a builtin namespace`);
    assert.ok(Object.isFrozen(p), `${n}.prototype is frozen`);
    for (const key of ['constructor', '__proto__', '__defineGetter__']) assert.throws(() => getStatic(h, p, key), (e: unknown) => e instanceof Abort && e.reason === 'unsupported:builtin', `${n}.prototype.${key}`);
    assert.throws(() => setStatic(h, p, 'x'), unsupportedOn(/^write:/));
  }
  const max = getStatic(h, getGlobal('Math'), 'max') as BuiltinFunction;
  assert.deepEqual([getStatic(h, max, 'name'), getStatic(h, max, 'length')], ['max', 2]);
  assert.throws(() => getStatic(h, max, 'constructor'), unsupportedOn('Math.max.constructor'));
});

test('builtin values expose nothing: no own properties, frozen, no public implementation', () => {
  const values: unknown[] = globalNames.map(getGlobal);
  for (const n of ['Math', 'JSON', 'Object', 'Array', 'Number', 'String']) {
    for (const [k] of Object.entries(Object.getOwnPropertyDescriptors(globalThis[n as keyof typeof globalThis] ?? {}))) {
      try { values.push(getStatic(h, getGlobal(n), k)); } catch { /* aborts are fine */ }
    }
  }
  for (const v of values) {
    if (!isBuiltinValue(v)) continue;
    assert.deepEqual(Reflect.ownKeys(v as object), []);
    assert.ok(Object.isFrozen(v));
    assert.ok(v instanceof BuiltinFunction || v instanceof Namespace);
    assert.notEqual(typeof v, 'function');
  }
});

test('every method of every receiver kind returns runtime values or aborts (never a host function)', () => {
  const closure = toRuntime((x: unknown) => x);
  const receivers: unknown[] = ['abc', '', 1.5, -0, NaN, true, [1, 'b', [2], { c: 3 }], [], { a: 1, b: [2] }, new ErrorValue('TypeError', 'm'),
    closure, getGlobal('Math'), getGlobal('JSON'), getGlobal('String'), getGlobal('Object'), getGlobal('Array'), getGlobal('parseInt')];
  const names = new Set<string>(dangerous);
  for (const proto of [String.prototype, Array.prototype, Number.prototype, Boolean.prototype, Object.prototype, Function.prototype, Math, JSON, Object, Array, String, Number]) {
    for (const k of Object.getOwnPropertyNames(proto)) names.add(k);
  }
  const argSets: unknown[][] = [[], [closure], [1, 2], ['a', closure], [[1, 2], { a: 1 }], [closure, 0]];
  let values = 0;
  for (const r of receivers) {
    for (const n of names) {
      for (const args of argSets) {
        const copy = Array.isArray(r) ? r.slice() : r;
        if (outcome(() => callMethod(h, copy, n, args)) === 'value') values++;
      }
    }
  }
  assert.ok(values > 500, `${values} calls gave values`);
});

test('escape attempts through the library abort', () => {
  const S = getGlobal('String');
  assert.throws(() => callMethod(h, S, 'constructor', ['return process']), /unsupported/);
  assert.throws(() => callMethod(h, getStatic(h, getGlobal('Math'), 'max'), 'constructor', ['return process']), /unsupported/);
  assert.throws(() => callMethod(h, 'x', 'constructor', []), unsupportedOn('String.prototype.constructor'));
  assert.throws(() => callMethod(h, [], '__proto__', []), /unsupported/);
  assert.throws(() => callMethod(h, {}, '__lookupGetter__', ['__proto__']), /unsupported/);
  assert.throws(() => callMethod(h, toRuntime(() => 1), 'toString', []), unsupportedOn('Function.prototype.toString'));
  const ObjectFn = getGlobal('Object') as BuiltinFunction;
  for (const m of ['setPrototypeOf', 'defineProperties', 'getOwnPropertyDescriptors']) {
    assert.throws(() => getStatic(h, ObjectFn, m), (e: unknown) => e instanceof Abort && isUnsupported(e.reason, e.detail, `Object.${m}`));
  }
  // Object.getOwnPropertySymbols lists only what the core says a program may see (symbols.ts): a symbol
  // the program did not make never comes out, here where the host models none.
  const ownSymbols = getStatic(h, ObjectFn, 'getOwnPropertySymbols') as BuiltinFunction;
  assert.throws(() => callBuiltin(h, ownSymbols, undefined, [{ [Symbol('internal')]: 1 }]), unsupportedOn('Object.getOwnPropertySymbols'));
  assert.throws(() => callBuiltin(h, ownSymbols, undefined, [getGlobal('Math')]), unsupportedOn('Object.getOwnPropertySymbols'));
  // getPrototypeOf answers with the stand-ins of Object.prototype and Array.prototype (never the host's
  // prototypes) and along a typed array's chain (opaque stand-ins); on anything else it aborts.
  const protoOf = getStatic(h, ObjectFn, 'getPrototypeOf') as BuiltinFunction;
  assert.equal(callBuiltin(h, protoOf, undefined, [{}]), getStatic(h, ObjectFn, 'prototype'));
  assert.equal(callBuiltin(h, protoOf, undefined, [[1]]), getStatic(h, getGlobal('Array'), 'prototype'));
  for (const target of [getGlobal('Math'), ObjectFn, toRuntime(() => 1), new ErrorValue('Error', 'm'), 'str', 1]) {
    assert.throws(() => callBuiltin(h, protoOf, undefined, [target]), unsupportedOn('Object.getPrototypeOf'));
  }
  // getOwnPropertyDescriptor describes plain objects' data properties (and the core's accessor
  // objects, whose getters are the program's own functions); on anything else it aborts.
  const describe = getStatic(h, ObjectFn, 'getOwnPropertyDescriptor') as BuiltinFunction;
  assert.deepEqual(callBuiltin(h, describe, undefined, [{ a: 1 }, 'a']), { value: 1, writable: true, enumerable: true, configurable: true });
  for (const target of [getGlobal('Math'), ObjectFn, [1], toRuntime(() => 1), new ErrorValue('Error', 'm'), 'str']) {
    assert.throws(() => callBuiltin(h, describe, undefined, [target, 'length']), unsupportedOn('Object.getOwnPropertyDescriptor'));
  }
  // defineProperty makes data properties (accessors only through the core: this host has no defineOwn),
  // never __proto__, nothing on a builtin.
  const define = getStatic(h, ObjectFn, 'defineProperty') as BuiltinFunction;
  assert.throws(() => callBuiltin(h, define, undefined, [{}, 'x', { get: toRuntime(() => 1) }]), unsupportedOn('Object.defineProperty'));
  assert.throws(() => callBuiltin(h, define, undefined, [{}, '__proto__', { value: {}, writable: true }]), unsupportedOn('Object.defineProperty'));
  assert.throws(() => callBuiltin(h, define, undefined, [getGlobal('Math'), 'x', { value: 1, writable: true }]), unsupportedOn('Object.defineProperty'));
  const assign = getStatic(h, ObjectFn, 'assign') as BuiltinFunction;
  const src = JSON.parse('{"__proto__": {"polluted": 1}}') as unknown;
  assert.throws(() => callBuiltin(h, assign, undefined, [{}, src]), unsupportedOn('Object.assign'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const fromEntries = getStatic(h, ObjectFn, 'fromEntries') as BuiltinFunction;
  assert.throws(() => callBuiltin(h, fromEntries, undefined, [[['__proto__', { x: 1 }]]]), unsupportedOn('Object.fromEntries'));
  assert.throws(() => callBuiltin(h, getStatic(h, ObjectFn, 'keys') as BuiltinFunction, undefined, [toRuntime(() => 1)]), unsupportedOn('Object.keys'));
  assert.throws(() => callBuiltin(h, getStatic(h, ObjectFn, 'freeze') as BuiltinFunction, undefined, [getGlobal('Math')]), unsupportedOn('Object.freeze'));
  assert.throws(() => callBuiltin(h, ObjectFn, undefined, [1]), unsupportedOn('Object()'));
  assert.throws(() => construct(h, getGlobal('String') as BuiltinFunction, ['x']), unsupportedOn('new String'));
  assert.throws(() => construct(h, getStatic(h, getGlobal('Math'), 'max') as BuiltinFunction, []), unsupportedOn('new Math.max'));
  assert.throws(() => callMethod(h, undefined, 'x', []), (e: unknown) => e instanceof Thrown && (e.value as ErrorValue).message === "Cannot read properties of undefined (reading 'x')");
});

test('objects the library cannot read as data abort: the core\'s own objects, errors when the host cannot tell', () => {
  class CoreObject { label = 'containerless'; }
  const keys = getStatic(h, getGlobal('Object'), 'keys') as BuiltinFunction;
  const stringify = getStatic(h, getGlobal('JSON'), 'stringify') as BuiltinFunction;
  for (const f of [keys, stringify, getStatic(h, getGlobal('Object'), 'freeze') as BuiltinFunction, getStatic(h, getGlobal('Array'), 'from') as BuiltinFunction]) {
    assert.throws(() => callBuiltin(h, f, undefined, [new CoreObject()]), (e: unknown) => e instanceof Abort && e.reason === 'unsupported:builtin');
  }
  assert.throws(() => callMethod(h, new CoreObject(), 'hasOwnProperty', ['label']), /unsupported/);
  const err = new ErrorValue('TypeError', 'm');
  (err as unknown as Record<string, unknown>).code = 7;
  assert.equal(callBuiltin(h, stringify, undefined, [err]), '{"code":7}');
  assert.deepEqual(callBuiltin(h, keys, undefined, [err]), ['code']);
  const blind = makeHost({ noIsError: true });
  assert.throws(() => callBuiltin(blind, stringify, undefined, [err]), unsupportedOn('JSON.stringify'));
  assert.throws(() => callBuiltin(blind, keys, undefined, [err]), unsupportedOn('Object.keys'));
});

test('Function.prototype.call/apply/bind on closures and builtins', () => {
  const f = toRuntime(function (this: unknown, ...a: unknown[]) { return [this, ...a]; });
  assert.deepEqual(callMethod(h, f, 'call', ['t', 1, 2]), ['t', 1, 2]);
  assert.deepEqual(callMethod(h, f, 'apply', ['t', [1, 2]]), ['t', 1, 2]);
  assert.deepEqual(callMethod(h, f, 'apply', ['t']), ['t']);
  assert.throws(() => callMethod(h, f, 'apply', ['t', 5]), (e: unknown) => e instanceof Thrown && (e.value as ErrorValue).message === 'CreateListFromArrayLike called on non-object');
  const bound = callMethod(h, f, 'bind', ['t', 1]) as BuiltinFunction;
  assert.equal(typeofBuiltin(bound), 'function');
  assert.deepEqual(h.call(bound, 'ignored', [2]), ['t', 1, 2]);
  assert.throws(() => getStatic(h, bound, 'name'), /unsupported/);
  const max = getStatic(h, getGlobal('Math'), 'max') as BuiltinFunction;
  const bmax = callMethod(h, max, 'bind', [null, 5]) as BuiltinFunction;
  assert.deepEqual([getStatic(h, bmax, 'name'), getStatic(h, bmax, 'length')], ['bound max', 1]);
  assert.equal(h.call(bmax, undefined, [7, 3]), 7);
  assert.equal(callMethod(h, max, 'apply', [null, [1, 9, 3]]), 9);
  assert.equal(callMethod(h, getGlobal('Math'), 'max', [1, 9, 3]), 9);
  assert.deepEqual(callMethod(h, ['1', '2', '3'], 'map', [getGlobal('Number')]), [1, 2, 3]);
  assert.deepEqual(callMethod(h, ['a', 'b'], 'map', [getGlobal('String')]), ['a', 'b']);
  assert.deepEqual(callMethod(h, ['10', '10', '10'], 'map', [getGlobal('parseInt')]), [10, NaN, 2]);
});

test('arrays and objects from another realm get the same results', () => {
  const ctx = vm.createContext({});
  const remote = <T>(code: string): T => vm.runInContext(code, ctx) as T;
  const methods: [string, unknown[]][] = [['push', [4]], ['pop', []], ['shift', []], ['unshift', [0]], ['slice', [1]], ['splice', [1, 1, 'x']],
    ['concat', [[9]]], ['join', ['-']], ['reverse', []], ['indexOf', [2]], ['includes', [1]], ['sort', []], ['toSorted', []], ['flat', []],
    ['fill', [7, 1]], ['at', [-1]], ['toReversed', []], ['with', [0, 5]], ['toSpliced', [0, 1]], ['toString', []], ['hasOwnProperty', ['1']]];
  for (const [m, args] of methods) {
    const local = [3, 1, 2, 'b'];
    const far = remote<unknown[]>('[3, 1, 2, "b"]');
    const a = callMethod(h, local, m, args);
    const b = callMethod(h, far, m, args);
    assert.equal(JSON.stringify([a, local]), JSON.stringify([b, far]), m);
  }
  const obj = remote<Record<string, unknown>>('({ b: 1, a: [1, { c: 2 }], 1: "x" })');
  assert.deepEqual(callBuiltin(h, getStatic(h, getGlobal('Object'), 'keys') as BuiltinFunction, undefined, [obj]), ['1', 'b', 'a']);
  assert.equal(callBuiltin(h, getStatic(h, getGlobal('JSON'), 'stringify') as BuiltinFunction, undefined, [obj]), '{"1":"x","b":1,"a":[1,{"c":2}]}');
  const cyc = remote<Record<string, unknown>>('const o = { a: [1] }; o.a.push(o); o');
  let nodeMsg = '';
  try { JSON.stringify(cyc); } catch (e) { nodeMsg = (e as Error).message; }
  assert.throws(() => callBuiltin(h, getStatic(h, getGlobal('JSON'), 'stringify') as BuiltinFunction, undefined, [cyc]),
    (e: unknown) => e instanceof Thrown && (e.value as ErrorValue).message === nodeMsg);
});

test('Object.assign onto an error makes own properties as Node does; its stack is not modelled', () => {
  const assign = getStatic(h, getGlobal('Object'), 'assign') as BuiltinFunction;
  const err = new ErrorValue('TypeError', 'm');
  callBuiltin(h, assign, undefined, [err, { code: 1, message: 'n' }]);
  assert.deepEqual(Object.keys(err), ['code']);
  assert.equal(err.message, 'n');
  assert.equal(callMethod(h, err, 'hasOwnProperty', ['code']), true);
  assert.equal(callMethod(h, err, 'hasOwnProperty', ['name']), false);
  assert.throws(() => callMethod(h, err, 'hasOwnProperty', ['stack']), /unsupported/);
  assert.throws(() => callBuiltin(h, assign, undefined, [err, { stack: 'x' }]), unsupportedOn('Object.assign'));
});
