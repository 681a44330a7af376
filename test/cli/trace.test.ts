import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSkeleton } from '../../src/tracer/index.ts';
import { call, platform, src } from '../e2e/helpers.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'containerless.js');

// A function's first requests run traced (default policy); the API serves the tree, the CLI prints it.
test('the trace tree of a traced function is served by the API and printed by `containerless trace`', async (t) => {
  const p = await platform(t);
  const put = (source: string) => fetch(`${p.url}/api/functions/hello`, { method: 'PUT', headers: { 'content-type': 'application/javascript' }, body: source });
  assert.equal((await put(src.hello)).status, 201);
  assert.equal((await call(p, '/api/functions/hello/trace')).status, 404, 'no request has run traced yet');
  const r = await call(p, '/fn/hello');
  assert.equal(r.headers.get('x-containerless-mode'), 'tracing');
  const api = await call(p, '/api/functions/hello/trace');
  assert.equal(api.status, 200);
  assert.equal(api.json().format, 'containerless-trace');
  assert.ok(api.json().paths >= 1);
  const json = await run(process.execPath, [BIN, 'trace', 'hello', '--json', '--url', p.url]);
  assert.equal(JSON.parse(json.stdout).source_sha256, buildSkeleton(src.hello).sha256);
  const readable = await run(process.execPath, [BIN, 'trace', 'hello', '--url', p.url]);
  assert.ok(readable.stdout.length > 0 && !readable.stdout.trimStart().startsWith('{'), readable.stdout);
  // A new version has no trace until it is traced again (new code: the same source would change nothing).
  assert.equal((await put(src.hello.replace('Hello', 'Hi'))).status, 200);
  assert.equal((await call(p, '/api/functions/hello/trace')).status, 404);
});
