import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, deploy, platform, src } from './helpers.ts';

test('an infinite loop gets 504 at its timeout_ms while another function keeps answering', async (t) => {
  const p = await platform(t);
  await deploy(p, 'spin', `const c = require('containerless'); c.listen(function (req) { if (req.path === '/ok') return c.respond('ok'); while (true) {} });`, { timeout_ms: 1000 });
  await deploy(p, 'hello', src.hello);
  assert.equal((await call(p, '/fn/spin/ok')).text, 'ok');
  assert.equal((await call(p, '/fn/hello')).text, 'Hello, world!', 'warm before the loop starts');
  let settled = false;
  const spinning = call(p, '/fn/spin/loop').finally(() => (settled = true));
  // The neighbour answers, one request after another, all the while the loop runs.
  let answeredMeanwhile = 0;
  while (!settled) {
    const r = await call(p, '/fn/hello');
    assert.equal(r.text, 'Hello, world!');
    if (!settled) answeredMeanwhile++;
  }
  const r = await spinning;
  assert.equal(r.status, 504);
  assert.equal(r.json().error, 'function timed out after 1000 ms', "the pool's deadline, from the function's config");
  t.diagnostic(`${answeredMeanwhile} neighbour requests answered while the loop ran`);
  assert.ok(answeredMeanwhile >= 3, `${answeredMeanwhile} neighbour requests answered while the loop ran`);
  assert.equal((await call(p, '/fn/spin/ok')).text, 'ok', 'the stuck container was replaced');
  const got = (await call(p, '/api/functions/spin')).json();
  assert.equal(got.stats.outcomes.timeout, 1);
});

test('process.exit in a handler: 502 after one re-execution; the next request succeeds', async (t) => {
  const p = await platform(t);
  await deploy(p, 'quitter', `const c = require('containerless');
c.listen(function (req) { if (req.path === '/exit') process.exit(1); c.respond('alive ' + process.pid); });`);
  assert.match((await call(p, '/fn/quitter/')).text, /^alive/);
  const r = await call(p, '/fn/quitter/exit');
  assert.equal(r.status, 502);
  assert.match(r.json().error, /died/);
  assert.equal(r.headers.get('x-containerless-mode'), 'container');
  const next = await call(p, '/fn/quitter/');
  assert.equal(next.status, 200);
  const logs = (await call(p, '/api/functions/quitter/logs')).json() as Array<{ status: number; reexecuted: boolean }>;
  assert.ok(logs.some((a) => a.status === 502 && a.reexecuted), 'the activation records the re-execution');
  const m = (await call(p, '/metrics')).text;
  assert.match(m, /containerless_reexecutions_total\{function="quitter",reason="died"\} 1/);
});

test('unbounded allocation is stopped by the memory limit: 502, dispatcher memory unaffected', async (t) => {
  const p = await platform(t);
  await deploy(p, 'hog', `const c = require('containerless');
c.listen(function (req) {
  if (req.path === '/ok') return c.respond('ok');
  const keep = [];
  while (true) keep.push(Buffer.alloc(1024 * 1024, 1));
});`, { memory_mb: 64, timeout_ms: 8000 });
  const rssBefore = process.memoryUsage().rss;
  const r = await call(p, '/fn/hog/eat');
  assert.equal(r.status, 502, r.text);
  const rssAfter = process.memoryUsage().rss;
  assert.ok(rssAfter - rssBefore < 64 * 1024 * 1024, `dispatcher RSS grew by ${Math.round((rssAfter - rssBefore) / 1e6)} MB`);
  assert.equal((await call(p, '/fn/hog/ok')).text, 'ok');
});
