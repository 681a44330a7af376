import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { detectCgroups, type CgroupHost } from '../cgroups.ts';
import { FUNCTION_BASE_ENV, hostnameFor, isRoot, nodeHeapFlag, RUNNER_MOUNT, SOCKET_MOUNT, SOCKET_NAME, SocketDirs, toLogFn, type DriverOptions } from '../driver-common.ts';
import { hostRuntime } from '../host-runtime.ts';
import type { Container, ContainerSpec, SandboxDriver } from '../types.ts';
import { startChained } from './chained.ts';
import { hasSetpriv, SETPRIV } from './launch-chain.ts';

export const BWRAP = 'bwrap';

/**
 * Whether bubblewrap can make a sandbox here, and how: as the unprivileged sandbox user (preferred:
 * its user namespace then maps to an unprivileged host uid) or only as root.
 */
export function probeBwrap(): { works: boolean; unprivileged: boolean; error?: string } {
  const probe = ['--unshare-all', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', 'true'];
  const tryRun = (cmd: string, args: string[]) => {
    try {
      execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5000 });
      return undefined;
    } catch (err) {
      return String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim() || (err as Error).message;
    }
  };
  if (isRoot() && hasSetpriv() && !tryRun(SETPRIV, ['--reuid', '65534', '--regid', '65534', '--clear-groups', '--', BWRAP, ...probe])) {
    return { works: true, unprivileged: true };
  }
  const err = tryRun(BWRAP, probe);
  return err ? { works: false, unprivileged: false, error: err } : { works: true, unprivileged: !isRoot() };
}

/**
 * Bubblewrap sandboxes: new user, PID, mount, IPC, UTS, cgroup and (unless network is "host")
 * network namespaces; a read-only root holding only the Node runtime, the runner and the socket dir;
 * tmpfs /tmp; all capabilities dropped. bwrap has no resource limits of its own: memory and pids
 * limits come from a cgroup this driver makes when the host allows it.
 */
export class BwrapDriver implements SandboxDriver {
  readonly name = 'bwrap' as const;
  readonly limitations: string[];
  private readonly cgroups: CgroupHost;
  private readonly sockets: SocketDirs;
  private readonly drop: boolean;

  constructor(private readonly opts: DriverOptions) {
    const log = toLogFn(opts.log);
    const probe = probeBwrap();
    if (!probe.works) throw new Error(`bwrap does not work on this host: ${probe.error}`);
    this.drop = isRoot() && probe.unprivileged;
    this.cgroups = detectCgroups();
    this.sockets = new SocketDirs(opts.stateDir, 'bwrap', this.drop);
    this.limitations = [
      ...(isRoot() && !this.drop ? ['the sandbox user maps to host root (unprivileged user namespaces unavailable)'] : []),
      ...this.cgroups.limitations,
      'no seccomp filter',
    ];
    log('info', `sandbox bwrap: cgroups ${this.cgroups.mode}, memory limit ${this.cgroups.memory ? 'on' : 'OFF'}, pids limit ${this.cgroups.pids ? 'on' : 'OFF'}, ${this.drop ? 'unprivileged user namespace' : 'user namespace of the current user'}`);
    for (const l of this.limitations) log('warn', `sandbox bwrap: cannot enforce: ${l}`);
  }

  start(spec: ContainerSpec): Promise<Container> {
    return startChained('bwrap', spec, this.opts, { cgroups: this.cgroups, sockets: this.sockets, dropPrivileges: this.drop }, (p) => {
      const rt = hostRuntime();
      const args = ['--unshare-all'];
      if (spec.network === 'host') args.push('--share-net');
      args.push('--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--hostname', hostnameFor(p.cid));
      for (const b of rt.binds) args.push('--ro-bind', b.source, b.dest);
      if (spec.network === 'host') for (const f of ['/etc/resolv.conf', '/etc/hosts']) args.push('--ro-bind-try', f, f);
      args.push('--ro-bind', path.dirname(p.runnerFile), RUNNER_MOUNT, '--ro-bind', p.socket.dir, SOCKET_MOUNT);
      args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--remount-ro', '/', '--chdir', '/tmp');
      args.push('--clearenv');
      for (const [k, v] of Object.entries(FUNCTION_BASE_ENV)) args.push('--setenv', k, v);
      args.push(rt.node, nodeHeapFlag(spec.memoryMb), `${RUNNER_MOUNT}/${path.basename(p.runnerFile)}`, '--socket', `${SOCKET_MOUNT}/${SOCKET_NAME}`);
      return { command: BWRAP, args };
    });
  }

  async cleanupLeftovers(): Promise<number> {
    // --die-with-parent: sandboxes of a crashed server are already gone; only files remain.
    this.sockets.removeStale();
    this.cgroups.removeEmpty();
    return 0;
  }
}
