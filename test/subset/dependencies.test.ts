// The subset is what the accelerator trusts: it depends on neither the compiler nor the accelerator,
// and running compiled code (the accelerator, as bundled for its worker threads) needs no compiler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every module a file imports (static, dynamic and type-only), resolved to a path under the repository or left bare. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specs.map((s) => (s.startsWith('.') ? relative(root, resolve(dirname(file), s)) : s));
}

/** The files of the repository an entry point pulls in, as esbuild bundles it. */
async function bundleInputs(entry: string): Promise<string[]> {
  const result = await build({ entryPoints: [join(root, entry)], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, logLevel: 'silent', absWorkingDir: root });
  return Object.keys(result.metafile.inputs);
}

test('src/subset imports only its own files, acorn and Node', () => {
  const files = tsFiles(join(root, 'src/subset'));
  assert.ok(files.length > 5);
  for (const file of files) {
    for (const spec of imports(file)) {
      const ok = spec === 'acorn' || spec.startsWith('node:') || spec.startsWith('src/subset/');
      assert.ok(ok, `${relative(root, file)} imports ${spec}`);
    }
  }
});

test('nothing under src/accelerator imports src/compiler', () => {
  const files = tsFiles(join(root, 'src/accelerator'));
  assert.ok(files.length > 10);
  for (const file of files) for (const spec of imports(file)) assert.ok(!spec.startsWith('src/compiler/'), `${relative(root, file)} imports ${spec}`);
});

test('the accelerator worker bundle holds the subset and no compiler, Babel or tracer', async () => {
  const inputs = await bundleInputs('src/acceleration/accel-worker.ts');
  assert.ok(inputs.some((i) => i.startsWith('src/subset/validate.ts')), 'the worker validates with src/subset');
  assert.ok(inputs.some((i) => i.startsWith('src/accelerator/runtime.ts')));
  for (const i of inputs) assert.ok(!/^src\/(compiler|tracer)\/|@babel\//.test(i), `the worker bundle pulls in ${i}`);
});

test('the subset bundles to itself and acorn', async () => {
  for (const i of await bundleInputs('src/subset/index.ts')) assert.ok(i.startsWith('src/subset/') || /node_modules\/acorn\//.test(i), i);
});
