import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { accelPlatform, call, deploy as deployUnpinned, fnInfo, mode, untilAccelerated } from '../acceleration/helpers.ts';
import { deploy, platform, tempDir } from '../e2e/helpers.ts';

const answering = (text: string) => `const c = require('containerless'); c.listen(function (req) { c.respond('${text}'); });`;
const json = (body: unknown) => ({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const patch = (body: unknown) => ({ method: 'PATCH', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

test('versions: list, rollback and forward, no-op redeploy, PATCH config; bad input changes nothing; a restart keeps it all', async (t) => {
  const dataDir = tempDir(t);
  const p = await platform(t, { dataDir });
  await deploy(p, 'ver', answering('one'));
  await deploy(p, 'ver', answering('two'), { timeout_ms: 5000 });
  const list = (await call(p, '/api/functions/ver/versions')).json();
  assert.deepEqual(list.map((v: any) => [v.version, v.current]), [[2, true], [1, false]], 'newest first');
  assert.deepEqual(Object.keys(list[0]).sort(), ['compiled', 'config', 'created_at', 'current', 'source_bytes', 'trace', 'version']);
  assert.equal(list[0].config.timeout_ms, 5000);
  assert.equal(list[1].source_bytes, Buffer.byteLength(answering('one')));

  // The same source and config again: nothing changes.
  const same = await call(p, '/api/functions/ver', json({ source: answering('two'), config: { timeout_ms: 5000 } }));
  assert.equal(same.status, 200);
  assert.deepEqual([same.json().version, same.json().unchanged], [2, true]);
  const sameRaw = await call(p, '/api/functions/ver', { method: 'PUT', headers: { 'content-type': 'application/javascript' }, body: answering('two') });
  assert.deepEqual([sameRaw.json().version, sameRaw.json().unchanged], [2, true], 'no config: the current one is kept, so nothing changes');
  assert.equal((await call(p, '/api/functions/ver/versions')).json().length, 2);

  const back = await call(p, '/api/functions/ver/version', json({ version: 1 }));
  assert.equal(back.status, 200);
  assert.deepEqual([back.json().version, back.json().unchanged, back.json().config.timeout_ms], [1, false, 10_000]);
  assert.equal((await call(p, '/fn/ver/')).text, 'one');
  assert.equal((await call(p, '/api/functions/ver')).json().version, 1);
  assert.deepEqual((await call(p, '/api/functions/ver/version', json({ version: 1 }))).json().unchanged, true);

  for (const [body, status] of [[{ version: 99 }, 404], [{ version: 0 }, 400], [{ version: '2' }, 400], [{ version: 1.5 }, 400], [{}, 400], [[2], 400]] as const) {
    const r = await call(p, '/api/functions/ver/version', json(body));
    assert.equal(r.status, status, JSON.stringify(body));
    assert.equal(typeof r.json().error, 'string');
  }
  assert.equal((await call(p, '/api/functions/ver/version', { method: 'PUT', body: '{' })).status, 400);
  assert.equal((await call(p, '/api/functions/ver/version', { method: 'POST', body: '{"version":1}' })).status, 405);
  assert.equal((await call(p, '/api/functions/nope/version', json({ version: 1 }))).status, 404);
  assert.equal((await call(p, '/api/functions/nope/versions')).status, 404);
  assert.equal((await call(p, '/fn/ver/')).text, 'one', 'bad rollbacks changed nothing');

  // A deploy after a rollback gets a number above every stored one: nothing stored is lost.
  assert.equal((await deploy(p, 'ver', answering('three'))).version, 3);
  assert.deepEqual((await call(p, '/api/functions/ver/versions')).json().map((v: any) => v.version), [3, 2, 1]);

  // PATCH: merge (given keys replace, null removes), a new version with the same code.
  const patched = await call(p, '/api/functions/ver', patch({ config: { timeout_ms: 2000, memory_mb: 64 } }));
  assert.equal(patched.status, 200);
  assert.deepEqual([patched.json().version, patched.json().unchanged, patched.json().config.timeout_ms, patched.json().config.memory_mb], [4, false, 2000, 64]);
  assert.equal((await call(p, '/fn/ver/')).text, 'three');
  const removed = (await call(p, '/api/functions/ver', patch({ config: { timeout_ms: null } }))).json();
  assert.deepEqual([removed.version, removed.config.timeout_ms, removed.config.memory_mb], [5, 10_000, 64]);
  const again = (await call(p, '/api/functions/ver', patch({ config: { memory_mb: 64 } }))).json();
  assert.deepEqual([again.version, again.unchanged], [5, true]);

  const badPatches: Array<[string | object, RegExp]> = [
    [{ config: { timeout_ms: -1 } }, /timeout_ms/],
    [{ config: { nope: 1 } }, /unknown config key/],
    [{ config: 5 }, /config must be an object/],
    [{ config: null }, /config must be an object/],
    [{}, /config must be an object/],
    [{ source: answering('x'), config: {} }, /config only/],
    ['[1]', /body must be/],
    ['{', /not valid JSON/],
    [{ config: { env: { A: 1 } } }, /config\.env\.A must be a string/],
  ];
  for (const [body, re] of badPatches) {
    const r = await call(p, '/api/functions/ver', patch(body));
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.match(r.json().error, re);
  }
  assert.equal((await call(p, '/api/functions/nope', patch({ config: {} }))).status, 404);
  const now = (await call(p, '/api/functions/ver')).json();
  assert.deepEqual([now.version, now.config.memory_mb, now.config.timeout_ms], [5, 64, 10_000], 'bad PATCHes changed nothing');

  // Back to the PATCHed version 4: its config comes back with it.
  assert.equal((await call(p, '/api/functions/ver/version', json({ version: 4 }))).json().config.timeout_ms, 2000);

  await p.close();
  const q = await platform(t, { dataDir });
  const after = (await call(q, '/api/functions/ver')).json();
  assert.deepEqual([after.version, after.config.timeout_ms], [4, 2000], 'a restart keeps the rolled-back version current');
  assert.deepEqual((await call(q, '/api/functions/ver/versions')).json().map((v: any) => [v.version, v.current]), [[5, false], [4, true], [3, false], [2, false], [1, false]]);
  assert.equal((await call(q, '/fn/ver/')).text, 'three');
});

test('PATCH, a no-op redeploy and a rollback keep trace and compiled code; secrets reach compiled code', async (t) => {
  const p = await accelPlatform(t);
  const source = `const c = require('containerless');
c.listen(function (req) { c.respond(String(process.env.GREETING) + req.path); });`;
  await deployUnpinned(p, 'greet', source, { env: { GREETING: 'hi' } });
  for (let i = 0; i < 3; i++) await call(p, '/fn/greet/a');
  assert.equal((await untilAccelerated(p, '/fn/greet/a')).text, 'hi/a');
  const code = (await call(p, '/api/functions/greet/compiled')).text;
  const paths = (await call(p, '/api/functions/greet/trace')).json().paths;

  // Same source and config: the same version, still accelerated.
  const same = await deployUnpinned(p, 'greet', source, { env: { GREETING: 'hi' } });
  assert.deepEqual([same.version, same.unchanged, same.mode], [1, true, 'accelerated']);
  assert.equal(mode(await call(p, '/fn/greet/a')), 'accelerated');

  // A config change: a new version with the same trace and compiled code, accelerated at once.
  const patched = (await call(p, '/api/functions/greet', patch({ config: { env: null, secrets: { GREETING: 'bye' } } }))).json();
  assert.deepEqual([patched.version, patched.mode, patched.config.secrets, patched.config.env], [2, 'accelerated', ['GREETING'], {}]);
  const r = await call(p, '/fn/greet/a');
  assert.deepEqual([r.text, mode(r)], ['bye/a', 'accelerated'], 'the secret reaches compiled code as process.env');
  assert.equal((await call(p, '/api/functions/greet/compiled')).text, code);
  assert.ok((await call(p, '/api/functions/greet/trace')).json().paths >= paths, 'the trace was kept');
  const versions = (await call(p, '/api/functions/greet/versions')).json();
  assert.deepEqual(versions.map((v: any) => [v.version, v.trace, v.compiled]), [[2, true, true], [1, true, true]]);

  // New code starts over; rolling back brings the old version's compiled code back from the store.
  await deployUnpinned(p, 'greet', source.replace('String(', '"v3:" + String('));
  assert.equal((await call(p, '/fn/greet/a')).text, 'v3:bye/a');
  const back = (await call(p, '/api/functions/greet/version', json({ version: 2 }))).json();
  assert.deepEqual([back.version, back.mode], [2, 'accelerated']);
  const served = await call(p, '/fn/greet/a');
  assert.deepEqual([served.text, mode(served)], ['bye/a', 'accelerated']);
  assert.equal((await fnInfo(p, 'greet')).compiled.bytes, code.length);
});

test('secrets: in the environment of containers, by name only in every answer, never in the server log', async (t) => {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(l) });
  const p = await platform(t, { logger });
  const VALUE = 'hunter2-Zq8x';
  const source = `const c = require('containerless');
c.listen(function (req) { c.respond(process.env.DB_PASSWORD === '${'hunter2-'}' + 'Zq8x' ? 'secret ok, A=' + process.env.A : 'no secret'); });`;
  const answers: string[] = [];
  const keep = async (r: Promise<{ status: number; text: string }>) => {
    const x = await r;
    answers.push(x.text);
    return x;
  };
  const created = await keep(call(p, '/api/functions/sec', json({ source, config: { env: { A: 'a' }, secrets: { DB_PASSWORD: VALUE } } })));
  assert.equal(created.status, 201);
  assert.deepEqual(JSON.parse(created.text).config.secrets, ['DB_PASSWORD']);
  await keep(call(p, '/api/functions/sec/mode', json({ mode: 'containers' })));
  assert.equal((await call(p, '/fn/sec/')).text, 'secret ok, A=a');

  // A PATCH that does not name secrets keeps them.
  const patched = await keep(call(p, '/api/functions/sec', patch({ config: { timeout_ms: 3000 } })));
  assert.deepEqual(JSON.parse(patched.text).config.secrets, ['DB_PASSWORD']);
  assert.equal((await call(p, '/fn/sec/')).text, 'secret ok, A=a');

  for (const path of ['/api/functions', '/api/functions/sec', '/api/functions/sec/versions', '/api/functions/sec/logs']) await keep(call(p, path));
  await keep(call(p, '/api/functions/sec/version', json({ version: 1 })));
  await keep(call(p, '/metrics'));
  for (const text of answers) assert.ok(!text.includes(VALUE), `no answer shows the value: ${text.slice(0, 200)}`);

  const bad: Array<[object, RegExp]> = [
    [{ secrets: { DB_PASSWORD: 5 } }, /config\.secrets\.DB_PASSWORD must be a string/],
    [{ secrets: 'x' }, /config\.secrets must be an object/],
    [{ secrets: ['x'] }, /config\.secrets must be an object/],
    [{ secrets: { 'BAD-NAME': VALUE } }, /bad variable name/],
    [{ secrets: { A: VALUE }, env: { A: 'a' } }, /also in config\.env/],
    [{ secrets: { BIG: 'x'.repeat(40 * 1024) } }, /longer than/],
    [{ secrets: { NUL: `a\u0000${VALUE}` } }, /NUL/],
  ];
  for (const [config, re] of bad) {
    const r = await call(p, '/api/functions/sec2', json({ source, config }));
    assert.equal(r.status, 400, JSON.stringify(config).slice(0, 80));
    assert.match(r.json().error, re);
    assert.ok(!r.text.includes(VALUE), 'the error does not quote the value');
    const pr = await call(p, '/api/functions/sec', patch({ config }));
    assert.equal(pr.status, 400);
  }
  assert.equal((await call(p, '/api/functions/sec2')).status, 404, 'nothing was stored');
  assert.equal((await call(p, '/fn/sec/')).text, 'secret ok, A=a', 'bad PATCHes kept the secret');
  assert.ok(lines.length > 5, 'the server logged');
  assert.ok(!lines.some((l) => l.includes(VALUE)), 'the server log never has the value');
});
