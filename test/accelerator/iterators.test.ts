// The rest of the iterator protocol, against Node: yield* (values, its result, next/return/throw
// forwarded during delegation, errors), array patterns without a rest that close the iterator, and
// user iterators that are not generators (for…of, spread, Array.from, patterns; return() on early
// exits), each with the order of side effects (logs inside next/return/finally).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith } from './helpers.ts';
import { accelerated, program, sameAsNode } from './async-helpers.ts';

const programs: Record<string, string> = {
  'yield* over generators, arrays, strings, Maps and Sets; its value is the inner return value': `
  const out = [];
  function* inner(n) { try { for (let i = 0; i < n; i++) { const got = yield 'i' + i; if (got !== undefined) out.push('inner got ' + got); } return 'inner-done'; } finally { out.push('inner finally'); } }
  function* outer() { const r = yield* inner(2); out.push('r=' + r); yield* [1, 2]; yield* 'hé'; const a = yield* new Map([['k', 1]]); out.push('a=' + a); yield* new Set([7]); yield* new Map([['x', 2]]).keys(); return 'outer-done'; }
  out.push(JSON.stringify([...outer()]));
  const it = outer();
  out.push(JSON.stringify(it.next()), JSON.stringify(it.next('A')), JSON.stringify(it.next('B')), JSON.stringify(it.next()));
  c.respond(out);`,
  'return() and throw() during delegation reach the inner generator': `
  const out = [];
  function* inner() { try { yield 1; yield 2; } catch (e) { out.push('inner caught ' + e); yield 'recovered'; } finally { out.push('inner finally'); } return 'ret'; }
  function* outer() { try { const v = yield* inner(); out.push('v=' + v); yield 'after'; } finally { out.push('outer finally'); } }
  const a = outer(); a.next(); out.push(JSON.stringify(a.return(9)), JSON.stringify(a.next()));
  const b = outer(); b.next(); out.push(JSON.stringify(b.throw('boom')), JSON.stringify(b.next()), JSON.stringify(b.next()));
  const d = outer(); d.next(); d.next();
  try { d.throw(new Error('through')); } catch (e) { out.push('outer threw ' + e.message); }
  out.push(JSON.stringify(d.next()));
  for (const x of outer()) { out.push('x ' + x); break; }
  c.respond(out);`,
  'a recursive tree walker with yield*': `
  const tree = { v: 1, kids: [{ v: 2, kids: [{ v: 3, kids: [] }] }, { v: 4, kids: [] }] };
  function* walk(n, depth) { yield n.v + '@' + depth; for (const k of n.kids) yield* walk(k, depth + 1); }
  function* paged(pages) { let total = 0; for (const p of pages) total += yield* p; return total; }
  function* page(items) { for (const i of items) yield i; return items.length; }
  const it = paged([page([1, 2]), page([]), page([3])]);
  const seen = []; let r; while (!(r = it.next()).done) seen.push(r.value);
  class Tree { constructor(v, kids = []) { this.v = v; this.kids = kids; } *[Symbol.iterator]() { yield this.v; for (const k of this.kids) yield* k; } *pairs() { const n = yield* this; return n; } }
  const t = new Tree('a', [new Tree('b', [new Tree('c')]), new Tree('d')]);
  const named = function* visit(n) { yield n.v; for (const k of n.kids) yield* visit(k); };
  seen.push([...t].join(''), [...t.pairs()].join(''), [...named(t)].join(''));
  c.respond({ walk: [...walk(tree, 0)], seen, total: r.value, max: Math.max(...walk({ v: 5, kids: [] }, 0).next().value.split('@').map(Number)) });`,
  'yield* errors: not iterable, an exception inside the inner generator': `
  const out = [];
  function* bad(x) { yield* x; }
  for (const v of [undefined, null, 5, true, {}]) { try { bad(v).next(); } catch (e) { out.push(e.name + ': ' + e.message); } }
  function* bad2(o) { yield* o.items; }
  try { bad2({}).next(); } catch (e) { out.push(e.message); }
  function* thrower() { yield 1; throw new RangeError('deep'); }
  function* wrap() { try { yield* thrower(); } catch (e) { yield 'caught ' + e.message; } }
  out.push([...wrap()].join());
  c.respond(out);`,
  'throw() into yield* over an iterator without throw: closed, then a TypeError': `
  const out = [];
  const mk = (ret) => ({ [Symbol.iterator]() { return { next() { out.push('next'); return { value: 1, done: false }; }, ...ret }; } });
  const inners = [[1, 2], 'ab', new Map([[1, 2]]), new Set([1]), mk({}), mk({ return() { out.push('return ' + arguments.length); return {}; } }),
    mk({ return() { throw new RangeError('from return'); } }), mk({ throw: undefined, return: null })];
  for (const inner of inners) {
    function* g() { try { yield* inner; } catch (e) { out.push('caught ' + e.name + ': ' + e.message); yield 'after'; } finally { out.push('fin'); } }
    const it = g(); it.next();
    out.push(JSON.stringify(it.throw('x')), JSON.stringify(it.next()));
  }
  c.respond(out);`,
  'array patterns without a rest close the generator after the last name': `
  const out = [];
  function* g(n) { try { for (let i = 0; i < n; i++) { out.push('yield ' + i); yield i; } } finally { out.push('finally ' + n); } }
  const [a, b] = g(5); out.push(a + ',' + b);
  const [x, , z] = g(5); out.push(x + ',' + z);
  const [p, q, r] = g(2); out.push(String(p) + String(q) + String(r));
  const [] = g(3);
  let m, n; [m, n] = g(4); out.push(m + n);
  function f([u, v]) { return u * v; }
  out.push(f(g(9)));
  const [only] = new Set([1, 2]); out.push(only);
  c.respond(out);`,
  'a throwing return() or finally while closing a pattern propagates': `
  const out = [];
  function* g() { try { yield 1; yield 2; } finally { throw new Error('from finally'); } }
  try { const [a] = g(); out.push(a); } catch (e) { out.push(e.message); }
  const it = { [Symbol.iterator]() { return { next() { return { value: 1, done: false }; }, return() { out.push('return called'); throw new TypeError('from return'); } }; } };
  try { const [a] = it; out.push(a); } catch (e) { out.push(e.name + ' ' + e.message); }
  c.respond(out);`,
  'user iterators that are not generators': `
  const out = [];
  function counter(n) {
    let i = 0;
    return { [Symbol.iterator]() { out.push('iter'); return { next() { out.push('next ' + i); return i < n ? { value: i++, done: false } : { value: 'end', done: true }; }, return(v) { out.push('return ' + v); return { done: true }; } }; } };
  }
  for (const x of counter(2)) out.push('x' + x);
  for (const x of counter(5)) { if (x === 1) break; out.push('b' + x); }
  out.push(JSON.stringify([...counter(3)]), JSON.stringify(Array.from(counter(2), (v) => v * 10)));
  const [a, b] = counter(4); out.push(a + b);
  const [h, ...t] = counter(3); out.push(h, t.length);
  function first() { for (const x of counter(3)) { if (x === 1) return x; } }
  out.push(first());
  try { for (const x of counter(3)) { if (x === 1) throw new Error('out'); } } catch (e) { out.push(e.message); }
  const self = { i: 0, [Symbol.iterator]() { return this; }, next() { return this.i < 2 ? { value: this.i++ } : { done: true }; } };
  out.push([...self].join());
  class Range { constructor(a, b) { this.a = a; this.b = b; } [Symbol.iterator]() { return new RangeIt(this.a, this.b); } }
  class RangeIt { constructor(a, b) { this.a = a; this.b = b; } next() { return this.a < this.b ? { value: this.a++, done: false } : { value: undefined, done: true }; } }
  out.push([...new Range(1, 4)].join(), Array.from(new Range(0, 2)).join());
  function* viaDelegate() { const r = yield* counter(2); out.push('r ' + r); }
  out.push([...viaDelegate()].join());
  const inMap = { [Symbol.iterator]() { return new Map([[1, 'a']]).entries(); } };
  out.push(JSON.stringify([...inMap]));
  c.respond(out);`,
  'Map, Set, WeakMap and WeakSet constructors and Object.fromEntries over generators, Maps and user iterables': `
  const out = [];
  function* pairs() { try { yield ['a', 1]; yield ['b', 2]; } finally { out.push('pairs closed'); } }
  const m = new Map(pairs());
  const s = new Set({ [Symbol.iterator]() { let i = 0; return { next: () => (i < 3 ? { value: i++ % 2, done: false } : { done: true }) }; } });
  const k1 = {}, k2 = {};
  function* keys() { yield k1; yield k2; }
  const ws = new WeakSet(keys());
  const wm = new WeakMap((function* () { yield [k1, 'one']; })());
  out.push(JSON.stringify([...m]), JSON.stringify([...s]), ws.has(k2), wm.get(k1));
  out.push(JSON.stringify(Object.fromEntries(m)), JSON.stringify(Object.fromEntries(pairs())), JSON.stringify(Object.fromEntries(new Map([['x', 1]]).entries())));
  try { Object.fromEntries((function* () { try { yield ['ok', 1]; yield 5; } finally { out.push('closed'); } })()); } catch (e) { out.push(e.name + ': ' + e.message); }
  c.respond(out);`,
  '[Symbol.iterator]() called directly, and user iterables handing out another iterator': `
  const out = [];
  const o = { *[Symbol.iterator]() { yield 1; } };
  const it = o[Symbol.iterator]();
  out.push(JSON.stringify(it.next()), it[Symbol.iterator]() === it);
  const a = [1, 2], ai = a[Symbol.iterator]();
  out.push(JSON.stringify(ai.next()), ai[Symbol.iterator]() === ai, JSON.stringify([...ai]));
  out.push(JSON.stringify([...new Map([[1, 2]])[Symbol.iterator]()]), JSON.stringify([...new Set([3])[Symbol.iterator]()]));
  class List { constructor() { this.items = ['x', 'y']; this.byId = new Map([['k', 'v']]); } [Symbol.iterator]() { return this.items[Symbol.iterator](); } entries() { return { [Symbol.iterator]: () => this.byId[Symbol.iterator]() }; } }
  const l = new List();
  out.push([...l].join(), JSON.stringify([...l.entries()]), Array.from(l).length);
  for (const x of l) { out.push(x); break; }
  const [p] = l; out.push(p);
  c.respond(out);`,
  'Promise combinators over generators, Maps, Sets and user iterables': `
  const out = [];
  function* jobs() { try { for (let i = 0; i < 3; i++) { out.push('step ' + i); yield i === 1 ? Promise.resolve('p' + i) : i; } } finally { out.push('jobs closed'); } }
  const all = Promise.all(jobs());
  out.push('after all');
  const m = new Map([['a', Promise.resolve(1)], ['b', 2]]);
  const own = { [Symbol.iterator]() { let i = 0; return { next: () => (i < 2 ? { value: Promise.reject(new Error('no ' + i++)), done: false } : { done: true }) }; } };
  Promise.all([all, Promise.all(m.values()), Promise.race(new Set([Promise.resolve('r'), 1])), Promise.allSettled(own), Promise.any(jobs()), Promise.all(new Map([[1, 2]]))])
    .then((v) => { out.push(JSON.stringify(v, (k, x) => (x instanceof Error ? x.message : x))); c.respond(out); });`,
  'logs inside next, return and finally, in order, on early exits and throws': `
  function counter(tag, n) {
    return { [Symbol.iterator]() { console.log(tag, 'open'); let i = 0; return { next() { console.log(tag, 'next', i); return { value: i, done: i++ >= n }; }, return() { console.log(tag, 'return'); return {}; } }; } };
  }
  function* gen(tag) { try { console.log(tag, 'start'); yield 1; console.log(tag, 'after 1'); yield 2; } finally { console.log(tag, 'finally'); } }
  function* outer() { try { yield* counter('deleg', 3); yield* gen('inner'); } finally { console.log('outer finally'); } }
  for (const x of counter('loop', 5)) { if (x === 1) break; }
  const [a] = gen('pattern');
  const [b, c2] = counter('pat2', 1);
  try { for (const x of gen('thrown')) throw new Error('stop ' + x); } catch (e) { console.log(e.message); }
  const o = outer(); o.next(); o.next(); console.log(JSON.stringify(o.return('early')));
  const p = outer(); for (let i = 0; i < 4; i++) p.next();
  try { p.throw(new Error('into inner')); } catch (e) { console.log('caught', e.message); }
  c.respond([a, b, c2]);`,
  "yield* hands a user iterator's own result objects on unchanged": `
  const mine = { value: 5, extra: 'kept' };
  const end = { done: 1, value: 'fin', other: true };
  let calls = 0;
  const it = { [Symbol.iterator]() { return { next() { return ++calls === 1 ? mine : calls === 2 ? { value: 6 } : end; }, return(v) { return { done: true, value: 'closed ' + v, why: 'return' }; } }; } };
  function* g() { const r = yield* it; return r; }
  const a = g(), first = a.next();
  const b = g(); b.next();
  c.respond([first === mine, first, a.next(), a.next(), b.return('x'), [...g()]]);`,
  'arguments objects are iterable': `
  function f() { const [a, b] = arguments; const [x = 0, ...more] = arguments; const [y = 9] = arguments; const out = [a + b, x, more.length, y, [...arguments].join(), Array.from(arguments).length, [...new Set(arguments)].length];
    for (const v of arguments) out.push(v); function* g() { yield* arguments; } return out; }
  function h() { function* g(args) { yield* args; } return [...g(arguments)]; }
  c.respond([f(1, 2, 2), f(), h('p', 'q')]);`,
};

