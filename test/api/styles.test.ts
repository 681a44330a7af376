import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFunction, type HostOptions, type IO, type RawRequest } from '../../src/api/index.ts';

const noIO: IO = { request: async () => undefined };
const raw = (over: Partial<RawRequest> = {}): RawRequest => ({ method: 'GET', path: '/', query: {}, headers: {}, body: '', ...over });
const load = (src: string, over: Partial<HostOptions> = {}) => {
  const logs: string[] = [];
  const fn = loadFunction(src, { io: noIO, log: (_s, line) => logs.push(line), functionName: 'fn', functionVersion: 3, memoryMb: 256, ...over });
  return { fn, logs, run: (r: Partial<RawRequest> = {}, timeoutMs = 2000) => fn.invoke(raw(r), { timeoutMs }) };
};
const BYTES = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80]);

test('styles are recognized from what the top level did, first match wins', () => {
  const style = (src: string) => load(src).fn.style;
  assert.equal(style(`require('containerless').listen(() => {}); exports.handler = () => 1;`), 'paper');
  assert.equal(style(`exports.default = { fetch() {} }; exports.handler = () => 1;`), 'web');
  assert.equal(style(`exports.handler = async () => 1; exports.main = () => 1;`), 'lambda');
  assert.equal(style(`exports.main = () => ({})`), 'openwhisk');
  assert.equal(style(`module.exports = function (params) { return {}; }`), 'openwhisk');
  assert.equal(style(`function main(params) { return { body: 'x' }; }`), 'openwhisk');
  assert.equal(style(`function main(params) { return {}; } // last line is a comment`), 'openwhisk');
  assert.throws(() => load(`const main = 1; exports.x = 2;`), /did not call containerless\.listen .*export default \{ fetch \} \(Web\), exports\.handler \(Lambda\) or a function main \(OpenWhisk\)/);
});

test('paper: an async handler works, and its rejection before respond is a 500 with the stack logged', async () => {
  const { run, logs } = load(`
    const c = require('containerless');
    c.listen(async function (req) {
      await new Promise((r) => setTimeout(r, 5));
      if (req.path === '/reject') throw new RangeError('late ' + req.path);
      c.respond({ got: req.path });
    });`);
  const ok = await run({ path: '/a' });
  assert.deepEqual([ok.status, ok.body], [200, '{"got":"/a"}']);
  const bad = await run({ path: '/reject' });
  assert.deepEqual([bad.status, JSON.parse(bad.body)], [500, { error: 'Uncaught RangeError: late /reject' }]);
  assert.ok(logs.some((l) => l.startsWith('Uncaught RangeError: late /reject') && l.includes('\n    at ')), logs.join('\n'));
});

test('paper: binary bodies are a Buffer in, bytes out', async () => {
  const { run } = load(`
    const c = require('containerless');
    c.listen(function (req) {
      if (req.path === '/type') return c.respond(Buffer.isBuffer(req.body) ? 'buffer ' + req.body.length : typeof req.body);
      if (req.path === '/u8') return c.respond(new Uint8Array([1, 2, 3]).subarray(1));
      if (req.path === '/ab') return c.respond(new Uint8Array([9, 8]).buffer, { status: 201, headers: { 'Content-Type': 'image/png' } });
      c.respond(Buffer.from(req.body).reverse());
    });`);
  const b64 = BYTES.toString('base64');
  assert.equal((await run({ path: '/type', method: 'POST', body: b64, bodyEncoding: 'base64', headers: { 'content-type': 'application/octet-stream' } })).body, 'buffer 6');
  const echo = await run({ method: 'POST', body: b64, bodyEncoding: 'base64' });
  assert.deepEqual([echo.bodyEncoding, echo.headers['content-type'], Buffer.from(echo.body, 'base64')], ['base64', 'application/octet-stream', Buffer.from(BYTES).reverse()]);
  const u8 = await run({ path: '/u8' });
  assert.deepEqual(Buffer.from(u8.body, 'base64'), Buffer.from([2, 3]));
  const ab = await run({ path: '/ab' });
  assert.deepEqual([ab.status, ab.headers['content-type'], Buffer.from(ab.body, 'base64')], [201, 'image/png', Buffer.from([9, 8])]);
});

