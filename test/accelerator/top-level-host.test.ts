// A top level that waits for the host (an awaited fetch or body read), as an ES module's top-level
// `await` of a configuration fetch does: the instance's start waits for it, as a container's module
// evaluation does, and requests wait for the start; compiled against src/api's loadFunctionAwaited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@babel/parser';
import { createInstance, loadCompiled, type AccelResult } from '../../src/accelerator/index.ts';
import { loadFunctionAwaited, type IO } from '../../src/api/index.ts';
import { moduleToCommonJS } from '../../src/platform/source-esm.ts';
import { compileSource, raw, recordingIO } from './helpers.ts';

const toCjs = (esm: string) => moduleToCommonJS(esm, parse(esm, { sourceType: 'module' }));
const CONFIG = (r: { url: string }) => (r.url.endsWith('/cfg') ? { greeting: 'hi', times: 2 } : { url: r.url });

function start(cjs: string, io: IO, logs: string[] = []) {
  return createInstance(loadCompiled(compileSource(cjs)), { io, log: (s, l) => logs.push(`${s}: ${l}`) });
}

const body = (r: AccelResult) => (r.kind === 'response' ? r.response.body : `abort ${r.reason}: ${r.detail}`);

test('a top-level awaited fetch: the start waits for it, and requests answer as in Node', async () => {
  const cjs = toCjs(`const config = await fetch('http://backend.test/cfg').then((r) => r.json());
const note = await (await fetch('http://backend.test/note', { method: 'POST', body: 'x' })).text();
export default { async fetch(request) { return Response.json({ text: (config.greeting + ' ').repeat(config.times), note }); } };`);
  const ioA = recordingIO(CONFIG);
  const inst = start(cjs, ioA);
  assert.equal(await inst.started, undefined);
  const realFetch = globalThis.fetch;
  try {
    const ioN = recordingIO(CONFIG);
    const fn = await loadFunctionAwaited(cjs, { io: ioN, globalFetch: true, log() {} });
    for (const path of ['/', '/a']) {
      const a = await inst.handle(raw({ path }), { timeoutMs: 1000 });
      const n = await fn.invoke(raw({ path }), { timeoutMs: 1000 });
      assert.equal(a.kind, 'response', body(a));
      assert.deepEqual(a.kind === 'response' && a.response, n, path);
    }
    // The top level's calls were made once, with no request's id.
    assert.deepEqual(ioA.calls.map((c) => `${c.method} ${c.url}`), ioN.calls.map((c) => `${c.method} ${c.url}`));
    assert.equal(ioA.calls.length, 2);
  } finally {
    globalThis.fetch = realFetch;
  }
});

test('a request that arrives while the top level waits is answered once it is done', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const ids: Array<string | undefined> = [];
  const io: IO = {
    async request(req, id) {
      ids.push(id);
      await gate;
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ v: req.url }) };
    },
  };
  const inst = start(toCjs(`const c = await (await fetch('http://backend.test/slow')).json();
export const handler = async () => ({ statusCode: 200, body: c.v });`), io);
  let answered = false;
  const pending = inst.handle(raw(), { timeoutMs: 1000 }).then((r) => ((answered = true), r));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(answered, false, 'the request waited for the start');
  assert.equal(inst.poisoned, false);
  release();
  const r = await pending;
  assert.equal(body(r), 'http://backend.test/slow');
  assert.deepEqual(ids, ['init']);
});

test('a top level whose fetch fails, throws after it, or awaits forever fails the start with its reason', async () => {
  const refused: IO = { request: async () => undefined };
  const failed = start(toCjs(`const c = await fetch('http://refused.test/cfg');\nexport const handler = async () => 'never';`), refused);
  const e = await failed.started;
  assert.match(String(e?.message), /the top level threw: TypeError: fetch failed/);
  assert.equal(failed.poisoned, true);
  const r = await failed.handle(raw(), { timeoutMs: 1000 });
  assert.equal(r.kind, 'abort');
  assert.match(body(r), /fetch failed/);
  // Awaiting a promise that nothing settles after the fetch: Node's module would never finish.
  const forever = start(toCjs(`await fetch('http://backend.test/x');\nawait new Promise(() => {});\nexport const handler = async () => 'never';`), recordingIO());
  const f = await forever.started;
  assert.match(String(f?.toAbort().detail), /waiting-on-a-promise/);
  // A rejection after the wait is the start's error too.
  const late = start(toCjs(`const r = await fetch('http://backend.test/x');\nif (r.ok) throw new RangeError('config ' + r.status);\nexport const handler = async () => 'never';`), recordingIO());
  assert.match(String((await late.started)?.message), /RangeError: config 200/);
});

