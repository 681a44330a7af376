// The pre-live check (src/acceleration/prelive-check.ts) on real compiled programs: traced with the
// real tracer, compiled with the source's skeleton as the compile worker does (compileTree(tree,
// skeleton)), loaded in a real runner; the container's answers come from running the source in Node
// (src/api's loadFunction, what a container runs) with its outbound calls recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortMeaning, checkOnRunner, compileTree, difference, InlineRunner, TracedSample, WorkerRunner, type AccelRunner, type TracedExample } from '../../src/acceleration/index.ts';
import { loadFunction, type FnResponse, type IO, type OutboundRequest, type RawRequest } from '../../src/api/index.ts';
import { recordedOnlyIO, recordingIO } from '../../src/io/index.ts';
import { traceLocally } from '../../src/tracer/index.ts';

const raw = (over: Partial<RawRequest> = {}): RawRequest => ({ method: 'GET', path: '/', query: {}, headers: {}, body: '', ...over });

/** A backend on no network: answers every call with its URL (the test's calls never leave the process). */
const backend: IO & { calls: OutboundRequest[] } = {
  calls: [],
  request(req) {
    backend.calls.push(req);
    return Promise.resolve({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: req.url }) });
  },
};

/** Compiles `source` from a trace of `requests`, exactly as the platform's compile worker does. */
async function compiled(source: string, requests: RawRequest[]): Promise<string> {
  const { tree, skeleton } = await traceLocally(source, requests, backend);
  const c = compileTree(JSON.parse(JSON.stringify(tree)), skeleton);
  assert.ok(c.ok, JSON.stringify(c));
  return c.code;
}

/** What containers answered: each request run in Node, its calls and their answers recorded. */
async function examples(source: string, requests: RawRequest[]): Promise<TracedExample[]> {
  let current: IO = backend;
  const fn = loadFunction(source, { io: { request: (r, id) => current.request(r, id) }, log() {} });
  const out: TracedExample[] = [];
  for (const r of requests) {
    const rec = recordingIO(backend);
    current = rec.io;
    const response = await fn.invoke(r, { timeoutMs: 2000 });
    out.push({ raw: r, calls: await rec.settled(), response });
  }
  return out;
}

async function check(source: string, requests: RawRequest[], over: { examples?: TracedExample[]; runner?: AccelRunner; topLevel?: IO } = {}) {
  const code = await compiled(source, requests);
  const ex = over.examples ?? (await examples(source, requests));
  const runner = over.runner ?? new InlineRunner();
  return checkOnRunner(runner, 'fn@1.check', { code, env: {} }, ex, { timeoutMs: 2000, budgetMs: 10_000, abortRate: 0.5, confirmDelayMs: 1100, topLevel: over.topLevel });
}

const HEAD = `const c = require('containerless');\n`;
const pure = `${HEAD}c.listen(function (req) {
  const n = Number(req.query.n || '1');
  if (req.path === '/get') c.get('http://backend/' + n, function (b) { c.respond({ n: n, got: b }); });
  else c.respond({ double: n * 2 }, { headers: { 'x-kind': 'pure' } });
});`;
const reqs = [raw({ query: { n: '2' } }), raw({ query: { n: '5' } }), raw({ path: '/get', query: { n: '3' } })];

test('a compiled program that answers as its containers did passes, its calls served from the record', async () => {
  const before = backend.calls.length;
  const ex = await examples(pure, reqs);
  const callsAfterRecording = backend.calls.length;
  assert.equal(callsAfterRecording - before, 1, 'the container made one outbound call');
  const r = await check(pure, reqs, { examples: ex });
  assert.deepEqual(r, { ok: true, replayed: 3, matched: 3, aborted: 0, unreproducible: 0 });
  assert.equal(backend.calls.length, callsAfterRecording + 1, 'tracing called the backend once; the replays never did');
});