test('lambda: the payload 2.0 event and context', async () => {
  const { run } = load(`exports.handler = async (event, context) => ({ event, ctx: { name: context.functionName, version: context.functionVersion, id: context.awsRequestId, mem: context.memoryLimitInMB, left: context.getRemainingTimeInMillis() > 0 } });`);
  const res = await run({
    method: 'POST',
    path: '/a/b',
    query: { x: '2' },
    queryString: 'x=1&x=2&y=%20z',
    headers: { host: 'api.example.com', 'content-type': 'application/json', cookie: 'a=1; b=2', 'user-agent': 'ua/1' },
    body: '{"k":1}',
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  const { event, ctx } = JSON.parse(res.body);
  assert.equal(event.version, '2.0');
  assert.equal(event.routeKey, '$default');
  assert.equal(event.rawPath, '/a/b');
  assert.equal(event.rawQueryString, 'x=1&x=2&y=%20z');
  assert.deepEqual(event.queryStringParameters, { x: '1,2', y: ' z' });
  assert.deepEqual(event.cookies, ['a=1', 'b=2']);
  assert.deepEqual(event.headers, { host: 'api.example.com', 'content-type': 'application/json', 'user-agent': 'ua/1' });
  assert.deepEqual([event.body, event.isBase64Encoded], ['{"k":1}', false]);
  assert.deepEqual(event.requestContext.http, { method: 'POST', path: '/a/b', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'ua/1' });
  assert.equal(event.requestContext.domainName, 'api.example.com');
  assert.equal(typeof event.requestContext.requestId, 'string');
  assert.equal(event.requestContext.requestId, ctx.id);
  assert.deepEqual(ctx, { name: 'fn', version: '3', id: ctx.id, mem: '256', left: true });
  const bare = JSON.parse((await run()).body).event;
  assert.equal('queryStringParameters' in bare, false);
  assert.equal('body' in bare, false);
  assert.equal('cookies' in bare, false);
  assert.equal(bare.rawQueryString, '');
});

test('lambda: results, callbacks, binary both ways, errors', async () => {
  const { run, logs } = load(`
    exports.handler = (event, context, callback) => {
      switch (event.rawPath) {
        case '/string': return callback(null, 'Hello from Lambda!');
        case '/object': return callback(null, { message: 'hi', n: [1] });
        case '/full': return callback(null, { statusCode: 201, headers: { 'X-A': 1, 'Content-Type': 'text/csv' }, cookies: ['a=1', 'b=2; Path=/'], body: 'x,y' });
        case '/nobody': return callback(null, { statusCode: 404 });
        case '/bin': return callback(null, { statusCode: 200, isBase64Encoded: true, body: Buffer.from(event.body, 'base64').reverse().toString('base64') });
        case '/binin': return callback(null, { b64: event.isBase64Encoded, body: event.body });
        case '/err': return callback(new TypeError('callback error'));
        case '/later': setTimeout(() => callback(null, 'later'), 5); return 'ignored';
        case '/null': setTimeout(() => callback(null, 'after null'), 5); return null;
        case '/twice': callback(null, 'first'); callback(null, 'second'); return;
        case '/badstatus': return callback(null, { statusCode: 'teapot' });
        case '/throw': throw new Error('sync throw');
      }
    };`);
  const str = await run({ path: '/string' });
  assert.deepEqual([str.status, str.headers['content-type'], str.body], [200, 'application/json; charset=utf-8', 'Hello from Lambda!']);
  assert.equal((await run({ path: '/object' })).body, '{"message":"hi","n":[1]}');
  const full = await run({ path: '/full' });
  assert.deepEqual([full.status, full.headers, full.body], [201, { 'x-a': '1', 'content-type': 'text/csv', 'set-cookie': 'a=1, b=2; Path=/' }, 'x,y']);
  const nobody = await run({ path: '/nobody' });
  assert.deepEqual([nobody.status, nobody.body], [404, '']);
  const bin = await run({ path: '/bin', method: 'POST', body: BYTES.toString('base64'), bodyEncoding: 'base64', headers: { 'content-type': 'application/octet-stream' } });
  assert.deepEqual([bin.headers['content-type'], Buffer.from(bin.body, 'base64')], ['application/octet-stream', Buffer.from(BYTES).reverse()]);
  assert.equal(bin.bodyEncoding, 'base64');
  // A valid-UTF-8 body whose type is not text is still given in base64 (CONTRACT §1b).
  const binin = JSON.parse((await run({ path: '/binin', method: 'POST', body: 'abc', headers: { 'content-type': 'image/gif' } })).body);
  assert.deepEqual(binin, { b64: true, body: Buffer.from('abc').toString('base64') });
  assert.equal((await run({ path: '/later' })).body, 'later');
  assert.equal((await run({ path: '/null' })).body, 'after null');
  assert.equal((await run({ path: '/twice' })).body, 'first');
  const err = await run({ path: '/err' });
  assert.deepEqual([err.status, JSON.parse(err.body).error], [500, 'Uncaught TypeError: callback error']);
  assert.ok(logs.some((l) => l.startsWith('Uncaught TypeError: callback error\n    at ')));
  assert.equal((await run({ path: '/throw' })).status, 500);
  const bad = await run({ path: '/badstatus' });
  assert.equal(bad.status, 500);
  assert.match(JSON.parse(bad.body).error, /statusCode is not an HTTP status/);
});

test('lambda: async handlers resolve or reject; a sync two-parameter handler returns its value', async () => {
  const a = load(`exports.handler = async (event) => { if (event.rawPath === '/no') throw new Error('nope'); return { statusCode: 202, body: JSON.stringify({ ok: 1 }) }; };`);
  const ok = await a.run();
  assert.deepEqual([ok.status, ok.headers['content-type'], ok.body], [202, 'text/plain; charset=utf-8', '{"ok":1}']);
  const no = await a.run({ path: '/no' });
  assert.deepEqual([no.status, JSON.parse(no.body).error], [500, 'Uncaught Error: nope']);
  assert.ok(a.logs.some((l) => l.includes('Error: nope')));
  const s = load(`exports.handler = (event) => [event.rawPath];`);
  assert.equal((await s.run({ path: '/p' })).body, '["/p"]');
  const u = load(`exports.handler = async () => {};`);
  assert.equal((await u.run()).body, 'null');
});

test('openwhisk: params merge the query and a JSON object body, with the __ow_ fields', async () => {
  const { run } = load(`function main(params) { return { body: params }; }`);
  const res = await run({ method: 'POST', path: '/x/y', query: { a: '1', b: 'q' }, headers: { 'content-type': 'application/json' }, body: '{"b":"body","c":[1]}' });
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual(JSON.parse(res.body), { a: '1', b: 'body', c: [1], __ow_method: 'post', __ow_headers: { 'content-type': 'application/json' }, __ow_path: '/x/y' });
  const root = JSON.parse((await run({ query: { q: '1' } })).body);
  assert.deepEqual(root, { q: '1', __ow_method: 'get', __ow_headers: {}, __ow_path: '' });
  const text = JSON.parse((await run({ method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'hello' })).body);
  assert.equal(text.__ow_body, 'hello');
  const arr = JSON.parse((await run({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: '[1,2]' })).body);
  assert.equal(arr.__ow_body, '[1,2]');
  const bin = JSON.parse((await run({ method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: BYTES.toString('base64'), bodyEncoding: 'base64' })).body);
  assert.equal(bin.__ow_body, BYTES.toString('base64'));
});

test('openwhisk: results map to responses; a throw or rejection is a 500', async () => {
  const { run, logs } = load(`
    exports.main = async function (params) {
      switch (params.__ow_path) {
        case '/text': return { body: '<b>hi</b>' };
        case '/status': return { statusCode: 201, headers: { 'X-Y': 'z' }, body: { made: true } };
        case '/empty': return {};
        case '/nothing': return;
        case '/png': return { headers: { 'content-type': 'image/png' }, body: Buffer.from([137, 80, 78, 71]).toString('base64') };
        case '/typed': return { headers: { 'Content-Type': 'text/plain' }, body: 'plain' };
        case '/bad': return 'a string';
        case '/reject': throw new Error('ow failure');
      }
    };`);
  const text = await run({ path: '/text' });
  assert.deepEqual([text.status, text.headers['content-type'], text.body], [200, 'text/html; charset=utf-8', '<b>hi</b>']);
  const st = await run({ path: '/status' });
  assert.deepEqual([st.status, st.headers['x-y'], st.headers['content-type'], st.body], [201, 'z', 'application/json; charset=utf-8', '{"made":true}']);
  assert.deepEqual([(await run({ path: '/empty' })).status, (await run({ path: '/nothing' })).status], [204, 204]);
  const png = await run({ path: '/png' });
  assert.deepEqual([png.bodyEncoding, Buffer.from(png.body, 'base64')], ['base64', Buffer.from([137, 80, 78, 71])]);
  assert.deepEqual([(await run({ path: '/typed' })).headers['content-type'], (await run({ path: '/typed' })).body], ['text/plain', 'plain']);
  const bad = await run({ path: '/bad' });
  assert.equal(bad.status, 500);
  assert.match(JSON.parse(bad.body).error, /result is not an object/);
  const rej = await run({ path: '/reject' });
  assert.deepEqual([rej.status, JSON.parse(rej.body).error], [500, 'Uncaught Error: ow failure']);
  assert.ok(logs.some((l) => l.startsWith('Uncaught Error: ow failure\n')));
});

test('web: Request in, Response out, env, waitUntil, binary both ways', async () => {
  const { run, logs } = load(
    `
    exports.default = {
      async fetch(request, env, ctx) {
        const url = new URL(request.url);
        if (url.pathname === '/echo') {
          const bytes = new Uint8Array(await request.arrayBuffer());
          return new Response(bytes.reverse(), { status: 202, headers: { 'content-type': 'application/octet-stream', 'X-Len': String(bytes.length) } });
        }
        if (url.pathname === '/info') {
          return Response.json({ url: request.url, method: request.method, h: request.headers.get('x-h'), env: env.GREETING, text: await request.text() });
        }
        if (url.pathname === '/wait') {
          ctx.waitUntil(new Promise((_, reject) => setTimeout(() => reject(new Error('background failed')), 5)));
          ctx.passThroughOnException();
          return new Response('sent first');
        }
        if (url.pathname === '/cookies') {
          const h = new Headers(); h.append('set-cookie', 'a=1'); h.append('set-cookie', 'b=2');
          return new Response(null, { status: 204, headers: h });
        }
        if (url.pathname === '/notresponse') return { status: 200 };
        throw new Error('web throw');
      },
    };`,
    { env: { GREETING: 'hello' } },
  );
  const echo = await run({ method: 'POST', path: '/echo', body: BYTES.toString('base64'), bodyEncoding: 'base64', headers: { 'content-type': 'application/octet-stream' } });
  assert.deepEqual([echo.status, echo.headers['x-len'], echo.bodyEncoding, Buffer.from(echo.body, 'base64')], [202, '6', 'base64', Buffer.from(BYTES).reverse()]);
  const info = await run({ method: 'PUT', path: '/info', queryString: 'a=1&a=2', query: { a: '2' }, headers: { host: 'h.example:8080', 'x-h': 'v', 'content-type': 'text/plain' }, body: 'body text' });
  assert.equal(info.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(info.body), { url: 'http://h.example:8080/info?a=1&a=2', method: 'PUT', h: 'v', env: 'hello', text: 'body text' });
  const get = JSON.parse((await run({ path: '/info', query: { q: 'a b' } })).body);
  assert.equal(get.url, 'http://localhost/info?q=a+b');
  const wait = await run({ path: '/wait' });
  assert.equal(wait.body, 'sent first');
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(logs.some((l) => l.startsWith('Uncaught (in waitUntil) Error: background failed')), logs.join('\n'));
  const cookies = await run({ path: '/cookies' });
  assert.deepEqual([cookies.status, cookies.headers['set-cookie']], [204, 'a=1, b=2']);
  const not = await run({ path: '/notresponse' });
  assert.equal(not.status, 500);
  assert.match(JSON.parse(not.body).error, /did not answer with a Response: it gave an object/);
  assert.equal((await run({ path: '/throw' })).status, 500);
  assert.ok(logs.some((l) => l.startsWith('Uncaught Error: web throw')));
});

test('the same request gives plain-Node answers for regexps, classes, generators, Map/Set and Date', async () => {
  const { run } = load(`
    class Counter { #n = 0; inc() { return ++this.#n; } }
    function* ids(n) { for (let i = 0; i < n; i++) yield 'id' + i; }
    exports.handler = async (event) => {
      const c = new Counter(); c.inc();
      const m = new Map([['a', 1]]); const s = new Set([1, 1, 2]);
      const words = (event.body || '').match(/\\b\\w{3}\\b/g);
      return { n: c.inc(), ids: [...ids(3)], m: [...m], s: [...s], words, d: new Date(Date.UTC(2020, 1, 29)).toISOString() };
    };`);
  const res = await run({ method: 'POST', body: 'the cat sat on a mat', headers: { 'content-type': 'text/plain' } });
  assert.deepEqual(JSON.parse(res.body), { n: 2, ids: ['id0', 'id1', 'id2'], m: [['a', 1]], s: [1, 2], words: ['the', 'cat', 'sat', 'mat'], d: '2020-02-29T00:00:00.000Z' });
});
