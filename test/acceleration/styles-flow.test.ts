// Lambda, OpenWhisk and Workers functions through the HTTP API on runc: traced in containers, compiled, then
// answered accelerated with the same status, content type and body bytes as their containers gave.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { accelPlatform, call, deploy, fnInfo, mode } from './helpers.ts';

const lambda = `exports.handler = function (event, context, callback) {
  const q = event.queryStringParameters || {};
  if (event.rawPath === '/ctx') return callback(null, { fn: context.functionName, v: context.functionVersion, mem: context.memoryLimitInMB, keys: Object.keys(context) });
  if (event.rawPath === '/legacy') return context.succeed({ statusCode: 201, body: 'made ' + (q.name || '?') });
  callback(null, { statusCode: 200, headers: { 'X-Name': q.name || 'world' }, cookies: ['a=1'], body: JSON.stringify({ hello: q.name || 'world', m: event.requestContext.http.method, body: event.body || null }) });
};`;

// A handler's own failure (a backend down, a bad input) is answered accelerated too: the same 500.
const failing = `exports.handler = async (event) => {
  if (event.rawPath === '/boom') throw new TypeError('boom at ' + event.rawPath);
  if (event.rawPath === '/cb') return new Promise((resolve, reject) => setTimeout(() => reject(new Error('later')), 1));
  return { statusCode: 200, body: 'fine' };
};`;

const CASES = [
  { name: 'lamfail', source: failing, requests: [['/boom', {}], ['/cb', {}], ['/', {}]] },
  { name: 'lam', source: lambda, requests: [['/?name=ann', {}], ['/ctx', {}], ['/legacy?name=x', {}], ['/?name=bo', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' }]] },
  { name: 'ow', source: readFileSync(new URL('../../examples/openwhisk.js', import.meta.url), 'utf8'), requests: [
    ['/', {}],
    ['/hello', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"  Ann "}' }],
    ['/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
  ] },
  { name: 'wk', source: readFileSync(new URL('../../examples/worker.mjs', import.meta.url), 'utf8'), requests: [['/a?b=1', {}], ['/x/y', { headers: { 'x-a': 'b' } }]] },
] as const;

test('Lambda, OpenWhisk and Workers functions are traced, compiled and answered accelerated, byte for byte', async (t) => {
  const p = await accelPlatform(t, { compileAfterRequests: 1_000_000, compileWhenStableFor: 0 });
  for (const c of CASES) {
    const deployed = await deploy(p, c.name, c.source);
    assert.deepEqual(deployed.acceleration_blockers, [], `${c.name}: ${JSON.stringify(deployed)}`);
    const answers: unknown[] = [];
    for (const [path, init] of c.requests) {
      const r = await call(p, `/fn/${c.name}${path}`, init as RequestInit);
      assert.equal(mode(r), 'tracing', `${c.name}${path}: ${r.text}`);
      answers.push({ status: r.status, text: r.text, type: r.headers.get('content-type'), cookie: r.headers.get('set-cookie') });
    }
    const compiled = await call(p, `/api/functions/${c.name}/compile`, { method: 'POST' });
    assert.equal(compiled.status, 200, `${c.name}: ${compiled.text}`);
    assert.equal(compiled.json().mode, 'accelerated');
    for (const [i, [path, init]] of c.requests.entries()) {
      const r = await call(p, `/fn/${c.name}${path}`, init as RequestInit);
      assert.equal(mode(r), 'accelerated', `${c.name}${path}: ${r.text}`);
      assert.equal(r.headers.get('x-containerless-reexecuted'), null, `${c.name}${path}`);
      assert.deepEqual({ status: r.status, text: r.text, type: r.headers.get('content-type'), cookie: r.headers.get('set-cookie') }, answers[i], `${c.name}${path}`);
    }
    assert.equal((await fnInfo(p, c.name)).mode, 'accelerated');
    if (c.name === 'lamfail') {
      const acts = (await call(p, `/api/functions/${c.name}/logs`)).json() as { mode: string; status: number; logs: unknown }[];
      const boom = acts.filter((a) => a.status === 500 && JSON.stringify(a.logs).includes('Uncaught TypeError: boom at /boom'));
      assert.deepEqual(boom.map((a) => a.mode).sort(), ['accelerated', 'tracing'], JSON.stringify(acts));
    }
  }
});
