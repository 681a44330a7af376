import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFetch, FUNCTION_LIMITS, loadFunction, type IO, type OutboundRequest, type OutboundResponse } from '../../src/api/index.ts';

/** An IO that records the calls and answers from a table keyed by URL. */
function tableIO(answers: Record<string, OutboundResponse | undefined>) {
  const calls: OutboundRequest[] = [];
  const io: IO = {
    async request(req) {
      calls.push(req);
      return answers[req.url];
    },
  };
  return { io, calls };
}

test('fetch builds the outbound call from Request semantics: method, headers, bodies of every kind', async () => {
  const { io, calls } = tableIO({ 'http://b.test/x': { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' } });
  const f = createFetch(io);
  const r = await f('http://b.test/x', { method: 'post', headers: [['X-One', '1']], body: 'text' });
  assert.deepEqual(await r.json(), { ok: true });
  assert.deepEqual([r.status, r.url, r.redirected, r.headers.get('content-type')], [200, 'http://b.test/x', false, 'application/json']);
  assert.deepEqual(calls[0], { method: 'POST', url: 'http://b.test/x', headers: { 'x-one': '1', 'content-type': 'text/plain;charset=UTF-8' }, body: 'text' });
  await f(new URL('http://b.test/x'), { method: 'PUT', body: new URLSearchParams({ a: '1 2' }) });
  assert.deepEqual([calls[1]!.headers['content-type'], calls[1]!.body], ['application/x-www-form-urlencoded;charset=UTF-8', 'a=1+2']);
  const bytes = new Uint8Array([0, 255, 128, 7]);
  await f(new Request('http://b.test/x', { method: 'PATCH', body: bytes.buffer, headers: new Headers({ 'content-type': 'application/octet-stream' }) }));
  assert.deepEqual([calls[2]!.method, calls[2]!.bodyEncoding, Buffer.from(calls[2]!.body!, 'base64')], ['PATCH', 'base64', Buffer.from(bytes)]);
  await f('http://b.test/x', { method: 'DELETE', body: new Blob(['blob']) });
  assert.equal(calls[3]!.body, 'blob');
  await f('http://b.test/x');
  assert.deepEqual(calls[4], { method: 'GET', url: 'http://b.test/x', headers: {} });
});

test('fetch responses: binary bytes, null bodies, refused calls and bad arguments', async () => {
  const png = Buffer.from([137, 80, 78, 71, 0, 255]);
  const { io, calls } = tableIO({
    'http://b.test/png': { status: 200, headers: { 'content-type': 'image/png' }, body: png.toString('base64'), bodyEncoding: 'base64' },
    'http://b.test/none': { status: 204, headers: {}, body: '' },
    'http://b.test/head': { status: 200, headers: { 'content-length': '10' }, body: '' },
  });
  const f = createFetch(io);
  const r = await f('http://b.test/png');
  assert.deepEqual(Buffer.from(await r.arrayBuffer()), png);
  assert.equal((await f('http://b.test/none')).body, null);
  assert.equal((await f('http://b.test/head', { method: 'HEAD' })).body, null);
  const refused = await f('http://b.test/refused').then(() => undefined, (e: unknown) => e);
  assert.ok(refused instanceof TypeError);
  assert.equal(refused.message, 'fetch failed');
  assert.match(String((refused.cause as Error).message), /did not complete the call to http:\/\/b\.test\/refused/);
  await assert.rejects(f('/relative'), TypeError);
  await assert.rejects(f('http://b.test/x', { method: 'PROPFIND' }), /not one the platform calls with/);
  await assert.rejects(f('ftp://b.test/x'), /fetch failed/);
  await assert.rejects(f('http://b.test/x', { method: 'POST', body: new Uint8Array(FUNCTION_LIMITS.maxOutboundBodyBytes + 1) }), /fetch: body too large/);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(f('http://b.test/png', { signal: ac.signal }), { name: 'AbortError' });
  assert.equal(calls.filter((c) => c.url === 'http://b.test/x').length, 0, 'bad calls never reach the I/O layer');
});

test('fetch follows redirects one platform call per hop, as the redirect mode says', async () => {
  const { io, calls } = tableIO({
    'http://b.test/a': { status: 302, headers: { location: '/b' }, body: '' },
    'http://b.test/b': { status: 307, headers: { location: 'http://c.test/c' }, body: '' },
    'http://c.test/c': { status: 200, headers: {}, body: 'landed' },
    'http://b.test/loop': { status: 301, headers: { location: '/loop' }, body: '' },
  });
  const f = createFetch(io);
  const r = await f('http://b.test/a', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
  assert.deepEqual([await r.text(), r.url, r.redirected], ['landed', 'http://c.test/c', true]);
  assert.deepEqual(calls.map((c) => [c.method, c.url, c.body, c.headers['content-type']]), [
    ['POST', 'http://b.test/a', 'x', 'text/plain'],
    ['GET', 'http://b.test/b', undefined, undefined],
    ['GET', 'http://c.test/c', undefined, undefined],
  ]);
  const manual = await f('http://b.test/a', { redirect: 'manual' });
  assert.deepEqual([manual.status, manual.headers.get('location')], [302, '/b']);
  await assert.rejects(f('http://b.test/a', { redirect: 'error' }), /fetch failed/);
  await assert.rejects(f('http://b.test/loop'), (e: Error) => e instanceof TypeError && /redirect count exceeded/.test(String((e.cause as Error).message)));
});

test('with globalFetch the function sees the platform fetch as globalThis.fetch, per request', async (t) => {
  const original = globalThis.fetch;
  t.after(() => {
    globalThis.fetch = original;
  });
  const seen: Array<string | undefined> = [];
  const holder: { fn?: ReturnType<typeof loadFunction> } = {};
  const io: IO = {
    async request(req) {
      seen.push(holder.fn?.current()?.id);
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: `for ${req.url}` };
    },
  };
  const fn = (holder.fn = loadFunction(
    `
    const c = require('containerless');
    c.listen(async function (req) {
      const r = await fetch('http://backend.test' + req.path);
      c.respond({ same: fetch === globalThis.fetch, text: await r.text(), isResponse: r instanceof Response });
    });`,
    { io, log() {}, globalFetch: true },
  ));
  const res = await fn.invoke({ method: 'GET', path: '/p', query: {}, headers: {}, body: '' }, { timeoutMs: 2000, id: 'req-1' });
  assert.deepEqual(JSON.parse(res.body), { same: true, text: 'for http://backend.test/p', isResponse: true });
  assert.deepEqual(seen, ['req-1']);
});
