import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtFile } from './built.ts';

/** File name of the bundle inside its directory; containers get the directory mounted read-only. */
export const RUNNER_FILE = 'runner.js';
/** The runner in dist/ (scripts/build.mjs). */
const RUNNER_BUILT = 'runner.cjs';

const runnerEntry = fileURLToPath(new URL('./runner/main.ts', import.meta.url));
const cache = new Map<string, Promise<string>>();

/**
 * The runner (src/sandbox/runner + src/api) as one plain CommonJS file, so a container runs
 * `node runner.js` with no tsx and no node_modules: that is most of a fast cold start. A built
 * server copies dist/runner.cjs; one running the sources bundles it now. The file lives in
 * `DIR/runner-HASH/runner.js` (HASH of the bundle's content), so a changed runner never reuses a stale
 * file and servers of the same build share one. Returns the file's path. Made once per process and dir.
 */
export function buildRunnerBundle(dir: string = path.join(os.tmpdir(), 'containerless-runner')): Promise<string> {
  const built = builtFile(RUNNER_BUILT);
  const target = { dir, prefix: 'runner', file: RUNNER_FILE };
  if (built) return once(`${built}\0${dir}`, async () => writeHashed(await readFile(built, 'utf8'), target));
  return bundleFile({ entry: runnerEntry, ...target, format: 'cjs' });
}

export interface BundleSpec {
  /** The TypeScript module to bundle (with everything it imports but Node's built-ins). */
  entry: string;
  dir: string;
  /** The bundle goes to `DIR/PREFIX-HASH/FILE`. */
  prefix: string;
  file: string;
  format: 'cjs' | 'esm';
}

/** One plain JavaScript file of `entry`, written once per content hash; built once per process. */
export function bundleFile(spec: BundleSpec): Promise<string> {
  return once(`${spec.entry}\0${spec.dir}\0${spec.format}`, async () => writeHashed(await bundle(spec), spec));
}

function once(key: string, make: () => Promise<string>): Promise<string> {
  let p = cache.get(key);
  if (!p) {
    p = make();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function bundle(spec: BundleSpec): Promise<string> {
  // Loaded on first use: a built server never bundles, and esbuild costs its start-up time.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [spec.entry],
    bundle: true,
    platform: 'node',
    format: spec.format,
    target: 'node20',
    write: false,
    minify: false,
    keepNames: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

function writeHashed(code: string, to: { dir: string; prefix: string; file: string }): string {
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const outDir = path.join(to.dir, `${to.prefix}-${hash}`);
  const file = path.join(outDir, to.file);
  if (!existsSync(file)) {
    // Containers run as an unprivileged user: the directory and file must be world-readable.
    mkdirSync(outDir, { recursive: true, mode: 0o755 });
    chmodSync(outDir, 0o755);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code, { mode: 0o644 });
    renameSync(tmp, file); // atomic: a concurrent server never sees half a file
  }
  return file;
}
