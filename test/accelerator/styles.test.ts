// Lambda and OpenWhisk functions in compiled code: traced with the real tracer, compiled, and run
// through the containers' own adapters; every answer must equal the container runtime's (loadFunction).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceLocally } from '../../src/tracer/index.ts';
import { compile } from '../../src/compiler/index.ts';
import { createInstance, loadCompiled, type AccelResult } from '../../src/accelerator/index.ts';
import { loadFunction, type FnResponse, type RawRequest } from '../../src/api/index.ts';
import { compileSource, raw, recordingIO } from './helpers.ts';

const identity = { name: 'fn', version: '3', memoryMb: 256 };

const backend = (r: { url: string; method: string; body?: string }) => (r.url.endsWith('/text') ? `plain ${r.method}` : { url: r.url, method: r.method, body: r.body ?? null });

interface Logs {
  accel: string[][];
  node: string[][];
}

async function bothModes(source: string, train: RawRequest[], probe: RawRequest[], logs?: Logs): Promise<{ accel: AccelResult[]; node: FnResponse[] }> {
  // The containers' fetch is global: the oracle installs the platform's (over a recording IO) and
  // this process's own comes back after.
  const realFetch = globalThis.fetch;
  try {
    const { tree } = await traceLocally(source, train, recordingIO(backend));
    const program = loadCompiled(compile(tree).code);
    const accel: AccelResult[] = [];
    const node: FnResponse[] = [];
    let nodeLog: string[] = [];
    const fn = loadFunction(source, { io: recordingIO(backend), globalFetch: true, log: (_s, line) => nodeLog.push(line), functionName: identity.name, functionVersion: identity.version, memoryMb: identity.memoryMb });
    for (const r of probe) {
      const accelLog: string[] = [];
      const inst = createInstance(program, { io: recordingIO(backend), log: (_s, line) => accelLog.push(line), identity });
      accel.push(await inst.handle(r, { timeoutMs: 1000 }));
      nodeLog = [];
      node.push(await fn.invoke(r, { timeoutMs: 1000 }));
      logs?.accel.push(accelLog);
      logs?.node.push(nodeLog);
    }
    return { accel, node };
  } finally {
    globalThis.fetch = realFetch;
  }
}

function assertSame(accel: AccelResult, node: FnResponse, what: string): void {
  assert.equal(accel.kind, 'response', `${what}: ${JSON.stringify(accel)}`);
  assert.deepEqual(accel.kind === 'response' && accel.response, node, what);
}

const lambdaCallback = `exports.handler = function (event, context, callback) {
  const name = (event.queryStringParameters || {}).name || 'world';
  if (event.rawPath === '/raw') return callback(null, 'plain ' + name);
  if (event.rawPath === '/ctx') return callback(null, { fn: context.functionName, v: context.functionVersion, mem: context.memoryLimitInMB, keys: Object.keys(context).length, id: typeof context.awsRequestId });
  if (event.rawPath === '/legacy') return context.succeed({ statusCode: 201, body: 'made ' + name });
  callback(null, { statusCode: 200, headers: { 'X-Name': name, 'x-n': 3 }, cookies: ['a=1', 'b=' + name], body: JSON.stringify({ hello: name, method: event.requestContext.http.method }) });
};`;

test('a callback-style Lambda handler answers accelerated exactly as in its container', async () => {
  const probe = [raw({ path: '/', query: { name: 'ann' } }), raw({ path: '/raw', query: { name: 'bo' } }), raw({ path: '/ctx' }), raw({ path: '/legacy', query: { name: 'x' } })];
  const { accel, node } = await bothModes(lambdaCallback, probe, probe);
  probe.forEach((r, i) => assertSame(accel[i]!, node[i]!, r.path));
  assert.match(node[2]!.body, /"fn":"fn","v":"3","mem":"256"/);
});

