// Invariant 4: for everything it accepts, compiled code answers as Node does. Each case is a
// function body run in Node (loadFunction, the oracle) and accelerated; responses must be equal
// and no case may abort (they are all in the covered subset).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith, both, raw } from './helpers.ts';

function fn(body: string, top = ''): string {
  return `const c = require('containerless');\n${top}\nc.listen(function (req) {\n${body}\n});`;
}

const cases: Record<string, string> = {
  'var let const and hoisting': `
    var a = f(); function f() { return 1; }
    let b = 2; const d = 3; var a2; { let b = 10; a2 = b; }
    c.respond([a, b, d, a2, typeof undef, typeof f]);`,
  'TDZ error message': `
    try { g(); let x = 1; function g() { return x; } } catch (e) { c.respond(String(e)); }`,
  'const assignment error': `
    const k = 1; try { k = 2; } catch (e) { c.respond(e.name + ': ' + e.message); }`,
  'arithmetic and coercion': `
    c.respond([1 + '2', '3' * '4', 10 % 3, -7 % 3, 2 ** 10, 7 / 2, 1 / 0, -1 / 0, 0 / 0, '5' - 2, true + 1, null + 1, undefined + 1,
      [1, 2] + '', {} + '', [] + [], 1 + [2], '1' + null, 0.1 + 0.2, 1e21 + 1, -0 + '', 5 - '', +'  12  ', +'0x1f', +[], +[5], +{}]);`,
  'bitwise': `c.respond([5 & 3, 5 | 3, 5 ^ 3, ~5, 1 << 31, -1 >> 1, -1 >>> 0, 2 ** 32 | 0, '3' & 1, 1.9 | 0]);`,
  'equality': `
    const o = {}; const arr = [1];
    c.respond([1 == '1', 0 == '', null == undefined, null == 0, undefined == 0, NaN == NaN, '1,2' == [1, 2], o == o, o == {},
      1 === 1, '1' === 1, true == 1, false == '0', 'a' != 'b', null != undefined, [1] == 1, arr == arr]);`,
  'comparison': `c.respond(['a' < 'b', 'B' < 'a', 2 < '10', '2' < '10', null < 1, undefined < 1, [2] > 1, 'x' >= 'x', NaN <= NaN]);`,
  'typeof': `c.respond([typeof 1, typeof 'a', typeof null, typeof undefined, typeof {}, typeof [], typeof function () {}, typeof (() => 1), typeof Math, typeof JSON.parse, typeof c]);`,
  'in and delete': `
    const o = { a: 1, b: 2 }; const r = [delete o.a, 'a' in o, 'b' in o, 'toString' in o, 0 in [1], 1 in [1], 'length' in []];
    delete o['b']; r.push(Object.keys(o).length); c.respond(r);`,
  'optional chaining and nullish': `
    const o = { a: { b: null, f: () => 7 }, z: 0 };
    c.respond([o?.a?.b, o.x?.y.z, o.a.f?.(), o.g?.(), o.z ?? 5, o.q ?? 5, o.a?.['b'], null ?? 'n', o.a.b?.c]);`,
  'logical assignment': `
    let a = null; a ??= 4; let b = 0; b ||= 5; let d = 1; d &&= 6; const o = { x: 0 }; o.x ||= 9; o.y ??= 2; o.x &&= 3;
    c.respond([a, b, d, o]);`,
  'compound and update on members': `
    const o = { n: 1, s: 'a' }; const arr = [1, 2]; let i = 0;
    o.n += 2; o.s += 'b'; arr[i++] *= 10; arr[1]--; const p = o.n++; const q = ++o.n;
    c.respond([o, arr, i, p, q]);`,
  'switch with fallthrough and default': `
    const out = [];
    for (const v of [1, 2, 3, 'x']) {
      switch (v) { case 1: out.push('one'); case 2: out.push('two'); break; default: out.push('d'); case 3: out.push('three'); }
    }
    c.respond(out);`,
  'labelled break and continue': `
    const out = [];
    outer: for (let i = 0; i < 4; i++) { for (let j = 0; j < 4; j++) { if (j === 2) continue outer; if (i === 3) break outer; out.push(i * 10 + j); } }
    c.respond(out);`,
  'for in and for of': `
    const o = { b: 1, a: 2, 10: 'x', 2: 'y' }; const ks = []; for (const k in o) ks.push(k);
    const cs = []; for (const ch of 'héllo') cs.push(ch);
    let sum = 0; for (const [k, v] of Object.entries({ x: 1, y: 2 })) sum += v;
    const ai = []; for (const i in [7, 8]) ai.push(i);
    c.respond([ks, cs, sum, ai]);`,
  'while and do-while': `
    let i = 0; let s = 0; while (i < 10) { i++; if (i % 2) continue; s += i; } do { s--; } while (s > 25);
    c.respond([i, s]);`,
  'functions: defaults, rest, arrows, closures, recursion': `
    function f(a, b = a + 1, ...rest) { return [a, b, rest]; }
    const g = (x, y = 2) => x * y;
    const fact = function me(n) { return n <= 1 ? 1 : n * me(n - 1); };
    function make() { let n = 0; return [() => ++n, () => n]; }
    const [inc, get] = make(); inc(); inc();
    c.respond([f(1), f(1, 5, 6, 7), g(3), fact(10), get(), f.length, g.name, fact.name, (function () {}).name]);`,
  'spread in calls arrays and objects': `
    function sum(...xs) { return xs.reduce((a, b) => a + b, 0); }
    const a = [1, 2, 3]; const o = { x: 1, y: 2 };
    c.respond([sum(...a), sum(0, ...a, 4), [...a, ...'ab'], { ...o, z: 3, ...{ x: 9 } }, Math.max(...a)]);`,
  'destructuring everywhere': `
    const { a, b: { c: cc = 5 } = {}, ...rest } = { a: 1, d: 4, e: 5 };
    const [x, , z = 3, ...more] = [1, 2, undefined, 4, 5];
    let p, q; [p, q] = [q, p]; ({ p = 7 } = {});
    function h({ m, n = 2 }, [k]) { return m + n + k; }
    const pairs = [[1, 'a'], [2, 'b']].map(([n, s]) => s + n);
    c.respond([a, cc, rest, x, z, more, p, q, h({ m: 1 }, [3]), pairs]);`,
  'destructuring errors': `
    const r = [];
    try { const { a } = null; } catch (e) { r.push(e.message); }
    try { const o = undefined; const { a } = o; } catch (e) { r.push(e.message); }
    try { const { a: { b } } = { a: undefined }; } catch (e) { r.push(e.message); }
    try { const n = 5; const [a] = n; } catch (e) { r.push(e.message); }
    c.respond(r);`,
  'template literals': "const n = 3; const o = { a: [1, 2] }; c.respond(`n=${n} o=${o} a=${o.a} ${null} ${undefined} ${1 / 3}`);",
  'object literal features': `
    const k = 'dyn'; const v = 1;
    const o = { v, [k + 1]: 2, 'quoted key': 3, 10: 'ten', 1.5: 'x', m(x) { return x * 2; }, arrow: (x) => x + 1 };
    c.respond([o, o.m(4), o.arrow(1), Object.keys(o)]);`,
  'property order and JSON': `
    const o = {}; o.b = 1; o.a = 2; o[2] = 'two'; o[1] = 'one'; o['-1'] = 'neg';
    c.respond({ o, s: JSON.stringify(o), nested: { arr: [1, { x: undefined, y: null }], f: function () {} } });`,
  'exceptions across functions with finally': `
    const log = [];
    function thrower(n) { if (n > 2) throw new TypeError('too big: ' + n); return n; }
    function wrap(n) { try { return thrower(n); } finally { log.push('fin' + n); } }
    for (const n of [1, 3]) { try { log.push(wrap(n)); } catch (e) { log.push(e.name, e.message, String(e), e instanceof TypeError, e instanceof Error); } }
    try { try { throw { code: 1 }; } catch (e) { e.code++; throw e; } } catch (e2) { log.push(e2.code); }
    function early() { try { return 'try'; } finally { log.push('f'); } }
    log.push(early());
    c.respond(log);`,
  'runtime TypeErrors are catchable with Node messages': `
    const r = []; const o = { a: 1 }; let u;
    try { u.x; } catch (e) { r.push(e.message); }
    try { o.nope(); } catch (e) { r.push(e.message); }
    try { o.a(); } catch (e) { r.push(e.message); }
    try { u(); } catch (e) { r.push(e.message); }
    try { null[0] = 1; } catch (e) { r.push(e.message); }
    try { 'x' in 5; } catch (e) { r.push(e.message); }
    try { for (const x of o) {} } catch (e) { r.push(e.message); }
    try { undefinedName + 1; } catch (e) { r.push(e.name + ': ' + e.message); }
    try { o.a.b.c; } catch (e) { r.push(e.message); }
    c.respond(r);`,
  'errors as values': `
    const e = new Error('m'); e.code = 42; const t = new RangeError('r');
    c.respond([String(e), e.message, e.name, JSON.stringify(e), Object.keys(e), t.name, '' + t, typeof e]);`,
  'strings numbers arrays via builtins': `
    const words = 'the quick brown fox'.split(' ');
    c.respond([words.map((w) => w.toUpperCase()).join('-'), words.filter((w) => w.length > 3), words.indexOf('fox'),
      [3, 1, 2].sort((a, b) => a - b), (255).toString(16), (1.005).toFixed(2), parseInt('42px'), parseFloat('3.5e2'),
      Number('1_0'), String(123.456), [1, [2, [3]]].join(';'), 'abc'.charCodeAt(1), 'x'.padStart(3, '-')]);`,
  'request fields': `c.respond({ m: req.method, p: req.path, q: req.query, h: req.headers['x-a'], b: req.body });`,
  'closures in loops capture per iteration': `
    const fs = []; for (let i = 0; i < 3; i++) { let j = i * 2; fs.push(() => i + j); }
    const gs = []; for (var k = 0; k < 3; k++) gs.push(() => k);
    c.respond([fs.map((f) => f()), gs.map((g) => g())]);`,
  'sequence, conditional, void, comma': `let a = (1, 2, 3); const b = a > 2 ? 'big' : 'small'; c.respond([a, b, void 0, typeof void 0]);`,
  'numbers to strings': `c.respond([String(0.1), String(1e21), String(1e-7), String(-0), String(123456789012345680000), (0.000001).toString(), 100 + '', 1/3 + '']);`,
};

