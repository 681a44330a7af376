// Invariant 4 for the speed-ups of compiled code: the guarded native reads of plain objects
// (src/compiler/plain-read.ts), the inline number checks of arithmetic and comparisons
// (src/compiler/number-guard.ts) and the fast operations of fast-ops.ts (closure calls, string
// comparisons and concatenation, recv). Each case runs in Node and accelerated; the answers must be
// equal, including on the values that make a fast path fall back (non-objects, arrays, closures,
// errors, inherited names, strings, -0, NaN, holes, lengths that change in a loop).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith, accelerate, both, raw } from './helpers.ts';

function fn(body: string, top = ''): string {
  return `const c = require('containerless');\n${top}\nc.listen(function (req) {\n${body}\n});`;
}

const cases: Record<string, string> = {
  'plain reads on every kind of value': `
    const r = []; const o = { a: 1, b: { c: [1, 2] }, length: 7 }; const arr = [1, 2, 3]; const s = 'hey';
    function named(x, y) { return x; }
    const e = new TypeError('m');
    r.push(o.a, o.b.c, o.missing, o.length, arr.length, arr.a, s.length, s.nope, named.name, named.length, e.message, e.name);
    r.push((5).x, true.y, req.query.q, req.query.none, req.headers['x-a'], JSON.parse('{"z":{"y":2}}').z.y);
    const ks = Object.keys(o); r.push(ks);
    c.respond(r);`,
  'named reads read first on every kind of value (the guard of plain reads)': `
    function f(x) { return x; }
    const e = new RangeError('m'); const e2 = new Error('n'); e2.name = 'Custom'; e2.foo = 1;
    const vals = [{ foo: 1, name: 'o', path: 'p' }, JSON.parse('{"foo": 2}'), [1, 2], 'str', 5, true, e, e2, f, String, Math, JSON, process.env, c, console, req, req.query];
    const out = [];
    for (let i = 0; i < vals.length; i++) { const v = vals[i]; out.push(String(v.foo), String(v.bar), typeof v.name === 'string' ? v.name : String(v.name)); }
    out.push(String(String.length), String(Math.PI), String(e.message));
    c.respond(out);`,
  'plain reads that throw': `
    const r = []; let u; const n = null;
    try { u.x; } catch (e) { r.push(e.message); }
    try { n.y; } catch (e) { r.push(e.message); }
    try { u.x.y; } catch (e) { r.push(e.message); }
    try { null.z; } catch (e) { r.push(e.message); }
    try { (void 0).w; } catch (e) { r.push(e.message); }
    const o = { a: null }; try { o.a.b; } catch (e) { r.push(e.message); }
    c.respond(r);`,
  'own keys that Object.prototype also has': `
    const o = JSON.parse('{"constructor": 1, "toString": 2, "valueOf": 3, "hasOwnProperty": 4}');
    c.respond([o.constructor, o.toString, o.valueOf, o.hasOwnProperty]);`,
  'a read whose object expression has effects runs it once': `
    let calls = 0; const o = { v: { w: 5 } };
    function get() { calls++; return o; }
    c.respond([get().v.w, get().v.w, calls]);`,
  'arithmetic on values the compiler cannot type': `
    const vals = [1, -0, 0, NaN, Infinity, -Infinity, 2.5, '3', '', 'x', null, undefined, true, false, [], [4], {}];
    const out = [];
    for (const a of vals) for (const b of vals) {
      out.push(a + b, a - b, a * b, a / b, a % b, a < b, a > b, a <= b, a >= b, a & b, a | b, a << b);
    }
    c.respond(out.map((v) => (Object.is(v, -0) ? '-0' : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));`,
  'operands keep their evaluation order': `
    let x = 1; const log = [];
    function bump() { x = 10; log.push('b'); return 2; }
    const o = { n: 3 };
    log.push(x + bump(), x * (x = 4), o.n - (o.n = 1), o.n);
    let y = '2'; log.push(y + (y = 5), y - 1);
    c.respond(log);`,
  'updates of locals of any type': `
    let a = '5', b = null, d = undefined, e = [2], f = 1.5, g = -0;
    a++; b++; d++; e--; f++; g--;
    let h = 'x'; h++;
    c.respond([a, b, String(d), e, f, g, String(h)]);`,
  'string comparisons and concatenation': `
    const words = ['b', 'a', 'B', 'aa', '', 'ä', '10', '9'];
    const out = [];
    for (const a of words) for (const b of words) out.push(a < b, a > b, a <= b, a >= b, a + b);
    out.push('2' < 10, 2 < '10', 'a' < 1, null < 'a');
    c.respond(out);`,
  'array loops whose length changes and reads out of range': `
    const a = [1, 2, 3]; const seen = [];
    for (let i = 0; i < a.length; i++) { seen.push(a[i]); if (a.length < 6) a.push(a[i] * 10); }
    const h = [1, , 3]; seen.push(h[1], h[5], h[-1], h[1.5], a['1'], a.length);
    c.respond(seen);`,
  'closure calls, recursion, methods and callbacks': `
    function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
    const fact = function f(n) { return n <= 1 ? 1 : n * f(n - 1); };
    const o = { k: 2, m(x) { return x * 2; }, n: function (a, b, d) { return [a, b, d]; } };
    const sorted = [3, 1, 2].sort(function (x, y) { return y - x; });
    const words = [{ w: 'b', n: 1 }, { w: 'a', n: 1 }, { w: 'c', n: 2 }];
    words.sort(function (a, b) { return b.n - a.n || (a.w < b.w ? -1 : a.w > b.w ? 1 : 0); });
    c.respond([fib(15), fact(6), o.m(4), o.n(1, 2, 3), sorted, words.map((w) => w.w), fib.name, fact.name, Object.keys(o)]);`,
  'calling what is not a closure': `
    const r = []; const o = { a: 1, s: 'x' };
    try { o.a(); } catch (e) { r.push(e.message); }
    try { o.s(1); } catch (e) { r.push(e.message); }
    try { o.missing(1, 2); } catch (e) { r.push(e.message); }
    const f = 3; try { f(); } catch (e) { r.push(e.message); }
    c.respond(r);`,
  'index reads with keys of every type': `
    const a = [10, , 30]; const s = 'str'; const o = { 1: 'one', x: 'ex' };
    const keys = [0, 1, 2, 3, -1, 1.5, -0, NaN, Infinity, '0', '1', 'length', 'x', null, undefined, true, [1]];
    const out = [];
    for (const k of keys) out.push(a[k], s[k], o[k]);
    c.respond(out.map((v) => (v === undefined ? 'u' : v)));`,
  'keyed reads with keys computed at run time, hostile ones included': `
    const own = JSON.parse('{"__proto__": 1, "constructor": 2, "toString": 3, "valueOf": null, "1": 4, "": 5, "a": 6, "-0": 7, "1.5": 8}');
    const lit = { a: 1, b: { c: 2 }, 2: 'two', 'x y': 3 };
    const arr = [10, , 30]; const s = 'str'; const e = new RangeError('m'); e.a = 'ea';
    function f(x) { return x; }
    const env = process.env;
    const keys = ['__proto__', 'constructor', 'toString', 'valueOf', '1', '', 'a', 'b', '2', 'x y', '-0', '1.5', 'length', 'message', 'name', 'HOME_NOT_SET', 0, 1, 2, -0, 1.5, NaN, null, undefined, true];
    const objs = [own, lit, arr, s, req.query, req.headers, JSON.parse('{"a": {"b": 1}}').a, Object.assign({}, lit)];
    const out = [];
    for (const o of objs) for (const k of keys) {
      if (typeof o === 'string' || Array.isArray(o) ? k === 'constructor' || k === 'toString' || k === 'valueOf' || k === '__proto__' : !Object.hasOwn(o, k) && (k === 'constructor' || k === 'toString' || k === 'valueOf' || k === '__proto__')) continue;
      const v = o[k]; out.push(v === undefined ? 'u' : typeof v === 'object' ? JSON.stringify(v) : v);
    }
    for (const k of ['a', 'message', 'name']) out.push(e[k]);
    for (const k of ['name', 'length']) out.push(f[k]);
    for (const k of ['HOME_NOT_SET', 'a']) out.push(String(env[k]));
    const grow = {}; const ks = ['p', 'q', 'p', 'r'];
    for (let i = 0; i < ks.length; i++) { const k = ks[i]; grow[k] = (grow[k] || 0) + 1; }
    out.push(JSON.stringify(grow));
    c.respond(out);`,
  'number keys of every kind of object read natively, as Node reads them': `
    function f(x) { return x; }
    const e = new TypeError('m'); e[0] = 'e0'; e[1.5] = 'e15';
    const plain = { 0: 'p0', '-1': 'pm1', '1.5': 'p15', NaN: 'pnan', '1e+21': 'pbig', Infinity: 'pinf' };
    const holey = [1, , 3]; holey[7] = 8;
    const objs = [[10, 20], holey, plain, JSON.parse('{"0": "j0", "2": "j2"}'), e, f, process, process.env, Math, JSON, String, Object, c, c.get, c.respond, console, console.log, req, req.query, Object.freeze([5, 6]), [[1, 2], [3]]];
    const keys = [0, 1, 2, 7, 8, -1, 1.5, -0, NaN, Infinity, 1e21, 2 ** 32, 4294967295];
    const out = [];
    for (let i = 0; i < objs.length; i++) {
      const o = objs[i];
      for (let j = 0; j < keys.length; j++) { const k = keys[j]; const v = o[k]; out.push(i + ':' + j + ':' + (typeof v === 'object' ? JSON.stringify(v) : String(v))); }
      out.push(String(o[0]), String(o[1]));
    }
    c.respond(out);`,
  'destructuring through the native reads': `
    const [p, q = 5, ...rest] = [1, undefined, 3, 4]; const { m, n = 'd', o: { z } } = { m: 1, o: { z: 2 } };
    const [x, y] = 'hi'; const [h0, h1] = [, 7];
    const pairs = []; for (const [k, v] of [[1, 2], [3]]) pairs.push(k, v);
    let err; try { const [w] = null; } catch (e) { err = e.message; }
    c.respond([p, q, rest, m, n, z, x, y, h0, h1, pairs, err]);`,
  'Object.keys on every kind of value': `
    const r = [Object.keys({ b: 1, a: 2, 1: 3 }), Object.keys([4, 5]), Object.keys('ab'), Object.keys(7), Object.keys({})];
    const e = new Error('m'); e.extra = 1; r.push(Object.keys(e));
    const big = {}; for (let i = 0; i < 50; i++) big['k' + i] = i; r.push(Object.keys(big).length);
    try { Object.keys(null); } catch (er) { r.push(er.message); }
    try { Object.keys(undefined); } catch (er) { r.push(er.message); }
    c.respond(r);`,
  'Object.keys (rt.okeys): an argument with effects, parsed JSON, a shadowing local': `
    let n = 0; const o = { a: 1 };
    function next() { n++; return o; }
    const r = [Object.keys(next()), n, Object.keys(JSON.parse('{"z":1,"2":0}'))];
    function inner() { const Object = { keys: function (x) { return ['mine', typeof x]; } }; return Object.keys(7); }
    r.push(inner());
    c.respond(r);`,
  'builtin globals read many times': `
    const r = [];
    for (let i = 0; i < 5; i++) r.push(Math.max(i, 2), JSON.stringify([i]), Number.isInteger(i), String(i), parseInt('1' + i, 10));
    console.log('logged');
    c.respond(r);`,
  'sort with a comparator: V8 order of calls, odd results, holes, undefineds, mutation, throws': `
    const calls = [];
    const a = [5, 1, 4, 2, 3, 9, 7, 8, 6, 0, 11, 10];
    a.sort(function (x, y) { calls.push(x + ':' + y); return x - y; });
    const b = [3, undefined, 1, , 2, undefined]; b.sort(function (x, y) { return y - x; });
    const odd = [3, 1, 2, 5, 4];
    const r1 = odd.slice().sort(function (x, y) { return String(x - y); });
    const r2 = odd.slice().sort(function (x, y) { return x > y; });
    const r3 = odd.slice().sort(function () { return NaN; });
    const r4 = odd.slice().sort(function () { return undefined; });
    const r5 = odd.slice().sort(function (x, y) { return { v: x - y }; });
    const r6 = odd.slice().sort(function (x, y) { return [x - y]; });
    const grow = [3, 2, 1]; const r7 = grow.sort(function (x, y) { if (grow.length < 6) grow.push(0); return x - y; });
    let thrown; const t = [3, 1, 2];
    try { t.sort(function (x, y) { if (x === 1 || y === 1) throw new Error('cmp ' + x + y); return x - y; }); } catch (e) { thrown = e.message; }
    const same = [1, 2]; const r8 = same.sort(function (x, y) { return 0; }) === same;
    const objs = [{ w: 'b', n: 1 }, { w: 'a', n: 1 }, { w: 'c', n: 2 }, { w: 'd', n: 0 }];
    objs.sort(function (p, q) { return q.n - p.n || (p.w < q.w ? -1 : p.w > q.w ? 1 : 0); });
    c.respond([a, calls, b, b.length, 1 in b, r1, r2, r3, r4, r5, r6, r7, grow.length, thrown, t, r8, objs.map((o) => o.w), [].sort(function () { return 1; }), [1].sort(function () { throw 1; })]);`,
  'closures are opaque to key listings and copies': `
    function f(a) { return a; }
    c.respond([JSON.stringify({ f }), Object.assign({}, { g: f }).g === f, JSON.stringify([f])]);`,
};

