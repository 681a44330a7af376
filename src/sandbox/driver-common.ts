import { createHash } from 'node:crypto';
import { accessSync, chmodSync, chownSync, constants, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { FUNCTION_BASE_ENV } from './function-env.ts';
import { ownerAlive, ownerTag } from './owner.ts';
import os from 'node:os';
import path from 'node:path';
import type { DriverName } from './types.ts';

export { FUNCTION_BASE_ENV };

/** How drivers report what they do; accepts a plain function or a pino-style logger object. */
export type SandboxLogFn = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
export type SandboxLogger = SandboxLogFn | { [K in 'debug' | 'info' | 'warn' | 'error']?: (message: string) => void };

export interface DriverOptions {
  /** Where bundles, sockets and the runner bundle live; created if missing. */
  stateDir: string;
  log?: SandboxLogger;
  /** Directory for the runner bundle (default `<stateDir>/runner`). */
  runnerDir?: string;
}

export function toLogFn(log: SandboxLogger | undefined): SandboxLogFn {
  if (!log) return (level, msg) => (level === 'warn' || level === 'error' ? process.stderr.write(`[sandbox] ${level}: ${msg}\n`) : undefined);
  if (typeof log === 'function') return log;
  return (level, msg) => log[level]?.call(log, msg);
}

/** Unprivileged identity the function runs as inside every sandbox (when the server is root). */
export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;

/** Where the runner finds the bundle and the socket inside a sandbox. */
export const RUNNER_MOUNT = '/opt/containerless';
export const SOCKET_MOUNT = '/run/containerless';
export const SOCKET_NAME = 'runner.sock';

export const ID_PREFIX = 'cl-';
const OWNER_FILE = 'owner';

export function runtimeIdFor(id: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(id)) throw new Error(`invalid container id ${JSON.stringify(id)}: use [a-z0-9-], at most 63 characters`);
  return ID_PREFIX + id;
}

/** Host names are limited to 64 bytes; runtime ids may be longer. */
export function hostnameFor(cid: string): string {
  return cid.slice(0, 63);
}

/** Unix socket paths are limited to 107 bytes. */
const MAX_SOCKET_PATH = 100;

/**
 * Per-container directories holding the runner's socket (each container sees only its own). They
 * live in `<stateDir>/sock/<cid>/`, except when that path is too long for a Unix socket or (for drivers
 * that bind as the unprivileged sandbox user) behind a 0700 ancestor such as /root: then in
 * `<tmpdir>/clsock-<driver>-<hash of stateDir>/`, the same for every server on that state dir so that
 * restarts reuse it and clean it.
 */
export class SocketDirs {
  private fallbackRoot: string | undefined;
  private readonly preferred: string;
  private readonly preferredUsable: boolean;

  constructor(
    private readonly stateDir: string,
    private readonly driver: DriverName,
    needsOtherAccess: boolean,
  ) {
    this.preferred = path.join(stateDir, 'sock');
    mkdirSync(this.preferred, { recursive: true, mode: 0o711 });
    this.preferredUsable = !needsOtherAccess || traversableByOthers(this.preferred);
  }

  make(cid: string): { dir: string; socketPath: string } {
    let root = this.preferred;
    if (!this.preferredUsable || path.join(root, cid, SOCKET_NAME).length > MAX_SOCKET_PATH) root = this.fallback();
    const dir = path.join(root, cid);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(path.join(dir, OWNER_FILE), ownerTag(), { mode: 0o644 });
    restrictToSandboxUser(dir, 0o700);
    return { dir, socketPath: path.join(dir, SOCKET_NAME) };
  }

  /**
   * The shared temporary directory has a predictable name, so it is used only if it is a real
   * directory owned by this user (not a symlink or something another local user planted).
   */
  private fallback(): string {
    if (this.fallbackRoot) return this.fallbackRoot;
    const hash = createHash('sha256').update(this.stateDir).digest('hex').slice(0, 12);
    let dir = path.join(os.tmpdir(), `clsock-${this.driver}-${hash}`);
    try {
      mkdirSync(dir, { mode: 0o711 });
    } catch {}
    const st = lstatSync(dir, { throwIfNoEntry: false });
    if (!st || !st.isDirectory() || st.uid !== process.getuid?.()) dir = mkdtempSync(path.join(os.tmpdir(), `clsock-${this.driver}-`));
    chmodSync(dir, 0o711);
    this.fallbackRoot = dir;
    return dir;
  }

  /** Removes socket dirs left by servers that are gone; returns how many. */
  removeStale(): number {
    let n = 0;
    const hash = createHash('sha256').update(this.stateDir).digest('hex').slice(0, 12);
    for (const root of [this.preferred, path.join(os.tmpdir(), `clsock-${this.driver}-${hash}`)]) {
      let names: string[] = [];
      try {
        names = readdirSync(root);
      } catch {}
      for (const name of names) {
        if (!name.startsWith(ID_PREFIX)) continue;
        const dir = path.join(root, name);
        let tag: string | undefined;
        try {
          tag = readFileSync(path.join(dir, OWNER_FILE), 'utf8');
        } catch {}
        if (ownerAlive(tag)) continue;
        rmSync(dir, { recursive: true, force: true });
        n++;
      }
    }
    return n;
  }
}

export function traversableByOthers(dir: string): boolean {
  let d = path.resolve(dir);
  for (;;) {
    try {
      if ((statSync(d).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    const up = path.dirname(d);
    if (up === d) return true;
    d = up;
  }
}

/**
 * Hands a socket or its directory to the sandbox user with owner-only permissions, so that no other
 * local user can reach a runner's socket. Without root the runner runs as the server's own user,
 * which owns them already.
 */
export function restrictToSandboxUser(p: string, mode: number): void {
  if (isRoot()) chownSync(p, SANDBOX_UID, SANDBOX_GID);
  chmodSync(p, mode);
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function canExecute(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}


/** Environment of a sandboxed runner: the base, and the socket variable the runner removes at once. */
export function runnerEnv(socketPath: string): Record<string, string> {
  return { ...FUNCTION_BASE_ENV, CONTAINERLESS_RUNNER_SOCKET: socketPath };
}

/** V8 heap cap kept below the cgroup limit so the garbage collector works before the kernel kills. */
export function nodeHeapFlag(memoryMb: number): string {
  return `--max-old-space-size=${Math.max(16, Math.floor(memoryMb * 0.75))}`;
}
