import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { contentFingerprint, isFresh, statFingerprint, STAMP_FILE } from '../../scripts/build-stamp.mjs';
import { call, freePort, mode, tempDir, untilAccelerated } from '../acceleration/helpers.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The package as it runs from its build alone: package.json, bin/ and dist/, and of node_modules only
 * the native better-sqlite3. No src/, so bin/ runs dist/; no tsx and no esbuild, so anything that
 * tried to compile TypeScript or bundle at run time would fail.
 */
function builtPackage(t: { after(fn: () => unknown): void }): string {
  const dir = tempDir(t, 'cl-built-');
  for (const f of ['package.json', 'bin', 'dist']) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  const sqlite = dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
  symlinkSync(sqlite, join(dir, 'node_modules', 'better-sqlite3'));
  return dir;
}

test('the test runner built dist/ from the current sources', async () => {
  assert.ok(await isFresh(ROOT, join(ROOT, 'dist')), 'scripts/run-tests.mjs builds dist/ when it is stale');
});

test('every script in dist/ is ASCII, so V8 keeps its source one byte per character', () => {
  const files = readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.js') || f.endsWith('.cjs'));
  assert.ok(files.length > 5, `dist/ has its scripts: ${files.join(', ')}`);
  // The sources do have non-ASCII characters (in comments), so this checks the build's escaping.
  const nonAscii = (text: string) => {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return i;
    return -1;
  };
  assert.notEqual(nonAscii(readFileSync(join(ROOT, 'src/sandbox/index.ts'), 'utf8')), -1);
  for (const f of files) {
    const text = readFileSync(join(ROOT, 'dist', f), 'utf8');
    const at = nonAscii(text);
    assert.equal(at, -1, `${f}: non-ASCII at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))}`);
  }
});

test('dist/ counts as stale when a source changes, not when one is only touched', async (t) => {
  const root = tempDir(t, 'cl-stamp-');
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'dist'));
  for (const f of ['scripts/build.mjs', 'scripts/build-stamp.mjs', 'tsconfig.json', 'src/cli/main.ts']) writeFileSync(join(root, f), `// ${f}\n`);
  const stamp = async () => writeFileSync(join(root, 'dist', STAMP_FILE), JSON.stringify({ stat: statFingerprint(root), content: await contentFingerprint(root) }));
  const dist = join(root, 'dist');
  assert.equal(await isFresh(root, dist), false, 'no stamp: no build');
  await stamp();
  assert.equal(await isFresh(root, dist), true);
  const later = new Date(Date.now() + 60_000);
  utimesSync(join(root, 'src/cli/main.ts'), later, later);
  assert.equal(await isFresh(root, dist), true, 'same bytes, new time: still the build of these sources');
  writeFileSync(join(root, 'src/cli/main.ts'), '// changed\n');
  assert.equal(await isFresh(root, dist), false, 'changed bytes');
  await stamp();
  writeFileSync(join(root, 'src/cli/new.ts'), '');
  assert.equal(await isFresh(root, dist), false, 'a new source file');
});

test('the built CLI answers --help with neither its sources nor tsx', async (t) => {
  const pkg = builtPackage(t);
  const { stdout, stderr } = await run(process.execPath, [join(pkg, 'bin', 'containerless.js'), '--help']);
  assert.equal(stderr, '');
  assert.match(stdout, /^Usage: containerless/);
  for (const cmd of ['serve', 'deploy', 'invoke', 'trace', 'demo', 'trace-run', 'bench']) assert.match(stdout, new RegExp(`^  ${cmd} `, 'm'));
});

test('a built server starts its workers and its containers from dist/', async (t) => {
  const pkg = builtPackage(t);
  const dataDir = join(pkg, 'data');
  const port = await freePort();
  const policy = JSON.stringify({ compileAfterRequests: 2, compileWhenStableFor: 1, persistTraceMs: 50 });
  const server: ChildProcess = spawn(process.execPath, [join(pkg, 'bin', 'containerless.js'), 'serve', '--port', String(port), '--data-dir', dataDir, '--sandbox', 'runc', '--policy', policy], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  server.stderr!.on('data', (d) => (stderr += d));
  t.after(() => server.kill('SIGKILL'));
  const p = { url: `http://127.0.0.1:${port}` };
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) assert.fail(`serve exited: ${stderr}`);
    try {
      if ((await fetch(`${p.url}/healthz`)).ok) break;
    } catch {}
    if (i > 300) assert.fail(`serve did not become ready: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  // Over 32 KiB, so the deploy-time check and instrumentation run in the source worker.
  const source = `// ${'x'.repeat(40_000)}
const c = require('containerless');
c.listen(function (req) { c.respond({ twice: Number(req.query.n) * 2 }); });`;
  const put = await call(p, '/api/functions/twice', { method: 'PUT', headers: { 'content-type': 'application/javascript' }, body: source });
  assert.equal(put.status, 201, put.text);
  // Traced in a container (the runner), compiled in the compile worker, served by an accelerator worker.
  for (const n of [1, 2]) assert.equal((await call(p, `/fn/twice/?n=${n}`)).text, `{"twice":${n * 2}}`);
  const fast = await untilAccelerated(p, '/fn/twice/?n=21');
  assert.equal(fast.text, '{"twice":42}');
  assert.equal(mode(fast), 'accelerated');
  assert.equal((await call(p, '/api/functions/twice/compile', { method: 'POST' })).status, 200);

  // Containers got the runner of the build, in its content-hash directory.
  const runnerDir = join(dataDir, 'sandbox', 'runner');
  const runners = readdirSync(runnerDir);
  assert.equal(runners.length, 1, runners.join(' '));
  assert.match(runners[0]!, /^runner-[0-9a-f]{16}$/);
  assert.equal(readFileSync(join(runnerDir, runners[0]!, 'runner.js'), 'utf8'), readFileSync(join(pkg, 'dist', 'runner.cjs'), 'utf8'));
  assert.doesNotMatch(stderr, /tsx|esbuild|bundling/i);
});