for (const [name, body] of Object.entries(cases)) {
  test(name, async () => {
    const req = raw({ method: 'POST', path: '/p', query: { q: '1' }, headers: { 'x-a': 'h', 'content-type': 'application/json' }, body: '{"k":[1,2]}' });
    const { node, accel } = await both(fn(body), [req]);
    assert.deepEqual(accel, node);
  });
}

test('catch with a destructuring parameter', async () => {
  const { node, accel } = await both(fn(`try { throw new TypeError('bad'); } catch ({ name, message }) { c.respond(name + '/' + message); }`), [raw()]);
  assert.deepEqual(accel, node);
});

test('writes to primitives: ignored in sloppy code, TypeError in strict code', async () => {
  const body = `const r = []; const s = 'abc'; const n = 5;
    function sloppy() { s.x = 1; n.y = 2; return [s.x, n.y]; }
    function strict() { 'use strict'; try { s.x = 1; } catch (e) { r.push(e.message); } try { n.y = 2; } catch (e) { r.push(e.message); } try { s[0] = 'z'; } catch (e) { r.push(e.message); } }
    r.push(sloppy()); strict(); c.respond(r);`;
  const { node, accel } = await both(fn(body), [raw()]);
  assert.deepEqual(accel, node);
  const strictFile = `'use strict';\n${fn(`try { (5).x = 1; } catch (e) { c.respond(e.message); }`)}`;
  const r2 = await both(strictFile, [raw()]);
  assert.deepEqual(r2.accel, r2.node);
});

