// After an abort retires an instance, its replacement starts between requests (src/acceleration/
// accel-worker.ts, accel-runner.ts), so the next request does not pay for the top level: checked on
// real compiled code in an InlineRunner and in a worker of a WorkerRunner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { compileTree, InlineRunner, WorkerRunner, type AccelRunner, type Binding } from '../../src/acceleration/index.ts';
import type { RawRequest } from '../../src/api/index.ts';
import { traceLocally } from '../../src/tracer/index.ts';

const raw = (path: string): RawRequest => ({ method: 'GET', path, query: {}, headers: {}, body: '' });

// The top level logs each start; /boom aborts (WeakRef is not modelled), which retires the instance.
const SOURCE = `const c = require('containerless');
console.log('top level');
let served = 0;
c.listen(function (req) {
  served = served + 1;
  if (req.path === '/boom') { const r = new WeakRef({}); c.respond(String(r)); return; }
  c.respond({ served: served });
});`;

async function program(): Promise<string> {
  const { tree, skeleton } = await traceLocally(SOURCE, [raw('/a'), raw('/boom')], { request: async () => undefined });
  const c = compileTree(JSON.parse(JSON.stringify(tree)), skeleton);
  assert.ok(c.ok, JSON.stringify(c));
  return c.code;
}

async function check(runner: AccelRunner): Promise<void> {
  const starts: string[] = [];
  const binding: Binding = { io: { request: async () => undefined }, log: (_s, line) => starts.push(line) };
  assert.equal(await runner.load('f@1', { code: await program(), env: {} }, binding), undefined);
  const call = (path: string) => runner.handle('f@1', raw(path), { timeoutMs: 2000, id: `r-${path}-${Math.random()}` });
  assert.equal((await call('/a')).result.kind, 'response');
  assert.equal((await call('/boom')).result.kind, 'abort');
  // No request comes, yet the replacement's top level runs.
  for (let i = 0; i < 50 && starts.length < 2; i++) await sleep(10);
  assert.deepEqual(starts, ['top level', 'top level']);
  const next = (await call('/a')).result;
  assert.equal(next.kind === 'response' && next.response.body, '{"served":1}', 'a fresh instance answers');
  assert.equal(starts.length, 2, 'the request did not start another');
}

test('an inline runner starts the replacement of an aborted instance before the next request', async () => {
  await check(new InlineRunner());
});

test('a worker starts the replacement of an aborted instance before the next request', async () => {
  const runner = new WorkerRunner({ workers: 1 });
  try {
    await check(runner);
  } finally {
    await runner.close();
  }
});
