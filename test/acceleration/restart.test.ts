import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { call, deploy, mode, sleep, tempDir, untilAccelerated } from './helpers.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'containerless.js');
const POLICY = JSON.stringify({ compileAfterRequests: 3, compileWhenStableFor: 2, persistTraceMs: 50 });

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** `containerless serve --policy …` as its own process, so that it can be killed with SIGKILL. */
async function serve(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--data-dir', dataDir, '--sandbox', 'runc', '--policy', POLICY], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {}
    if (child.exitCode !== null) throw new Error(`serve exited: ${err}`);
    await sleep(100);
  }
  throw new Error(`serve did not become ready: ${err}`);
}

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
