// process.env on the real platform: the same function answers the same bytes pinned to containers
// and accelerated (config.env with special characters, absent keys, key order, writes), and the
// dispatcher's own environment reaches neither mode. The paper's examples that read their backend
// from process.env are accelerated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { accelPlatform, call, deploy, mockBackend, mode, untilAccelerated } from './helpers.ts';

const DISPATCHER_ONLY = 'CL_DISPATCHER_ONLY_VAR';

const SOURCE = `const c = require('containerless');
const atLoad = [process.env.BACKEND, typeof process, Object.keys(process.env).length];
c.listen(function (req) {
  const env = process.env;
  const out = { atLoad: atLoad, path: req.path };
  out.keys = Object.keys(env);
  out.json = JSON.stringify(env);
  out.entries = Object.entries(env);
  out.special = env.SPECIAL;
  out.empty = [env.EMPTY, 'EMPTY' in env, env.EMPTY === ''];
  out.absent = [env.ABSENT, 'ABSENT' in env, typeof env.ABSENT, env.ABSENT || 'fallback'];
  out.dispatcher = [env.${DISPATCHER_ONLY}, '${DISPATCHER_ONLY}' in env];
  out.base = [env.PATH, env.HOME, env.NODE_ENV];
  const forIn = [];
  for (const k in env) forIn.push(k);
  out.forIn = forIn;
  out.spread = { ...env };
  out.inherited = ['toString' in env, env.hasOwnProperty('HOME'), String(env)];
  if (req.path === '/write') {
    env.W_NUM = 42;
    env.W_OBJ = { a: 1 };
    env['7'] = 'seven';
    out.written = [env.W_NUM, typeof env.W_NUM, env.W_OBJ, Object.keys(env)];
    out.deleted = [delete env.W_NUM, delete env.W_OBJ, delete env['7'], delete env.NEVER, Object.keys(env)];
  }
  c.respond(out);
});`;

const CONFIG_ENV = {
  BACKEND: 'http://127.0.0.1:1/unused',
  SPECIAL: 'quote " backslash \\\\ newline \\n tab \\t unicode é 😀 \\u2028 {"json": [1, null]} $HOME `x`',
  EMPTY: '',
  ZULU: 'last by name, first in config',
  ALPHA: 'a',
  _X1: 'x',
};
const PATHS = ['/', '/write', '/again'];

test('process.env: pinned to containers and accelerated answer identical bytes; the dispatcher\'s env is visible to neither', async (t) => {
  process.env[DISPATCHER_ONLY] = 'must-not-leak';
  t.after(() => delete process.env[DISPATCHER_ONLY]);
  const p = await accelPlatform(t, { compileAfterRequests: 1_000_000, compileWhenStableFor: 0 });
  await deploy(p, 'envdiff', SOURCE, { env: CONFIG_ENV });
  const pin = await call(p, '/api/functions/envdiff/mode', { method: 'PUT', body: '{"mode":"containers"}' });
  assert.equal(pin.status, 200, pin.text);
  const containers: string[] = [];
  for (const path of PATHS) {
    const r = await call(p, `/fn/envdiff${path}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(mode(r), 'container');
    containers.push(r.text);
  }
  const first = JSON.parse(containers[0]!);
  assert.deepEqual(first.keys, ['PATH', 'HOME', 'NODE_ENV', ...Object.keys(CONFIG_ENV)], 'the container\'s environment');
  assert.deepEqual(first.dispatcher, [null, false]);

  // Trace every path, then compile on request.
  await call(p, '/api/functions/envdiff/mode', { method: 'PUT', body: '{"mode":"auto"}' });
  for (const path of PATHS) assert.equal(mode(await call(p, `/fn/envdiff${path}`)), 'tracing');
  const compiled = await call(p, '/api/functions/envdiff/compile', { method: 'POST' });
  assert.equal(compiled.status, 200, compiled.text);
  for (let i = 0; i < PATHS.length; i++) {
    const r = await call(p, `/fn/envdiff${PATHS[i]}`);
    assert.equal(mode(r), 'accelerated', `${PATHS[i]}: ${r.text}`);
    assert.equal(r.headers.get('x-containerless-reexecuted'), null);
    assert.equal(r.text, containers[i], PATHS[i]);
  }
});

const example = (name: string) => readFileSync(new URL(`../../examples/${name}.js`, import.meta.url), 'utf8');

test('examples/login.js and examples/status.js (backend from process.env.BACKEND) are accelerated with the containers\' answers', async (t) => {
  const backend = await mockBackend(t);
  const p = await accelPlatform(t, {}, { allowOutbound: [new URL(backend.url).host] });
  const cases: Array<{ name: string; requests: Array<{ path: string; init?: RequestInit }> }> = [
    {
      name: 'login',
      requests: [
        { path: '/login', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"u","password":"p"}' } },
        { path: '/other' },
      ],
    },
    { name: 'status', requests: [{ path: '/' }, { path: '/x' }] },
  ];
  for (const { name, requests } of cases) {
    await deploy(p, name, example(name), { env: { BACKEND: backend.url } });
    await call(p, `/api/functions/${name}/mode`, { method: 'PUT', body: '{"mode":"containers"}' });
    const expected: Array<{ status: number; text: string }> = [];
    for (const r of requests) {
      const res = await call(p, `/fn/${name}${r.path}`, r.init);
      assert.equal(mode(res), 'container');
      expected.push({ status: res.status, text: res.text });
    }
    const seen = backend.seen.length;
    assert.ok(seen > 0, `${name}: the container called the backend`);
    await call(p, `/api/functions/${name}/mode`, { method: 'PUT', body: '{"mode":"accelerated"}' });
    for (const r of requests) await untilAccelerated(p, `/fn/${name}${r.path}`, r.init);
    for (let i = 0; i < requests.length; i++) {
      const res = await call(p, `/fn/${name}${requests[i]!.path}`, requests[i]!.init);
      assert.equal(mode(res), 'accelerated', `${name}${requests[i]!.path}: ${res.text}`);
      assert.deepEqual({ status: res.status, text: res.text }, expected[i], `${name}${requests[i]!.path}`);
    }
    assert.ok(backend.seen.slice(seen).some((s) => s.url === (name === 'login' ? '/login' : '/status')), `${name}: accelerated calls reached the backend from config.env`);
  }
});
