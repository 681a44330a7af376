import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RUNNER_FILE } from '../bundle.ts';
import { detectCgroups, type CgroupHost } from '../cgroups.ts';
import { ID_PREFIX, isRoot, nodeHeapFlag, SOCKET_NAME, SocketDirs, toLogFn, type DriverOptions } from '../driver-common.ts';
import { ownerAlive } from '../owner.ts';
import type { Container, ContainerSpec, SandboxDriver } from '../types.ts';
import { startChained } from './chained.ts';
import { hasSetpriv } from './launch-chain.ts';

/**
 * Not a sandbox: the runner as a plain child process of the server, for development on hosts
 * without runc or bwrap. It still gets a clean environment, the unprivileged user when the server
 * is root, and cgroup limits when the host allows them; it shares the host's filesystem, processes
 * and network.
 */
export class ProcessDriver implements SandboxDriver {
  readonly name = 'process' as const;
  readonly limitations: string[];
  private readonly cgroups: CgroupHost;
  private readonly sockets: SocketDirs;
  private readonly drop: boolean;

  constructor(private readonly opts: DriverOptions) {
    const log = toLogFn(opts.log);
    this.cgroups = detectCgroups();
    this.drop = isRoot() && hasSetpriv();
    this.sockets = new SocketDirs(opts.stateDir, 'process', this.drop);
    this.limitations = [
      'NOT A SANDBOX: functions run as plain processes and can read host files, see host processes and use the network',
      ...(isRoot() && !this.drop ? ['functions run as root (setpriv not found)'] : []),
      ...this.cgroups.limitations,
    ];
    log('warn', '!!! sandbox "process": functions run as PLAIN PROCESSES on this host with NO ISOLATION. Use runc or bwrap for anything but development. !!!');
  }

  start(spec: ContainerSpec): Promise<Container> {
    return startChained('process', spec, this.opts, { cgroups: this.cgroups, sockets: this.sockets, dropPrivileges: this.drop }, (p) => ({
      command: process.execPath,
      args: [nodeHeapFlag(spec.memoryMb), p.runnerFile, '--socket', p.socket.socketPath],
    }));
  }

  async cleanupLeftovers(): Promise<number> {
    // A healthy runner exits when the server's end of its socket closes; a stuck one (a handler in an
    // endless loop) cannot notice, so it is found by its command line and its socket dir's owner.
    const roots = [path.join(this.opts.stateDir, 'sock') + '/', path.join(os.tmpdir(), 'clsock-process-')];
    let removed = 0;
    for (const { pid, socketPath } of runnerProcesses()) {
      if (!roots.some((r) => socketPath.startsWith(r))) continue;
      let owner: string | undefined;
      try {
        owner = readFileSync(path.join(path.dirname(socketPath), 'owner'), 'utf8');
      } catch {}
      if (ownerAlive(owner)) continue;
      try {
        process.kill(pid, 'SIGKILL');
        removed++;
      } catch {}
    }
    this.sockets.removeStale();
    this.cgroups.removeEmpty();
    return removed;
  }
}

/** Runner processes on this host (any driver's), with the socket path from their command line. */
function runnerProcesses(): { pid: number; socketPath: string }[] {
  const out: { pid: number; socketPath: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const i = argv.indexOf('--socket');
    if (i < 0 || !argv.some((a) => a.endsWith(`/${RUNNER_FILE}`))) continue;
    const socketPath = argv[i + 1] ?? '';
    if (path.basename(socketPath) === SOCKET_NAME && path.basename(path.dirname(socketPath)).startsWith(ID_PREFIX)) out.push({ pid: Number(name), socketPath });
  }
  return out;
}
