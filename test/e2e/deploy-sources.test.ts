import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Header } from 'tar-stream';
import { tarball } from '../helpers/tarball.ts';
import { packFolder } from '../../src/cli/pack-folder.ts';
import { BIN, call, platform, tempDir } from './helpers.ts';

const ESM_PAPER = `import cl from 'containerless';
import { createHash } from 'node:crypto';

cl.listen(function (req) {
  const digest = createHash('sha1').update(String(req.query.s ?? '')).digest('hex');
  cl.respond(/^[0-9a-f]+$/.test(digest) ? digest.slice(0, 8) : 'bad');
});
`;

async function put(url: string, name: string, body: string | Uint8Array, type: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api/functions/${name}`, { method: 'PUT', headers: { 'content-type': type, ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

test('an ES module deploys, is traced and runs in containers; style and blockers are reported', async (t) => {
  const p = await platform(t);
  const d = await put(p.url, 'esm', JSON.stringify({ source: ESM_PAPER }), 'application/json');
  assert.equal(d.status, 201, JSON.stringify(d.json));
  assert.equal(d.json.style, 'paper');
  assert.deepEqual(d.json.acceleration_blockers, []);
  const r = await call(p, '/fn/esm/?s=abc');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.text, 'a9993e36');
  assert.equal(r.headers.get('x-containerless-mode'), 'tracing');
  const trace = await call(p, '/api/functions/esm/trace');
  assert.equal(trace.status, 200, trace.text);
  const got = (await call(p, '/api/functions/esm')).json();
  assert.equal(got.style, 'paper');
  assert.equal(got.acceleration_blockers.length, 0);
  const list = (await call(p, '/api/functions')).json() as Array<{ name: string; style: string }>;
  assert.equal(list.find((f) => f.name === 'esm')?.style, 'paper');
  // Top-level await: the containers await the module's evaluation before serving.
  const tla = await put(p.url, 'tla', `export const handler = async () => ({ statusCode: 200, body: String(v) });\nconst v = await Promise.resolve(41) + 1;\n`, 'application/javascript');
  assert.equal(tla.status, 201, JSON.stringify(tla.json));
  assert.equal(tla.json.style, 'lambda');
  const answered = await call(p, '/fn/tla/');
  assert.equal(answered.status, 200, answered.text);
  assert.equal(answered.text, '42');
});

test('a folder with a dependency in node_modules deploys as a tarball and answers; hostile tarballs are refused, nothing lost', async (t) => {
  const p = await platform(t);
  const dir = tempDir(t, 'cl-folder-test-');
  mkdirSync(join(dir, 'node_modules', 'left-pad-lite'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'left-pad-lite', 'package.json'), JSON.stringify({ name: 'left-pad-lite', main: 'pad.js' }));
  writeFileSync(join(dir, 'node_modules', 'left-pad-lite', 'pad.js'), `module.exports = (s, n) => String(s).padStart(n, '.');\n`);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fn', main: 'src/main.js' }));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'main.js'), `const cl = require('containerless');\nconst pad = require('left-pad-lite');\ncl.listen((req) => cl.respond(pad(req.path, 6)));\n`);
  const d = await put(p.url, 'folder', new Uint8Array(await packFolder(dir)), 'application/gzip', { 'x-containerless-config': '{"timeout_ms":4000}' });
  assert.equal(d.status, 201, JSON.stringify(d.json));
  assert.equal(d.json.style, 'paper');
  assert.equal(d.json.config.timeout_ms, 4000);
  const r = await call(p, '/fn/folder/ab');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.text, '.../ab');

  const hostile: Array<[string, number, Array<Partial<Header> & { name: string; body?: string }>]> = [
    ['path traversal', 400, [{ name: '../evil.js', body: 'x' }, { name: 'index.js', body: 'exports.handler = 1;' }]],
    ['absolute path', 400, [{ name: '/tmp/evil.js', body: 'x' }]],
    ['symlink out', 400, [{ name: 'index.js', type: 'symlink', linkname: '/etc/passwd' }]],
    ['hard link', 400, [{ name: 'index.js', type: 'link', linkname: '../../etc/passwd' }]],
    ['too big', 413, [{ name: 'index.js', body: 'x'.repeat(65 * 1024 * 1024) }]],
    ['no entry', 400, [{ name: 'lib.js', body: 'exports.handler = 1;' }]],
  ];
  for (const [what, status, entries] of hostile) {
    const h = await put(p.url, 'folder', await tarball(entries), 'application/gzip');
    assert.equal(h.status, status, `${what}: ${JSON.stringify(h.json)}`);
    assert.equal(typeof h.json.error, 'string', what);
  }
  const junk = await put(p.url, 'folder', new Uint8Array(Buffer.from('not gzip at all')), 'application/gzip');
  assert.equal(junk.status, 400);

  // A bundling error names the file and line.
  const bad = await put(p.url, 'folder', await tarball([
    { name: 'index.js', body: `const lib = require('./lib');\nexports.handler = lib;\n` },
    { name: 'lib.js', body: `module.exports = {\n  a: 1 +\n};\n` },
  ]), 'application/gzip');
  assert.equal(bad.status, 400, JSON.stringify(bad.json));
  assert.equal(bad.json.file, 'lib.js');
  assert.equal(bad.json.line, 3);
  const missing = await put(p.url, 'folder', await tarball([{ name: 'index.mjs', body: `import x from 'not-installed';\nexport default { fetch() { return x; } };\n` }]), 'application/gzip');
  assert.equal(missing.status, 400);
  assert.equal(missing.json.file, 'index.mjs');
  assert.equal(missing.json.line, 1);

  // Nothing stored was lost: still version 1, still answering.
  const after = (await call(p, '/api/functions/folder')).json();
  assert.equal(after.version, 1);
  assert.equal((await call(p, '/fn/folder/ab')).text, '.../ab');

  // An ES module entry bundled to CommonJS is still a Web function.
  const web = await put(p.url, 'webfolder', await tarball([
    { name: 'package.json', body: '{"type":"module"}' },
    { name: 'index.js', body: `import { helper } from './helper.js';\nexport default { async fetch(req) { return new Response(helper()); } };\n` },
    { name: 'helper.js', body: `export const helper = () => 'hi';\n` },
  ]), 'application/gzip');
  assert.equal(web.status, 201, JSON.stringify(web.json));
  assert.equal(web.json.style, 'web');
});

test('CLI: deploy NAME DIR packs the folder; deploy prints what stays in containers', async (t) => {
  const p = await platform(t);
  const dir = tempDir(t, 'cl-cli-folder-');
  mkdirSync(join(dir, 'node_modules', 'shout'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'shout', 'index.js'), `module.exports = (s) => s.toUpperCase() + '!';\n`);
  writeFileSync(join(dir, 'index.mjs'), `import cl from 'containerless';\nimport shout from 'shout';\ncl.listen((req) => cl.respond(shout(req.query.w)));\n`);
  const run = promisify(execFile);
  const out = await run(process.execPath, [BIN, 'deploy', 'cli-folder', dir, '--url', p.url]);
  assert.match(out.stdout, /deployed cli-folder version 1 .*paper style/);
  assert.match(out.stdout, /^accelerated when warm$/m);
  assert.equal((await call(p, '/fn/cli-folder/?w=hey')).text, 'HEY!');
  // The same folder again is the same bundle: a no-op, said as such.
  const again = await run(process.execPath, [BIN, 'deploy', 'cli-folder', dir, '--url', p.url]);
  assert.match(again.stdout, /^unchanged: cli-folder version 1 already has this source and config/m);

  writeFileSync(join(dir, 'one.mjs'), `function main(params) {\n  return { body: [1n, 2n].length };\n}\n`);
  const file = await run(process.execPath, [BIN, 'deploy', 'one', join(dir, 'one.mjs'), '--url', p.url]);
  assert.match(file.stdout, /openwhisk style/);
  assert.match(file.stdout, /^accelerated when warm, except: bigint at 2:19, bigint at 2:23$/m);
});
