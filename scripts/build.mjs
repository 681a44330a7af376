// Builds dist/ from src/ with esbuild: the CLI, the worker threads and the container runner as plain
// JavaScript, so that nothing compiles TypeScript when the command starts. `npm ci` runs it (the
// `prepare` script), and so does the test runner when dist/ is stale. docs/architecture.md "Build".
//
//   node scripts/build.mjs [--if-stale]   (npm run build)
import { build } from 'esbuild';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentFingerprint, isFresh, statFingerprint, STAMP_FILE } from './build-stamp.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');

/**
 * The ES module entries, by their file name in dist/. The workers' names are the `built` of their
 * WorkerEntry (src/acceleration/start-worker.ts, given by each worker's caller); the runner's is that
 * of src/sandbox/bundle.ts.
 */
const ESM_ENTRIES = {
  cli: 'src/cli/main.ts',
  'compile-worker': 'src/acceleration/compile-worker.ts',
  'source-worker': 'src/platform/source-worker.ts',
  'accel-worker': 'src/acceleration/accel-worker.ts',
};

/** The container runner: CommonJS with everything inlined, since a container has no node_modules. */
const RUNNER = { entry: 'src/sandbox/runner/main.ts', file: 'runner.cjs' };

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Class and function names stay as written: error messages and logs show them.
  keepNames: true,
  legalComments: 'none',
  sourcemap: 'linked',
  // Stack traces name src/ files: `node --enable-source-maps` (or NODE_OPTIONS) maps them.
  sourcesContent: false,
  logLevel: 'warning',
};

export async function buildDist() {
  const before = { stat: statFingerprint(root), content: await contentFingerprint(root) };
  const out = `${dist}.tmp-${process.pid}`;
  rmSync(out, { recursive: true, force: true });
  try {
    await Promise.all([
      build({
        ...common,
        entryPoints: ESM_ENTRIES,
        outdir: out,
        format: 'esm',
        // npm packages are bundled too: one parse of plain ES modules instead of hundreds of CommonJS
        // files resolved and scanned for their exports (a third of a server's start-up CPU).
        // Kept outside: better-sqlite3 (native), esbuild (starts its own binary; used only when
        // running the sources), tsx (development).
        external: ['better-sqlite3', 'esbuild', 'tsx'],
        // The bundled CommonJS packages call require() for Node's built-ins.
        banner: { js: "import { createRequire as __clCreateRequire } from 'node:module'; const require = __clCreateRequire(import.meta.url);" },
        // Lazy `import()`s become chunks of their own: `--help` loads none of the server.
        splitting: true,
        chunkNames: 'chunk-[hash]',
      }),
      // No source map: containers get the runner's file alone.
      build({ ...common, entryPoints: [RUNNER.entry], outfile: join(out, RUNNER.file), format: 'cjs', sourcemap: false }),
    ]);
    asciiOnly(out);
    // Written last: a build that failed half-way has no stamp, so nobody trusts it.
    writeFileSync(join(out, STAMP_FILE), `${JSON.stringify(before)}\n`);
    rmSync(dist, { recursive: true, force: true });
    try {
      renameSync(out, dist);
    } catch (err) {
      // Another build (a second test run) put its dist/ there first: fine if it is of these sources.
      if (!(await isFresh(root, dist))) throw err;
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function timedBuild() {
  const t0 = Date.now();
  await buildDist();
  process.stdout.write(`built dist/ in ${Date.now() - t0} ms\n`);
}

/** Builds unless dist/ is a build of the current sources. */
export async function buildIfStale() {
  if (!(await isFresh(root, dist))) await timedBuild();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await (process.argv.includes('--if-stale') ? buildIfStale() : timedBuild());
}

/**
 * V8 keeps the source of every loaded script, in one byte per character only when all of them are
 * Latin-1: one `→` in a comment doubles a chunk's string, and the dispatcher and each worker keep
 * several MB of chunks. esbuild already escapes non-ASCII characters in literals and names
 * (`charset: 'ascii'`, its default) but cannot in comments, so those are escaped here; `\uXXXX` in a
 * comment is text, and anywhere else means the same character.
 */
function asciiOnly(dir) {
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.js') && !f.endsWith('.cjs')) continue;
    const file = join(dir, f);
    const text = readFileSync(file, 'utf8');
    // eslint-disable-next-line no-control-regex
    if (!/[^\x00-\x7f]/.test(text)) continue;
    // eslint-disable-next-line no-control-regex
    writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  }
}