test("a handler's own failure answers accelerated as in its container: its 500 and its log's first line", async () => {
  const lambda = `class Gone extends Error { constructor(m) { super(m); this.name = 'Gone'; } }
exports.handler = (event, context, callback) => {
  if (event.rawPath === '/err') return callback(new Error('nope'));
  if (event.rawPath === '/string') return callback('plain words');
  if (event.rawPath === '/fail') return context.fail(new RangeError('legacy'));
  if (event.rawPath === '/throw') throw new TypeError('bad');
  if (event.rawPath === '/class') throw new Gone('away ' + event.rawPath);
  if (event.rawPath === '/empty') throw new Error();
  callback(null, { ok: 1 });
};`;
  const asyncLambda = `exports.handler = async (event) => {
  if (event.rawPath === '/late') { await null; throw new Error('after a tick'); }
  return Promise.reject(Object.assign(new SyntaxError('rejected'), { code: 7 }));
};`;
  const action = `exports.main = async function (params) { if (params.__ow_path === '/num') throw 42; throw new Error('ow ' + params.__ow_path); };`;
  const web = `export default { async fetch(request) { const u = new URL(request.url); if (u.pathname === '/sync') return JSON.parse('{'); throw new TypeError('web ' + u.pathname); } };`;
  const cases: [string, string[]][] = [
    [lambda, ['/err', '/string', '/fail', '/throw', '/class', '/empty']],
    [asyncLambda, ['/late', '/reject']],
    [action, ['/num', '/x']],
    [web.replace('export default', 'exports.default ='), ['/sync', '/w']],
  ];
  for (const [source, paths] of cases) {
    const probe = paths.map((path) => raw({ path }));
    const logs: Logs = { accel: [], node: [] };
    const { accel, node } = await bothModes(source, probe, probe, logs);
    probe.forEach((r, i) => {
      assertSame(accel[i]!, node[i]!, r.path);
      assert.equal(node[i]!.status, 500, r.path);
      // The containers log the stack; compiled code has none, so one stand-in frame follows the same first line.
      const nodeLines = logs.node[i]!.join('\n').split('\n');
      const accelLines = logs.accel[i]!;
      assert.equal(accelLines[0], nodeLines[0], r.path);
      if (nodeLines.length > 1) assert.deepEqual(accelLines.slice(1), ['    at <accelerated>'], r.path);
      else assert.equal(accelLines.length, 1, r.path);
    });
  }
});

test("a rejection ctx.waitUntil holds is logged as the container logs it, after the same response", async () => {
  const source = `exports.default = { fetch(request, env, ctx) { ctx.waitUntil(Promise.reject(new RangeError('in the background'))); ctx.waitUntil(Promise.reject('words')); return new Response('sent'); } };`;
  const probe = [raw({ path: '/' })];
  const logs: Logs = { accel: [], node: [] };
  const { accel, node } = await bothModes(source, probe, probe, logs);
  assertSame(accel[0]!, node[0]!, 'waitUntil');
  await new Promise((r) => setTimeout(r, 10));
  const firstLines = logs.node[0]!.map((l) => l.split('\n')[0]);
  assert.deepEqual(firstLines, ['Uncaught (in waitUntil) RangeError: in the background', 'Uncaught (in waitUntil) words']);
  assert.deepEqual(logs.accel[0], ['Uncaught (in waitUntil) RangeError: in the background', '    at <accelerated>', 'Uncaught (in waitUntil) words']);
});

test('what the adapter itself fails on (a result that is no response) still re-executes in a container', async () => {
  const source = `exports.handler = (event, context, callback) => { callback(null, { statusCode: 'abc' }); };`;
  const probe = [raw({ path: '/status' })];
  const { accel, node } = await bothModes(source, probe, probe);
  assert.equal(accel[0]!.kind, 'abort', JSON.stringify(accel[0]));
  assert.match(accel[0]!.kind === 'abort' ? accel[0]!.detail : '', /style-error/);
  assert.equal(node[0]!.status, 500);
});

const openwhisk = `function main(params) {
  if (params.__ow_path === '/empty') return;
  if (params.__ow_path === '/text') return { body: 'hi ' + (params.name || 'there') };
  return { statusCode: params.code ? Number(params.code) : undefined, headers: { 'x-method': params.__ow_method }, body: { name: params.name, n: Object.keys(params).length, hdr: params.__ow_headers['x-a'] } };
}
exports.main = main;`;

