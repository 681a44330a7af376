import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { runcList } from '../../src/sandbox/drivers/runc.ts';
import { STATE_ANNOTATION } from '../../src/sandbox/drivers/oci-spec.ts';
import { deploy as deployUnpinned, until } from '../acceleration/helpers.ts';
import { call, deploy, platform, src } from '../e2e/helpers.ts';

type TestContext = Parameters<typeof platform>[0];

/** A platform whose data dir and warnings the test sees (its containers are told by their state dir). */
async function watched(t: TestContext, over: Parameters<typeof platform>[1] = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cl-shutdown-'));
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
  const p = await platform(t, { dataDir, logger, ...over });
  const containers = async () =>
    (await runcList()).filter((c) => c.annotations?.[STATE_ANNOTATION]?.startsWith(dataDir)).map((c) => c.id);
  return { p, warnings, containers };
}

const SWEPT = 'removed containers still there after every pool closed';

test('shutdown closes a replaced version that is still draining: no container outlives close', async (t) => {
  const { p, warnings, containers } = await watched(t, { shutdownGraceMs: 100 });
  await deploy(p, 'drains', src.slow, { timeout_ms: 30_000 });
  const first = p.dispatcher.get('drains')!;
  // A long request holds the first version's container while a redeploy replaces it: it drains.
  const slow = call(p, '/fn/drains/?ms=25000').catch((err: Error) => err);
  await until('the long request runs', () => first.pool.stats().inflight === 1);
  // Another config: an identical redeploy would change nothing (docs/api.md "Versions").
  await deploy(p, 'drains', src.slow, { timeout_ms: 29_000 });
  assert.notEqual(p.dispatcher.get('drains'), first, 'replaced');
  const held = first.pool.stats().containers; // an adopted generic runner: its id need not name the function
  assert.equal(held.length, 1);
  assert.ok((await containers()).some((id) => id.endsWith(held[0]!)), 'the replaced version still has its container');

  await p.close();
  assert.deepEqual(await containers(), [], 'close resolves once every container of every version is gone');
  assert.ok(!warnings.some((l) => l.includes(SWEPT)), `the pools stopped their own containers: ${warnings.join('')}`);
  await slow;
});

test('a request that reaches tracing after its version closed starts no container', async (t) => {
  // New versions start in containers: the traced pool is made only when a request first needs it.
  // No shared generic runners: the version's own pre-started runner is what closing must stop.
  const { p, containers } = await watched(t, { policy: { traceNewVersions: false }, stemCells: 0 });
  await deployUnpinned(p, 'late', src.hello);
  const v = p.dispatcher.get('late')!;
  assert.equal(v.nextMode(), 'containers');
  await v.close({ drain: true });
  assert.deepEqual(await containers(), [], 'closing stopped the pre-started runner');

  // As an accelerated attempt that aborted while its version was being replaced: its re-execution.
  const res = await v.accel.runTraced({ method: 'GET', path: '/', query: {}, headers: {}, body: '' }, 'late-request');
  assert.equal(res.outcome, 'closed');
  assert.equal(res.response.status, 503);
  assert.deepEqual(await containers(), [], 'no container was started for it');
});

test('a container that escaped its pool is removed at shutdown, and the log says so', async (t) => {
  const { p, warnings, containers } = await watched(t);
  const escaped = await p.driver.start({
    id: 'escaped-1',
    memoryMb: 64,
    pids: 32,
    network: 'none',
    io: p.dispatcher.io.forFunction({ function: 'none', timeoutMs: 1000 }),
    log: () => undefined,
  });
  t.after(() => escaped.kill());
  assert.deepEqual(await containers(), ['cl-escaped-1']);
  await p.close();
  assert.deepEqual(await containers(), []);
  assert.ok(warnings.some((l) => l.includes(SWEPT) && l.includes('cl-escaped-1')), warnings.join(''));
});
