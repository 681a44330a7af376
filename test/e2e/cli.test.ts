import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runcList } from '../../src/sandbox/drivers/runc.ts';
import { STATE_ANNOTATION } from '../../src/sandbox/drivers/oci-spec.ts';
import { call, freePort, runCli, serveProcess, src, tempDir } from './helpers.ts';


const serve = (dataDir: string, port: number) => serveProcess(dataDir, port, [], 200);

const cli = runCli;

/**
 * The runc containers of this test's servers, told by their state dir: names alone would also match
 * the leftovers of an earlier run of this test that was killed (a dead owner's containers are left
 * alone while its state dir exists, so they stay listed).
 */
async function containersOf(dataDir: string): Promise<string[]> {
  return (await runcList()).filter((c) => c.annotations?.[STATE_ANNOTATION]?.startsWith(dataDir)).map((c) => c.id);
}

test('CLI: deploy, invoke over HTTP and with the CLI, runc container while warm; kill -9 and restart keep functions', async (t) => {
  const dir = tempDir(t, 'cl-cli-');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = join(dir, 'data');
  let server = await serve(dataDir, port);
  t.after(() => {
    server.kill('SIGTERM');
  });
  const hello = join(dir, 'hello.js');
  const echo = join(dir, 'echo.js');
  writeFileSync(hello, src.hello);
  writeFileSync(echo, src.echo);

  const d = await cli(url, 'deploy', 'e2ecli-hello', hello);
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, /deployed e2ecli-hello version 1/);
  assert.equal((await cli(url, 'deploy', 'e2ecli-echo', echo, '--config', '{"timeout_ms":5000}')).code, 0);
  // Pinned to containers: this test is about the container platform, whatever the default policy.
  for (const name of ['e2ecli-hello', 'e2ecli-echo']) assert.equal((await cli(url, 'mode', name, 'containers')).code, 0);

  const http = await call({ url }, '/fn/e2ecli-hello');
  assert.equal(http.text, 'Hello, world!');
  assert.equal(http.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.equal(http.headers.get('x-containerless-mode'), 'container');
  const ids = await containersOf(dataDir);
  // The warm container may be an adopted generic runner (docs/api.md "Cold start"): its id is the API's.
  const held = (JSON.parse((await call({ url }, '/api/functions/e2ecli-hello')).text) as { containers: Array<{ id: string }> }).containers;
  assert.equal(held.length, 1);
  assert.ok(ids.some((id) => id.endsWith(held[0]!.id)), `runc list shows the warm container ${held[0]!.id}: ${ids.join(' ')}`);

  const inv = await cli(url, 'invoke', 'e2ecli-echo', '/a?x=1', '-d', '{"y":2}', '-v');
  assert.equal(inv.code, 0, inv.stderr);
  const [head, bodyText] = inv.stdout.split('\n\n');
  assert.match(head!, /^HTTP 200\n/);
  assert.match(head!, /x-containerless-mode: container/);
  assert.match(head!, /content-type: application\/json/);
  const body = JSON.parse(bodyText!);
  assert.deepEqual([body.method, body.path, body.query, body.body], ['POST', '/a', { x: '1' }, { y: 2 }]);
  const plain = await cli(url, 'invoke', 'e2ecli-hello');
  assert.equal(plain.stdout, 'Hello, world!\n', 'without -v only the body');

  const list = await cli(url, 'list');
  assert.match(list.stdout, /e2ecli-echo\s+1\s+containers/);
  assert.equal(JSON.parse((await cli(url, 'get', 'e2ecli-echo')).stdout).config.timeout_ms, 5000);

  // Failures: one line on stderr, non-zero exit.
  const missing = await cli(url, 'invoke', 'nope');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /HTTP 404: no such function/);
  const trace = await cli(url, 'trace', 'e2ecli-hello');
  assert.notEqual(trace.code, 0);
  assert.match(trace.stderr, /no trace yet/);
  const compile = await cli(url, 'compile', 'e2ecli-hello');
  assert.match(compile.stderr, /HTTP 422/);
  assert.equal((await cli(url, 'mode', 'e2ecli-hello', 'containers')).code, 0);
  const unreachable = await cli('http://127.0.0.1:1', 'list');
  assert.notEqual(unreachable.code, 0);
  assert.equal(unreachable.stderr.trim().split('\n').length, 1);

  // kill -9: nothing committed is lost, leftovers are cleaned up, every function still answers.
  server.kill('SIGKILL');
  await new Promise((r) => server.once('exit', r));
  server = await serve(dataDir, port);
  assert.equal((await call({ url }, '/fn/e2ecli-hello')).text, 'Hello, world!');
  assert.equal((await call({ url }, '/fn/e2ecli-echo/z')).json().path, '/z');
  const got = JSON.parse((await cli(url, 'get', 'e2ecli-hello')).stdout);
  assert.equal(got.pin, 'containers');
  assert.equal((await cli(url, 'rm', 'e2ecli-hello')).code, 0);
  assert.equal((await call({ url }, '/fn/e2ecli-hello')).status, 404);
  server.kill('SIGTERM');
  const code = await new Promise((r) => server.once('exit', r));
  assert.equal(code, 0, 'the server closed cleanly');
  assert.deepEqual(await containersOf(dataDir), [], 'a clean shutdown removes its containers');
});