for (const [name, body] of Object.entries(cases)) {
  test(name, async () => {
    const req = raw({ method: 'GET', path: '/p', query: { q: '1' }, headers: { 'x-a': 'h' } });
    const { node, accel } = await both(fn(body), [req]);
    assert.deepEqual(accel, node);
  });
}

test('a native read never yields an inherited value: Object.prototype names still take the rt path', async () => {
  // The rt path answers with the builtins (the global Object, Object.prototype's functions), never the host's.
  const inst = accelerate(fn(`const o = {}; c.respond([o.constructor === Object, typeof o.constructor, o.constructor.name, o.toString === Object.prototype.toString]);`));
  const r = await inst.handle(raw(), { timeoutMs: 1000 });
  assert.equal(r.kind, 'response', JSON.stringify(r));
  assert.equal(r.kind === 'response' && r.response.body, '[true,"function","Object",true]');
});

test('a keyed read with a run-time key never yields an inherited value', async () => {
  for (const k of ['constructor', 'hasOwnProperty', 'toString']) {
    // A builtin value: its source text is not the host's (converting a function to a string aborts).
    const inst = accelerate(fn(`const o = { a: 1 }; const k = req.query.k; c.respond(String(o[k]));`));
    const r = await inst.handle(raw({ query: { k } }), { timeoutMs: 1000 });
    assert.ok(abortedWith(r, 'unsupported:value', 'function-to-string'), `${k}: ${JSON.stringify(r)}`);
  }
  for (const k of ['__proto__', '__defineGetter__']) {
    const inst = accelerate(fn(`const o = { a: 1 }; const k = req.query.k; c.respond(String(o[k]));`));
    const r = await inst.handle(raw({ query: { k } }), { timeoutMs: 1000 });
    assert.equal(r.kind, 'abort', k);
    assert.ok(abortedWith(r, 'unsupported:builtin', `Object.prototype.${k}`), `${k}: ${JSON.stringify(r)}`);
  }
});

test('string concatenation in the fast path is charged to the memory budget', async () => {
  const inst = accelerate(fn(`let s = 'x'; const keep = []; for (let i = 0; i < 100000; i++) { s = s + 'yy'; keep.push(s); } c.respond(s.length);`), undefined, { memoryBytes: 1 << 20, fuel: 1e7 });
  const r = await inst.handle(raw(), { timeoutMs: 5000 });
  assert.equal(r.kind, 'abort');
  assert.equal((r as { reason: string }).reason, 'memory');
});

test('sort with a comparator on a frozen array takes the library path (which refuses it)', async () => {
  const inst = accelerate(fn(`const f = Object.freeze([2, 1]); f.sort(function (x, y) { return x - y; }); c.respond(f);`));
  const r = await inst.handle(raw(), { timeoutMs: 1000 });
  assert.equal(r.kind, 'abort');
  assert.ok(abortedWith(r, 'unsupported:builtin', 'Array.prototype.sort'), JSON.stringify(r));
});