test('an OpenWhisk action answers accelerated exactly as in its container', async () => {
  const probe = [
    raw({ path: '/', query: { name: 'ann' }, headers: { 'x-a': 'b' } }),
    raw({ path: '/text', query: { name: 'z' } }),
    raw({ path: '/empty' }),
    raw({ method: 'POST', path: '/', headers: { 'content-type': 'application/json' }, body: '{"name":"posted","code":"202"}' }),
  ];
  const { accel, node } = await bothModes(openwhisk, probe, probe);
  probe.forEach((r, i) => assertSame(accel[i]!, node[i]!, `${r.method} ${r.path}`));
});

test('module.exports = function: the function is the action', async () => {
  const source = `module.exports = function (params) { return { body: 'v=' + params.v }; };`;
  const probe = [raw({ query: { v: '1' } })];
  const { accel, node } = await bothModes(source, probe, probe);
  assertSame(accel[0]!, node[0]!, 'module.exports');
});

const worker = `exports.default = {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === '/json') return Response.json({ path: url.pathname, q: url.searchParams.get('q'), m: request.method, h: request.headers.get('x-a') }, { status: 201 });
    if (url.pathname === '/echo') {
      const copy = request.clone();
      return new Response(await request.text(), { headers: { 'content-type': 'text/plain', 'x-len': String((await copy.text()).length), 'x-used': String(request.bodyUsed) } });
    }
    if (url.pathname === '/up') {
      const res = await fetch('http://backend.test/up', { method: 'POST', body: JSON.stringify({ q: url.searchParams.get('q') }), headers: { 'content-type': 'application/json' } });
      const text = await (await fetch('http://backend.test/text')).text();
      return new Response(JSON.stringify({ status: res.status, ok: res.ok, got: await res.json(), text }), { headers: { 'content-type': 'application/json' } });
    }
    if (url.pathname === '/ctx') {
      let added = 'no error';
      try { ctx.extra = 1; } catch (e) { added = e.name + ': ' + e.message; }
      return Response.json({ frozen: Object.isFrozen(ctx), keys: Object.keys(ctx), added, extra: ctx.extra === undefined });
    }
    ctx.waitUntil(Promise.resolve(1));
    return new Response(null, { status: 204, headers: new Headers([['x-b', 'c']]) });
  },
};`;

test('a Workers module answers accelerated exactly as in its container: Request, Response, fetch', async () => {
  const probe = [
    raw({ path: '/json', query: { q: 'hi' }, headers: { 'x-a': 'b' } }),
    raw({ method: 'POST', path: '/echo', headers: { 'content-type': 'text/plain' }, body: 'some text' }),
    raw({ path: '/up', query: { q: 'z' } }),
    raw({ path: '/other' }),
    raw({ path: '/ctx' }),
  ];
  const { accel, node } = await bothModes(worker, probe, probe);
  probe.forEach((r, i) => assertSame(accel[i]!, node[i]!, `${r.method} ${r.path}`));
  assert.match(node[4]!.body, /"frozen":true/);
  assert.equal(node[2]!.body, '{"status":200,"ok":true,"got":{"url":"http://backend.test/up","method":"POST","body":"{\\"q\\":\\"z\\"}"},"text":"plain GET"}');
});

test('a body that is not JSON rejects json(): await, then and catch see the SyntaxError', async () => {
  const source = `exports.default = {
  async fetch(request) {
    const form = new URL(request.url).searchParams.get('form');
    if (form === 'then') return request.json().then((b) => Response.json({ b }), (e) => Response.json({ then: e.name, m: e.message }));
    if (form === 'catch') return request.clone().json().catch((e) => Response.json({ caught: e instanceof SyntaxError }));
    try {
      return Response.json({ b: await request.json() });
    } catch (e) {
      return Response.json({ tried: e.name, m: e.message }, { status: 400 });
    }
  },
};`;
  const post = (body: string, form = '') => raw({ method: 'POST', path: '/', query: form ? { form } : {}, headers: { 'content-type': 'application/json' }, body });
  const probe = [post('{"a":1}'), post('{bad'), post('{bad', 'then'), post('', 'catch'), post('[1,', 'then')];
  const { accel, node } = await bothModes(source, probe, probe);
  probe.forEach((r, i) => assertSame(accel[i]!, node[i]!, `${JSON.stringify(r.query)} ${r.body}`));
  assert.match(node[1]!.body, /"tried":"SyntaxError"/);
  assert.match(node[3]!.body, /"caught":true/);
});

