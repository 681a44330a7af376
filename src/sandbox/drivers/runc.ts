import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildRunnerBundle } from '../bundle.ts';
import { detectCgroups, type CgroupHost } from '../cgroups.ts';
import { launchContainer } from '../container.ts';
import { ID_PREFIX, runtimeIdFor, SocketDirs, toLogFn, type DriverOptions, type SandboxLogFn } from '../driver-common.ts';
import { hostRuntime } from '../host-runtime.ts';
import { ownerAlive, ownerTag } from '../owner.ts';
import type { Container, ContainerSpec, SandboxDriver } from '../types.ts';
import { ociConfig, OWNER_ANNOTATION, STATE_ANNOTATION } from './oci-spec.ts';
import { seccompProfile } from './seccomp.ts';
import { Spawner } from '../spawner.ts';

const run = promisify(execFile);

/** runc's default state root; kept so that `runc list` shows the platform's containers. */
export const RUNC = 'runc';

/** runc's default state root, where `runc list` looks. */
const RUNC_ROOT = '/run/runc';

interface RuncListEntry {
  id: string;
  pid: number;
  status: string;
  bundle: string;
  annotations?: Record<string, string>;
}

export async function runcVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await run(RUNC, ['--version']);
    return stdout.split('\n')[0];
  } catch {
    return undefined;
  }
}

/**
 * The containers under runc's state root, as `runc list` shows them, read from their state files.
 * `runc list` itself fails as a whole when a container is deleted between its readdir and its load
 * of that container; beside another server starting and stopping many containers it failed on every
 * retry, and so did start-up's cleanup. Here a container deleted meanwhile, or still being created
 * (no state file yet), is skipped. `status` is `running` while the init process lives (runc's
 * `created` and `paused` included), else `stopped`.
 */
export async function runcList(): Promise<RuncListEntry[]> {
  let ids: string[];
  try {
    ids = readdirSync(RUNC_ROOT);
  } catch {
    return []; // no container was ever created on this host
  }
  const out: RuncListEntry[] = [];
  for (const id of ids) {
    let st: RuncState;
    try {
      st = JSON.parse(readFileSync(path.join(RUNC_ROOT, id, 'state.json'), 'utf8')) as RuncState;
    } catch {
      continue;
    }
    const annotations: Record<string, string> = {};
    let bundle = '';
    for (const label of st.config?.labels ?? []) {
      const eq = label.indexOf('=');
      if (eq < 0) continue;
      if (label.slice(0, eq) === 'bundle') bundle = label.slice(eq + 1);
      else annotations[label.slice(0, eq)] = label.slice(eq + 1);
    }
    const pid = st.init_process_pid ?? 0;
    // A pid and its start time, as an owner tag is: a recycled pid is not taken for the init.
    const live = pid > 0 && ownerAlive(`${pid}:${st.init_process_start}`);
    out.push({ id: st.id ?? id, pid: live ? pid : 0, status: live ? 'running' : 'stopped', bundle, annotations });
  }
  return out;
}

/** What runcList reads of runc's state file (libcontainer's State). */
interface RuncState {
  id?: string;
  init_process_pid?: number;
  init_process_start?: number;
  config?: { labels?: string[] };
}

async function runcQuiet(args: string[]): Promise<void> {
  try {
    await run(RUNC, args);
  } catch {}
}

/** Host pid of a container's init, from runc's state file (cheaper than spawning `runc state`). */
function initPid(cid: string): number | undefined {
  try {
    const st = JSON.parse(readFileSync(path.join(RUNC_ROOT, cid, 'state.json'), 'utf8')) as { init_process_pid?: number };
    return typeof st.init_process_pid === 'number' && st.init_process_pid > 0 ? st.init_process_pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stops a container that our `runc run` child supervises: SIGKILL to its init (the PID namespace dies
 * with it); `runc run` then reaps it and deletes the container itself. Falls back to `runc kill`.
 */
async function killInit(cid: string): Promise<void> {
  const pid = initPid(cid);
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGKILL');
      return;
    } catch {}
  }
  await runcQuiet(['kill', cid, 'KILL']);
}

/** Stops and deletes a runc container, whatever its state. */
export async function removeRuncContainer(cid: string): Promise<boolean> {
  await runcQuiet(['kill', cid, 'KILL']);
  return deleteUntilGone(cid);
}

/**
 * `runc delete --force` fails while the container's processes are still being torn down (its cgroup
 * is busy), which a loaded machine makes common: one failed attempt used to leave the container for
 * good. So it is retried, with backoff, until runc's state for it is gone or `withinMs` has passed.
 * False when the container is still there.
 */
async function deleteUntilGone(cid: string, withinMs = 15_000): Promise<boolean> {
  const state = path.join(RUNC_ROOT, cid);
  const deadline = Date.now() + withinMs;
  for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
    if (!existsSync(state)) return true;
    await runcQuiet(['delete', '--force', cid]);
    if (!existsSync(state)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, wait));
  }
}

/**
 * OCI containers through runc (`runc run --bundle DIR cl-ID` as a child with piped stdio). One bundle
 * per container under `<stateDir>/runc/cl-ID`: config.json plus an empty `rootfs` that becomes the
 * read-only root; everything the runner needs is bind-mounted read-only (oci-spec.ts).
 */
export class RuncDriver implements SandboxDriver {
  readonly name = 'runc' as const;
  readonly limitations: string[];
  private readonly cgroups: CgroupHost;
  private readonly bundlesDir: string;
  private readonly sockets: SocketDirs;
  private readonly log: SandboxLogFn;
  private readonly owner = ownerTag();
  private readonly spawner = new Spawner();

