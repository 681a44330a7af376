// URL, URLSearchParams, Headers, atob/btoa and crypto.randomUUID in compiled code: every answer
// equals Node's (the oracle runs the same source in src/api's loadFunction), and what is not
// modelled aborts instead of differing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith, accelerate, both, raw } from './helpers.ts';

const H = `const c = require('containerless');\n`;

/** Each program answers one request whose query `x` it reads; all must agree with Node exactly. */
const AGREE: Array<[string, string, string[]]> = [
  ['url parts', `c.listen(function (req) {
  const u = new URL(req.query.x);
  c.respond({ href: u.href, origin: u.origin, protocol: u.protocol, host: u.host, hostname: u.hostname, port: u.port, pathname: u.pathname, search: u.search, hash: u.hash, user: u.username, pass: u.password, s: String(u), t: u.toString(), j: JSON.stringify({ u: u }), is: u instanceof URL, isObj: u instanceof Object, typ: typeof u });
});`, ['http://a.b/c?d=1#e', 'HTTPS://User:Pw@Ex.COM:443/%7Efoo/../bar?x=y z', 'file:///tmp/x', 'http://[::1]:8080/']],
  ['url with base and setters', `c.listen(function (req) {
  const u = new URL(req.query.x, 'https://example.com/a/b/');
  u.pathname = '/p q';
  u.search = '?k=v&k=w';
  u.hash = 'h';
  u.port = '8443';
  c.respond([u.href, u.searchParams.get('k'), u.searchParams.getAll('k'), u.searchParams.size, u.searchParams === u.searchParams]);
});`, ['c/d', '../up', '//other.org/x', '?q']],
  ['invalid url', `c.listen(function (req) {
  try { new URL(req.query.x); c.respond('ok'); }
  catch (e) { c.respond({ name: e.name, message: e.message, code: e.code, input: e.input, keys: Object.keys(e), s: String(e), t: e instanceof TypeError }); }
});`, ['not a url', '', 'http://']],
  ['canParse', `c.listen(function (req) { c.respond([URL.canParse(req.query.x), URL.canParse(req.query.x, 'http://b/')]); });`, ['x', 'http://a', '/p']],
  ['search params', `c.listen(function (req) {
  const p = new URLSearchParams(req.query.x);
  p.append('z', 'last'); p.set('a', 'A'); p.delete('b'); p.sort();
  const seen = [];
  p.forEach(function (v, k) { seen.push(k + '=' + v); });
  c.respond({ s: p.toString(), str: String(p), has: p.has('a'), get: p.get('nope'), all: p.getAll('a'), size: p.size, seen: seen, j: JSON.stringify(p) });
});`, ['a=1&b=2&a=3', '?q=x%20y&b', '', 'é=ü&+=%2B']],
  ['search params from objects', `c.listen(function (req) {
  const a = new URLSearchParams({ name: req.query.x, n: 3, t: true });
  const b = new URLSearchParams([['k', req.query.x], ['k', 'v']]);
  const d = new URLSearchParams(a);
  d.append('more', '1');
  c.respond([a.toString(), b.toString(), d.toString(), a.toString()]);
});`, ['v w', '&=?']],
  ['headers', `c.listen(function (req) {
  const h = new Headers({ 'Content-Type': 'text/plain', 'X-A': ' spaced ' });
  h.append('x-a', req.query.x);
  h.append('Set-Cookie', 'a=1'); h.append('set-cookie', 'b=2');
  h.set('X-B', 'b');
  h.delete('content-type');
  const seen = [];
  h.forEach(function (v, k) { seen.push(k + ':' + v); });
  const copy = new Headers(h);
  const pairs = new Headers([['k', '1'], ['K', '2']]);
  c.respond({ get: h.get('X-A'), none: h.get('nope'), has: h.has('x-b'), cookies: h.getSetCookie(), joined: h.get('set-cookie'), seen: seen, copy: copy.get('x-b'), pairs: pairs.get('k'), s: String(h), j: JSON.stringify({ h: h }), is: h instanceof Headers });
});`, ['one', 'two, three']],
  ['invalid header', `c.listen(function (req) {
  try { new Headers({ [req.query.x]: 'v' }); c.respond('ok'); }
  catch (e) { c.respond({ name: e.name, message: e.message, keys: Object.keys(e) }); }
});`, ['bad name', 'good', '']],
  ['base64', `c.listen(function (req) { const b = btoa(req.query.x); c.respond([b, atob(b), atob(' QUJD ')]); });`, ['hello', '', 'ÿ þ']],
  ['uuid', `c.listen(function (req) { const id = crypto.randomUUID(); c.respond([typeof id, id.length, /* version nibble */ id[14], id === crypto.randomUUID()]); });`, ['-']],
];

for (const [name, body, xs] of AGREE) {
  test(`web objects agree with Node: ${name}`, async () => {
    const { node, accel } = await both(H + body, xs.map((x) => raw({ query: { x } })));
    for (const [i, x] of xs.entries()) assert.deepEqual(accel[i], node[i], `${name} for ${JSON.stringify(x)}`);
  });
}

test('what is not modelled aborts: iteration, inspection, methods as values, writes', async () => {
  const cases: Array<[string, string]> = [
    ['for (const p of new URLSearchParams("a=1")) {}', 'URLSearchParams.prototype.entries'],
    ['new Headers().entries()', 'Headers.prototype.entries'],
    ['console.log(new URL("http://a"))', ''],
    ['const f = new URL("http://a").toString; f()', 'URL.prototype.toString'],
    ['new URL("http://a").extra = 1', 'write:URL.extra'],
    ['crypto.getRandomValues([])', 'crypto.getRandomValues'],
  ];
  for (const [code] of cases) {
    const inst = accelerate(`${H}c.listen(function (req) { ${code}; c.respond('done'); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.equal(r.kind, 'abort', `${code}: ${JSON.stringify(r)}`);
  }
  const inst = accelerate(`${H}c.listen(function (req) { new Headers().entries(); });`);
  assert.ok(abortedWith(await inst.handle(raw(), { timeoutMs: 1000 }), 'unsupported:builtin', 'Headers.prototype.entries'));
});

test('web objects charge fuel by the characters they touch', async () => {
  const long = 'x'.repeat(200_000);
  const inst = accelerate(`${H}c.listen(function (req) { const p = new URLSearchParams(); for (let i = 0; i < 50; i++) p.append('k', req.query.x); c.respond(p.toString().length); });`, undefined, { fuel: 200_000 });
  const r = await inst.handle(raw({ query: { x: long } }), { timeoutMs: 5000 });
  assert.equal(r.kind, 'abort', JSON.stringify(r).slice(0, 200));
  assert.equal(r.kind === 'abort' && r.reason, 'fuel');
});
