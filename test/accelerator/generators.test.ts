// Generators accelerated, against Node: for…of (with break closing the generator), spread, next,
// return and throw on generator objects, values as Node shows them; what is not modelled aborts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceLocally } from '../../src/tracer/index.ts';
import { compile } from '../../src/compiler/index.ts';
import { createInstance, loadCompiled } from '../../src/accelerator/index.ts';
import { loadFunction } from '../../src/api/index.ts';
import { abortedWith, raw, recordingIO } from './helpers.ts';
import { accelerated, program, sameAsNode } from './async-helpers.ts';

const programs: Record<string, string> = {
  'for-of, break and finally, spread, next/return/throw': `
  const out = [];
  function* range(a, b) { try { for (let i = a; i < b; i++) { const got = yield i; if (got) out.push('got ' + got); } } finally { out.push('range closed'); } return 'end'; }
  for (const x of range(0, 3)) out.push(x);
  for (const x of range(0, 10)) { if (x > 1) break; out.push('b' + x); }
  out.push([...range(5, 8)].join());
  const it = range(0, 2);
  out.push(JSON.stringify(it.next()), JSON.stringify(it.next('hello')), JSON.stringify(it.next()), JSON.stringify(it.next()));
  const t = range(0, 5); t.next();
  try { t.throw(new Error('into')); } catch (e) { out.push('thrown ' + e.message); }
  out.push(JSON.stringify(t.next()));
  const r = range(0, 5); r.next(); out.push(JSON.stringify(r.return(42)));
  c.respond(out);`,
  'infinite generators, pipelines of generators, values': `
  function* fib() { let [a, b] = [0, 1]; for (;;) { yield a; [a, b] = [b, a + b]; } }
  function* take(n, it) { if (n <= 0) return; for (const v of it) { yield v; if (--n === 0) return; } }
  function* map(f, it) { for (const v of it) yield f(v); }
  const evens = [...take(5, map((x) => x * 2, fib()))];
  const g = { *items() { yield 'a'; yield 'b'; } };
  c.respond([evens, [...g.items()], typeof fib, fib.name, fib.length, String(fib()), Math.max(...take(3, fib()))]);`,
  'an exception inside a generator reaches the for-of': `
  function* bad() { yield 1; throw new RangeError('inside'); }
  const seen = [];
  try { for (const v of bad()) seen.push(v); } catch (e) { seen.push(e.name + ': ' + e.message); }
  c.respond(seen);`,
  'next, return and throw as values; a wrong receiver throws V8 TypeError': `
  function* g() { try { yield 1; yield 2; } finally { out.push('fin'); } }
  const out = [];
  const it = g();
  const n = it.next;
  out.push(n.name + n.length + it.return.name + it.throw.name, n === g().next, typeof n);
  out.push(n.call(it), n.bind(it)(), it.return.apply(it, ['r']), it[Symbol.iterator]() === it);
  for (const r of [undefined, null, 5, true]) { try { n.call(r); } catch (e) { out.push(e.name + ': ' + e.message); } }
  try { it.throw.call(0, 1); } catch (e) { out.push(e.message); }
  c.respond(out);`,
  'generator methods on a plain object, a class instance or a primitive: V8 names the receiver': `
  const out = [];
  function* g() { yield 1; }
  const { next, return: ret, throw: thr } = g();
  class K {} class L extends K {} const Anon = class {}; function F() {}
  const proto = {}; Object.create(proto);
  const recvs = [{}, { a: 1 }, new K(), new L(), new Anon(), new F(), Object.create(K.prototype), Object.create(null), proto, 'str', '', Symbol('s'), Symbol(), [1], JSON.parse('{"a":1}')];
  for (const r of recvs) for (const m of [next, ret, thr]) { try { m.call(r, 1); out.push('no error'); } catch (e) { out.push(e.name + ': ' + e.message); } }
  c.respond(out);`,
};

for (const [name, body] of Object.entries(programs)) {
  test(`Node's answer: ${name}`, async () => {
    await sameAsNode(program(body));
  });
}

test('what generators do that is not modelled aborts', async () => {
  const cases: [string, string][] = [
    ['function* g() { yield 1; yield 2; } function* h() { let a; c.respond(([a = yield 0] = g(), a)); } h().next();', 'destructuring-a-generator'],
    ['function* g() { yield 1; } const n = g().next; n.call(() => 1); c.respond(1);', 'Generator.prototype.next'],
    ['function* g() { yield 1; } const n = g().next; n.call({ constructor: 1 }); c.respond(1);', 'Generator.prototype.next'],
    ['function* g() { yield 1; } const n = g().next; n.call(new (class {})()); c.respond(1);', 'Generator.prototype.next'],
    ['function* g() { yield 1; } const n = g().next; class K { toString() { return 1; } } n.call(new K()); c.respond(1);', 'Generator.prototype.next'],
  ];
  for (const [body, what] of cases) {
    const r = await accelerated(program(body));
    assert.ok(abortedWith(r, 'unsupported:value', what) || abortedWith(r, 'unsupported:builtin', what) || abortedWith(r, 'unsupported:syntax', what), `${body}: ${JSON.stringify(r)}`);
  }
});

test("a generator that re-enters itself gets Node's TypeError", async () => {
  await sameAsNode(program(`let it; function* g() { try { it.next(); } catch (e) { yield e.name + ': ' + e.message; } } it = g(); c.respond(it.next());`));
});

test('through the tracer: a generator pipeline is traced and compiled', async () => {
  const source = `const c = require('containerless');
function* words(text) { for (const w of text.split(' ')) if (w !== '') yield w.toLowerCase(); }
function* counted(it) { const seen = {}; for (const w of it) { seen[w] = (seen[w] || 0) + 1; yield [w, seen[w]]; } }
c.listen((req) => {
  const out = [];
  for (const [w, n] of counted(words(req.query.text || ''))) out.push(w + ':' + n);
  c.respond(out);
});`;
  const { tree } = await traceLocally(source, [raw({ query: { text: 'a B a' } })], recordingIO());
  const { code } = compile(tree);
  assert.match(code, /rt\.gfn\("words", 1, function\* /);
  const inst = createInstance(loadCompiled(code), { io: recordingIO(), log() {} });
  const node = loadFunction(source, { io: recordingIO(), log() {} });
  const r = raw({ query: { text: 'x  y X y x' } });
  const a = await inst.handle(r, { timeoutMs: 1000 });
  assert.equal(a.kind, 'response', JSON.stringify(a));
  assert.deepEqual(a.kind === 'response' && a.response, await node.invoke(r, { timeoutMs: 1000 }));
});
