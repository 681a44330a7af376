import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, deploy, platform, runCli, tempDir } from '../e2e/helpers.ts';


const cli = runCli;

const answering = (text: string) => `const c = require('containerless'); c.listen(function (req) { c.respond('${text}'); });`;

test('CLI: versions, rollback, config --set/--set-file/--unset; secrets shown by name', async (t) => {
  const p = await platform(t);
  await deploy(p, 'ver', answering('one'));
  await deploy(p, 'ver', answering('two'));

  const list = await cli(p.url, 'versions', 'ver');
  assert.equal(list.code, 0, list.stderr);
  const rows = list.stdout.trim().split('\n');
  assert.match(rows[0]!, /^VERSION\s+CURRENT\s+CREATED/);
  assert.match(rows[1]!, /^2\s+\*/);
  assert.match(rows[2]!, /^1\s+\d{4}-/);

  const back = await cli(p.url, 'rollback', 'ver', '1');
  assert.equal(back.code, 0, back.stderr);
  assert.match(back.stdout, /ver: version 1 is current/);
  assert.equal((await call(p, '/fn/ver/')).text, 'one');
  const missing = await cli(p.url, 'rollback', 'ver', '9');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /HTTP 404: function ver has no stored version 9/);
  assert.notEqual((await cli(p.url, 'rollback', 'ver', 'x')).code, 0);

  const set = await cli(p.url, 'config', 'ver', '--set', '{"timeout_ms":2500}');
  assert.equal(set.code, 0, set.stderr);
  assert.match(set.stdout, /config changed, version 3/);
  const file = join(tempDir(t), 'secrets.json');
  writeFileSync(file, JSON.stringify({ secrets: { TOKEN: 'v4lue-never-shown' } }));
  const secret = await cli(p.url, 'config', 'ver', '--set-file', file);
  assert.equal(secret.code, 0, secret.stderr);
  assert.ok(!secret.stdout.includes('v4lue-never-shown'));
  const shown = await cli(p.url, 'config', 'ver');
  assert.deepEqual([JSON.parse(shown.stdout).timeout_ms, JSON.parse(shown.stdout).secrets], [2500, ['TOKEN']]);
  const unset = await cli(p.url, 'config', 'ver', '--unset', 'timeout_ms');
  assert.equal(unset.code, 0, unset.stderr);
  assert.equal((await call(p, '/api/functions/ver')).json().config.timeout_ms, 10_000);
  const bad = await cli(p.url, 'config', 'ver', '--set', '{"timeout_ms":-5}');
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /HTTP 400: config\.timeout_ms/);
  assert.notEqual((await cli(p.url, 'config', 'ver', '--set', 'nope')).code, 0);
});
