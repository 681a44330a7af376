// Runs every test/**/*.test.ts with node's built-in runner through tsx.
// Node 20's --test does not expand globs, so the file list is built here.
// Tests that spawn bin/containerless.js run the build: it is made first when dist/ is stale.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildIfStale } from './build.mjs';

function collect(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'fixtures') collect(p, out); }
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = collect('test', []);
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
if (files.length === 0) { console.error('no test files matched'); process.exit(1); }
await buildIfStale();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', './test/fast-check-seed.mjs', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
