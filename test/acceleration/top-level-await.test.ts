// ES modules with top-level `await` through the HTTP API on runc: the containers await the module's
// evaluation before serving (a timer's too); compiled code's instance start awaits it, with byte-equal answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelPlatform, call, deploy, fnInfo, mockBackend, mode } from './helpers.ts';

const WORKER = `const config = await new Promise((r) => setTimeout(() => r({ greeting: 'hello', times: 2 }), 5));
const words = await Promise.all(['a', 'b'].map(async (w) => w.toUpperCase()));
let hits = 0;
export default {
  async fetch(request) {
    hits++;
    const name = new URL(request.url).searchParams.get('name') || 'world';
    return Response.json({ text: (config.greeting + ' ' + name + ' ').repeat(config.times).trim(), words, hits: hits > 0 });
  },
};
`;

const REQUESTS = ['/?name=ann', '/', '/?name=bo'];

test('an ES module awaiting at its top level answers in containers, then accelerated byte for byte', async (t) => {
  const p = await accelPlatform(t, { compileAfterRequests: 1_000_000, compileWhenStableFor: 0 });
  const d = await deploy(p, 'tla', WORKER);
  assert.equal(d.style, 'web');
  const answers: unknown[] = [];
  for (const path of REQUESTS) {
    const r = await call(p, `/fn/tla${path}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(mode(r), 'tracing');
    answers.push({ status: r.status, text: r.text, type: r.headers.get('content-type') });
  }
  assert.equal(JSON.parse((answers[0] as { text: string }).text).text, 'hello ann hello ann');
  const compiled = await call(p, '/api/functions/tla/compile', { method: 'POST' });
  assert.equal(compiled.status, 200, compiled.text);
  assert.equal(compiled.json().mode, 'accelerated', compiled.text);
  for (const [i, path] of REQUESTS.entries()) {
    const r = await call(p, `/fn/tla${path}`);
    assert.equal(mode(r), 'accelerated', `${path}: ${r.text}`);
    assert.equal(r.headers.get('x-containerless-reexecuted'), null, path);
    assert.deepEqual({ status: r.status, text: r.text, type: r.headers.get('content-type') }, answers[i], path);
  }
  assert.equal((await fnInfo(p, 'tla')).mode, 'accelerated');
});

test('a top-level await that rejects is the load error requests get, with its message', async (t) => {
  const p = await accelPlatform(t);
  await deploy(p, 'bad', `export const handler = async () => ({ statusCode: 200, body: 'never' });\nconst cfg = await Promise.reject(new RangeError('config missing'));\n`);
  const r = await call(p, '/fn/bad/');
  assert.equal(r.status, 500, r.text);
  assert.match(r.text, /failed to load.*RangeError: config missing/);
});

test('a top-level fetch is made by containers and by each compiled instance\'s start, under the egress policy', async (t) => {
  const b = await mockBackend(t);
  const p = await accelPlatform(t, { compileAfterRequests: 1_000_000, compileWhenStableFor: 0 }, { allowOutbound: [new URL(b.url).host] });
  const src = (url: string) => `const config = await fetch(${JSON.stringify(url)}).then((r) => r.json());\nexport default { async fetch() { return Response.json({ m: config.method, u: config.url }); } };\n`;
  await deploy(p, 'tf', src(`${b.url}/cfg`));
  const r = await call(p, '/fn/tf/');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json(), { m: 'GET', u: '/cfg' });
  assert.ok(b.seen.some((s) => s.url === '/cfg'));
  const before = b.seen.filter((s) => s.url === '/cfg').length;
  const c = await call(p, '/api/functions/tf/compile', { method: 'POST' });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json().mode, 'accelerated', c.text);
  const again = await call(p, '/fn/tf/');
  assert.equal(again.status, 200, again.text);
  assert.equal(mode(again), 'accelerated');
  assert.deepEqual(again.json(), r.json());
  // The serving instance's start fetched its configuration itself (and the pre-live check's did).
  assert.ok(b.seen.filter((s) => s.url === '/cfg').length > before);
  // A destination the policy refuses fails the load like any refused fetch.
  await deploy(p, 'tfx', src('http://192.0.2.1/cfg'));
  const refused = await call(p, '/fn/tfx/');
  assert.equal(refused.status, 500, refused.text);
  assert.match(refused.text, /failed to load: Uncaught TypeError: fetch failed/);
});
