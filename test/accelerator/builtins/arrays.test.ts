import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { callBuiltin, callMethod, construct, getGlobal, getStatic, type BuiltinFunction } from '../../../src/accelerator/builtins/index.ts';
import { build, differential, params, prim, spec, type DiffStats, type Spec } from './diff.ts';
import { canon, makeHost, toRuntime, isUnsupported, unsupportedOn } from './host.ts';

type Native = Record<string, (...x: unknown[]) => unknown>;
const arrSpec = fc.array(spec, { maxLength: 6 }).map((items): Spec => ({ k: 'arr', items }));
const primArr = fc.array(prim, { maxLength: 8 }).map((xs): Spec => ({ k: 'arr', items: xs.map((v): Spec => ({ k: 'prim', v })) }));

const plainMethods = [
  'push', 'pop', 'shift', 'unshift', 'slice', 'splice', 'concat', 'join', 'reverse', 'indexOf', 'lastIndexOf',
  'includes', 'fill', 'at', 'flat', 'toString', 'toReversed', 'with', 'toSpliced', 'sort', 'toSorted',
];

const allowedPlain = (name: string) => (reason: string, detail: string) =>
  ((name === 'sort' || name === 'toSorted') && isUnsupported(reason, detail, `Array.prototype.${name}`)) ||
  (name === 'with' && isUnsupported(reason, detail, 'Array.prototype.with'));

for (const name of plainMethods) {
  test(`Array.prototype.${name} agrees with Node (result and the array after)`, () => {
    const stats: DiffStats = { equal: 0, aborted: 0 };
    fc.assert(fc.property(fc.oneof(arrSpec, primArr), fc.array(spec, { maxLength: 3 }), (recv, args) => {
      differential([recv, ...args],
        (h, [a, ...rest]) => [callMethod(h, a, name, rest), a],
        ([a, ...rest]) => [(a as Native)[name](...rest), a],
        stats, allowedPlain(name));
    }), params);
    assert.ok(stats.equal > params.numRuns / 2, `${name}: ${stats.equal} equal, ${stats.aborted} aborted`);
  });
}

// Callbacks: each logs its arguments (without the array) so the call order is compared too; some
// mutate the array while it is being iterated.
const num = (x: unknown) => (typeof x === 'number' && x === x ? x : typeof x === 'string' ? x.length : 0);
const callbacks: Record<string, (...a: unknown[]) => unknown> = {
  identity: (x) => x,
  evenIndex: (_x, i) => num(i) % 2 === 0,
  positive: (x) => typeof x === 'number' && x > 0,
  shrink: (x, i, a) => { if (i === 0 && Array.isArray(a)) a.pop(); return x; },
  grow: (x, i, a) => { if (num(i) < 2 && Array.isArray(a)) a.push(i); return typeof x; },
  pair: (x, i) => [x, i],
  nested: (x) => [[x]],
  throws: (x, i) => { if (i === 1) throw new TypeError('boom'); return x; },
  sum: (acc, x) => num(acc) + num(x),
  keep: (acc, x, i) => (num(i) % 2 ? acc : x), // callbacks never coerce objects natively
};

function logged(f: (...a: unknown[]) => unknown, log: string[]) {
  return (...a: unknown[]) => { log.push(canon(a.slice(0, 3).map((x) => (Array.isArray(x) && x.length > 8 ? 'arr' : x)))); return f(...a); };
}

const hofs = ['find', 'findIndex', 'findLast', 'findLastIndex', 'filter', 'map', 'forEach', 'some', 'every', 'reduce', 'reduceRight', 'flatMap'];

