import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { callBuiltin, callMethod, getGlobal, getStatic, type BuiltinFunction } from '../../../src/accelerator/builtins/index.ts';
import { differential, params, spec, str, type DiffStats, type Spec } from './diff.ts';
import { ErrorValue, canon, makeHost, toRuntime, typeOf, isUnsupported, unsupportedOn } from './host.ts';

const h0 = makeHost();
const ObjectFn = getGlobal('Object') as BuiltinFunction;
const JSONNs = getGlobal('JSON');
const objectStatic = (name: string) => getStatic(h0, ObjectFn, name) as BuiltinFunction;
const jsonStatic = (name: string) => getStatic(h0, JSONNs, name) as BuiltinFunction;

const objSpec = fc.array(fc.tuple(fc.constantFrom('a', 'b', '1', '0', '10', '2', 'x y', 'é', '-1', '01', 'length'), spec), { maxLength: 5 })
  .map((entries): Spec => ({ k: 'obj', entries }));
const anyArg = fc.oneof(objSpec, spec);

for (const name of ['keys', 'values', 'entries', 'isFrozen', 'hasOwn', 'is', 'getOwnPropertyNames']) {
  test(`Object.${name} agrees with Node`, () => {
    const stats: DiffStats = { equal: 0, aborted: 0 };
    fc.assert(fc.property(fc.array(anyArg, { minLength: 1, maxLength: 2 }), (args) => {
      differential(args, (h, a) => callBuiltin(h, objectStatic(name), undefined, a),
        (a) => (Object as unknown as Record<string, (...x: unknown[]) => unknown>)[name](...a), stats);
    }), params);
    assert.ok(stats.equal > params.numRuns / 2, `${name}: ${stats.equal} equal`);
  });
}

test('Object.assign, Object.fromEntries and Object.freeze agree with Node', () => {
  const stats: DiffStats = { equal: 0, aborted: 0 };
  fc.assert(fc.property(objSpec, fc.array(anyArg, { maxLength: 3 }), (target, sources) => {
    differential([target, ...sources], (h, a) => { const r = callBuiltin(h, objectStatic('assign'), undefined, a); return [r, r === a[0]]; },
      (a) => { const r = (Object.assign as (...x: unknown[]) => unknown)(...a); return [r, r === a[0]]; }, stats);
  }), params);
  const entry = fc.oneof(
    fc.tuple(spec, spec).map(([k, v]): Spec => ({ k: 'arr', items: [k, v] })),
    spec,
  );
  fc.assert(fc.property(fc.array(entry, { maxLength: 4 }), (entries) => {
    differential([{ k: 'arr', items: entries }], (h, a) => callBuiltin(h, objectStatic('fromEntries'), undefined, a),
      (a) => Object.fromEntries(a[0] as Iterable<readonly [PropertyKey, unknown]>), stats,
      (r, d) => isUnsupported(r, d, 'Object.fromEntries'));
  }), params);
  fc.assert(fc.property(anyArg, (v) => {
    differential([v], (h, a) => { const r = callBuiltin(h, objectStatic('freeze'), undefined, a); return [r, Object.isFrozen(r)]; },
      (a) => { const r = Object.freeze(a[0]); return [r, Object.isFrozen(r)]; }, stats);
  }), params);
  assert.ok(stats.equal > params.numRuns * 2);
});

test('hasOwnProperty, propertyIsEnumerable, toString and valueOf on plain objects, arrays and strings', () => {
  const stats: DiffStats = { equal: 0, aborted: 0 };
  fc.assert(fc.property(fc.oneof(objSpec, spec, str.map((v): Spec => ({ k: 'prim', v }))), fc.constantFrom('hasOwnProperty', 'propertyIsEnumerable', 'toString', 'valueOf'), spec, (recv, m, key) => {
    // A hook object receiver calls its own method: that is the core's job, not the library's.
    if (recv.k === 'hook' || recv.k === 'prim' && (recv.v === null || recv.v === undefined)) return;
    differential([recv, key], (h, [o, k]) => callMethod(h, o, m, [k]),
      ([o, k]) => (o as Record<string, (x: unknown) => unknown>)[m](k), stats);
  }), params);
  assert.ok(stats.equal > params.numRuns / 2);
});

// ---- JSON ----