test("a top-level callback call does not hold the start, and its callback never runs (as src/api's)", async () => {
  const io = recordingIO();
  const src = `const c = require('containerless');
let cfg = 'none';
c.get('http://backend.test/cfg', function (resp) { cfg = JSON.stringify(resp); });
c.listen(function (req) { c.respond({ cfg }); });`;
  const inst = start(src, io);
  assert.equal(await inst.started, undefined);
  await new Promise((r) => setTimeout(r, 10));
  const r = await inst.handle(raw(), { timeoutMs: 1000 });
  assert.equal(body(r), '{"cfg":"none"}');
  assert.equal(io.calls.length, 1);
});

test('the top level keeps one fuel budget across its waits', async () => {
  const src = toCjs(`await fetch('http://backend.test/x');
let n = 0; while (true) n++;
export const handler = async () => n;`);
  const inst = createInstance(loadCompiled(compileSource(src)), { io: recordingIO(), log() {}, limits: { fuel: 1000 } });
  const e = await inst.started;
  assert.match(String(e?.message), /the top level aborted: fuel/);
});

test('a module awaiting timers at its top level starts once they ran, and answers as in Node', async () => {
  const cjs = toCjs(`const order = [];
const sleep = (ms, v) => new Promise((r) => setTimeout(() => { order.push(v); r(v); }, ms));
setImmediate(() => order.push('immediate'));
queueMicrotask(() => order.push('microtask'));
const first = await sleep(5, 'slept');
let ticks = 0;
await new Promise((r) => { const t = setInterval(() => { order.push('tick ' + ++ticks); if (ticks === 3) { clearInterval(t); r(); } }, 1); });
const both = await Promise.all([sleep(3, 'b'), sleep(1, 'a')]);
export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ first, both, ticks, order, path: event.rawPath }) });`);
  const inst = start(cjs, recordingIO(CONFIG));
  assert.equal(await inst.started, undefined);
  const fn = await loadFunctionAwaited(cjs, { io: recordingIO(CONFIG), log() {} });
  for (const path of ['/', '/x']) {
    const a = await inst.handle(raw({ path }), { timeoutMs: 1000 });
    const n = await fn.invoke(raw({ path }), { timeoutMs: 1000 });
    assert.equal(a.kind, 'response', body(a));
    assert.deepEqual(a.kind === 'response' && a.response, n, path);
  }
  assert.match(body(await inst.handle(raw(), { timeoutMs: 1000 })), /"ticks":3,"order":\["microtask","immediate","slept","tick 1","tick 2","tick 3","a","b"\]/);
});

test('a timer the top level leaves behind, or one that throws, fails the start with its reason', async () => {
  const cases: [string, RegExp][] = [
    // A script's timer would run between requests in a container: not modelled.
    [`setTimeout(() => {}, 50);\nexports.handler = async () => ({ statusCode: 200 });`, /setTimeout at the top level \(a timer left when it ends/],
    [toCjs(`setInterval(() => {}, 1000);\nawait null;\nexport const handler = async () => ({ statusCode: 200 });`), /setTimeout at the top level \(a timer left when it ends/],
    [toCjs(`await new Promise((r) => setTimeout(r, 2));\nsetTimeout(() => {}, 10);\nexport const handler = async () => ({ statusCode: 200 });`), /setTimeout at the top level \(a timer left when it ends/],
    [toCjs(`await new Promise((r, j) => setTimeout(() => j(new RangeError('late config')), 2));\nexport const handler = async () => ({ statusCode: 200 });`), /the top level threw: RangeError: late config/],
  ];
  for (const [cjs, reason] of cases) {
    const inst = start(cjs, recordingIO(CONFIG));
    const failed = await inst.started;
    assert.match(failed?.message ?? 'started', reason);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.equal(r.kind, 'abort');
  }
});
