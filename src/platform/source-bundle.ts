import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { SourceUnavailableError } from './source-service.ts';

/** The folder does not bundle: the 400 names the file and its 1-based line and column. */
export class BundleError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/**
 * Bundles a function folder (extracted by source-tarball.ts) into one CommonJS file with esbuild,
 * from its entry: package.json `main`, else index.js, else index.mjs. Node's built-ins and
 * `containerless` stay `require` calls; everything else must be inside the folder (a module found
 * outside it, e.g. in a node_modules of a parent directory, is refused). esbuild builds in its own
 * process: the event loop is free meanwhile. A folder whose files are all under one directory (as
 * `tar czf fn.tgz fn/` or `npm pack` make) is bundled from that directory.
 */
export async function bundleFolder(root: string): Promise<string> {
  const dir = await functionRoot(root);
  const entry = await entryOf(dir);
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (err) {
    throw new SourceUnavailableError(`folders cannot be bundled here: esbuild is not installed (${(err as Error).message})`);
  }
  let result: import('esbuild').BuildResult<{ write: false; metafile: true }>;
  try {
    result = await esbuild.build({
      entryPoints: [entry],
      absWorkingDir: dir,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['containerless'],
      nodePaths: [],
      write: false,
      metafile: true,
      legalComments: 'none',
      logLevel: 'silent',
    });
  } catch (err) {
    const first = (err as { errors?: import('esbuild').Message[] }).errors?.[0];
    if (!first) throw err;
    const loc = first.location;
    throw new BundleError(`the folder does not bundle: ${first.text}`, loc?.file ?? entry, loc?.line ?? 1, (loc?.column ?? 0) + 1);
  }
  const outside = Object.keys(result.metafile.inputs).find((f) => f.startsWith('../') || path.isAbsolute(f));
  if (outside) throw new BundleError(`the folder uses a module outside it: ${outside} (put its dependencies in the folder's node_modules)`, outside, 1, 1);
  return result.outputFiles[0]!.text;
}

async function functionRoot(root: string): Promise<string> {
  const names = await readdir(root);
  if (names.length === 1 && (await stat(path.join(root, names[0]!))).isDirectory()) return path.join(root, names[0]!);
  return root;
}

async function entryOf(dir: string): Promise<string> {
  let main: unknown;
  try {
    main = (JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { main?: unknown }).main;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new BundleError(`package.json is not valid JSON: ${(err as Error).message}`, 'package.json', 1, 1);
  }
  if (main !== undefined) {
    if (typeof main !== 'string' || main === '') throw new BundleError('package.json "main" must be a file name', 'package.json', 1, 1);
    return `./${main.replace(/^\.\//, '')}`;
  }
  for (const name of ['index.js', 'index.mjs']) {
    if (await stat(path.join(dir, name)).then((s) => s.isFile(), () => false)) return `./${name}`;
  }
  throw new BundleError('the folder has no entry: expected package.json "main", index.js or index.mjs', '.', 1, 1);
}
