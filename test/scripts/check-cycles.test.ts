import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'check-cycles.mjs');

/** Runs the check on a tree of files `{ 'a/x.ts': source }`; its exit code and output. */
async function check(t: { after: (fn: () => void) => void }, files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'cl-cycles-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, 'src', name)), { recursive: true });
    writeFileSync(join(dir, 'src', name), text);
  }
  try {
    const r = await run(process.execPath, [SCRIPT, 'src'], { cwd: dir });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

test('a cycle between folders fails the check, naming each import', async (t) => {
  const r = await check(t, {
    'a/x.ts': "import { y } from '../b/y.ts';\nexport const x = y;\n",
    'b/y.ts': "import type { Z } from '../a/z.ts';\nexport const y: Z = 1;\n",
    'a/z.ts': 'export type Z = number;\n',
  });
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /import cycle across folders: a -> b -> a/);
  assert.match(r.out, /src\/b\/y\.ts -> src\/a\/z\.ts/);
});

test('imports that point one way pass; a cycle inside one folder is allowed', async (t) => {
  const r = await check(t, {
    'a/x.ts': "import { y } from '../b/y.ts';\nimport { w } from './w.ts';\nexport const x = y + w;\n",
    'a/w.ts': "import { x } from './x.ts';\nexport const w = 1;\nexport const again = () => x;\n",
    'b/y.ts': 'export const y = 1;\n',
  });
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /no import cycle across 2 folders/);
});

test('the accelerator importing the compiler fails, even without a cycle', async (t) => {
  const r = await check(t, {
    'accelerator/load.ts': "import { compile } from '../compiler/compile.ts';\nexport const load = compile;\n",
    'compiler/compile.ts': 'export const compile = 1;\n',
  });
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /accelerator\/load\.ts imports .*compiler\/compile\.ts: running compiled code needs no compiler/);
});

test('the repository itself has no import cycle across src/ folders', async () => {
  const r = await run(process.execPath, [SCRIPT], { cwd: join(import.meta.dirname, '..', '..') });
  assert.match(r.stdout, /no import cycle across \d+ folders/);
});