for (const name of hofs) {
  test(`Array.prototype.${name} with callbacks agrees with Node (calls, result, array after)`, () => {
    const stats: DiffStats = { equal: 0, aborted: 0 };
    fc.assert(fc.property(fc.oneof(arrSpec, primArr), fc.constantFrom(...Object.keys(callbacks)), fc.option(spec), (recv, cb, extra) => {
      const more = extra === null ? [] : [extra];
      differential([recv, ...more],
        (h, [a, ...rest], log) => [callMethod(h, a, name, [toRuntime(logged(callbacks[cb], log)), ...rest]), a],
        ([a, ...rest], log) => [(a as Native)[name](logged(callbacks[cb], log), ...rest), a],
        stats, (r, d) => name === 'map' && isUnsupported(r, d, 'Array.prototype.map'));
    }), params);
    assert.ok(stats.equal > params.numRuns / 2, `${name}: ${stats.equal} equal, ${stats.aborted} aborted`);
  });
}

// Comparator factories (one instance per side): consistent ones, inconsistent ones (stateful or
// random-looking), ones with side effects on the array being sorted, and ones returning odd values.
const comparatorFactories: Record<string, (arr: unknown[]) => (a: unknown, b: unknown) => unknown> = {
  byNum: () => (a, b) => num(a) - num(b),
  byNumDesc: () => (a, b) => num(b) - num(a),
  bySign: () => (a, b) => (num(a) > num(b) ? 1 : num(a) < num(b) ? -1 : 0),
  equal: () => () => 0,
  nan: () => () => NaN,
  asString: () => (a, b) => String(num(a) - num(b)),
  alwaysLess: () => () => -1,
  alwaysMore: () => () => 1,
  cycling: () => { let n = 0; return () => (n++ % 3) - 1; },
  hashed: () => (a, b) => ((num(a) * 7919 + num(b) * 104729) % 5) - 2,
  wrongOnTies: () => (a, b) => (num(a) < num(b) ? -1 : 1),
  pushes: (arr) => { let n = 0; return (a, b) => { if (n++ < 3) arr.push(n); return num(a) - num(b); }; },
  pops: (arr) => (a, b) => { arr.pop(); return num(a) - num(b); },
  booleans: () => (a, b) => num(a) > num(b),
};

test('sort and toSorted agree with Node call for call, for any comparator (V8\'s TimSort)', () => {
  const stats: DiffStats = { equal: 0, aborted: 0 };
  const element = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -1000, max: 1000 }), fc.constantFrom('a', 'bb', '', undefined, NaN, -0));
  const shaped = fc.oneof(
    fc.array(element, { maxLength: 80 }),
    fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 60, maxLength: 400 }),
    fc.tuple(fc.integer({ min: 50, max: 600 }), fc.integer({ min: 1, max: 40 }), fc.boolean()).map(([n, runs, rev]) =>
      Array.from({ length: n }, (_, i) => { const v = (i % runs) * 3 + Math.floor(i / runs); return rev ? -v : v; })),
  ).map((xs): Spec => ({ k: 'arr', items: xs.map((v): Spec => ({ k: 'prim', v })) }));
  fc.assert(fc.property(fc.oneof(shaped, primArr), fc.constantFrom(...Object.keys(comparatorFactories)), fc.boolean(), (recv, c, copy) => {
    const name = copy ? 'toSorted' : 'sort';
    // Tag elements with their position so stability is visible.
    const tagged: Spec = { k: 'arr', items: (recv as { items: Spec[] }).items.map((s, i) => (s.k === 'prim' && s.v === undefined ? s : { k: 'arr', items: [s, { k: 'prim', v: i }] })) };
    const make = (arr: unknown[], log: string[]) => {
      const f = comparatorFactories[c](arr);
      return (a: unknown, b: unknown) => { log.push(`${(a as unknown[])[1]}:${(b as unknown[])[1]}`); return f((a as unknown[])[0], (b as unknown[])[0]); };
    };
    differential([tagged],
      (h, [a], log) => [callMethod(h, a, name, [toRuntime(make(a as unknown[], log))]), a],
      ([a], log) => [(a as Native)[name](make(a as unknown[], log)), a],
      stats);
  }), { numRuns: 600 });
  assert.equal(stats.aborted, 0);
});

