import { test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '../e2e/helpers.ts';
import { call, deploy, fnInfo, mode, until, untilAccelerated } from './helpers.ts';

// Two kinds of request; training only ever sends `kind=word`, so the `else` arm is never traced.
const SOURCE = `const c = require('containerless');
let served = 0;
c.listen(function (req) {
  served = served + 1;
  if (req.query.kind === 'word') {
    c.respond({ word: String(req.query.w).toUpperCase(), len: String(req.query.w).length });
  } else {
    let total = 0;
    const xs = String(req.query.xs).split(',');
    for (let i = 0; i < xs.length; i++) total += Number(xs[i]);
    c.respond('sum=' + total, { headers: { 'x-kind': 'sum' } });
  }
});`;

test('default policy: traced first, then accelerated; identical responses across the switch', async (t) => {
  const p = await platform(t); // the platform's default policy
  const created = await deploy(p, 'words', SOURCE);
  assert.equal(created.mode, 'tracing', 'a new function is traced first');
  const seen = new Map<string, string>();
  const modes: string[] = [];
  for (let i = 0; i < 12; i++) {
    const w = ['ab', 'hello', 'xyz'][i % 3]!;
    const r = await call(p, `/fn/words/?kind=word&w=${w}`);
    assert.equal(r.status, 200);
    modes.push(mode(r)!);
    const prev = seen.get(w);
    if (prev !== undefined) assert.equal(r.text, prev, `same answer for ${w} in ${mode(r)}`);
    seen.set(w, r.text);
  }
  assert.equal(modes[0], 'tracing');
  const acc = await untilAccelerated(p, '/fn/words/?kind=word&w=hello');
  assert.equal(acc.text, seen.get('hello'));
  assert.equal(acc.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(acc.headers.get('x-containerless-reexecuted'), null);
  const info = await fnInfo(p, 'words');
  assert.equal(info.mode, 'accelerated');
  assert.equal((await call(p, '/api/functions/words/mode')).json().mode, 'accelerated');
  assert.ok(info.stats.requests.tracing >= 5, JSON.stringify(info.stats));
  assert.ok(info.stats.acceleration.compiles >= 1);
  assert.equal(info.compile_error, null);
  const compiled = await call(p, '/api/functions/words/compiled');
  assert.equal(compiled.status, 200);
  assert.ok(compiled.text.length > 50);
  const trace = (await call(p, '/api/functions/words/trace')).json();
  assert.equal(trace.format, 'containerless-trace');
  assert.ok(trace.paths >= 5);
});

// Training sends no `unit`: the last store into `total`, a local the traced code keeps numeric, was
// never traced, so it is compiled checked (a non-number aborts) rather than giving up native arithmetic.
const TOTALS = `const c = require('containerless');
c.listen(function (req) {
  let total = 0;
  const xs = String(req.query.xs).split(',');
  for (let i = 0; i < xs.length; i++) total += +xs[i];
  if (req.query.unit) total = total + ' ' + req.query.unit;
  c.respond('sum=' + total, { headers: { 'x-kind': 'sum' } });
});`;

test('a never-seen path is answered accelerated: arms no request reached are compiled too', async (t) => {
  const p = await platform(t, { policy: { compileAfterRequests: 3, compileWhenStableFor: 2, recompileDelayMs: 10 } });
  await deploy(p, 'mixed', SOURCE);
  for (let i = 0; i < 3; i++) assert.equal(mode(await call(p, '/fn/mixed/?kind=word&w=a')), 'tracing');
  await untilAccelerated(p, '/fn/mixed/?kind=word&w=a');
  const r = await call(p, '/fn/mixed/?kind=sum&xs=1,2,39');
  assert.deepEqual([r.status, r.text, r.headers.get('x-kind'), mode(r), r.headers.get('x-containerless-reexecuted')], [200, 'sum=42', 'sum', 'accelerated', null]);
  const info = await fnInfo(p, 'mixed');
  assert.equal(info.stats.aborts['unknown-path'] ?? 0, 0, JSON.stringify(info.stats));
});

test('a store the traces never made aborts, is re-executed with the header, then is learned and accelerated', async (t) => {
  const p = await platform(t, { policy: { compileAfterRequests: 3, compileWhenStableFor: 2, recompileDelayMs: 10 } });
  await deploy(p, 'mixed', TOTALS);
  for (let i = 0; i < 3; i++) assert.equal(mode(await call(p, '/fn/mixed/?xs=1,2')), 'tracing');
  await untilAccelerated(p, '/fn/mixed/?xs=1,2');

  const r = await call(p, '/fn/mixed/?xs=1,2,39&unit=kg');
  assert.equal(r.status, 200);
  assert.equal(r.text, 'sum=42 kg');
  assert.equal(r.headers.get('x-kind'), 'sum');
  assert.equal(r.headers.get('x-containerless-reexecuted'), '1');
  assert.equal(mode(r), 'tracing', "the response is the (tracing) container's");

  // The recompile runs in the background; the same kind of request is then accelerated, no re-execution.
  const again = await untilAccelerated(p, '/fn/mixed/?xs=5,5&unit=m');
  assert.equal(again.text, 'sum=10 m');
  assert.equal(again.headers.get('x-containerless-reexecuted'), null);
  const more = await call(p, '/fn/mixed/?xs=7,8,9');
  assert.deepEqual([mode(more), more.text, more.headers.get('x-containerless-reexecuted')], ['accelerated', 'sum=24', null]);

  const info = await fnInfo(p, 'mixed');
  assert.ok(info.stats.aborts['unknown-path'] >= 1, JSON.stringify(info.stats));
  assert.ok(info.stats.acceleration.reexecutions >= 1);
  assert.ok(info.stats.acceleration.compiles >= 2);
  const logs = (await call(p, '/api/functions/mixed/logs')).json() as Array<Record<string, unknown>>;
  const reexec = logs.find((a) => a.reexecuted === true);
  assert.ok(reexec, JSON.stringify(logs.slice(0, 5)));
  assert.equal(reexec.abort_reason, 'unknown-path');
  assert.match(String(reexec.abort_detail), /^no traced request took this path at 6:\d+$/);
  assert.equal(reexec.mode, 'tracing');
  assert.ok(logs.some((a) => a.mode === 'accelerated'));

  const metrics = (await call(p, '/metrics')).text;
  assert.match(metrics, /containerless_aborts_total\{function="mixed",reason="unknown-path"\} [1-9]/);
  assert.match(metrics, /containerless_compiles_total\{function="mixed",outcome="ok"\} [2-9]/);
  assert.match(metrics, /containerless_requests_total\{function="mixed",mode="accelerated",status="200"\} [1-9]/);
  assert.match(metrics, /containerless_function_mode\{function="mixed",mode="accelerated"\} 1/);
  await until('trace persisted', async () => (await call(p, '/api/functions/mixed/trace')).json().paths >= 5);
});

test('a JavaScript exception is the function’s behaviour (500 in both modes), not an abort', async (t) => {
  const p = await platform(t, { policy: { compileAfterRequests: 2, compileWhenStableFor: 1 } });
  await deploy(p, 'thrower', `const c = require('containerless');
c.listen(function (req) { if (req.query.bad === '1') { null.x; } c.respond('ok'); });`);
  const traced = await call(p, '/fn/thrower/?bad=1');
  assert.equal(traced.status, 500);
  for (let i = 0; i < 3; i++) await call(p, '/fn/thrower/?bad=0');
  await untilAccelerated(p, '/fn/thrower/?bad=0');
  const acc = await call(p, '/fn/thrower/?bad=1');
  assert.equal(mode(acc), 'accelerated');
  assert.equal(acc.headers.get('x-containerless-reexecuted'), null);
  assert.equal(acc.status, 500);
  assert.equal(acc.text, traced.text);
});
