// Async generators against Node: every case logs its results interleaved with a ticker's promise
// jobs, so that the number of jobs each request, yield, await and return takes is compared too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../src/compiler/index.ts';
import { createInstance, loadCompiled } from '../../src/accelerator/index.ts';
import { traceLocally } from '../../src/tracer/local.ts';
import { accelerate, agreeInOrder, assertAbortsNaming, compileSource, raw, recordingIO } from './helpers.ts';

const wrap = (body: string) => `const c = require('containerless');
c.listen(async function (req) {
  const log = [];
  const tick = (n) => { let p = Promise.resolve(); for (let i = 1; i <= n; i++) p = p.then(() => log.push('t' + i)); return p; };
  const show = (r) => log.push(JSON.stringify(r));
  const fail = (e) => log.push('rejected ' + (e && e.message !== undefined ? e.message : e));
  try {
${body}
  } catch (e) { log.push('caught ' + (e && e.name) + ': ' + (e && e.message)); }
  await tick(8);
  c.respond(log);
});`;

const CASES: Array<[string, string]> = [
  ['next, yield and return, in job order', `async function* g(x) { log.push('start'); yield 1; yield Promise.resolve(2); const y = await x; log.push('y' + y); return 3; }
    const it = g(Promise.resolve('a'));
    log.push(typeof it + ' ' + Object.prototype.toString.call(it));
    tick(10);
    it.next().then(show); it.next().then(show); it.next().then(show); it.next().then(show);
    await it.next().then(show);`],
  ['requests queue while the body awaits', `async function* g() { for (let i = 0; i < 3; i++) { await null; yield i; } }
    const it = g();
    tick(12);
    const all = await Promise.all([it.next(), it.next(), it.next(), it.next()]);
    log.push(JSON.stringify(all));`],
  ['return(v) at a yield runs finally, awaits v', `async function* g() { try { yield 1; yield 2; } finally { log.push('fin'); await null; log.push('fin2'); } }
    const it = g();
    tick(10);
    await it.next().then(show);
    it.return(Promise.resolve('r')).then(show);
    await it.next().then(show);`],
  ['return and throw before start, and after the end', `async function* g() { log.push('never'); yield 1; }
    tick(8);
    const a = g(); a.return(Promise.resolve(7)).then(show); a.next().then(show);
    const b = g(); b.throw(new Error('early')).then(show, fail); b.next().then(show);
    await null;
    b.return(4).then(show);`],
  ['throw(e) at a yield is caught inside', `async function* g() { while (true) { try { yield 'w'; } catch (e) { log.push('in ' + e.message); yield 'after'; return 'end'; } } }
    const it = g();
    tick(8);
    await it.next().then(show);
    it.throw(new RangeError('boom')).then(show);
    it.next().then(show);
    await it.next().then(show);`],
  ['a rejected yield operand throws at the yield; an error out of the body rejects', `async function* g() { try { yield Promise.reject(new Error('no')); } catch (e) { log.push('c ' + e.message); } throw new TypeError('out'); }
    const it = g();
    tick(8);
    it.next().then(show, fail);
    await it.next().then(show, fail);
    await it.next().then(show, fail);`],
  ['for await over an async generator; break calls return', `async function* g() { try { for (let i = 0; ; i++) yield i; } finally { log.push('closed'); } }
    tick(12);
    for await (const v of g()) { log.push('v' + v); if (v === 2) break; }
    log.push('after');`],
  ['for await: a throw in the body closes it; an async generator as an expression', `const g = async function* () { try { yield 'a'; yield 'b'; } finally { log.push('closed'); } };
    tick(8);
    try { for await (const v of g()) { log.push(v); throw new Error('body'); } } catch (e) { log.push('c ' + e.message); }
    async function* nums(n) { for await (const x of [1, Promise.resolve(2)]) yield x * n; }
    for await (const v of nums(10)) log.push('n' + v);`],
  ['an object method that does not use this; a generator used after it finished', `const o = { async *m(n) { yield n; yield n + 1; } };
    const it = o.m(3);
    for await (const v of it) log.push('m' + v);
    tick(4);
    it.next().then(show); it.return(Promise.resolve('late')).then(show); it.throw(new Error('done')).then(show, fail);`],
  ['receivers: methods using this, arguments, a class method, a named expression naming itself', `const o = { k: 'o', async *m() { yield this.k; yield arguments.length; } };
    class C { constructor() { this.k = 'c'; } async *vals(n) { for (let i = 0; i < n; i++) yield this.k + i; } static async *s() { yield 's'; } }
    const down = async function* d(n) { if (n > 0) { yield n; for await (const v of d(n - 1)) yield v; } };
    tick(6);
    for await (const v of o.m(1, 2)) log.push(v);
    for await (const v of new C().vals(2)) log.push(v);
    for await (const v of C.s()) log.push(v);
    for await (const v of down(3)) log.push('d' + v);`],
];

