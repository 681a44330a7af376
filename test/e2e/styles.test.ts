import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { call, deploy, mockBackend, platform, sleep } from './helpers.ts';
import { mediaType, send, startReference, type SentRequest } from '../helpers/reference-runner.ts';

// Each style through the HTTP API of a real server (runc, network "none"), answering what plain Node
// running the style's semantics answers (test/helpers/reference-runner.ts). Text bodies only: bytes
// through the HTTP route are the platform's part (test/sandbox/runc-styles.test.ts covers them in the
// runner).

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/styles/${name}`, import.meta.url));

async function compareAll(p: { url: string }, name: string, ref: Awaited<ReturnType<typeof startReference>>, requests: SentRequest[]): Promise<void> {
  for (const req of requests) {
    const got = await send(`${p.url}/fn/${name}`, req);
    const want = await ref.send(req);
    const what = `${name}: ${req.method ?? 'GET'} ${req.path}`;
    assert.equal(got.headers['x-containerless-mode'], 'container', what);
    assert.equal(got.status, want.status, `${what}: status (${got.body.toString()})`);
    assert.equal(got.body.toString(), want.body.toString(), `${what}: body`);
    if (want.body.length > 0) assert.equal(mediaType(got.headers['content-type']), mediaType(want.headers['content-type']), `${what}: content type`);
  }
}

/** The activations' log lines of a function, once the batch that holds `needle` was written. */
async function logsWith(p: { url: string }, name: string, needle: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const text = JSON.stringify((await call(p, `/api/functions/${name}/logs`)).json());
    if (text.includes(needle)) return text;
    await sleep(100);
  }
  throw new Error(`no log line with ${needle} for ${name}`);
}

test('paper async, Lambda (async and callback), OpenWhisk and Web through the HTTP API, as plain Node answers', async (t) => {
  const backend = await mockBackend(t);
  const p = await platform(t, { allowOutbound: new URL(backend.url).host });
  const env = { BACKEND: backend.url, GREETING: 'hello' };
  const styles: Array<[string, string, SentRequest[]]> = [
    ['paper-async.js', 'paper-async', [
      { path: '/' },
      { method: 'POST', path: '/words', headers: { 'content-type': 'text/plain' }, body: 'One fish two fish' },
      { method: 'POST', path: '/words', headers: { 'content-type': 'application/json' }, body: '{"k":"red fish"}' },
      { path: '/date', query: 'days=400' },
      { path: '/fetch', query: 'x=1' },
      { path: '/reject', query: 'n=3' },
    ]],
    ['lambda-async.js', 'lambda-async', [
      { path: '/echo', query: 'a=1&b=two', headers: { cookie: 'k=v; m=n', 'x-test': 't' } },
      { method: 'POST', path: '/echo', headers: { 'content-type': 'application/json' }, body: '{"j":[1,2]}' },
      { path: '/string' },
      { path: '/object' },
      { method: 'POST', path: '/hash', headers: { 'content-type': 'text/plain' }, body: 'abc' },
      { path: '/fetch' },
      { path: '/throw' },
      { path: '/nowhere' },
    ]],
    ['lambda-callback.js', 'lambda-callback', [{ path: '/' }, { path: '/', query: 'n=9' }, { path: '/fail' }]],
    ['openwhisk.js', 'openwhisk', [
      { path: '/', query: 'a=1&b=2' },
      { method: 'POST', path: '/p/q', query: 'a=1&b=2', headers: { 'content-type': 'application/json' }, body: '{"b":"body wins"}' },
      { method: 'PUT', path: '/x', headers: { 'content-type': 'text/plain' }, body: 'some text' },
      { path: '/html', query: 'name=Ada' },
      { path: '/empty' },
      { path: '/fail' },
    ]],
    ['web.js', 'web', [
      { method: 'PUT', path: '/echo', headers: { 'content-type': 'text/plain' }, body: 'stressed' },
      { path: '/json', query: 's=abc' },
      { path: '/fetch' },
      { path: '/wait' },
      { path: '/throw' },
    ]],
  ];
  for (const [file, name, requests] of styles) {
    const source = readFileSync(fixture(file), 'utf8');
    const deployed = await deploy(p, name, source, { env });
    assert.equal(deployed.style, name === 'paper-async' ? 'paper' : name.replace(/-.*/, ''), `${name}: style recognized at deploy`);
    const ref = await startReference(t, fixture(file), { env });
    await compareAll(p, name, ref, requests);
  }
  // fetch went through the platform's I/O layer (the containers have no network): counted there.
  const metrics = (await call(p, '/metrics')).text;
  for (const [name, method] of [['paper-async', 'POST'], ['lambda-async', 'GET'], ['web', 'PUT']]) {
    assert.match(metrics, new RegExp(`containerless_outbound_calls_total\\{[^}]*function="${name}"[^}]*method="${method}"[^}]*\\} 1`), `${name}'s fetch is counted`);
  }
  // A throw or a rejection is a 500 whose stack is in the function's logs.
  for (const [name, needle] of [
    ['paper-async', 'TypeError: async failure 3\\n    at '],
    ['lambda-async', 'Error: lambda failure\\n    at '],
    ['lambda-callback', 'Error: callback failure\\n    at '],
    ['openwhisk', 'Error: openwhisk failure\\n    at '],
    ['web', 'RangeError: web failure\\n    at '],
  ]) await logsWith(p, name!, needle!);
  await logsWith(p, 'web', 'Uncaught (in waitUntil) Error: background failure');
});
