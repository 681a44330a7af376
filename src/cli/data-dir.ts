import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where `serve` keeps its database and sandbox state unless `--data-dir` says otherwise:
 * $CONTAINERLESS_DATA_DIR, else $XDG_DATA_HOME/containerless, else ~/.local/share/containerless.
 */
export function defaultDataDir(): string {
  if (process.env.CONTAINERLESS_DATA_DIR) return process.env.CONTAINERLESS_DATA_DIR;
  const xdg = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(xdg, 'containerless');
}