test('a recorded response that differs from what the compiled program answers keeps it from going live', async () => {
  const ex = await examples(pure, reqs);
  const tampered = (f: (r: FnResponse) => FnResponse) => ex.map((e, i) => (i === 1 ? { ...e, response: f(e.response) } : e));
  const body = await check(pure, reqs, { examples: tampered((r) => ({ ...r, body: r.body.replace('10', '11') })) });
  assert.equal(body.ok, false);
  assert.ok(!body.ok && body.kind === 'mismatch');
  assert.match(!body.ok ? body.reason : '', /^its compiled code answered the traced request GET \/\?n=5 differently from its container: body differs at byte 11 \(/);
  const header = await check(pure, reqs, { examples: tampered((r) => ({ ...r, headers: { ...r.headers, 'x-kind': 'other' } })) });
  assert.match(!header.ok ? header.reason : '', /header x-kind: "other" in the container, "pure" compiled/);
  const status = await check(pure, reqs, { examples: tampered((r) => ({ ...r, status: 201 })) });
  assert.match(!status.ok ? status.reason : '', /status 201 in the container, 200 compiled/);
});

test('a program whose traced requests mostly abort does not pass, with the top abort, its place and meaning', async () => {
  const src = `${HEAD}c.listen(function (req) {
  if (req.path === '/ok') return c.respond('ok');
  const r = new WeakRef({ a: 1 });
  c.respond({ alive: r.deref() !== undefined });
});`;
  const rs = [raw({ path: '/a' }), raw({ path: '/b' }), raw({ path: '/ok' })];
  const r = await check(src, rs);
  assert.ok(!r.ok);
  assert.equal(r.kind, 'aborts');
  assert.equal(r.reason, 'its compiled code aborts at 4:8 (the global WeakRef is not supported in compiled code yet) on 2 of 3 traced requests replayed');
});

test('a call the container did not make is never performed: the replay counts as aborted', async () => {
  const ex = await examples(pure, reqs);
  // The record says the container called /9: the compiled program calls /3, which was not recorded.
  const wrong = ex.map((e) => (e.calls.length ? { ...e, calls: [{ ...e.calls[0]!, url: 'http://backend/9' }] } : e));
  const before = backend.calls.length;
  const r = await check(pure, reqs, { examples: [wrong[2]!, wrong[2]!, wrong[0]!] });
  assert.equal(backend.calls.length, before + 1, 'only tracing (in `check`) reached the backend');
  assert.ok(!r.ok);
  assert.match(r.reason, /^its compiled code made an outbound call its container did not make \(GET http:\/\/backend\/3\) on 2 of 3/);
});

test('answers with the clock, a random value or state kept across requests are not compared, and do not block', async () => {
  const src = `${HEAD}let count = 0;
c.listen(function (req) {
  count++;
  if (req.path === '/count') return c.respond({ count: count });
  if (req.path === '/uuid') return c.respond({ id: crypto.randomUUID() });
  if (req.path === '/now') return c.respond({ now: Date.now() });
  c.respond({ r: Math.random() });
});`;
  const rs = ['/count', '/uuid', '/now', '/random'].map((path) => raw({ path }));
  const r = await check(src, rs);
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.ok(r.ok && r.unreproducible === 4 && r.matched === 0, JSON.stringify(r));
});

test('a clock read in seconds is given a second chance rather than refused', async () => {
  const src = `${HEAD}c.listen(function (req) { c.respond({ s: Math.floor(Date.now() / 1000) }); });`;
  const ex = await examples(src, [raw()]);
  // As if traced two seconds ago: both quick replays agree with each other, not with the record.
  const old = [{ ...ex[0]!, response: { ...ex[0]!.response, body: JSON.stringify({ s: Math.floor(Date.now() / 1000) - 2 }) } }];
  const r = await check(src, [raw()], { examples: old });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.ok(r.ok && r.unreproducible === 1);
});

test('the check runs in the accelerator workers as the serving program will', async () => {
  const runner = new WorkerRunner({ workers: 1 });
  try {
    const ex = await examples(pure, reqs);
    assert.deepEqual(await check(pure, reqs, { runner, examples: ex }), { ok: true, replayed: 3, matched: 3, aborted: 0, unreproducible: 0 });
    const bad = await check(pure, reqs, { runner, examples: [{ ...ex[0]!, response: { ...ex[0]!.response, status: 500 } }] });
    assert.ok(!bad.ok && bad.kind === 'mismatch');
  } finally {
    await runner.close();
  }
});

test('the sample keeps the newest distinct requests, bounded in count and size', () => {
  let size = 3;
  const s = new TracedSample(() => size);
  const ex = (path: string, body = ''): TracedExample => ({ raw: raw({ path }), calls: [], response: { status: 200, headers: {}, body } });
  for (const p of ['/a', '/b', '/a', '/c', '/d']) s.add(ex(p));
  assert.deepEqual(s.examples().map((e) => e.raw.path), ['/a', '/c', '/d']);
  s.add(ex('/big', 'x'.repeat(65 * 1024)));
  assert.deepEqual(s.examples().map((e) => e.raw.path), ['/a', '/c', '/d'], 'too large to keep');
  size = 0;
  s.add(ex('/e'));
  assert.equal(s.length, 3, 'a sample of 0 keeps nothing new');
});

test('responses compare by status, headers and body bytes (text and base64 alike)', () => {
  const r = (over: Partial<FnResponse>): FnResponse => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'hi', ...over });
  assert.equal(difference(r({}), r({})), undefined);
  assert.equal(difference(r({}), r({ body: Buffer.from('hi').toString('base64'), bodyEncoding: 'base64' })), undefined);
  assert.match(difference(r({}), r({ body: 'ho' }))!, /body differs at byte 1/);
  assert.match(difference(r({}), r({ headers: {} }))!, /header content-type: "text\/plain" in the container, absent compiled/);
});

