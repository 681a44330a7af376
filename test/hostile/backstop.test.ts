// Hostile functions against the backstop, through the HTTP API: accelerated code whose accounting
// does not hold it (the platform is started with fuel and memory limits far too high, standing for
// a charge that is wrong) stalls or bloats its accelerator worker. The worker is stopped, its
// requests are re-executed in containers, the culprit is demoted, and the platform and another
// function keep answering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelPlatform, call, deploy, fnInfo, untilAccelerated } from '../acceleration/helpers.ts';

const ACCOUNTING_OFF = { fuel: 1e13, memoryBytes: 1e13, instanceMemoryBytes: 1e13 };

const VICTIM = `const c = require('containerless');
c.listen(function (req) { c.respond('still here'); });`;

// Long but finite, so that its re-execution in a container ends (in a 504 at its timeout). The
// loop is trained with a small n: the attack takes a traced path, with a large one.
const SPIN = `const c = require('containerless');
c.listen(function (req) {
  const n = Number(req.query.n);
  let i = 0;
  while (i < n) { i = i + 1; }
  c.respond('spun ' + i);
});`;

// About 200 MB of live strings at n = 2e6: more than the worker's heap limit here, well within a
// container's memory.
const HOG = `const c = require('containerless');
c.listen(function (req) {
  const n = Number(req.query.n);
  const keep = [];
  let i = 0;
  while (i < n) { keep.push('item ' + i + ' yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy'); i = i + 1; }
  c.respond('kept ' + keep.length);
});`;

test('a request stuck in accelerated code: the watchdog stops it, the platform and other functions answer', async (t) => {
  const p = await accelPlatform(t, {}, { accelerator: { workers: 1, watchdogMs: 500, limits: ACCOUNTING_OFF } });
  await deploy(p, 'victim', VICTIM);
  await deploy(p, 'spin', SPIN, { timeout_ms: 1500 });
  await untilAccelerated(p, '/fn/victim/');
  await untilAccelerated(p, '/fn/spin/?n=3');
  const stuck = call(p, '/fn/spin/?n=4000000000');
  // While the worker is stuck, the dispatcher's own thread serves the API and other functions.
  const answers: number[] = [];
  for (let i = 0; i < 10; i++) answers.push((await call(p, '/fn/victim/')).status);
  assert.deepEqual(answers, Array(10).fill(200));
  assert.equal((await call(p, '/healthz')).status, 200);
  const r = await stuck;
  assert.equal(r.headers.get('x-containerless-reexecuted'), '1', 'the stuck request was re-executed in a container');
  assert.equal(r.status, 504, 'and met its timeout there');
  const logs = (await call(p, '/api/functions/spin/logs')).json() as Array<{ abort_reason?: string }>;
  assert.ok(logs.some((a) => a.abort_reason === 'backstop'), JSON.stringify(logs.map((a) => a.abort_reason)));
  const info = await fnInfo(p, 'spin');
  assert.equal(info.mode, 'containers');
  assert.match(info.mode_reason, /backstop \(watchdog\)/);
  assert.equal(info.stats.acceleration.backstops, 1);
  const metrics = (await call(p, '/metrics')).text;
  assert.match(metrics, /containerless_backstops_total\{function="spin",cause="watchdog"\} 1/);
  // The other function is accelerated again, in a fresh worker.
  await untilAccelerated(p, '/fn/victim/');
});

test('a request that outgrows the accelerator heap: only its worker dies, the dispatcher stays small', async (t) => {
  const heapMb = 96;
  const p = await accelPlatform(t, {}, { accelerator: { workers: 1, heapMb, watchdogMs: 60_000, limits: ACCOUNTING_OFF } });
  await deploy(p, 'victim', VICTIM);
  await deploy(p, 'hog', HOG, { memory_mb: 1024, timeout_ms: 30_000 });
  await untilAccelerated(p, '/fn/victim/');
  await untilAccelerated(p, '/fn/hog/?n=3');
  const rss0 = process.memoryUsage().rss;
  const r = await call(p, '/fn/hog/?n=2000000');
  const grew = (process.memoryUsage().rss - rss0) / 2 ** 20;
  assert.equal(r.status, 200);
  assert.equal(r.text, 'kept 2000000', 'the container re-execution answers');
  assert.equal(r.headers.get('x-containerless-reexecuted'), '1');
  assert.ok(grew < heapMb + 100, `the dispatcher grew by ${grew.toFixed(0)} MiB`);
  const info = await fnInfo(p, 'hog');
  assert.match(info.mode_reason, /backstop \(heap-limit\)/);
  assert.equal((await call(p, '/fn/victim/')).text, 'still here');
  await untilAccelerated(p, '/fn/victim/');
});
