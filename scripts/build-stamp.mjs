// Whether dist/ was built from the sources as they are now. The build writes a stamp of its inputs;
// bin/containerless.js and the test runner compare it with the inputs before trusting dist/.
// Plain JavaScript: it runs before anything is built.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const STAMP_FILE = 'build-stamp.json';

/** What the build reads: the sources, the build script and this file, the compiler settings. */
function inputs(root) {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(join(root, 'src'));
  files.push(join(root, 'scripts', 'build.mjs'), join(root, 'scripts', 'build-stamp.mjs'), join(root, 'tsconfig.json'));
  return files.sort();
}

/**
 * Two fingerprints of the inputs. `stat` (names, sizes, modification times, as text: no hashing
 * module to load) is cheap and is what a start checks first; `content` (a hash of names and bytes)
 * decides when `stat` differs, so that a checkout which only touched files is not a change.
 */
export function statFingerprint(root) {
  let text = '';
  for (const f of inputs(root)) {
    const s = statSync(f);
    text += `${relative(root, f)} ${s.size} ${s.mtimeMs}\n`;
  }
  return text;
}

export async function contentFingerprint(root) {
  const { createHash } = await import('node:crypto');
  const h = createHash('sha256');
  for (const f of inputs(root)) {
    h.update(`${relative(root, f)}\0`);
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

export function readStamp(distDir) {
  try {
    return JSON.parse(readFileSync(join(distDir, STAMP_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when dist/ holds a finished build of the current sources. */
export async function isFresh(root, distDir) {
  const stamp = readStamp(distDir);
  if (!stamp) return false;
  try {
    return stamp.stat === statFingerprint(root) || stamp.content === (await contentFingerprint(root));
  } catch {
    return false; // an input vanished while we looked: not the build's sources
  }
}
