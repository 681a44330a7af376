import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { once } from 'node:events';
import { startWorker, WORKER_YOUNG_GENERATION_MB, withWorkerLimits } from '../../src/acceleration/start-worker.ts';
import { tempDir } from './helpers.ts';

// Allocates as a busy worker does (many short-lived objects, some kept a while), then reports how
// much young space its isolate committed: V8's default grows it to 32 MB of semi-spaces.
const ALLOCATOR = `
import { parentPort } from 'node:worker_threads';
import v8 from 'node:v8';
let keep = [];
for (let i = 0; i < 2_000_000; i++) {
  keep.push({ i, s: 'x' + i });
  if (keep.length > 50_000) keep = [];
}
const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
parentPort.postMessage({ size: s.space_size, physical: s.physical_space_size });
`;

test('platform workers keep a small young generation however fast they allocate', async (t) => {
  const file = join(tempDir(t), 'allocator.mjs');
  writeFileSync(file, ALLOCATOR);
  const w = startWorker({ source: pathToFileURL(file), built: 'no-such-built-worker.js' });
  t.after(() => w.terminate());
  const [m] = (await once(w, 'message')) as [{ size: number; physical: number }];
  // Two semi-spaces of a third of the young generation each; the default would be 32 MB here.
  const limit = ((2 * WORKER_YOUNG_GENERATION_MB) / 3) * 1024 * 1024;
  assert.ok(m.size <= limit, `new space ${m.size} bytes, at most ${limit}`);
  assert.ok(m.physical <= limit, `new space resident ${m.physical} bytes, at most ${limit}`);
});

test('a worker that names its own limits keeps them, with the young generation added', () => {
  const o = withWorkerLimits({ name: 'w', resourceLimits: { maxOldGenerationSizeMb: 64 } });
  assert.deepEqual(o.resourceLimits, { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: 64 });
  assert.equal(o.name, 'w');
  assert.equal(withWorkerLimits({ resourceLimits: { maxYoungGenerationSizeMb: 24 } }).resourceLimits?.maxYoungGenerationSizeMb, 24);
});