agreeInOrder('async generators', CASES, wrap);

const DELEGATION: Array<[string, string]> = [
  ['yield* an async generator: values, its return value, in job order', `async function* inner() { log.push('in'); yield 1; await null; yield Promise.resolve(2); return 'r'; }
    async function* outer() { const r = yield* inner(); log.push('ret ' + r); yield 3; return 'o'; }
    const it = outer();
    tick(14);
    it.next().then(show); it.next().then(show); it.next().then(show);
    await it.next().then(show);
    await it.next().then(show);`],
  ['yield* sync iterables through async-from-sync: arrays, strings, Maps, Sets, generators', `function* sg() { const x = yield 'a'; log.push('sent ' + x); return 'sr'; }
    async function* outer() {
      yield* [1, Promise.resolve(2)];
      yield* 'hé';
      yield* new Map([['k', 1]]);
      yield* new Set([5]);
      log.push('got ' + (yield* sg()));
    }
    tick(30);
    const it = outer();
    for (let i = 0; i < 8; i++) it.next(i).then(show);
    await it.next().then(show);`],
  ['yield* a user async iterator: next receives the sent values; a promise value is not awaited', `const src = { [Symbol.asyncIterator]() { let i = 0; return { next(v) { log.push('next ' + arguments.length + ' ' + v); return i < 2 ? { value: i++, done: false } : Promise.resolve({ value: 'end', done: true }); } }; } };
    async function* outer() { const r = yield* src; log.push('r ' + r); }
    tick(10);
    const it = outer();
    it.next('a').then(show); it.next('b').then(show); await it.next('c').then(show);
    const th = { then(f) { log.push('then called'); f('T'); } };
    const p = { [Symbol.asyncIterator]() { return { next() { return { value: th, done: false }; } }; } };
    async function* o2() { yield* p; }
    const r = await o2().next();
    log.push(r.value === th);`],
  ['return(v) reaches the inner: its finally runs, then the outer one', `async function* inner() { try { yield 1; yield 2; } finally { log.push('inner fin'); await null; } }
    async function* outer() { try { yield* inner(); } finally { log.push('outer fin'); } }
    tick(12);
    const it = outer();
    await it.next().then(show);
    it.return(Promise.resolve('R')).then(show);
    await it.next().then(show);`],
  ['return(v) into an inner that yields in its finally; into arrays; into a user iterator with and without return', `async function* inner() { try { yield 1; } finally { yield 'from finally'; } }
    async function* outer() { try { yield* inner(); } finally { log.push('fin'); } }
    tick(20);
    const it = outer();
    await it.next().then(show);
    it.return('x').then(show); it.next().then(show);
    async function* arr() { try { yield* [1, 2]; } finally { log.push('arr fin'); } }
    const a = arr(); await a.next(); a.return('y').then(show);
    const th = { then(f) { log.push('then called'); f('T'); } };
    const withRet = { [Symbol.asyncIterator]() { return { next() { return { value: 1, done: false }; }, return(v) { log.push('ret ' + v); return { value: th, done: true }; } }; } };
    async function* u() { try { yield* withRet; } finally { log.push('u fin'); } }
    const b = u(); await b.next(); await b.return('z').then((r) => log.push(r.value === th));
    const noRet = { [Symbol.asyncIterator]() { return { next() { return { value: 1, done: false }; } }; } };
    async function* w() { try { yield* noRet; } finally { log.push('w fin'); } }
    const c = w(); await c.next(); await c.return(Promise.resolve('pv')).then(show);`],
  ['throw(e) reaches the inner: caught there, caught outside, no throw method', `async function* inner() { try { yield 1; } catch (e) { log.push('inner caught ' + e); yield 'recovered'; } return 'done'; }
    async function* outer() { const r = yield* inner(); log.push('r ' + r); try { yield* [7, 8]; } catch (e) { log.push('array threw ' + e); } }
    tick(20);
    const it = outer();
    await it.next().then(show);
    it.throw('boom').then(show); it.next().then(show); it.next().then(show);
    it.throw('again').then(show, fail);
    await it.next().then(show);
    const noThrow = { [Symbol.asyncIterator]() { return { next() { return { value: 1, done: false }; }, return() { log.push('closed ' + arguments.length); return { done: true }; } }; } };
    async function* o2() { try { yield* noThrow; } catch (e) { log.push(e.name + ': ' + e.message); } }
    const b = o2(); await b.next(); await b.throw('x').then(show);`],
  ['errors: not iterable, bad results, a rejected next, a throwing inner', `const cases = [5, undefined, {}, { [Symbol.asyncIterator]() { return 5; } }, { [Symbol.asyncIterator]() { return {}; } },
      { [Symbol.asyncIterator]() { return { next() { return 5; } }; } },
      { [Symbol.asyncIterator]() { return { next() { return Promise.reject(new Error('rej')); } }; } },
      (async function* () { throw new RangeError('inner'); })()];
    tick(12);
    for (const v of cases) {
      async function* o() { yield* v; }
      await o().next().then(show, fail);
    }`],
  ['queued requests while delegating, for await over a delegating generator, nested delegation', `async function* leaf(n) { for (let i = 0; i < n; i++) yield i; return n; }
    async function* mid() { const a = yield* leaf(2); yield 'a' + a; return yield* leaf(1); }
    async function* top() { log.push('top ' + (yield* mid())); }
    tick(20);
    const it = top();
    const all = await Promise.all([it.next(), it.next(), it.next(), it.next(), it.next()]);
    log.push(JSON.stringify(all));
    for await (const v of top()) log.push('v' + v);
    const self = { async *[Symbol.asyncIterator]() { yield 'own'; } };
    async function* viaSelf() { yield* self; }
    for await (const v of viaSelf()) log.push(v);
    for await (const v of self) log.push('fa ' + v);`],
  ['throw into a sync generator through async-from-sync; requests queued while the inner awaits; break closes the inner', `function* sg() { try { yield 's1'; } catch (e) { log.push('sg caught ' + e); yield 's2'; } finally { log.push('sg fin'); } }
    async function* o1() { yield* sg(); }
    tick(24);
    const a = o1();
    await a.next().then(show);
    a.throw('T').then(show); a.next().then(show);
    async function* slow() { try { await null; await null; yield 'slow'; yield 'never'; } finally { log.push('slow fin'); } }
    async function* o2() { try { yield* slow(); } finally { log.push('o2 fin'); } }
    const b = o2();
    b.next().then(show); b.return('early').then(show); b.next().then(show);
    await null;
    async function* o3() { yield* slow(); }
    for await (const v of o3()) { log.push('got ' + v); break; }
    log.push('after break');`],
  ['throw() into a user sync iterable without throw rejects with the value; the inner stays open', `const mk = (extra) => ({ [Symbol.iterator]() { let i = 0; return { next() { log.push('next ' + i); return { value: i++, done: false }; }, return(v) { log.push('return ' + arguments.length); return { done: true }; }, ...extra }; } });
    async function* o(src) { try { yield* src; } catch (e) { log.push('caught ' + e); yield 'after'; } finally { log.push('fin'); } }
    tick(24);
    const a = o(mk({}));
    await a.next().then(show);
    a.throw('boom').then(show, fail); a.next().then(show);
    await a.next().then(show);
    const b = o(mk({ throw: null }));
    await b.next().then(show);
    await b.throw(new Error('e2')).then(show, fail);
    async function* bare(src) { yield* src; }
    const d = bare(mk({ return: undefined }));
    await d.next().then(show);
    d.throw('out').then(show, fail);
    await d.next().then(show);
    const e = bare([1, 2]);
    await e.next().then(show);
    await e.throw('arr').then(show, fail);`],
  ['getters on inner results run in order: done, then value', `const src = { [Symbol.asyncIterator]() { let i = 0; return { next() { i++; return { get done() { log.push('done ' + i); return i > 1; }, get value() { log.push('value ' + i); return i; } }; } }; } };
    async function* o() { log.push('r ' + (yield* src)); }
    tick(8);
    for await (const v of o()) log.push('v' + v);`],
];