test('default sort: string order of primitives, undefined last, objects abort', () => {
  const stats: DiffStats = { equal: 0, aborted: 0 };
  fc.assert(fc.property(fc.array(fc.oneof(prim, fc.integer()), { maxLength: 120 }), (xs) => {
    differential([{ k: 'arr', items: xs.map((v): Spec => ({ k: 'prim', v })) }],
      (h, [a]) => [callMethod(h, a, 'sort', []), a], ([a]) => [(a as unknown[]).sort(), a], stats);
  }), params);
  assert.equal(stats.aborted, 0);
  assert.throws(() => callMethod(makeHost(), [{}, 1], 'sort', []), unsupportedOn('Array.prototype.sort'));
});

test('Array.from, Array.of, Array(…) and Array.isArray agree with Node', () => {
  const stats: DiffStats = { equal: 0, aborted: 0 };
  const A = getGlobal('Array') as BuiltinFunction;
  const from = getStatic(makeHost(), A, 'from') as BuiltinFunction;
  const itemsArb = fc.oneof(arrSpec, fc.string({ maxLength: 5 }).map((v): Spec => ({ k: 'prim', v })),
    fc.integer({ min: 0, max: 6 }).map((n): Spec => ({ k: 'obj', entries: [['length', { k: 'prim', v: n }], ['0', { k: 'prim', v: 'x' }], ['2', { k: 'prim', v: 2 }]] })));
  fc.assert(fc.property(itemsArb, fc.option(fc.constantFrom('pair', 'identity', 'grow')), (items, cb) => {
    differential([items],
      (h, [it], log) => callBuiltin(h, from, undefined, cb ? [it, toRuntime(logged(callbacks[cb], log))] : [it]),
      ([it], log) => (Array.from as (...a: unknown[]) => unknown)(it, ...(cb ? [logged(callbacks[cb], log)] : [])),
      stats);
  }), params);
  fc.assert(fc.property(fc.array(spec, { maxLength: 3 }), (args) => {
    differential(args, (h, a) => callBuiltin(h, getStatic(h, A, 'of') as BuiltinFunction, undefined, a), (a) => Array.of(...a), stats);
    differential(args, (h, a) => callBuiltin(h, getStatic(h, A, 'isArray') as BuiltinFunction, undefined, a), (a) => Array.isArray(a[0]), stats);
    differential(args, (h, a) => construct(h, A, a), (a) => new (Array as new (...x: unknown[]) => unknown)(...a), stats,
      (r, d) => isUnsupported(r, d, 'Array(n)'));
  }), params);
  assert.ok(stats.equal > params.numRuns * 3);
  assert.throws(() => construct(makeHost(), A, [3]), unsupportedOn('Array(n)'));
  // With a core that handles holes, new Array(n) is Node's array of n holes; fill makes it dense.
  const holey = { ...makeHost(), supportsHoles: true };
  const made = construct(holey, A, [3]) as unknown[];
  assert.equal(canon(made), canon(new Array(3)));
  assert.equal(canon(callMethod(holey, made, 'map', [toRuntime(() => 1)])), canon(new Array(3).map(() => 1)));
  assert.equal(callBuiltin(holey, getStatic(holey, getGlobal('JSON'), 'stringify') as BuiltinFunction, undefined, [made]), '[null,null,null]');
  assert.deepEqual(callMethod(holey, made, 'fill', [0]), [0, 0, 0]);
  assert.throws(() => construct(holey, A, [2 ** 32]), (e: { value?: { message?: string } }) => e.value?.message === 'Invalid array length');
  assert.deepEqual(construct(makeHost(), A, [0]), []);
});

test('join prints cycles as the empty string, as V8 does', () => {
  const a: unknown[] = [1, 2];
  a.push(a);
  const b: unknown[] = [a, 'x'];
  a.push(b);
  assert.equal(callMethod(makeHost(), a, 'join', ['-']), a.join('-'));
  assert.equal(callMethod(makeHost(), b, 'toString', []), String(b));
});

