// Array patterns with defaults, nested patterns, member targets or a rest after them, over a
// generator or a user iterable, against Node: each element is one step, its default or nested
// pattern runs before the next step, and the iterator is closed (return()) when the pattern ends
// early or throws, but not when next() itself threw. A logging iterable shows the order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith } from './helpers.ts';
import { accelerated, program, sameAsNode } from './async-helpers.ts';

// `log(n, opts)`: an iterable of 1..n that records next/return calls in `out`; `opts.throwAt` makes
// the k-th next() throw, `opts.badReturn` makes return() throw, `opts.noReturn` leaves it out.
const prelude = `
const out = [];
function log(n, opts = {}) {
  return { [Symbol.iterator]() {
    let i = 0;
    const it = { next() { i++; out.push('next' + i); if (opts.throwAt === i) throw new Error('next threw'); return i > n ? { done: true, value: 'end' } : { done: false, value: opts.values ? opts.values[0] : i }; } };
    if (!opts.noReturn) it.return = function () { out.push('return'); if (opts.badReturn) throw new Error('return threw'); return {}; };
    return it;
  } };
}
function* gen(n) { try { for (let i = 1; i <= n; i++) { out.push('yield' + i); yield i; } } finally { out.push('gen finally'); } }
function d(name, v) { out.push('default ' + name); return v; }
`;