for (const [name, body] of Object.entries(programs)) {
  test(`Node's answer: ${name}`, async () => {
    await sameAsNode(program(body));
  });
}

test('what the iterator protocol does that is not modelled aborts', async () => {
  const cases: [string, string | RegExp][] = [
    ['function* g() { yield 1; } function* h() { let a; c.respond(([a = yield 2] = g(), a)); } h().next();', 'destructuring-a-generator'],
    ['const it = { [Symbol.iterator]() { return { next() { return 1; } }; } }; c.respond([...it]);', 'iterator result that is not a plain object'],
    ['const it = { [Symbol.iterator]() { return { next() { return { get done() { return true; } }; } }; } }; c.respond([...it]);', /^iterator result/],
    ['const it = { [Symbol.iterator]() { return {}; } }; c.respond([...it]);', 'iterator next that is not a function'],
    ['function* g() { yield* (0, 5); } c.respond([...g()]);', /^error-message/],
    ['try { ({})[Symbol.iterator](); } catch (e) {} c.respond(1);', /^error-message/],
    ["const u = new URLSearchParams('a=1'); c.respond([...u[Symbol.iterator]()]);", /^symbol-key/],
    ["const u = new URLSearchParams('a=1'); const [a] = u; c.respond(a);", /^iterating a URLSearchParams/],
    ["const u = new URLSearchParams('a=1'); const [a = 2] = u; c.respond(a);", /^iterating a URLSearchParams/],
    ["const h = new Headers({ a: '1' }); for (const e of h) {} c.respond(1);", /^iterating a Headers/],
    ["const h = new Headers({ a: '1' }); c.respond([...h]);", /^iterating a Headers/],
  ];
  for (const [body, what] of cases) {
    const r = await accelerated(program(body));
    assert.ok(abortedWith(r, 'unsupported:value', what), `${body}: ${JSON.stringify(r)}`);
  }
});
