import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSkeleton } from '../../src/tracer/index.ts';
import { emptyTree, treeToJSON } from '../../src/trace/index.ts';
import { call, deploy, platform, src } from '../e2e/helpers.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'containerless.js');

// The tracing stage stores trees with Store.setTrace; the API and CLI already serve what is stored.
test('a stored trace tree is served by the API and printed by `containerless trace`', async (t) => {
  const p = await platform(t);
  const d = await deploy(p, 'hello', src.hello);
  const tree = emptyTree(buildSkeleton(src.hello));
  p.store.setTrace('hello', d.version as number, treeToJSON(tree));
  const api = await call(p, '/api/functions/hello/trace');
  assert.equal(api.status, 200);
  assert.equal(api.json().format, 'containerless-trace');
  const json = await run(process.execPath, [BIN, 'trace', 'hello', '--json', '--url', p.url]);
  assert.equal(JSON.parse(json.stdout).source_sha256, tree.source_sha256);
  const readable = await run(process.execPath, [BIN, 'trace', 'hello', '--url', p.url]);
  assert.ok(readable.stdout.length > 0 && !readable.stdout.trimStart().startsWith('{'), readable.stdout);
  // A new version has no trace until it is traced again.
  await deploy(p, 'hello', src.hello);
  assert.equal((await call(p, '/api/functions/hello/trace')).status, 404);
});
