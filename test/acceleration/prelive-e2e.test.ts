// Honest states through the HTTP API on runc: compiled code goes live only after it replays recent
// traced requests as their containers answered them; `list` and `get` say which mode really answers
// and why. Unit tests of the check: prelive-check.test.ts; policy rows: honest-states.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BIN } from '../e2e/helpers.ts';
import { accelPlatform, call, deploy, fnInfo, mode, until, untilAccelerated } from './helpers.ts';

// WeakRef stays outside what compiled code runs (src/accelerator/aborts.ts `unsupported:global`):
// the trace compiles, and the compiled code aborts on every request.
const WEAK = `const c = require('containerless');
c.listen(function (req) {
  const box = { n: Number(req.query.n || 0) };
  const ref = new WeakRef(box);
  c.respond({ n: ref.deref().n + 1 });
});`;

const PLAIN = `const c = require('containerless');
c.listen(function (req) {
  const n = Number(req.query.n || 0);
  c.respond({ n: n, square: n * n }, { headers: { 'x-plain': String(n % 3) } });
});`;

test('compiled code that aborts on every traced request never goes live, and get, list and the CLI say why', async (t) => {
  const p = await accelPlatform(t);
  await deploy(p, 'weak', WEAK);
  const seen = new Set<string>();
  let info: Record<string, any> = {};
  await until('the pre-live check refused the compiled code', async () => {
    const n = seen.size + 1;
    const r = await call(p, `/fn/weak/?n=${n}`);
    assert.deepEqual([r.status, r.text], [200, JSON.stringify({ n: n + 1 })]);
    seen.add(mode(r)!);
    info = await fnInfo(p, 'weak');
    return info.prelive_check?.ok === false;
  });
  assert.equal(info.mode, 'containers', JSON.stringify(info));
  assert.match(info.mode_reason, /^runs in containers: its compiled code aborts at 4:\d+ \(the global WeakRef is not supported in compiled code yet\) on \d+ of \d+ traced requests replayed$/);
  assert.equal(info.serving, 'containers');
  assert.equal(info.serving_reason, info.mode_reason);
  assert.equal(info.prelive_check.kind, 'aborts');
  assert.equal(info.stats.acceleration.prelive_refusals, 1);
  // Never served accelerated; and now plain containers, not a traced attempt per request.
  for (let i = 0; i < 3; i++) {
    const r = await call(p, `/fn/weak/?n=${100 + i}`);
    seen.add(mode(r)!);
    assert.deepEqual([mode(r), r.text, r.headers.get('x-containerless-reexecuted')], ['container', JSON.stringify({ n: 101 + i }), null]);
  }
  assert.ok(!seen.has('accelerated'), [...seen].join(' '));
  assert.match((await call(p, '/metrics')).text, /containerless_prelive_checks_total\{function="weak",outcome="aborts"\} 1/);

  const list = (await call(p, '/api/functions')).json() as Array<Record<string, string>>;
  const row = list.find((f) => f.name === 'weak')!;
  assert.deepEqual([row.mode, row.serving], ['containers', 'containers']);
  assert.match(row.serving_reason!, /WeakRef/);
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'list', '--url', p.url]);
  const line = stdout.split('\n').find((l) => l.startsWith('weak '));
  assert.match(line ?? '', /^weak +1 +containers +containers +auto +\S+ +runs in containers: its compiled code aborts at 4:\d+ \(the global WeakRef/, stdout);
  assert.match(stdout.split('\n')[0]!, /^NAME +VERSION +MODE +SERVING +PIN +UPDATED +WHY$/);
});

test('a normal function passes the check, goes live and answers accelerated', async (t) => {
  const p = await accelPlatform(t);
  await deploy(p, 'plain', PLAIN);
  for (let i = 0; i < 3; i++) assert.equal((await call(p, `/fn/plain/?n=${i}`)).status, 200);
  const r = await untilAccelerated(p, '/fn/plain/?n=7');
  assert.deepEqual([r.text, r.headers.get('x-plain')], [JSON.stringify({ n: 7, square: 49 }), '1']);
  const info = await fnInfo(p, 'plain');
  assert.deepEqual([info.mode, info.serving], ['accelerated', 'accelerated']);
  assert.equal(info.prelive_check.ok, true, JSON.stringify(info.prelive_check));
  assert.ok(info.prelive_check.matched >= 1, JSON.stringify(info.prelive_check));
  assert.equal(info.prelive_check.aborted, 0);
  assert.match((await call(p, '/metrics')).text, /containerless_prelive_checks_total\{function="plain",outcome="passed"\} [1-9]/);
});

