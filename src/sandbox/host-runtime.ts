import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, realpathSync } from 'node:fs';

/** A read-only bind mount of a host path into a sandbox. */
export interface RoBind {
  /** Host path (symlinks resolved: a bind mount of a symlink would bind its target anyway). */
  source: string;
  /** Path inside the sandbox. */
  dest: string;
}

export interface HostRuntime {
  /** The Node binary, at the same path inside the sandbox as here (so process.execPath agrees). */
  node: string;
  /** Everything the sandbox's root needs to run `node`: the binary and its shared libraries. */
  binds: RoBind[];
  /** How the list was made, for the docs and logs. */
  how: 'ldd' | 'system-dirs';
}

let cached: HostRuntime | undefined;

/**
 * The host's Node runtime as a minimal set of read-only binds: the node binary plus exactly the
 * shared libraries `ldd` names (about ten files), so a sandbox's root holds nothing else of the host.
 * Without ldd, falls back to binding /usr, /lib and /lib64 whole.
 */
export function hostRuntime(): HostRuntime {
  if (cached) return cached;
  const node = process.execPath;
  const binds: RoBind[] = [{ source: realpathSync(node), dest: node }];
  let out: string | undefined;
  try {
    out = execFileSync('ldd', [node], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {}
  const libs = out ? parseLdd(out) : undefined;
  if (libs && libs.length > 0) {
    for (const lib of libs) binds.push({ source: realpathSync(lib), dest: lib });
    cached = { node, binds, how: 'ldd' };
  } else {
    for (const dir of ['/usr', '/lib', '/lib64', '/lib32']) {
      if (!existsSync(dir)) continue;
      // /lib -> usr/lib on merged-/usr systems: binding /usr already provides it under its real name.
      if (lstatSync(dir).isSymbolicLink()) binds.push({ source: realpathSync(dir), dest: dir });
      else binds.push({ source: dir, dest: dir });
    }
    cached = { node, binds, how: 'system-dirs' };
  }
  return cached;
}

/** `libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)` and `/lib64/ld-linux-x86-64.so.2 (0x…)`. */
export function parseLdd(text: string): string[] {
  const libs: string[] = [];
  for (const line of text.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m && !libs.includes(m[1])) libs.push(m[1]);
  }
  return libs;
}