  constructor(private readonly opts: DriverOptions) {
    this.log = toLogFn(opts.log);
    this.cgroups = detectCgroups();
    this.limitations = [...this.cgroups.limitations, ...(seccompProfile() ? [] : [`no seccomp filter: no profile for architecture ${process.arch}`])];
    this.bundlesDir = path.join(opts.stateDir, 'runc');
    mkdirSync(this.bundlesDir, { recursive: true, mode: 0o700 });
    this.sockets = new SocketDirs(opts.stateDir, 'runc', false);
    const rt = hostRuntime();
    this.log('info', `sandbox runc: cgroups ${this.cgroups.mode}, memory limit ${this.cgroups.memory ? 'on' : 'OFF'}, pids limit ${this.cgroups.pids ? 'on' : 'OFF'}; node runtime from ${rt.how} (${rt.binds.length} read-only binds)`);
    for (const l of this.limitations) this.log('warn', `sandbox runc: cannot enforce: ${l}`);
  }

  async start(spec: ContainerSpec): Promise<Container> {
    const cid = runtimeIdFor(spec.id);
    const runnerFile = await buildRunnerBundle(this.opts.runnerDir ?? path.join(this.opts.stateDir, 'runner'));
    const bundle = path.join(this.bundlesDir, cid);
    rmSync(bundle, { recursive: true, force: true });
    mkdirSync(path.join(bundle, 'rootfs'), { recursive: true, mode: 0o755 });
    const sock = this.sockets.make(cid);
    const rt = hostRuntime();
    const config = ociConfig({
      spec,
      cid,
      node: rt.node,
      runtimeBinds: rt.binds,
      runnerDir: path.dirname(runnerFile),
      runnerFile: path.basename(runnerFile),
      socketDir: sock.dir,
      cgroups: this.cgroups,
      owner: this.owner,
      stateDir: this.opts.stateDir,
    });
    writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(config, null, 1));
    // Off the event loop: under load, removing a bundle took up to 150 ms, once per container stopped.
    const cleanupFiles = () => Promise.all([rm(bundle, { recursive: true, force: true }), rm(sock.dir, { recursive: true, force: true })]);
    return launchContainer({
      driver: 'runc',
      spec,
      cid,
      socketPath: sock.socketPath,
      command: RUNC,
      args: ['run', '--bundle', bundle, cid],
      spawner: this.spawner,
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
      stop: () => killInit(cid),
      rss: async () => this.cgroups.memoryUsage(cid),
      oomKills: () => this.cgroups.oomKills(cid),
      cleanup: async () => {
        // `runc run` deletes the container when it exits; this covers a runc that was itself killed.
        if (!(await deleteUntilGone(cid))) this.log('warn', `sandbox runc: container ${cid} could not be deleted; the next start removes it`);
        await cleanupFiles();
      },
    });
  }

  async cleanupLeftovers(): Promise<number> {
    let removed = 0;
    const live = new Set<string>();
    for (const c of await runcList()) {
      if (!c.id.startsWith(ID_PREFIX)) continue;
      const owner = c.annotations?.[OWNER_ANNOTATION] ?? readOwner(c.bundle);
      // Another server's leftovers are its own business while its state dir exists (it cleans them
      // when it restarts); once that dir is gone nobody else will, so any server removes them.
      const stateDir = c.annotations?.[STATE_ANNOTATION];
      const foreign = stateDir !== undefined && !sameDir(stateDir, this.opts.stateDir) && existsSync(stateDir);
      if (ownerAlive(owner) || foreign) {
        live.add(c.id);
        continue;
      }
      this.log('warn', `sandbox runc: removing leftover container ${c.id} (${c.status}, owner ${owner ?? 'unknown'} is gone)`);
      if (await removeRuncContainer(c.id)) removed++;
      else this.log('warn', `sandbox runc: leftover container ${c.id} could not be deleted`);
    }
    // Bundle directories of containers that no longer exist.
    let names: string[] = [];
    try {
      names = readdirSync(this.bundlesDir);
    } catch {}
    for (const n of names) {
      if (live.has(n) || ownerAlive(readOwner(path.join(this.bundlesDir, n)))) continue;
      rmSync(path.join(this.bundlesDir, n), { recursive: true, force: true });
    }
    this.sockets.removeStale();
    this.cgroups.removeEmpty();
    return removed;
  }

  /**
   * Once every pool has closed, nothing of this state dir should run: what does escaped a pool, or
   * was created by a `runc run` of a killed predecessor after start-up's cleanup had looked. Another
   * live server's containers (another state dir, or another owner) are left alone.
   */
  async removeRemaining(): Promise<string[]> {
    const removed: string[] = [];
    for (const c of await runcList()) {
      if (!c.id.startsWith(ID_PREFIX) || !sameDir(c.annotations?.[STATE_ANNOTATION], this.opts.stateDir)) continue;
      const owner = c.annotations?.[OWNER_ANNOTATION];
      if (owner !== this.owner && ownerAlive(owner)) continue;
      await removeRuncContainer(c.id);
      rmSync(path.join(this.bundlesDir, c.id), { recursive: true, force: true });
      removed.push(c.id);
    }
    return removed;
  }
}

function sameDir(a: string | undefined, b: string): boolean {
  return a !== undefined && path.resolve(a) === path.resolve(b);
}

function readOwner(bundle: string): string | undefined {
  try {
    const cfg = JSON.parse(readFileSync(path.join(bundle, 'config.json'), 'utf8')) as { annotations?: Record<string, string> };
    return cfg.annotations?.[OWNER_ANNOTATION];
  } catch {
    return undefined;
  }
}
