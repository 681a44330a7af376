import { detectCgroups, type CgroupHost } from '../cgroups.ts';
import { isRoot, nodeHeapFlag, SocketDirs, toLogFn, type DriverOptions } from '../driver-common.ts';
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
    // Runners exit by themselves when the server's end of their socket closes; only files remain.
    this.sockets.removeStale();
    return 0;
  }
}