const jsonValue: fc.Arbitrary<Spec> = fc.letrec<{ v: Spec }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    spec,
    fc.array(tie('v'), { maxLength: 4 }).map((items): Spec => ({ k: 'arr', items })),
    fc.array(fc.tuple(fc.constantFrom('a', 'b', '1', '0', 'é', '"q"', '\n', 'toJSON'), tie('v')), { maxLength: 4 }).map((entries): Spec => ({ k: 'obj', entries })),
  ),
})).v;

test('JSON.stringify agrees with Node (values, replacer arrays and functions, indents, toJSON)', () => {
  const stats: DiffStats = { equal: 0, aborted: 0 };
  const replacers: Record<string, unknown> = {
    none: undefined,
    list: ['a', '1', 1, 'b', 'a', {}, null],
    fn: (k: string, v: unknown) => (k === 'a' ? undefined : typeof v === 'number' ? v * 2 : v),
    dropAll: (k: string, v: unknown) => (k === '' ? v : undefined),
    stringify: (k: string, v: unknown) => (k === 'b' ? [k, typeOf(v)] : v),
  };
  const space = fc.oneof(fc.constantFrom(undefined, 0, 2, -1, 11, 1.5, '', '\t', '--', 'abcdefghijkl', null, true), fc.integer({ min: -2, max: 12 }));
  fc.assert(fc.property(jsonValue, fc.constantFrom(...Object.keys(replacers)), space, fc.boolean(), (v, rname, sp, withToJSON) => {
    const rep = replacers[rname];
    const wrap = (x: unknown) => (withToJSON ? { toJSON(key: string) { return [key, x]; }, other: 1 } : x);
    differential([v], (h, [x], log) => callBuiltin(h, jsonStatic('stringify'), undefined, [toRuntime(wrap(x)), typeof rep === 'function' ? toRuntime(logged(rep as (...a: unknown[]) => unknown, log)) : toRuntime(rep), sp]),
      ([x], log) => JSON.stringify(wrap(x), (typeof rep === 'function' ? logged(rep as (...a: unknown[]) => unknown, log) : rep) as (string | number)[], sp as string),
      stats);
  }), { numRuns: 1500 });
  assert.ok(stats.equal > 1400);
});

function logged(f: (...a: unknown[]) => unknown, log: string[]) {
  return function (this: unknown, ...a: unknown[]) { log.push(canon([a[0], typeOf(a[1])])); return f.apply(this, a); };
}

test('JSON.stringify: cycles give Node\'s exact TypeError; functions are skipped; errors are {}', () => {
  const h = makeHost();
  const o: Record<string, unknown> = { a: { b: [1, {}] } };
  ((o.a as Record<string, unknown[]>).b[1] as Record<string, unknown>).c = o;
  let nodeMsg = '';
  try { JSON.stringify(o); } catch (e) { nodeMsg = (e as Error).message; }
  assert.throws(() => callBuiltin(h, jsonStatic('stringify'), undefined, [o]), (e: { value?: ErrorValue }) => e.value?.name === 'TypeError' && e.value.message === nodeMsg);
  const arr: unknown[] = [1];
  arr.push({ x: arr });
  try { JSON.stringify(arr); } catch (e) { nodeMsg = (e as Error).message; }
  assert.throws(() => callBuiltin(h, jsonStatic('stringify'), undefined, [arr]), (e: { value?: ErrorValue }) => e.value?.message === nodeMsg);
  const withFns = toRuntime({ a: 1, f() {}, g: [() => 1, 2] });
  assert.equal(callBuiltin(h, jsonStatic('stringify'), undefined, [withFns]), '{"a":1,"g":[null,2]}');
  assert.equal(callBuiltin(h, jsonStatic('stringify'), undefined, [toRuntime(() => 1)]), undefined);
  assert.equal(callBuiltin(h, jsonStatic('stringify'), undefined, [new ErrorValue('TypeError', 'x')]), '{}');
  assert.equal(callBuiltin(h, jsonStatic('stringify'), undefined, [{ e: new ErrorValue('Error', 'x'), m: getGlobal('Math'), s: getGlobal('String') }]), '{"e":{},"m":{}}');
});

