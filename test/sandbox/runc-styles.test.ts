import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { bodyBytes, encodeBody, parseQuery, type FnResponse, type RawRequest } from '../../src/api/index.ts';
import type { Container, SandboxDriver } from '../../src/sandbox/index.ts';
import { mediaType, startReference, type SentRequest } from '../helpers/reference-runner.ts';
import { ensureRunc, killAll, makeDriver, startMockServer, tmpStateDir, track, undiciIO, uniqueId, type LogLine, type MockServer } from './helpers.ts';

// Every style in a real runc container, answering what plain Node running the style's semantics
// answers (the reference runner), binary bodies included: the runner's part of CONTRACT §1b, below
// the HTTP server (whose byte handling is the platform's).

let state: ReturnType<typeof tmpStateDir>;
let driver: SandboxDriver;
let backend: MockServer;

before(async () => {
  ensureRunc();
  state = tmpStateDir('styles');
  driver = await makeDriver('runc', state.dir);
  backend = await startMockServer();
});
after(async () => {
  await killAll();
  await backend?.close();
  state?.remove();
});

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/styles/${name}`, import.meta.url));
const BYTES = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x7f, 0xc3]);

async function start(name: string, env: Record<string, string>): Promise<{ c: Container; logs: LogLine[] }> {
  const logs: LogLine[] = [];
  const c = track(await driver.start({ id: uniqueId('styles'), memoryMb: 128, pids: 64, network: 'none', io: undiciIO, log: (stream, line, id) => logs.push({ stream, line, id }) }));
  await c.load({ name: name.replace(/\W/g, '-'), version: 1, source: readFileSync(fixture(name), 'utf8'), env });
  return { c, logs };
}

/** The request as the platform's HTTP route hands it to a container. */
function toRaw(req: SentRequest): RawRequest {
  const bytes = Buffer.from(req.body ?? '');
  const headers: Record<string, string> = { host: 'fn.test' };
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  if (req.body !== undefined) headers['content-length'] = String(bytes.length);
  const raw: RawRequest = { method: req.method ?? 'GET', path: req.path, query: parseQuery(req.query ?? ''), headers, ...encodeBody(bytes, headers['content-type']) };
  if (req.query !== undefined) raw.queryString = req.query;
  return raw;
}

let rid = 0;
async function compare(c: Container, ref: Awaited<ReturnType<typeof startReference>>, req: SentRequest): Promise<FnResponse> {
  const out = await c.invoke(toRaw(req), { timeoutMs: 5000, requestId: `s${++rid}` });
  assert.equal(out.kind, 'response', JSON.stringify(out));
  const res = (out as { response: FnResponse }).response;
  const want = await ref.send(req);
  const what = `${req.method ?? 'GET'} ${req.path}`;
  assert.equal(res.status, want.status, `${what}: status`);
  assert.deepEqual(bodyBytes(res), want.body, `${what}: body (${bodyBytes(res).toString()} vs ${want.body.toString()})`);
  if (want.body.length > 0) assert.equal(mediaType(res.headers['content-type']), mediaType(want.headers['content-type']), `${what}: content type`);
  return res;
}

const binary = (path: string, type = 'application/octet-stream'): SentRequest => ({ method: 'POST', path, headers: { 'content-type': type }, body: BYTES });

test('paper style, async handler: same answers as plain Node, bytes and fetch included', async (t) => {
  const env = { BACKEND: backend.url };
  const { c, logs } = await start('paper-async.js', env);
  const ref = await startReference(t, fixture('paper-async.js'), { env });
  assert.equal(ref.style, 'paper');
  for (const req of [
    { path: '/' },
    { method: 'POST', path: '/words', headers: { 'content-type': 'text/plain' }, body: 'The cat saw the other cat' },
    { method: 'POST', path: '/words', headers: { 'content-type': 'application/json' }, body: '{"a":"dog dog"}' },
    { path: '/date', query: 'days=30' },
    { path: '/fetch', query: 'x=1' },
    binary('/binary'),
    binary('/binary', 'image/png'),
    { method: 'POST', path: '/binary', headers: { 'content-type': 'text/plain' }, body: 'text stays text' },
    { path: '/reject', query: 'n=7' },
  ] satisfies SentRequest[]) await compare(c, ref, req);
  assert.ok(logs.some((l) => l.stream === 'stderr' && l.line.startsWith('Uncaught TypeError: async failure 7\n    at ')), 'the stack is in the logs');
});

test('Lambda, async and callback handlers: same answers as plain Node', async (t) => {
  const env = { BACKEND: backend.url };
  const { c } = await start('lambda-async.js', env);
  const ref = await startReference(t, fixture('lambda-async.js'), { env });
  assert.equal(ref.style, 'lambda');
  for (const req of [
    { path: '/echo', query: 'a=1&a=2&b=x%20y', headers: { cookie: 'k=v; m=n', 'x-test': 't' } },
    { method: 'POST', path: '/echo', headers: { 'content-type': 'application/json' }, body: '{"j":1}' },
    { method: 'POST', path: '/echo', headers: { 'content-type': 'image/gif' }, body: 'GIF89a' },
    binary('/echo'),
    { path: '/string' },
    { path: '/object' },
    binary('/binary'),
    { method: 'POST', path: '/hash', headers: { 'content-type': 'text/plain' }, body: 'abc' },
    { path: '/fetch' },
    { path: '/throw' },
    { path: '/nowhere' },
  ] satisfies SentRequest[]) await compare(c, ref, req);

  const cb = await start('lambda-callback.js', {});
  const cbRef = await startReference(t, fixture('lambda-callback.js'));
  for (const req of [{ path: '/' }, { path: '/', query: 'n=12' }, { path: '/fail' }] satisfies SentRequest[]) await compare(cb.c, cbRef, req);
  assert.ok(cb.logs.some((l) => l.line.startsWith('Uncaught Error: callback failure\n')));
});

test('OpenWhisk and Web: same answers as plain Node', async (t) => {
  const ow = await start('openwhisk.js', {});
  const owRef = await startReference(t, fixture('openwhisk.js'));
  assert.equal(owRef.style, 'openwhisk');
  for (const req of [
    { path: '/', query: 'a=1&b=2' },
    { method: 'POST', path: '/p/q', query: 'a=1&b=2', headers: { 'content-type': 'application/json' }, body: '{"b":"body wins","c":[true]}' },
    { method: 'PUT', path: '/x', headers: { 'content-type': 'text/plain' }, body: 'some text' },
    { method: 'POST', path: '/html', query: 'name=Ada' },
    binary('/bin'),
    { path: '/empty' },
    { path: '/fail' },
  ] satisfies SentRequest[]) await compare(ow.c, owRef, req);

  const env = { BACKEND: backend.url, GREETING: 'hello' };
  const web = await start('web.js', env);
  const webRef = await startReference(t, fixture('web.js'), { env });
  assert.equal(webRef.style, 'web');
  for (const req of [
    binary('/echo'),
    { method: 'PUT', path: '/echo', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'héllo' },
    { path: '/json', query: 's=abc&z=1' },
    { method: 'DELETE', path: '/json' },
    { path: '/fetch' },
    { path: '/wait' },
    { path: '/throw' },
    { path: '/missing' },
  ] satisfies SentRequest[]) await compare(web.c, webRef, req);
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(web.logs.some((l) => l.line.startsWith('Uncaught (in waitUntil) Error: background failure')), 'waitUntil rejections are logged');
});