agreeInOrder('async yield*', DELEGATION, wrap);

const METHOD_VALUES: Array<[string, string]> = [
  ['next, return and throw as values: called with call, bind, passed around, shared', `async function* g() { try { yield 1; yield 2; } finally { log.push('fin'); } }
    const it = g();
    const n = it.next;
    log.push(n.name + n.length + ' ' + it.return.name + it.return.length + ' ' + it.throw.name + it.throw.length + ' ' + (n === g().next) + ' ' + typeof n);
    tick(10);
    n.call(it).then(show);
    const bound = n.bind(it);
    bound().then(show);
    const step = (f, ...a) => f.apply(it, a);
    step(it.return, 'r').then(show);
    await it.throw.call(it, new Error('late')).then(show, fail);`],
  ['a method value on a wrong receiver rejects with V8 TypeError', `async function* g() { yield 1; }
    const { next } = g();
    tick(6);
    next().then(show, fail);
    next.call(5).then(show, fail);
    g().return.call(null).then(show, fail);
    await g().throw.call(true, 'x').then(show, fail);`],
  ['a method value on a plain object, a class instance, a string rejects naming the receiver', `async function* g() { yield 1; }
    const { next } = g();
    class K {} class L extends K {}
    tick(8);
    next.call({}).then(show, fail);
    g().return.call(new K(), 1).then(show, fail);
    g().throw.call(new L(), 1).then(show, fail);
    next.call('s').then(show, fail);
    next.call(Object.create(null)).then(show, fail);
    await next.call([]).then(show, fail);`],
  ['[Symbol.asyncIterator]() returns the generator; a user iterable hands one out', `async function* g() { yield 'a'; yield 'b'; }
    const it = g();
    log.push(it[Symbol.asyncIterator]() === it);
    const wrapper = { [Symbol.asyncIterator]() { return it[Symbol.asyncIterator](); } };
    tick(8);
    for await (const v of wrapper) log.push(v);
    async function* outer() { yield* { [Symbol.asyncIterator]: () => g()[Symbol.asyncIterator]() }; }
    for await (const v of outer()) log.push('o' + v);`],
];

