import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLimitServer } from '../../bench/limit-server.ts';
import { startMockBackend } from '../../src/cli/trace-run/mock-backend.ts';
import { BENCH_FUNCTIONS } from '../../bench/accel-functions.ts';
import { deploy, platform } from '../e2e/helpers.ts';

const CORPUS = join(import.meta.dirname, '..', '..', 'corpus');

// The limit is only a fair baseline if it runs the same function the same way: same status, body
// and content type as the platform's containers for every request the benchmark sends.
test('the limit adapter answers the bench requests like the platform does', async (t) => {
  const backend = await startMockBackend();
  t.after(() => backend.close());
  const p = await platform(t, { allowOutbound: [new URL(backend.url).host] });
  // Functions side by side: each one's container cold start is most of the time.
  await Promise.all(BENCH_FUNCTIONS.map(async (f) => {
    const source = readFileSync(join(CORPUS, `${f.name}.js`), 'utf8');
    await deploy(p, f.name, source);
    const limit = await startLimitServer(source);
    t.after(() => limit.close());
    for (const v of [...f.variants, { method: 'GET' as const, path: '/nowhere?x=1' }]) {
      const init = { method: v.method, body: v.body, headers: { 'x-backend': backend.url, ...(v.body ? { 'content-type': 'application/json' } : {}) } };
      const [a, b] = await Promise.all([fetch(`${p.url}/fn/${f.name}${v.path}`, init), fetch(`${limit.url}/fn/${f.name}${v.path}`, init)]);
      const what = `${f.name} ${v.method} ${v.path}`;
      assert.equal(b.status, a.status, what);
      assert.equal(b.headers.get('content-type'), a.headers.get('content-type'), what);
      assert.equal(await b.text(), await a.text(), what);
      assert.equal(b.headers.get('x-containerless-mode'), 'limit');
    }
  }));
});
