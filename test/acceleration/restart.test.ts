import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { call, deploy, freePort, mode, serveProcess, tempDir, untilAccelerated } from './helpers.ts';

const POLICY = JSON.stringify({ compileAfterRequests: 3, compileWhenStableFor: 2, persistTraceMs: 50 });

const serve = (dataDir: string, port: number) => serveProcess(dataDir, port, ['--policy', POLICY]);

const SOURCE = `const c = require('containerless');
const table = {};
for (let i = 0; i < 10; i++) table['k' + i] = i * i;
c.listen(function (req) { c.respond({ key: req.query.k, value: table[req.query.k] }); });`;

test('kill -9 and restart: the first request to a previously accelerated function is accelerated', async (t) => {
  const dir = tempDir(t, 'cl-accel-restart-');
  const port = await freePort();
  const p = { url: `http://127.0.0.1:${port}` };
  let server = await serve(join(dir, 'data'), port);
  t.after(() => {
    server.kill('SIGTERM');
  });
  await deploy(p, 'squares', SOURCE);
  for (let i = 0; i < 3; i++) await call(p, `/fn/squares/?k=k${i}`);
  const before = await untilAccelerated(p, '/fn/squares/?k=k7');
  assert.equal(before.text, '{"key":"k7","value":49}');
  // The tree is written at most every persistTraceMs, so kill -9 may lose the paths of the last
  // few traced requests (docs/policy.md). A compile writes it first: after this one, the store
  // holds every path the trace below counts.
  assert.equal((await call(p, '/api/functions/squares/compile', { method: 'POST' })).status, 200);
  const compiled = (await call(p, '/api/functions/squares/compiled')).text;
  const trace = (await call(p, '/api/functions/squares/trace')).json();

  server.kill('SIGKILL');
  await new Promise((r) => server.once('exit', r));
  server = await serve(join(dir, 'data'), port);

  const first = await call(p, '/fn/squares/?k=k9');
  assert.equal(mode(first), 'accelerated', 'compiled code was loaded from the store');
  assert.equal(first.text, '{"key":"k9","value":81}');
  assert.equal((await call(p, '/api/functions/squares/compiled')).text, compiled);
  const after = (await call(p, '/api/functions/squares/trace')).json();
  assert.ok(after.paths >= trace.paths, `trace kept: ${after.paths} paths, had ${trace.paths}`);
  assert.equal((await call(p, '/api/functions/squares')).json().mode, 'accelerated');
  // Still learning after the restart: a new path is re-executed and then accelerated.
  const unknown = await call(p, '/fn/squares/?k=nope');
  assert.equal(unknown.text, '{"key":"nope"}');
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
});