test('mutating a frozen array aborts; holes never appear', () => {
  const h = makeHost();
  const frozen = Object.freeze([3, 1, 2]);
  for (const [m, args] of [['push', [1]], ['pop', []], ['sort', []], ['reverse', []], ['fill', [0]], ['splice', [0, 1]]] as const) {
    assert.throws(() => callMethod(h, frozen, m, [...args]), unsupportedOn(`Array.prototype.${m}`), m);
  }
  const shrinking = [1, 2, 3];
  assert.throws(() => callMethod(h, shrinking, 'map', [toRuntime((x: unknown, i: number, a: unknown[]) => { if (i === 0) a.pop(); return x; })]), unsupportedOn('Array.prototype.map'));
});

test('array work is charged: fuel per element visited, memory per element made', () => {
  const h = makeHost();
  const big = Array.from({ length: 5000 }, (_, i) => i);
  callMethod(h, big, 'map', [toRuntime((x: number) => x)]);
  assert.ok(h.fuel >= 5000 && h.memory >= 5000 * 8, `fuel ${h.fuel} memory ${h.memory}`);
  const tight = makeHost({ fuel: 1000 });
  assert.throws(() => callMethod(tight, big, 'indexOf', ['nope']) && callMethod(tight, big, 'forEach', [toRuntime(() => 0)]), /fuel/);
  void build;
});

test('every array method is exact on arrays with holes too (or aborts rather than make one)', () => {
  const stats: DiffStats = { equal: 0, aborted: 0 };
  const names = [...plainMethods, ...hofs];
  fc.assert(fc.property(fc.array(fc.tuple(prim, fc.boolean()), { maxLength: 8 }), fc.constantFrom(...names), fc.array(spec, { maxLength: 2 }),
    fc.constantFrom(...Object.keys(callbacks)), (cells, name, args, cb) => {
      const recv: Spec = { k: 'arr', items: cells.map(([v]): Spec => ({ k: 'prim', v })) };
      const punch = (a: unknown[]) => { cells.forEach(([, hole], i) => { if (hole) delete a[i]; }); return a; };
      const withCb = hofs.includes(name);
      differential([recv, ...args],
        (h, [a, ...rest], log) => [callMethod(h, punch(a as unknown[]), name, withCb ? [toRuntime(logged(callbacks[cb], log)), ...rest] : rest), a],
        ([a, ...rest], log) => [(punch(a as unknown[]) as unknown as Native)[name](...(withCb ? [logged(callbacks[cb], log), ...rest] : rest)), a],
        stats, (r, d) => isUnsupported(r, d, /^Array\.prototype\.(map|slice|concat|sort|toSorted|with)$/));
    }), { numRuns: 3000 });
  assert.ok(stats.equal > 2000, `${stats.equal} equal, ${stats.aborted} aborted`);
});

test('with a core that supports holes, map, slice and concat keep them exactly as Node', () => {
  const stats: DiffStats = { equal: 0, aborted: 0 };
  fc.assert(fc.property(fc.array(fc.tuple(prim, fc.boolean()), { maxLength: 8 }), fc.constantFrom('map', 'slice', 'concat'), fc.array(spec, { maxLength: 2 }),
    (cells, name, args) => {
      const recv: Spec = { k: 'arr', items: cells.map(([v]): Spec => ({ k: 'prim', v })) };
      const punch = (a: unknown[]) => { cells.forEach(([, hole], i) => { if (hole) delete a[i]; }); return a; };
      const f = (x: unknown) => [x];
      differential([recv, ...args],
        (h, [a, ...rest]) => [callMethod({ ...h, supportsHoles: true }, punch(a as unknown[]), name, name === 'map' ? [toRuntime(f)] : [...rest, a]), a],
        ([a, ...rest]) => [(punch(a as unknown[]) as unknown as Native)[name](...(name === 'map' ? [f] : [...rest, a])), a],
        stats);
    }), { numRuns: 1000 });
  assert.equal(stats.aborted, 0);
});
