import { fileURLToPath } from 'node:url';

/**
 * Whether this process runs the build (dist/, made by scripts/build.mjs) or the TypeScript sources
 * (through tsx: development and tests). Worker threads and the container runner come from the same
 * place as the code that starts them, so a built server never compiles TypeScript and a test of the
 * sources never runs a stale build. Bundled, this module's URL is that of a file in dist/, which
 * is one flat folder.
 */
const here = import.meta.url;
export const runningBuilt = !here.endsWith('.ts');

/** dist/NAME when this process runs the build; undefined when it runs the sources. */
export function builtFile(name: string): string | undefined {
  return runningBuilt ? fileURLToPath(new URL(`./${name}`, here)) : undefined;
}

/** The package's root folder (package.json, examples/, bench/), from either place. */
export const packageRoot = fileURLToPath(new URL(runningBuilt ? '..' : '../..', here));
