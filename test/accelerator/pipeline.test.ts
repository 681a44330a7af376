import { test } from 'node:test';
import assert from 'node:assert/strict';
import { both, raw } from './helpers.ts';

async function same(source: string, requests = [raw()]): Promise<void> {
  const { node, accel } = await both(source, requests);
  assert.deepEqual(accel, node);
}

test('hello world', () => same(`const c = require('containerless'); c.listen(function (req) { c.respond('hello'); });`));

test('if/else on req.path, respond JSON', () =>
  same(
    `const containerless = require('containerless');
     containerless.listen(function (req) {
       if (req.path === '/a') containerless.respond({ a: 1, list: [1, 'x', null, true] });
       else if (req.path === '/n') containerless.respond(42);
       else containerless.respond('Unknown command.', { status: 404, headers: { 'X-Y': 1 } });
     });`,
    [raw({ path: '/a' }), raw({ path: '/n' }), raw({ path: '/zzz' })],
  ));

test('loops, closures with shared mutable state, recursion, globals kept across requests', () =>
  same(
    `const c = require('containerless');
     let hits = 0;
     function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
     function counter() { let n = 0; return { inc: function () { n += 1; return n; }, get: () => n }; }
     c.listen(function (req) {
       hits++;
       const k = counter();
       for (let i = 0; i < 5; i++) k.inc();
       let s = '';
       let j = 0;
       while (j < 3) { s += j; j++; }
       do { s += '!'; } while (s.length < 6);
       const fns = [];
       for (let i = 0; i < 3; i++) fns.push(() => i);
       c.respond({ hits, k: k.get(), s, fib: fib(15), fns: fns.map((f) => f()) });
     });`,
    [raw(), raw(), raw()],
  ));

test('get and post with callbacks; request body; 504 when nothing responds', () =>
  same(
    `const c = require('containerless');
     c.listen(function (req) {
       if (req.path === '/login') {
         c.post({ url: 'http://127.0.0.1:7999/login', body: req.body }, function (resp) {
           c.get('http://127.0.0.1:7999/x', function (r2, meta) { c.respond({ a: resp, b: r2, s: meta.status }); });
         });
       } else if (req.path === '/quiet') {
       } else {
         c.respond('Unknown command.');
       }
     });`,
    [raw({ path: '/login', method: 'POST', body: '{"user":"a"}', headers: { 'content-type': 'application/json' } }), raw({ path: '/quiet' }), raw({ path: '/other' })],
  ));

test('uncaught exceptions give the same 500 body', () =>
  same(
    `const c = require('containerless');
     c.listen(function (req) {
       if (req.path === '/1') { const o = undefined; o.x; }
       if (req.path === '/2') throw new Error('boom');
       if (req.path === '/3') throw 'plain';
       if (req.path === '/4') { let f = 5; f(); }
       if (req.path === '/5') { const o = {}; o.foo(); }
       if (req.path === '/6') { null.x = 1; }
       if (req.path === '/7') { nope; }
       c.respond('ok');
     });`,
    ['/1', '/2', '/3', '/4', '/5', '/6', '/7', '/'].map((p) => raw({ path: p })),
  ));
