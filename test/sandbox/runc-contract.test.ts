import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Container, SandboxDriver } from '../../src/sandbox/index.ts';
import { ensureRunc, invoke, killAll, makeDriver, respond, runcIds, startMockServer, startWith, tmpStateDir, type LogLine, type MockServer } from './helpers.ts';

// CONTRACT §1, row by row, through a real runc container and a real loopback backend.
const SOURCE = `
const c = require('containerless');
const out = (v) => c.respond(v);
c.listen(function (req) {
  const p = req.path;
  if (p === '/req') return out({ method: req.method, path: req.path, query: req.query, headers: req.headers, body: req.body });
  if (p === '/bodytype') return out(typeof req.body + ':' + JSON.stringify(req.body));
  if (p === '/length') return out(req.body.length + ':' + req.body);
  if (p === '/string') return out('hello');
  if (p === '/undefined') return out(undefined);
  if (p === '/number') return out(42.5);
  if (p === '/boolean') return out(false);
  if (p === '/null') return out(null);
  if (p === '/object') return out({ a: 1, b: [true, null, 'x'] });
  if (p === '/array') return out([1, 'two', { three: 3 }]);
  if (p === '/options') return c.respond('made', { status: 201, headers: { 'X-Custom': 'v', 'Content-Type': 'text/csv' } });
  if (p === '/twice') { c.respond('first'); c.respond('second'); return; }
  if (p === '/get') return c.get(req.query.url, (body, meta) => out({ body, meta }));
  if (p === '/gettext') return c.get(req.query.url, (body) => out(body));
  if (p === '/post') return c.post({ url: req.query.url, body: { n: 1 } }, (body, meta) => out({ body, status: meta.status }));
  if (p === '/posttext') return c.post({ url: req.query.url, body: 'raw text', headers: { 'Content-Type': 'text/plain' } }, (body) => out(body));
  if (p === '/put') return c.put({ url: req.query.url, body: [1, 2] }, (body) => out(body));
  if (p === '/delete') return c.delete(req.query.url, (body) => out(body));
  if (p === '/deleteopts') return c.delete({ url: req.query.url }, (body) => out(body));
  if (p === '/neterr') return c.get(req.query.url, (body, meta) => out({ undef: body === undefined, meta: meta === undefined }));
  if (p === '/throw') throw new TypeError('bad thing');
  if (p === '/silent') return;
  if (p === '/log') { console.log('to stdout', 1); console.error('to stderr'); return out('logged'); }
  out('unknown');
});
`;

let state: ReturnType<typeof tmpStateDir>;
let driver: SandboxDriver;
let c: Container;
let logs: LogLine[];
let mock: MockServer;

before(async () => {
  ensureRunc();
  state = tmpStateDir('contract');
  driver = await makeDriver('runc', state.dir);
  mock = await startMockServer();
  ({ c, logs } = await startWith(driver, SOURCE));
});

after(async () => {
  await killAll();
  await mock?.close();
  state?.remove();
});

const TEXT = 'text/plain; charset=utf-8';
const JSON_T = 'application/json; charset=utf-8';

test('the container is a runc container, listed by runc while it runs', () => {
  assert.equal(c.driver, 'runc');
  assert.ok(runcIds().includes(`cl-${c.id}`), 'runc list shows the container');
});

test('req fields for GET with query and headers, and no body', async () => {
  const r = await respond(c, { method: 'GET', path: '/req', query: { a: '1', b: 'two' }, headers: { 'x-h': 'v' } });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], JSON_T);
  assert.deepEqual(JSON.parse(r.body), { method: 'GET', path: '/req', query: { a: '1', b: 'two' }, headers: { 'x-h': 'v' }, body: {} });
});

test('req.body: JSON parsed, text as text, no body as {}', async () => {
  const json = await respond(c, { method: 'POST', path: '/bodytype', headers: { 'content-type': 'application/json' }, body: '{"k":[1,2]}' });
  assert.equal(json.body, 'object:{"k":[1,2]}');
  const text = await respond(c, { method: 'POST', path: '/bodytype', headers: { 'content-type': 'text/plain' }, body: 'just text' });
  assert.equal(text.body, 'string:"just text"');
  const none = await respond(c, { method: 'POST', path: '/bodytype' });
  assert.equal(none.body, 'object:{}');
  const put = await respond(c, { method: 'PUT', path: '/req', headers: { 'content-type': 'application/json' }, body: '[1]' });
  assert.deepEqual(JSON.parse(put.body).body, [1]);
  assert.equal(JSON.parse(put.body).method, 'PUT');
});

test('a 2 MB request body and a 2 MB response cross the socket intact', async () => {
  const body = 'ab'.repeat(1024 * 1024 - 2) + 'éxyz';
  const r = await respond(c, { method: 'POST', path: '/length', headers: { 'content-type': 'text/plain' }, body }, 10000);
  assert.equal(r.body.length, String(body.length).length + 1 + body.length);
  assert.ok(r.body === `${body.length}:${body}`);
});

