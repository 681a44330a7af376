import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { call, deploy, mockBackend, platform } from './helpers.ts';
import { mediaType, send, startReference, type SentRequest } from '../helpers/reference-runner.ts';

// Issue 11's "done when": functions written for Lambda (async, callback, ES module), Workers (an ES
// module using Request, Response, Response.json, URL, Headers, TextEncoder, crypto.subtle, btoa and
// fetch), OpenWhisk and async paper-style functions (fetch, regular expressions, a class with a
// private field and a getter, a generator, Map/Set, Date) deploy unchanged and answer, in runc
// containers through the HTTP API, exactly what plain Node running the style's semantics answers
// (test/helpers/reference-runner.ts): status, content type and body bytes, binary bodies included.

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/conformance/${name}`, import.meta.url));
const BYTES = Uint8Array.from([0xff, 0x00, 0xfe, 0x80, 0x01, 0x02]);
const octets = { 'content-type': 'application/octet-stream' };

const CASES: Array<{ file: string; name: string; style: string; requests: SentRequest[] }> = [
  {
    file: 'lambda-async.js',
    name: 'lambda-async',
    style: 'lambda',
    requests: [
      { path: '/echo', query: 'a=1&b=two' },
      { method: 'POST', path: '/echo', headers: { 'content-type': 'application/json' }, body: '{"j":[1,2]}' },
      { method: 'POST', path: '/echo', headers: octets, body: BYTES },
      { method: 'POST', path: '/bytes', headers: octets, body: BYTES },
      { path: '/backend' },
      { path: '/plain' },
      { path: '/cookies' },
      { path: '/throw' },
      { path: '/missing' },
    ],
  },
  { file: 'lambda-callback.js', name: 'lambda-callback', style: 'lambda', requests: [{ path: '/', query: 'words=pear,apple,fig' }, { path: '/fail' }] },
  { file: 'lambda-module.mjs', name: 'lambda-module', style: 'lambda', requests: [{ path: '/', query: 'x=1' }, { path: '/', query: '' }] },
  {
    file: 'worker.mjs',
    name: 'worker',
    style: 'web',
    requests: [
      { method: 'POST', path: '/echo', query: 'q=zz', headers: { 'content-type': 'text/plain' }, body: 'stressed' },
      { method: 'POST', path: '/digest', headers: { 'content-type': 'text/plain' }, body: 'containerless' },
      { method: 'PUT', path: '/bytes', headers: octets, body: BYTES },
      { path: '/backend' },
      { path: '/env' },
      { path: '/throw' },
      { path: '/nowhere' },
    ],
  },
  {
    file: 'openwhisk.js',
    name: 'openwhisk',
    style: 'openwhisk',
    requests: [
      { path: '/', query: 'a=1' },
      { method: 'POST', path: '/x/y', query: 'a=1&b=2', headers: { 'content-type': 'application/json' }, body: '{"b":"body wins"}' },
      { method: 'POST', path: '/bin', headers: octets, body: BYTES },
      { path: '/async' },
      { path: '/fail' },
    ],
  },
  { file: 'openwhisk-exports.js', name: 'openwhisk-exports', style: 'openwhisk', requests: [{ path: '/' }, { method: 'DELETE', path: '/a', query: 'code=202' }] },
  {
    file: 'paper-modern.js',
    name: 'paper-modern',
    style: 'paper',
    requests: [
      { path: '/items/5' },
      { path: '/date/2024-02-29' },
      { method: 'POST', path: '/bytes', headers: octets, body: BYTES },
      { method: 'POST', path: '/bytes', headers: { 'content-type': 'text/plain' }, body: 'text' },
      { path: '/words', query: 'text=the+quick+brown+fox' },
      { path: '/reject' },
    ],
  },
];

test('every style of CONTRACT §1b answers in runc containers what plain Node answers', async (t) => {
  const backend = await mockBackend(t);
  const p = await platform(t, { allowOutbound: new URL(backend.url).host });
  const env = { BACKEND: backend.url, GREETING: 'hi' };
  for (const c of CASES) {
    const source = readFileSync(fixture(c.file), 'utf8');
    const deployed = await deploy(p, c.name, source, { env });
    assert.equal((deployed as { style?: string }).style, c.style, `${c.file}: the deploy answer names its style`);
    const ref = await startReference(t, fixture(c.file), { env });
    assert.equal(ref.style, c.style, `${c.file}: the reference recognized the same style`);
    for (const req of c.requests) {
      const what = `${c.file}: ${req.method ?? 'GET'} ${req.path}?${req.query ?? ''}`;
      const got = await send(`${p.url}/fn/${c.name}`, req);
      const want = await ref.send(req);
      assert.equal(got.headers['x-containerless-mode'] === 'accelerated', false, `${what}: ran in a container`);
      assert.equal(got.status, want.status, `${what}: status (${got.body.toString().slice(0, 300)})`);
      assert.deepEqual(got.body, want.body, `${what}: body bytes (${got.body.toString().slice(0, 300)} vs ${want.body.toString().slice(0, 300)})`);
      if (want.body.length > 0) assert.equal(mediaType(got.headers['content-type']), mediaType(want.headers['content-type']), `${what}: content type`);
    }
    const info = (await call(p, `/api/functions/${c.name}`)).json() as { style?: string };
    assert.equal(info.style, c.style, `${c.file}: GET names its style`);
  }
});