test('TDZ through hoisted function declarations: called before and after the declaration', async () => {
  const top = `function early() { return typeof LIMIT; }
    let before; try { before = early(); } catch (e) { before = e.message; }
    const LIMIT = 10;
    function late() { return LIMIT * 2; }
    function viaOther() { return late(); }
    let t2; try { t2 = (function () { return helper(); })(); } catch (e) { t2 = e.message; }
    function helper() { return K; }
    const K = 'k';`;
  const { node, accel } = await both(fn(`c.respond([before, late(), viaOther(), t2, helper()]);`, top), [raw()]);
  assert.deepEqual(accel, node);
});

test('method calls: receiver checked before arguments run, computed keys evaluated once', async () => {
  const body = `const log = []; const o = { f: (x) => x * 2, g: (x) => x + 1 }; let i = 0; const keys = ['f', 'g'];
    const r1 = o[keys[i++]](10);
    let n = null; try { n.m(log.push('arg evaluated')); } catch (e) { log.push(e.message); }
    try { n[keys[i++]](log.push('arg2')); } catch (e) { log.push(e.message); }
    c.respond([r1, i, log]);`;
  const { node, accel } = await both(fn(body), [raw()]);
  assert.deepEqual(accel, node);
});

test('arrays with holes behave as in Node', async () => {
  const body = `const a = [1, , 3]; const b = [10, 20, 30, 40]; delete b[1]; const e = []; e[3] = 'x'; const d = [1, 2]; d.length = 4;
    const seen = []; a.forEach((x, i) => seen.push(i)); const mapped = b.map((x) => x * 2);
    const keys = []; for (const k in b) keys.push(k); const vals = []; for (const v of a) vals.push(v);
    c.respond([a, b, e, d, a.length, 1 in a, 1 in b, seen, mapped, keys, vals, [...a], a.join('-'), String(b), JSON.stringify(e), Object.keys(e),
      a.indexOf(undefined), a.includes(undefined), b.filter(() => true), new Array(3).length, Array(2)]);`;
  const { node, accel } = await both(fn(body), [raw()]);
  assert.deepEqual(accel, node);
});

