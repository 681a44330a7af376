import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** File name of the bundle inside its directory; containers get the directory mounted read-only. */
export const RUNNER_FILE = 'runner.js';

const runnerEntry = fileURLToPath(new URL('./runner/main.ts', import.meta.url));
const cache = new Map<string, Promise<string>>();

/**
 * Bundles the runner (src/sandbox/runner + src/api) into one plain CommonJS file, so a container runs
 * `node runner.js` with no tsx and no node_modules: that is most of a fast cold start. The file lives in
 * `DIR/runner-HASH/runner.js` (HASH of the bundle's content), so a changed runner never reuses a stale
 * file and servers of the same build share one. Returns the file's path. Built once per process and dir.
 */
export function buildRunnerBundle(dir: string = path.join(os.tmpdir(), 'containerless-runner')): Promise<string> {
  return bundleFile({ entry: runnerEntry, dir, prefix: 'runner', file: RUNNER_FILE, format: 'cjs' });
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
  const key = `${spec.entry}\0${spec.dir}\0${spec.format}`;
  let p = cache.get(key);
  if (!p) {
    p = buildInto(spec);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function buildInto(spec: BundleSpec): Promise<string> {
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
  const code = result.outputFiles[0].text;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const outDir = path.join(spec.dir, `${spec.prefix}-${hash}`);
  const file = path.join(outDir, spec.file);
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