const programs: Record<string, string> = {
  'defaults run between the steps; closed when not done': `
  const [a = d('a', 10), b = d('b', 20)] = log(1);
  out.push(a, b);
  const [x = d('x', 1), y = d('y', 2)] = log(5);
  out.push(x, y);
  const [p = d('p', 1)] = gen(3);
  out.push(p);
  const [, q = d('q', 0)] = gen(1);
  out.push(q);
  c.respond(out);`,
  'nested patterns: arrays and objects inside, each its own iterator': `
  function pairs() { return { [Symbol.iterator]() { let i = 0; return { next() { i++; out.push('outer next' + i); return i > 2 ? { done: true } : { done: false, value: log(i + 1) }; }, return() { out.push('outer return'); return {}; } }; } }; }
  const [[a, b = d('b', 0)], [c1, c2, c3 = d('c3', 9)]] = pairs();
  out.push(a, b, c1, c2, c3);
  const [{ k = d('k', 5), m }, [n] = log(0)] = [{ m: 1 }];
  out.push(k, m, n === undefined);
  function* objs() { yield { v: 1 }; yield { v: 2 }; yield { v: 3 }; }
  const [{ v: v1 }, { v: v2 = 0 }] = objs();
  out.push(v1, v2);
  c.respond(out);`,
  'rest after a default or a nested pattern takes every value left': `
  const [a = d('a', 0), ...r] = gen(4);
  out.push(a, r);
  const [[x] = [7], ...s] = gen(0);
  out.push(x, s);
  const [e = 1, ...[f, g = d('g', 3)]] = log(2);
  out.push(e, f, g);
  c.respond(out);`,
  'a default that throws closes the iterator and keeps its own error': `
  try { const [a, b = (() => { throw new Error('dflt'); })()] = log(1); out.push(a, b); } catch (e) { out.push('caught ' + e.message); }
  try { const [a = (() => { throw new Error('dflt2'); })()] = gen(0); out.push(a); } catch (e) { out.push('caught ' + e.message); }
  try { const [a, b = d('b', null).x] = log(1, { badReturn: true }); out.push(a, b); } catch (e) { out.push('caught ' + e.constructor.name); }
  try { const [[q] = 5] = log(0); out.push(q); } catch (e) { out.push('caught ' + e.constructor.name); }
  c.respond(out);`,
  'a next() that throws does not close; a throwing return() on completion propagates': `
  try { const [a, b = 1] = log(3, { throwAt: 2 }); out.push(a, b); } catch (e) { out.push('caught ' + e.message); }
  try { const [a = 0] = log(3, { badReturn: true }); out.push(a); } catch (e) { out.push('caught ' + e.message); }
  const [a = 0, b = 0] = log(3, { noReturn: true });
  out.push(a, b);
  c.respond(out);`,
  'assignments evaluate member targets in order, with the steps': `
  const o = { set x(v) { out.push('set x ' + v); }, get o() { out.push('get o'); return this; } };
  const arr = [];
  let i = 0, j;
  [o.o.x, arr[i++], j = d('j', i)] = log(2);
  out.push(JSON.stringify(arr), i, j);
  [arr[(out.push('key'), 5)] = d('five', 5), ...o.o.x] = gen(1);
  out.push(JSON.stringify(arr));
  for (const [k, v = d('v', 0)] of [log(1), gen(2)]) out.push(k + ':' + v);
  c.respond(out);`,
  'parameters and catch bindings step too': `
  function f([a, b = d('b', 2)], [c1 = 3] = gen(1)) { return [a, b, c1]; }
  out.push(f(log(1)), f(gen(4), log(0)));
  const g2 = ([x = 1, [y] = [2]]) => x + y;
  out.push(g2(gen(0)), g2(log(1)));
  try { throw gen(3); } catch ([e1, e2 = 0]) { out.push(e1, e2); }
  c.respond(out);`,
  'a generator function pattern over a generator, with yield in a default': `
  function* inner() { try { yield 1; yield 2; yield 3; } finally { out.push('inner finally'); } }
  function* outer() { const [a, b = yield 'need b'] = inner(); out.push('got', a, b); return a + b; }
  const it = outer(); out.push(JSON.stringify(it.next()), JSON.stringify(it.next()));
  function* outer2() { const [a, , b = yield 'need b'] = log(2); out.push('outer2', a, b); }
  const it2 = outer2(); out.push(JSON.stringify(it2.next()), JSON.stringify(it2.return(7)));
  const it3 = outer2(); it3.next(); try { it3.throw(new Error('in')); } catch (e) { out.push('thrown ' + e.message); }
  c.respond(out);`,
  'arrays, strings, Maps, Sets and arguments keep their answers': `
  const [a = 1, [b, c1 = 3] = [2], ...r] = [undefined, undefined, 4, 5];
  const [s1, s2 = 'z', ...sr] = 'hé';
  const [[mk, mv] = [], ...mr] = new Map([['k', 1], ['l', 2]]);
  const [x = 0, { y } = { y: 9 }] = new Set([5]);
  function args() { const [p = 1, ...q] = arguments; return [p, q]; }
  const holes = [, 2]; const [h = 'hole', h2] = holes;
  out.push(a, b, c1, r, s1, s2, sr, mk, mv, mr, x, y, args(undefined, 2, 3), h, h2);
  c.respond(out);`,
  'errors of what is not iterable': `
  const o = {}, five = 5, u = { [Symbol.iterator]: undefined };
  try { const [a = 1] = o; out.push(a); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
  try { const [a = 1] = five; out.push(a); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
  try { let q; [q = 1] = u; out.push(q); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
  for (const v of [5, null, undefined, true, {}, () => 1]) {
    try { const [[q] = v] = gen(0); out.push(q); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
    try { const [[q, r = 1]] = [v]; out.push(q, r); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
    try { const [x = 0, [q]] = log(3, { values: [v] }); out.push(x, q); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
    try { let q; [q] = v; out.push(q); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
    try { let q, r; [q, r = 1] = v; out.push(q, r); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
    try { let q; out.push(([q] = v, q)); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
    try { (function ([q = 1]) { out.push(q); })(v); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
    try { (function ([q = 1] = v) { out.push(q); })(); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
  }
  try { const [[q] = 5] = []; out.push(q); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
  try { const [[q] = null] = []; out.push(q); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
  try { const [[q] = false] = []; out.push(q); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
  c.respond(out);`,
  'inside a larger expression: call arguments, chained assignments, loop heads, arrow bodies': `
  let a, b, x, y, r;
  function f(v) { out.push('f got ' + (typeof v)); return v; }
  f([a = d('a', 1), b] = gen(3));
  out.push(a, b);
  const it = log(1);
  x = [a, [b] = [d('nested', 'n')], y = d('y', 'Y')] = it;
  out.push(x === it, a, b, y);
  let n = 0;
  for (; ([a = 0] = log(n, { values: [n] }), a < 3); n++) out.push('loop ' + a);
  const arrow = () => [a = d('arrow', 7), ...r] = gen(2);
  out.push(typeof arrow(), a, r);
  out.push(([, b = d('b', 2)] = gen(1), b), ([{ k: a } = { k: 'k' }] = log(0), a));
  const o = { set p(v) { out.push('set p ' + v); } }, arr = [];
  out.push(([o.p, arr[(out.push('key'), 0)] = d('m', 'M'), ...o.p] = log(3)) !== null, JSON.stringify(arr));
  c.respond(out);`,
  'inside an expression: a throwing default closes, a throwing next does not, this and arguments kept': `
  let a, b;
  try { f0([a, b = (() => { throw new Error('dflt'); })()] = log(2)); } catch (e) { out.push('caught ' + e.message); }
  function f0(v) { return v; }
  try { out.push(([a, b = 1] = log(3, { throwAt: 2 }), a)); } catch (e) { out.push('caught ' + e.message); }
  try { out.push(([a = 0] = log(3, { badReturn: true }), a)); } catch (e) { out.push('caught ' + e.message); }
  try { out.push(([a, b = d('b', null).x] = log(1, { badReturn: true }), a)); } catch (e) { out.push('caught ' + e.constructor.name); }
  try { out.push(([[a] = 5] = log(0), a)); } catch (e) { out.push('caught ' + e.constructor.name + ': ' + e.message); }
  try { out.push(([a = 1] = {}, a)); } catch (e) { out.push('caught ' + e.constructor.name + ': ' + e.message); }
  try { out.push(([[a], b] = gen(2), a)); } catch (e) { out.push('caught ' + e.constructor.name + ': ' + e.message); }
  const obj = { k: 'own', m() { let p, q; return ([p = this.k, q = arguments.length] = gen(0), [p, q]); } };
  out.push(obj.m(1, 2));
  class K { constructor() { this.v = 'kv'; } get pair() { let p, q; return ([p = this.v, ...q] = log(2), [p, q]); } }
  out.push(new K().pair);
  function outer() { let s; return (([s = arguments[0]] = log(0)), s); }
  out.push(outer('arg0'));
  c.respond(out);`,
  'inside an expression over arrays and strings: the same answers': `
  let a, b, r;
  out.push(([a = 1, [b] = [2], ...r] = [undefined, undefined, 3, 4], [a, b, r]));
  out.push(([a, b = 'z'] = 'h', a + b));
  out.push(([a = 0, { b } = { b: 9 }] = new Set([5]), [a, b]));
  const f = (v) => ([a = 'x', ...r] = v, r);
  out.push(f([]), f([1, 2, 3]));
  c.respond(out);`,
};

for (const [name, body] of Object.entries(programs)) {
  test(`Node's answer: ${name}`, async () => {
    await sameAsNode(program(body, prelude));
  });
}

test('a stepping pattern inside a larger expression with yield or await in it still aborts', async () => {
  const cases: string[] = [
    'function* g() { yield 1; } function* h() { let a; return ([a = yield 2] = g(), a); } c.respond([...h()]);',
    'function* g() { yield 1; } async function h() { let a; return ([a = await 2] = g(), a); } h().then((v) => c.respond(v));',
  ];
  for (const body of cases) {
    const r = await accelerated(program(body));
    assert.ok(abortedWith(r, 'unsupported:value', 'destructuring-a-generator'), `${body}: ${JSON.stringify(r)}`);
  }
  // Over an array it reads through rt.aiter as before.
  await sameAsNode(program('function* h() { let a; return ([a = yield 2] = [], a); } const it = h(); c.respond([it.next(), it.next(5)]);'));
});