agreeInOrder('async generator methods as values', METHOD_VALUES, wrap);

test('an async generator compiles to rt.agfn, its yield to rt.agy, its yield* to rt.agdel', () => {
  const code = compileSource(wrap('async function* g() { yield 1; await 2; yield* [4]; return 3; } for await (const v of g()) log.push(v);'));
  assert.match(code, /\(yield rt\.agdel\(/);
  assert.match(code, /rt\.agfn\("g", 0, function\* \(/);
  assert.match(code, /\(yield rt\.agy\(1\)\)/);
  assert.match(code, /return \(yield 3\);/);
});

test('an async generator is traced (no Unsupported node), compiled, and answers as Node does', async () => {
  const src = wrap(`async function* g() { yield 1; yield 2; } async function* h() { yield* g(); yield* [3]; } for await (const v of h()) log.push(v);`);
  const { tree, responses } = await traceLocally(src, [raw()], recordingIO());
  assert.ok(!JSON.stringify(tree.program).includes('"Unsupported"'));
  const inst = createInstance(loadCompiled(compile(tree).code), { io: recordingIO(), log() {} });
  const r = await inst.handle(raw(), { timeoutMs: 1000 });
  assert.equal(r.kind, 'response', JSON.stringify(r));
  assert.equal(r.kind === 'response' && r.response.body, responses[0]!.body);
});

test("compiled code cannot reach an async generator's record: writes and its prototype's members abort", async () => {
  const prefix = `const c = require('containerless'); async function* g() { yield 1; }\n`;
  await assertAbortsNaming(prefix, [
    ['const it = g(); it.queue = 1', 'unsupported:value', 'property-write-on-function-or-builtin'],
    ['const it = g(); const n = it.next; n.call(() => 1)', 'unsupported:builtin', 'AsyncGenerator.prototype.next'],
    ['const it = g(); it[Symbol.asyncIterator]', 'unsupported:value', 'symbol-key'],
    ['const it = g(); Object.getPrototypeOf(it)', 'unsupported:builtin', /^Object\.getPrototypeOf/],
    ['const it = g(); it.constructor', 'AsyncGenerator.prototype.constructor'],
    ['const it = g(); it.toString()', 'AsyncGenerator.prototype.toString'],
    ['async function* d(n) { if (n > 0) yield* d(n - 1); else yield 0; } d(1e6).next()', 'stack', /^(more than \d+ nested calls|native stack exhausted)$/],
    ['async function* h() { yield* new Date(); } h().next()', 'unsupported:value', 'yield* in an async generator over a value that is neither iterable nor async iterable'],
  ]);
});

test('an endless yield* runs out of fuel or memory (its promises and results are charged), each request paid for', async () => {
  const src = `const c = require('containerless');
const forever = { [Symbol.asyncIterator]() { return { next() { return { value: 1, done: false }; } }; } };
async function* o() { yield* forever; }
c.listen(async function (req) { for await (const v of o()) {} c.respond('never'); });`;
  const r = await accelerate(src).handle(raw(), { timeoutMs: 60_000 });
  assert.ok(r.kind === 'abort' && (r.reason === 'fuel' || r.reason === 'memory'), JSON.stringify(r));
  // Fewer steps for the same work cost less: ten forwarded requests take more fuel than one.
  const used = async (n: number) => {
    const s = `const c = require('containerless');
async function* o() { yield* new Array(${n}).fill(0); }
c.listen(async function (req) { let k = 0; for await (const v of o()) k++; c.respond(String(k)); });`;
    const res = await accelerate(s).handle(raw(), { timeoutMs: 1000 });
    assert.equal(res.kind, 'response', JSON.stringify(res));
    return res.usage!.fuel;
  };
  assert.ok((await used(10)) > (await used(1)) + 9 * 3);
});