test('an accelerated function whose attempts mostly abort is not shown as plainly accelerated', async (t) => {
  // No check (preliveSample 0) and no demotion in reach: the compiled code serves and aborts on
  // the requests it was not traced on, as code that passed the check may meet later.
  const p = await accelPlatform(t, { preliveSample: 0, demoteMinAttempts: 1000, demoteWindow: 1000 });
  await deploy(p, 'half', `const c = require('containerless');
c.listen(function (req) {
  if (req.query.weak) return c.respond({ alive: new WeakRef({}).deref() !== undefined });
  c.respond('ok');
});`);
  for (let i = 0; i < 3; i++) await call(p, '/fn/half/');
  await untilAccelerated(p, '/fn/half/');
  for (let i = 0; i < 4; i++) {
    const r = await call(p, '/fn/half/?weak=1');
    assert.deepEqual([r.text, r.headers.get('x-containerless-reexecuted')], ['{"alive":true}', '1']);
  }
  const info = await fnInfo(p, 'half');
  assert.equal(info.mode, 'accelerated', 'CONTRACT: the mode the next request takes first');
  assert.equal(info.serving, 'tracing');
  assert.match(info.serving_reason, /^accelerated attempts abort on 4 of the last 5 requests, which tracing containers answer: most often its compiled code aborts at 3:\d+ \(the global WeakRef is not supported in compiled code yet\)$/);
});

test('a function whose traced requests never answer does not stay in tracing', async (t) => {
  const p = await accelPlatform(t);
  // Answers only /ok; everything else spins until the container is killed: traced requests that
  // report no path. (A function that returns without answering is answered 504 at once, with a path.)
  await deploy(p, 'silent', `const c = require('containerless');
c.listen(function (req) { if (req.path === '/ok') return c.respond('ok'); for (;;) {} });`, { timeout_ms: 300 });
  const first = await call(p, '/fn/silent/x');
  assert.deepEqual([first.status, mode(first)], [504, 'tracing']);
  let info: Record<string, any> = {};
  await until('back in containers', async () => {
    await call(p, '/fn/silent/x');
    info = await fnInfo(p, 'silent');
    return info.mode === 'containers';
  });
  assert.match(info.mode_reason, /^runs in containers: none of its last \d+ traced requests answered \(timeouts or crashes\), so there is nothing to compile$/);
  assert.deepEqual([info.serving, info.serving_reason], ['containers', info.mode_reason]);
  const r = await call(p, '/fn/silent/ok');
  assert.deepEqual([r.status, r.text, mode(r)], [200, 'ok', 'container']);
});

test('compiled code that answers a traced request differently from its container never goes live', async (t) => {
  // No known divergence of the compiler makes one, so a test-only fault rewrites the compiled code
  // (which is then validated where it runs like any other) to answer differently.
  let rewritten = 0;
  const faultsForTests = {
    compiledCode: (code: string) => {
      rewritten += code.split('"ok-marker "').length - 1;
      return code.replaceAll('"ok-marker "', '"KO-marker "');
    },
  };
  const p = await accelPlatform(t, {}, { faultsForTests });
  await deploy(p, 'skew', `const c = require('containerless');
c.listen(function (req) { c.respond('ok-marker ' + (req.query.n || 0)); });`);
  const seen = new Set<string>();
  let info: Record<string, any> = {};
  let n = 0;
  await until('the pre-live check refused the compiled code', async () => {
    n++;
    const r = await call(p, `/fn/skew/?n=${n}`);
    assert.deepEqual([r.status, r.text], [200, `ok-marker ${n}`], 'every answer is the container\'s');
    seen.add(mode(r)!);
    info = await fnInfo(p, 'skew');
    return info.prelive_check?.ok === false;
  });
  assert.ok(rewritten > 0, 'the fault found the literal in the compiled code');
  assert.equal(info.prelive_check.kind, 'mismatch', JSON.stringify(info.prelive_check));
  assert.equal(info.mode, 'containers', JSON.stringify(info));
  assert.equal(info.serving, 'containers');
  assert.match(info.serving_reason, /its compiled code answered the traced request GET \/\?n=\d+ differently from its container/);
  assert.match(info.serving_reason, /KO-marker/);
  for (let i = 0; i < 3; i++) {
    const r = await call(p, `/fn/skew/?n=${100 + i}`);
    seen.add(mode(r)!);
    assert.deepEqual([r.text, mode(r)], [`ok-marker ${100 + i}`, 'container']);
  }
  assert.ok(!seen.has('accelerated'), [...seen].join(' '));
  assert.match((await call(p, '/metrics')).text, /containerless_prelive_checks_total\{function="skew",outcome="mismatch"\} 1/);
  assert.equal((await call(p, '/api/functions/skew/compiled')).status, 404, 'no compiled code was stored as live');
});