test("a Workers ctx is frozen in strict code too: adding to it throws Node's TypeError", async () => {
  const strictWorker = `'use strict';
exports.default = {
  fetch(request, env, ctx) {
    let added = 'no error';
    try { ctx.extra = 1; } catch (e) { added = e.name + ': ' + e.message; }
    return Response.json({ frozen: Object.isFrozen(ctx), added });
  },
};`;
  const probe = [raw({ path: '/' })];
  const { accel, node } = await bothModes(strictWorker, probe, probe);
  assertSame(accel[0]!, node[0]!, 'strict ctx');
  assert.match(node[0]!.body, /TypeError: Cannot add property extra, object is not extensible/);
});

test('an async Lambda handler and a paper function using fetch answer accelerated as in containers', async () => {
  const lambda = `exports.handler = async (event) => {
  const r = await fetch('http://backend.test/x?n=' + (event.queryStringParameters || {}).n);
  const j = await r.json();
  return { statusCode: 200, body: JSON.stringify({ url: j.url, n: event.rawQueryString }) };
};`;
  const probe = [raw({ query: { n: '1' } }), raw({ query: { n: 'two' } })];
  const l = await bothModes(lambda, probe, probe);
  probe.forEach((r, i) => assertSame(l.accel[i]!, l.node[i]!, `lambda ${JSON.stringify(r.query)}`));
  const paper = `const c = require('containerless');
c.listen(async function (req) {
  const res = await fetch('http://backend.test/text', { method: 'PUT', body: req.query.b || 'none' });
  c.respond({ text: await res.text(), status: res.status, type: res.headers.get('content-type') });
});`;
  const p = await bothModes(paper, probe, [raw({ query: { b: 'x' } }), raw()]);
  p.accel.forEach((a, i) => assertSame(a, p.node[i]!, `paper ${i}`));
});

test('fetch at the top level starts with it; a failed call is the platform fetch\'s TypeError with its cause', async () => {
  const top = `fetch('http://backend.test/x'); exports.handler = async () => 1;`;
  const io = recordingIO();
  const started = createInstance(loadCompiled(compileSource(top)), { io, log() {} });
  assert.equal(await started.started, undefined);
  assert.deepEqual(io.calls.map((c) => c.url), ['http://backend.test/x']);
  const failing = `exports.handler = async (event) => {
  try { await fetch('http://refused.test/'); return 'no'; } catch (e) {
    return JSON.stringify([e.name, e.message, e instanceof TypeError, typeof e.cause, e.cause instanceof Error, e.cause.name, e.cause.message, Object.keys(e), Object.keys(e.cause), String(e.cause), 'cause' in e, e.propertyIsEnumerable('cause')]);
  }
};`;
  const refused = { request: async () => undefined };
  const t = await traceLocally(failing, [raw()], refused);
  const inst = () => createInstance(loadCompiled(compile(t.tree).code), { io: refused, log() {} });
  const realFetch = globalThis.fetch;
  try {
    const fn = loadFunction(failing, { io: refused, globalFetch: true, log() {} });
    for (const path of ['/', '/other']) {
      const r = await inst().handle(raw({ path }), { timeoutMs: 1000 });
      assert.equal(r.kind, 'response', JSON.stringify(r));
      assert.deepEqual(r.kind === 'response' && r.response, await fn.invoke(raw({ path }), { timeoutMs: 1000 }), path);
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  const r = await inst().handle(raw(), { timeoutMs: 1000 });
  assert.match(r.kind === 'response' ? r.response.body : '', /"fetch failed",true,"object",true,"Error","the platform did not complete the call to http:\/\/refused.test\/: a network error/);
});

test("one instance's exports are never another's", async () => {
  const source = `let n = 0; exports.handler = function (e, c, cb) { n++; exports.count = n; cb(null, { n: n, seen: exports.count }); };`;
  const { tree } = await traceLocally(source, [raw()], recordingIO());
  const program = loadCompiled(compile(tree).code);
  const a = createInstance(program, { io: recordingIO(), log() {} });
  const b = createInstance(program, { io: recordingIO(), log() {} });
  await a.handle(raw(), { timeoutMs: 1000 });
  const r = await b.handle(raw(), { timeoutMs: 1000 });
  assert.equal(r.kind === 'response' && r.response.body, '{"n":1,"seen":1}');
});