test('recorded-only I/O serves the record in order and never performs a call it does not hold', async () => {
  const seen: string[] = [];
  const io = recordedOnlyIO([{ method: 'GET', url: 'http://x/1', body: undefined, response: { status: 200, headers: {}, body: 'one' } }], (req) => seen.push(req.url));
  assert.equal((await io.request({ method: 'GET', url: 'http://x/1', headers: {} }))?.body, 'one');
  assert.equal(await io.request({ method: 'GET', url: 'http://x/1', headers: {} }), undefined, 'the record is used once');
  assert.deepEqual(seen, ['http://x/1']);
});

test('an abort reads as what the code does and where', () => {
  const rows: Array<[Parameters<typeof abortMeaning>[0], string]> = [
    [{ reason: 'unsupported:global', detail: 'global:WeakRef', loc: { line: 12, column: 5 } }, 'its compiled code aborts at 12:5 (the global WeakRef is not supported in compiled code yet)'],
    [{ reason: 'unsupported:module', detail: 'require:fs', loc: { line: 1, column: 2 } }, "its compiled code aborts at 1:2 (require('fs') is not available to compiled code)"],
    [{ reason: 'unsupported:builtin', detail: 'new Date' }, 'its compiled code aborts (new Date is not supported in compiled code yet)'],
    [{ reason: 'unsupported:process', detail: 'process:exit' }, 'its compiled code aborts (process.exit is not available to compiled code)'],
    [{ reason: 'fuel', detail: 'more than 1000000 units' }, 'its compiled code aborts (it ran out of fuel: more than 1000000 units)'],
  ];
  for (const [a, text] of rows) assert.equal(abortMeaning(a), text);
});

test('the top level makes its calls for real, as every instance start does', async () => {
  const src = `${HEAD}c.get('http://backend/config', function () {});
c.listen(function (req) { c.respond({ n: req.query.n }); });`;
  const rs = [raw({ query: { n: '1' } }), raw({ query: { n: '2' } })];
  const ex = await examples(src, rs);
  const before = backend.calls.length;
  assert.deepEqual(await check(src, rs, { examples: ex, topLevel: backend }), { ok: true, replayed: 2, matched: 2, aborted: 0, unreproducible: 0 });
  // One call by the tracer's run of the top level, one by the checked instance's start.
  assert.deepEqual(backend.calls.slice(before).map((c) => c.url), ['http://backend/config', 'http://backend/config']);
});

test('state kept across requests (a cache) makes calls differ from the record: answered from other records, not compared', async () => {
  // The container served /a twice: the second time from its cache, with no call. A fresh instance
  // replaying that second request makes the call first; once warm it answers as the container did.
  const src = `${HEAD}const cache = {};
c.listen(function (req) {
  const k = req.path;
  if (k in cache) return c.respond({ k: k, v: cache[k], cached: true });
  c.get('http://backend' + k, function (b) { cache[k] = b.from; c.respond({ k: k, v: b.from, cached: false }); });
});`;
  const rs = ['/a', '/a', '/b'].map((path) => raw({ path }));
  const ex = await examples(src, rs);
  assert.deepEqual(ex.map((e) => e.calls.length), [1, 0, 1]);
  const before = backend.calls.length;
  const r = await check(src, rs, { examples: [ex[1]!, ex[2]!, ex[0]!] });
  assert.equal(backend.calls.length, before + 2, 'only tracing reached the backend');
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.ok(r.ok && r.aborted === 0 && r.matched === 1 && r.unreproducible === 2, JSON.stringify(r));
});

test('an answer that depends on the requests before it (a cache in insertion order) is not compared', async () => {
  // The container served /?ids=b, then /?ids=c,b: its cache listed b before c. A sample holding them
  // in another order replays /?ids=c,b first, on a fresh instance: c before b. The same request on a
  // fresh instance after the others (in reverse) answers otherwise again: the answer depends on history.
  const src = `${HEAD}const cache = {};
c.listen(function (req) {
  if (req.path === '/plain') return c.respond({ plain: req.query.ids });
  for (const id of String(req.query.ids).split(',')) if (!(id in cache)) cache[id] = id.length;
  c.respond({ entries: Object.keys(cache) });
});`;
  const rs = [raw({ query: { ids: 'b' } }), raw({ query: { ids: 'c,b' } }), raw({ path: '/plain', query: { ids: 'z' } })];
  const ex = await examples(src, rs);
  assert.equal(ex[1]!.response.body, '{"entries":["b","c"]}');
  const r = await check(src, rs, { examples: [ex[1]!, ex[0]!, ex[2]!] });
  assert.equal(r.ok, true, JSON.stringify(r));
  // Both cache answers change with what came before (after the others: b, c; alone: b); /plain matches.
  assert.ok(r.ok && r.unreproducible === 2 && r.matched === 1, JSON.stringify(r));
  // A wrong answer that no history explains is still refused (the record's body changed).
  const wrong = [ex[1]!, ex[0]!, { ...ex[2]!, response: { ...ex[2]!.response, body: '{"plain":"y"}' } }];
  const refused = await check(src, rs, { examples: wrong });
  assert.ok(!refused.ok && refused.kind === 'mismatch', JSON.stringify(refused));
  assert.match(refused.reason, /GET \/plain\?ids=z differently/);
});