test('every respond format', async () => {
  const cases: [string, string, string][] = [
    ['/string', TEXT, 'hello'],
    ['/undefined', TEXT, 'undefined'],
    ['/number', TEXT, '42.5'],
    ['/boolean', TEXT, 'false'],
    ['/null', JSON_T, 'null'],
    ['/object', JSON_T, '{"a":1,"b":[true,null,"x"]}'],
    ['/array', JSON_T, '[1,"two",{"three":3}]'],
  ];
  for (const [p, type, body] of cases) {
    const r = await respond(c, { path: p });
    assert.deepEqual([r.status, r.headers['content-type'], r.body], [200, type, body], p);
  }
});

test('respond options set status and headers; only the first respond counts', async () => {
  const r = await respond(c, { path: '/options' });
  assert.equal(r.status, 201);
  assert.equal(r.headers['x-custom'], 'v');
  assert.equal(r.headers['content-type'], 'text/csv');
  assert.equal(r.body, 'made');
  const twice = await respond(c, { path: '/twice' });
  assert.equal(twice.body, 'first');
});

test('get, post, put, delete reach the loopback backend through the I/O layer', async () => {
  const q = (p: string) => ({ url: mock.url + p });
  const g = JSON.parse((await respond(c, { path: '/get', query: q('/g?x=1') })).body);
  assert.deepEqual(g.body, { method: 'GET', url: '/g?x=1', body: '', contentType: null });
  assert.equal(g.meta.status, 200);
  assert.equal(g.meta.headers['x-mock'], 'yes');
  assert.equal((await respond(c, { path: '/gettext', query: q('/text') })).body, 'plain text');

  const p = JSON.parse((await respond(c, { path: '/post', query: q('/created') })).body);
  assert.equal(p.status, 201);
  assert.equal(p.body.method, 'POST');
  assert.deepEqual(JSON.parse(p.body.body), { n: 1 });
  assert.match(p.body.contentType, /application\/json/);
  const pt = JSON.parse((await respond(c, { path: '/posttext', query: q('/pt') })).body);
  assert.deepEqual([pt.body, pt.contentType], ['raw text', 'text/plain']);

  const u = JSON.parse((await respond(c, { path: '/put', query: q('/u') })).body);
  assert.deepEqual([u.method, u.body], ['PUT', '[1,2]']);
  const d = JSON.parse((await respond(c, { path: '/delete', query: q('/d1') })).body);
  assert.deepEqual([d.method, d.url], ['DELETE', '/d1']);
  const d2 = JSON.parse((await respond(c, { path: '/deleteopts', query: q('/d2') })).body);
  assert.deepEqual([d2.method, d2.url], ['DELETE', '/d2']);
  assert.deepEqual(
    mock.hits.map((h) => h.method),
    ['GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'DELETE'],
  );
});

test('a network error gives undefined', async () => {
  // Port 1 on loopback: nothing listens, the connection is refused.
  const r = JSON.parse((await respond(c, { path: '/neterr', query: { url: 'http://127.0.0.1:1/x' } })).body);
  assert.deepEqual(r, { undef: true, meta: true });
});

test('a throwing handler gets 500, a silent one 504 from the runner, and the container stays up', async () => {
  const t = await respond(c, { path: '/throw' });
  assert.equal(t.status, 500);
  assert.deepEqual(JSON.parse(t.body), { error: 'Uncaught TypeError: bad thing' });
  // A response (not the link's `timeout`): the runner itself answers when the request's time is up.
  const s = await respond(c, { path: '/silent' }, 300);
  assert.deepEqual([s.status, JSON.parse(s.body)], [504, { error: 'function timed out after 300 ms' }]);
  assert.equal((await respond(c, { path: '/string' })).body, 'hello');
  assert.ok(logs.some((l) => l.stream === 'stderr' && l.line.includes('TypeError: bad thing')));
});

test('console output reaches the logs with its request id', async () => {
  const out = await invoke(c, { path: '/log' });
  assert.equal(out.kind, 'response');
  const mine = logs.filter((l) => l.line === 'to stdout 1' || l.line === 'to stderr');
  assert.deepEqual(
    mine.map((l) => [l.stream, l.line]),
    [
      ['stdout', 'to stdout 1'],
      ['stderr', 'to stderr'],
    ],
  );
  assert.ok(mine.every((l) => typeof l.id === 'string' && l.id.length > 0));
});

test('50 concurrent requests to one runner are answered correctly and apart', async () => {
  const fifty = Array.from({ length: 50 }, (_, i) => i);
  const outs = await Promise.all(fifty.map((i) => respond(c, { path: '/get', query: { url: `${mock.url}/n${i}` } })));
  outs.forEach((r, i) => assert.equal(JSON.parse(r.body).body.url, `/n${i}`));
});

test('after kill the container is gone from runc list', async () => {
  const id = `cl-${c.id}`;
  await c.kill();
  const e = await c.exited;
  assert.equal(e.reason, 'killed by the platform');
  assert.ok(!runcIds().includes(id));
  const late = await invoke(c, { path: '/string' });
  assert.equal(late.kind, 'died');
});