test('functions declared in blocks: exact inside the block, never a wrong answer outside (sloppy Annex B)', async () => {
  const body = `const r = []; { function inner() { return 'in'; } r.push(inner()); }
    if (req.path === '/x') { function later() { return 1; } } let out; try { out = typeof later; } catch (e) { out = e.message; }
    r.push(out); c.respond(r);`;
  const { node, accel } = await both(fn(body), [raw({ path: '/x' })]);
  const a = accel[0] as { kind?: string };
  if (a.kind !== 'abort') assert.deepEqual(accel, node);
  else assert.match((a as { reason: string }).reason, /^unsupported:(syntax|global)$/);
  const strict = await both(`'use strict';\n${fn(`{ function inner() { return 'in'; } } let t; try { t = inner(); } catch (e) { t = e.message; } c.respond(String(t));`)}`, [raw()]);
  assert.deepEqual(strict.accel, strict.node);
});

test('default parameters: earlier parameters and outer bindings as Node, own-scope reads never wrong', async () => {
  const top = `const x = 'outer';`;
  const ok = await both(fn(`function f(a, b = a + 1, d = x) { return [a, b, d]; } c.respond(f(1));`, top), [raw()]);
  assert.deepEqual(ok.accel, ok.node);
  for (const body of [`function g(a = b, b = 1) { return a; } let r; try { r = g(); } catch (e) { r = e.message; } c.respond(String(r));`,
    `function h(a = x) { var x = 'body'; return a; } c.respond(h());`]) {
    const { node, accel } = await both(fn(body, top), [raw()]);
    const a = accel[0] as { kind?: string; reason?: string };
    if (a.kind === 'abort') assert.ok(abortedWith(a, 'unsupported:syntax', 'default-parameter-scope'), JSON.stringify(a));
    else assert.deepEqual(accel, node);
  }
});
