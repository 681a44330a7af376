import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, deploy, platform, sleep } from './helpers.ts';

const version = (v: number) => `const c = require('containerless');
c.listen(function (req) { setTimeout(function () { c.respond('v${v}'); }, 200); });`;

test('redeploy under load: requests in flight finish on the old version, queued ones move to the new one', async (t) => {
  const p = await platform(t);
  await deploy(p, 'rolling', version(1), { concurrency: 1, max_containers: 1 });
  assert.equal((await call(p, '/fn/rolling/')).text, 'v1');
  const inflight = Array.from({ length: 4 }, () => call(p, '/fn/rolling/'));
  await sleep(50);
  await deploy(p, 'rolling', version(2), { concurrency: 1, max_containers: 1 });
  const rs = await Promise.all(inflight);
  assert.deepEqual(rs.map((r) => r.status), [200, 200, 200, 200]);
  assert.equal(rs[0]!.text, 'v1', 'the request in flight finished on v1');
  assert.ok(rs.slice(1).every((r) => r.text === 'v2'), rs.map((r) => r.text).join(','));
  assert.equal((await call(p, '/fn/rolling/')).text, 'v2');
  assert.equal((await call(p, '/api/functions/rolling')).json().version, 2);
});
