import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFunction, type IO, type OutboundRequest } from '../../src/api/index.ts';

const noIO: IO = { request: async () => undefined };
const raw = (over: Partial<{ method: string; path: string; body: string; headers: Record<string, string> }> = {}) => ({
  method: 'GET', path: '/', query: {}, headers: {}, body: '', ...over,
});

test('respond formats strings, numbers, objects and options', async () => {
  const fn = loadFunction(`
    const c = require('containerless');
    c.listen(function (req) {
      if (req.path === '/s') c.respond('hi');
      else if (req.path === '/n') c.respond(42);
      else if (req.path === '/u') c.respond(undefined);
      else if (req.path === '/o') c.respond({ a: [1, null] }, { status: 201, headers: { 'X-A': 'b' } });
      else c.respond(null);
    });`, { io: noIO, log() {} });
  const s = await fn.invoke(raw({ path: '/s' }), { timeoutMs: 1000 });
  assert.deepEqual([s.status, s.headers['content-type'], s.body], [200, 'text/plain; charset=utf-8', 'hi']);
  assert.equal((await fn.invoke(raw({ path: '/n' }), { timeoutMs: 1000 })).body, '42');
  assert.equal((await fn.invoke(raw({ path: '/u' }), { timeoutMs: 1000 })).body, 'undefined');
  const o = await fn.invoke(raw({ path: '/o' }), { timeoutMs: 1000 });
  assert.deepEqual([o.status, o.headers['content-type'], o.headers['x-a'], o.body], [201, 'application/json; charset=utf-8', 'b', '{"a":[1,null]}']);
  assert.equal((await fn.invoke(raw({ path: '/x' }), { timeoutMs: 1000 })).body, 'null');
});

test('concurrent requests keep their own callbacks apart', async () => {
  const calls: OutboundRequest[] = [];
  const io: IO = {
    async request(r) {
      calls.push(r);
      await new Promise((res) => setTimeout(res, r.url.endsWith('slow') ? 30 : 1));
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ u: r.url }) };
    },
  };
  const fn = loadFunction(`
    const c = require('containerless');
    c.listen(function (req) { c.get('http://x/' + req.body, function (b, meta) { c.respond(b.u + ' ' + meta.status); }); });`,
  { io, log() {} });
  const [a, b] = await Promise.all([
    fn.invoke(raw({ body: 'slow' }), { timeoutMs: 1000 }),
    fn.invoke(raw({ body: 'fast' }), { timeoutMs: 1000 }),
  ]);
  assert.equal(a.body, 'http://x/slow 200');
  assert.equal(b.body, 'http://x/fast 200');
  assert.equal(calls.length, 2);
});

test('a throwing handler gets 500, a silent one 504, neighbours unaffected', async () => {
  const logs: string[] = [];
  const fn = loadFunction(`
    const c = require('containerless');
    c.listen(function (req) {
      console.log('path', req.path);
      if (req.path === '/throw') throw new Error('boom');
      if (req.path === '/ok') c.respond('ok');
    });`, { io: noIO, log: (_s, l) => logs.push(l) });
  const t = await fn.invoke(raw({ path: '/throw' }), { timeoutMs: 1000 });
  assert.deepEqual([t.status, JSON.parse(t.body).error], [500, 'Uncaught Error: boom']);
  assert.equal((await fn.invoke(raw({ path: '/silent' }), { timeoutMs: 50 })).status, 504);
  assert.equal((await fn.invoke(raw({ path: '/ok' }), { timeoutMs: 1000 })).body, 'ok');
  assert.ok(logs.includes('path /throw'));
});

test('request body: JSON parsed, text kept, empty is {}', async () => {
  const fn = loadFunction(`const c = require('containerless'); c.listen(function (req) { c.respond({ b: req.body, t: typeof req.body }); });`, { io: noIO, log() {} });
  const j = await fn.invoke(raw({ method: 'POST', body: '{"x":1}', headers: { 'content-type': 'application/json' } }), { timeoutMs: 1000 });
  assert.equal(j.body, '{"b":{"x":1},"t":"object"}');
  const t = await fn.invoke(raw({ method: 'POST', body: 'plain', headers: { 'content-type': 'text/plain' } }), { timeoutMs: 1000 });
  assert.equal(t.body, '{"b":"plain","t":"string"}');
  assert.equal((await fn.invoke(raw(), { timeoutMs: 1000 })).body, '{"b":{},"t":"object"}');
});

test('a function that never calls listen fails to load', () => {
  assert.throws(() => loadFunction(`const x = 1;`, { io: noIO, log() {} }), /did not call containerless.listen/);
});
