import type { RawRequest } from '../../src/api/index.ts';
import { raw } from './helpers.ts';

export interface Case {
  name: string;
  source: string;
  /** Batches of requests; the requests of one batch run concurrently. */
  batches: RawRequest[][];
}

const json = (path: string, body: unknown): RawRequest => raw(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const CASES: Case[] = [
  {
    name: 'closures sharing a mutable counter',
    source: `
      const c = require('containerless');
      function counter() { let n = 0; return { inc: () => ++n, get: function () { return n; } }; }
      const shared = counter();
      c.listen(function (req) {
        const local = counter();
        for (let i = 0; i < Number(req.query.k || 1); i++) { local.inc(); shared.inc(); }
        c.respond({ local: local.get(), shared: shared.get() });
      });`,
    batches: [[raw('/', { query: { k: '3' } })], [raw('/')], [raw('/', { query: { k: '0' } })]],
  },
  {
    name: 'recursion and mutual recursion',
    source: `
      const c = require('containerless');
      function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
      function isEven(n) { if (n === 0) return true; return isOdd(n - 1); }
      function isOdd(n) { if (n === 0) return false; return isEven(n - 1); }
      c.listen((req) => c.respond([fib(Number(req.path.slice(1))), isEven(Number(req.path.slice(1)))]));`,
    batches: [[raw('/10')], [raw('/1')], [raw('/0')]],
  },
  {
    name: 'switch with fallthrough and default in the middle',
    source: `
      const c = require('containerless');
      c.listen(function (req) {
        const out = [];
        switch (req.path) {
          case '/a': out.push('a');
          case '/b': out.push('b'); break;
          default: out.push('d');
          case '/c': { out.push('c'); }
          case '/e':
          case '/f': out.push('ef');
        }
        c.respond(out.join(','));
      });`,
    batches: [[raw('/a')], [raw('/b')], [raw('/c')], [raw('/e')], [raw('/zzz')]],
  },
  {
    name: 'labelled break and continue, do-while, for-in, for-of',
    source: `
      const c = require('containerless');
      c.listen(function (req) {
        const grid = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
        let found = null, sum = 0, k = 0;
        outer: for (const row of grid) {
          for (const v of row) {
            if (v % 2 === 0) continue outer;
            if (v === Number(req.query.stop)) { found = v; break outer; }
            sum += v;
          }
        }
        do k++; while (k < 3)
        const keys = [];
        for (const key in { x: 1, y: 2 }) keys.push(key);
        let w = 0;
        while (w < 5) w += 2;
        block: { if (req.query.skip) break block; sum += 100; }
        c.respond({ found, sum, k, keys, w });
      });`,
    batches: [[raw('/', { query: { stop: '7' } })], [raw('/', { query: { skip: '1' } })]],
  },
  {
    name: 'try/catch/finally across functions',
    source: `
      const c = require('containerless');
      function risky(x) { if (x === 'throw') throw new TypeError('bad ' + x); return x.length; }
      function wrapper(x) { try { return risky(x); } catch (e) { return e.name + ':' + e.message; } finally { log.push('finally ' + x); } }
      const log = [];
      c.listen(function (req) {
        const r = wrapper(req.path.slice(1));
        try { null.x; } catch ({ message }) { log.push(typeof message); }
        try { c.respond({ r, log: log.slice(-2) }); } finally { }
      });`,
    batches: [[raw('/throw')], [raw('/fine')]],
  },
  {
    name: 'destructuring defaults and parameter defaults',
    source: `
      const c = require('containerless');
      function area({ w = 1, h = w * 2 } = {}, [scale = 1, ...rest] = []) { return w * h * scale + rest.length; }
      const named = ({ f = function () {}, g = () => 0 } = {}) => f.name + '/' + g.name;
      let q;
      c.listen(function (req) {
        const { a = 'da', b: { c: deep = 'dc' } = {} } = req.body;
        [q = 'dq'] = [];
        c.respond([area(req.body.box, req.body.scale), area(), named(), a, deep, q, area.length]);
      });`,
    batches: [[json('/', { box: { w: 3 }, scale: [2, 0, 0] })], [json('/', { a: 'x', b: { c: 'y' } })]],
  },
  {
    name: 'optional chaining, nullish and logical assignment, delete, comma',
    source: `
      const c = require('containerless');
      c.listen(function (req) {
        const b = req.body;
        const o = { n: null, f() { return 'called'; } };
        o.n ??= 5; o.m ||= function () {}; o.z &&= 1; let y = 0;
        const r = [b?.a?.b, b.list?.[1], b.fn?.(), o.f?.(), o.missing?.(), b?.a?.b ?? 'none', (y++, y++, y)];
        delete o.f;
        r.push('f' in o, delete o.nothing, o.m.name, typeof o.z, b.t && b.t.u, b.t || 'no t');
        c.respond(r);
      });`,
    batches: [[json('/', { a: { b: 1 }, list: [1, 2], t: { u: 'u' } })], [json('/', {})], [raw('/')]],
  },
  {
    name: 'getters, setters and this (unsupported but run exactly)',
    source: `
      const c = require('containerless');
      const temp = { c: 20, get f() { return this.c * 9 / 5 + 32; }, set f(v) { this.c = (v - 32) * 5 / 9; } };
      const acc = { total: 0, add(x) { this.total += x; return this; } };
      c.listen(function (req) {
        if (req.query.f) temp.f = Number(req.query.f);
        acc.add(1).add(2);
        c.respond({ f: temp.f, total: acc.total, names: Object.getOwnPropertyDescriptor(temp, 'f').get.name });
      });`,
    batches: [[raw('/')], [raw('/', { query: { f: '212' } })]],
  },
  {
    name: "'use strict' stays a directive",
    source: `'use strict'
      const c = require('containerless');
      function strictCheck() { return this === undefined; }
      function sloppyLooking() { 'use strict'; try { undeclared = 1; return 'assigned'; } catch (e) { return e.name; } }
      c.listen(function (req) { c.respond([strictCheck(), sloppyLooking(), (function () { return typeof this; })()]); });`,
    batches: [[raw('/')]],
  },
  {
    name: 'sloppy mode: hoisting, arguments, ASI, this in arrows',
    source: `
      var c = require('containerless')
      var before = typeof later
      function later() { return 'later' }
      function count() { return arguments.length + (arguments[0] || 0) }
      function outer() { const inner = () => this === globalThis; return inner() }
      c.listen(function (req) {
        if (req.path === '/x') function annexB() { return 'b' }
        var r = [before, count(1, 2, 3), count(), outer()]
        ;[1, 2].forEach(function (v) { r.push(v) })
        this.unused
        r.push(typeof annexB)
        c.respond(r)
      })`,
    batches: [[raw('/x')], [raw('/y')]],
  },
  {
    name: 'callbacks: nested outbound calls through a helper',
    source: `
      const c = require('containerless');
      function getJSON(url, k) { c.get(url, function (body, meta) { k(body === undefined ? { error: 'network' } : body, meta && meta.status); }); }
      c.listen(function (req) {
        console.log('start', req.path);
        getJSON('http://backend/a?delay=' + (req.query.d || 0), function (a) {
          if (a.error) { c.respond({ error: a.error }, { status: 502 }); return; }
          c.post({ url: 'http://backend/b', body: { from: a.url } }, function (b) {
            console.log('got', JSON.stringify(b));
            c.respond({ a: a.url, b: b.body });
          });
        });
      });`,
    batches: [[raw('/one', { query: { d: '15' } }), raw('/two', { query: { d: '1' } })], [raw('/fail', { query: { d: 'fail' } })]],
  },
  {
    name: 'uncaught errors, in the handler and in a callback',
    source: `
      const c = require('containerless');
      c.listen(function (req) {
        if (req.path === '/sync') throw new RangeError('sync boom');
        if (req.path === '/cb') { c.get('http://backend/x', function () { null.boom; }); return; }
        if (req.path === '/str') throw 'just a string';
        c.respond('ok');
      });`,
    batches: [[raw('/sync')], [raw('/cb')], [raw('/str')], [raw('/ok')]],
  },
  {
    name: 'higher-order array methods and sort with a comparator',
    source: `
      const c = require('containerless');
      const words = ['pear', 'apple', 'fig', 'banana', 'cherry'];
      c.listen(function (req) {
        const prefix = req.query.p || '';
        const hits = words.filter((w) => w.startsWith(prefix)).map((w) => w.toUpperCase());
        const total = words.reduce((acc, w) => acc + w.length, 0);
        const sorted = [...words].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
        c.respond({ hits, total, sorted, some: words.some((w) => w === prefix), every: words.every((w) => w.length > 2), find: words.find((w) => w.length > 5) ?? null });
      });`,
    batches: [[raw('/', { query: { p: 'b' } })], [raw('/', { query: { p: 'fig' } })], [raw('/')]],
  },
  {
    name: 'a user binding named $__cl, classes, async, generators, regexps, templates',
    source: `
      const c = require('containerless');
      const $__cl = { p: 'mine' };
      const obj = { $__cl };
      class Point { constructor(x) { this.x = x; } get double() { return this.x * 2; } }
      const Named = class {};
      function* gen() { yield 1; yield 2; }
      const tag = (s, ...v) => s.raw.join('|') + v.join('|');
      const later = async () => 'async';
      c.listen(function (req) {
        const m = /(\\d+)/.exec(req.path);
        c.respond([$__cl.p, obj.$__cl.p, new Point(Number(m ? m[1] : 0)).double, Named.name, [...gen()], tag\`a\${1}b\`, typeof later, \`t\${req.path}\`, 10n.toString()]);
      });`,
    batches: [[raw('/21')], [raw('/x')]],
  },
  {
    name: 'timeouts, respond twice, conditional expressions everywhere',
    source: `
      const c = require('containerless');
      const classify = (n) => n < 0 ? 'neg' : n === 0 ? 'zero' : n < 10 ? 'small' : 'big';
      c.listen(function (req) {
        const n = Number(req.query.n);
        if (req.query.silent) return;
        c.respond(classify(n));
        c.respond('second is ignored');
      });`,
    batches: [[raw('/', { query: { n: '-1' } }), raw('/', { query: { n: '0' } }), raw('/', { query: { n: '5' } }), raw('/', { query: { n: '50' } })]],
  },
  {
    name: 'loops with single-statement bodies and dangling else',
    source: `
      const c = require('containerless');
      c.listen(function (req) {
        let s = '', i = 0;
        for (i = 0; i < 3; i++) if (i % 2) s += 'o'; else s += 'e';
        while (i-- > 0) s += i;
        if (req.path === '/a') if (s.length > 3) s += '!'; else s += '?';
        for (;;) break;
        c.respond(s);
      });`,
    batches: [[raw('/a')], [raw('/b')]],
  },
];