test('JSON.stringify with property lists: __proto__ reaches Object.prototype, Math lists its own statics', () => {
  const h = makeHost();
  const stringify = (...a: unknown[]) => callBuiltin(h, jsonStatic('stringify'), undefined, a);
  const parsed = JSON.parse('{"a":1,"__proto__":{"b":2}}') as unknown;
  const cases: [unknown, unknown, unknown][] = [
    [{}, ['a', 'b', '__proto__'], undefined],
    [{ a: 1, b: { a: 2 } }, ['a', 'b', '__proto__'], 2],
    [[{ a: 1 }], ['__proto__', 'toString', 'constructor', 'hasOwnProperty'], undefined],
    [parsed, ['a', '__proto__', 'b'], undefined],
    [{ m: 'MATH', a: 'MATH' }, ['m', 'PI', 'E', 'max', '__proto__', 'toString', 'nope'], '\t'],
  ];
  for (const [v, list, space] of cases) {
    const nat = JSON.parse(JSON.stringify(v).replace(/"MATH"/g, '{"x":1}')) as Record<string, unknown>;
    if ((v as Record<string, unknown>).m === 'MATH') { nat.m = Math; nat.a = Math; }
    const ours = toRuntime(v) as Record<string, unknown>;
    if (ours.m === 'MATH') { ours.m = getGlobal('Math'); ours.a = getGlobal('Math'); }
    const oursOut = stringify(v === parsed ? parsed : ours, list, space);
    assert.equal(oursOut, JSON.stringify(v === parsed ? parsed : nat, list as string[], space as string), JSON.stringify(list));
  }
  assert.throws(() => stringify(new ErrorValue('Error', 'x'), ['name']), unsupportedOn('JSON.stringify'));
});

test('JSON.parse agrees with Node, with and without revivers, and through another realm', () => {
  const stats: DiffStats = { equal: 0, aborted: 0 };
  const texts = fc.oneof(
    jsonValue.map((s) => { try { return JSON.stringify(toPlain(s)) ?? '1'; } catch { return '1'; } }),
    fc.constantFrom('', '{', '{"a":}', '[1,]', 'tru', '"\\u12"', '01', '1e', '-', '{"a":1,"a":2}', '{"__proto__":1}', ' [1 , 2 ] ', '"\ud800"', 'NaN', '{"a":[{"b":null}]}'),
    str,
  );
  const revivers: Record<string, ((k: string, v: unknown) => unknown) | undefined> = {
    none: undefined,
    double: (_k, v) => (typeof v === 'number' ? v * 2 : v),
    dropB: (k, v) => (k === 'b' ? undefined : v),
    keys: (k, v) => (k === '' ? v : `${k}:${typeOf(v)}`),
  };
  fc.assert(fc.property(texts, fc.constantFrom(...Object.keys(revivers)), (text, rname) => {
    const rev = revivers[rname];
    differential([{ k: 'prim', v: text }],
      (h, [t], log) => callBuiltin(h, jsonStatic('parse'), undefined, rev ? [t, toRuntime(logged(rev as (...a: unknown[]) => unknown, log))] : [t]),
      ([t], log) => JSON.parse(t as string, rev ? logged(rev as (...a: unknown[]) => unknown, log) as (k: string, v: unknown) => unknown : undefined),
      stats, (r, d) => isUnsupported(r, d, 'JSON.parse'));
  }), { numRuns: 1000 });
  assert.ok(stats.equal > 900);
  const realm = makeHost({ realm: true });
  const parsed = callBuiltin(realm, jsonStatic('parse'), undefined, ['{"a":[1,{"b":2}],"c":"d"}']);
  assert.equal(callBuiltin(realm, jsonStatic('stringify'), undefined, [parsed]), '{"a":[1,{"b":2}],"c":"d"}');
  assert.deepEqual(callBuiltin(realm, objectStatic('keys'), undefined, [parsed]), ['a', 'c']);
  assert.equal(callMethod(realm, (parsed as { a: unknown[] }).a, 'join', ['|']), '1|[object Object]');
});

function toPlain(s: Spec): unknown {
  switch (s.k) {
    case 'prim': return s.v;
    case 'arr': return s.items.map(toPlain);
    case 'obj': return Object.fromEntries(s.entries.map(([k, v]) => [k, toPlain(v)]));
    case 'hook': return toPlain(s.ret);
  }
}
