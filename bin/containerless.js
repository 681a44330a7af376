#!/usr/bin/env node
// The package's command. It runs the build in dist/ (plain JavaScript; `npm ci` and `npm run build`
// make it) when that build is of the current sources. Otherwise, or with CONTAINERLESS_FROM_SOURCE=1,
// it runs the TypeScript sources through tsx, as development does (docs/architecture.md "Build").
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = new URL('../dist/', import.meta.url);
const built = new URL('cli.js', dist);
const sources = new URL('../src/cli/main.ts', import.meta.url);

async function useBuild() {
  if (process.env.CONTAINERLESS_FROM_SOURCE === '1') return false;
  if (!existsSync(built)) return false;
  if (!existsSync(sources)) return true; // a package shipped without its sources
  const { isFresh } = await import('../scripts/build-stamp.mjs');
  if (await isFresh(root, fileURLToPath(dist))) return true;
  process.stderr.write('containerless: dist/ is older than the sources: running them through tsx (npm run build makes it again)\n');
  return false;
}

if (await useBuild()) {
  await import(built.href);
} else {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    process.stderr.write('containerless: no build in dist/ and no tsx to run the sources: run npm run build\n');
    process.exit(1);
  }
  tsx.register();
  await import(sources.href);
}
