import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildRunnerBundle } from '../bundle.ts';
import type { CgroupHost } from '../cgroups.ts';
import { launchContainer } from '../container.ts';
import { runnerEnv, runtimeIdFor, traversableByOthers, type DriverOptions, type SocketDirs } from '../driver-common.ts';
import type { Container, ContainerSpec, DriverName } from '../types.ts';
import { launchChain, treeRss } from './launch-chain.ts';

export interface ChainedPlan {
  cid: string;
  runnerFile: string;
  socket: { dir: string; socketPath: string };
}

/**
 * Start-up shared by the drivers that spawn their sandbox themselves (bwrap, process): socket dir,
 * optional cgroup made here, optional drop to the sandbox user, then the driver's own command line.
 */
export async function startChained(
  driver: DriverName,
  spec: ContainerSpec,
  opts: DriverOptions,
  deps: { cgroups: CgroupHost; sockets: SocketDirs; dropPrivileges: boolean },
  commandFor: (p: ChainedPlan) => { command: string; args: string[] },
): Promise<Container> {
  const cid = runtimeIdFor(spec.id);
  const runnerFile = await buildRunnerBundle(runnerDirFor(opts, deps.dropPrivileges));
  const socket = deps.sockets.make(cid);
  const cgroup = deps.cgroups.create(cid, { memoryMb: spec.memoryMb, pids: spec.pids });
  const inner = commandFor({ cid, runnerFile, socket });
  const chain = launchChain(inner.command, inner.args, { cgroup, dropTo: deps.dropPrivileges });
  const killCgroup = () => {
    if (!cgroup) return;
    for (const f of cgroup.procsFiles) {
      try {
        for (const pid of readPids(f)) process.kill(pid, 'SIGKILL');
      } catch {}
    }
  };
  try {
    return await launchContainer({
      driver,
      spec,
      cid,
      socketPath: socket.socketPath,
      command: chain.command,
      args: chain.args,
      env: runnerEnv(socket.socketPath),
      // No spawner here: the child is this thread's own ChildProcess.
      stop: async (child) => {
        child.kill('SIGKILL');
        killCgroup();
      },
      rss: async (child) => (cgroup ? deps.cgroups.memoryUsage(cid) : treeRss((child as ChildProcess).pid)),
      oomKills: cgroup ? () => deps.cgroups.oomKills(cid) : undefined,
      cleanup: async () => {
        killCgroup(); // a process that left the sandbox's tree (setsid, double fork) still dies
        if (cgroup) {
          // rmdir needs the cgroup empty; killed processes take a moment to be reaped.
          for (let i = 0; i < 100 && cgroup.procsFiles.some((f) => readPids(f).length > 0); i++) await new Promise((r) => setTimeout(r, 20));
          cgroup.remove();
        }
        rmSync(socket.dir, { recursive: true, force: true });
      },
    });
  } catch (err) {
    cgroup?.remove();
    throw err;
  }
}

/** The runner bundle must be readable by the sandbox user, so it may not sit behind a 0700 directory. */
function runnerDirFor(opts: DriverOptions, dropPrivileges: boolean): string {
  const preferred = opts.runnerDir ?? path.join(opts.stateDir, 'runner');
  if (!dropPrivileges || traversableByOthers(path.dirname(preferred))) return preferred;
  return path.join(os.tmpdir(), 'containerless-runner');
}

function readPids(procsFile: string): number[] {
  try {
    return readFileSync(procsFile, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
