import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { tarball } from '../helpers/tarball.ts';
import { BundleError, TarballError, bundleFolder, extractTarball } from '../../src/platform/index.ts';

async function refusal(gz: Buffer, limits?: { maxBytes: number; maxEntries: number }): Promise<TarballError> {
  try {
    const dir = await extractTarball(gz, limits);
    rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    assert.ok(err instanceof TarballError, String(err));
    return err;
  }
  assert.fail('extracted');
}

test('a tarball is extracted with its directories and files; nothing is written outside', async () => {
  const dir = await extractTarball(await tarball([{ name: 'a/', type: 'directory' }, { name: 'a/b.js', body: 'B' }, { name: './c.js', body: 'C' }]));
  try {
    assert.equal(readFileSync(path.join(dir, 'a', 'b.js'), 'utf8'), 'B');
    assert.equal(readFileSync(path.join(dir, 'c.js'), 'utf8'), 'C');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const before = path.join(os.tmpdir(), 'cl-evil-marker.js');
  assert.equal((await refusal(await tarball([{ name: '../cl-evil-marker.js', body: 'x' }]))).status, 400);
  assert.equal(existsSync(before), false);
  assert.equal((await refusal(await tarball([{ name: 'x/../../y.js', body: 'x' }]))).status, 400);
  assert.equal((await refusal(await tarball([{ name: 'l', type: 'symlink', linkname: '.' }]))).status, 400);
  assert.equal((await refusal(await tarball([{ name: 'f', type: 'fifo' }]))).status, 400);
  assert.equal((await refusal(await tarball([{ name: 'a.js', body: '1' }, { name: 'a.js', body: '2' }]))).status, 400);
});

test('bounds: bytes uncompressed and entries, counted as read', async () => {
  const limits = { maxBytes: 100_000, maxEntries: 5 };
  assert.equal((await refusal(await tarball([{ name: 'big', body: '0'.repeat(200_000) }]), limits)).status, 413);
  assert.equal((await refusal(await tarball(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}`, body: 'x' }))), limits)).status, 413);
  // A bomb: little gzip, much tar.
  const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
  assert.ok(bomb.length < 100_000);
  const e = await refusal(bomb, limits);
  assert.ok(e.status === 413 || e.status === 400, `${e.status} ${e.message}`);
  assert.equal((await refusal(Buffer.from('plain text'))).status, 400);
});

test('bundling: modules outside the folder are refused; errors name the file and line', async (t) => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cl-bundle-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const fn = path.join(root, 'fn');
  mkdirSync(fn);
  writeFileSync(path.join(root, 'secret.js'), 'module.exports = "secret";');
  writeFileSync(path.join(fn, 'index.js'), `const s = require('../secret.js');\nexports.handler = () => s;\n`);
  writeFileSync(path.join(fn, 'other.js'), '');
  await assert.rejects(bundleFolder(fn), (err: unknown) => err instanceof BundleError && /outside/.test(err.message));
  writeFileSync(path.join(fn, 'index.js'), `exports.handler = () => {\n  return 1 +;\n};\n`);
  await assert.rejects(bundleFolder(fn), (err: unknown) => err instanceof BundleError && err.file === 'index.js' && err.line === 2 && err.column === 13);
  writeFileSync(path.join(fn, 'index.js'), `const os = require('node:os'), cl = require('containerless');\nexports.handler = () => os.EOL + cl;\n`);
  const code = await bundleFolder(fn);
  assert.match(code, /require\("node:os"\)/);
  assert.match(code, /require\("containerless"\)/);
});
