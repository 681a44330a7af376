import type { CgroupHost } from '../cgroups.ts';
import { FUNCTION_BASE_ENV, hostnameFor, nodeHeapFlag, RUNNER_MOUNT, SANDBOX_GID, SANDBOX_UID, SOCKET_MOUNT, SOCKET_NAME } from '../driver-common.ts';
import type { RoBind } from '../host-runtime.ts';
import type { ContainerSpec } from '../types.ts';
import { seccompProfile } from './seccomp.ts';

export interface OciInputs {
  spec: ContainerSpec;
  cid: string;
  node: string;
  runtimeBinds: RoBind[];
  /** Host directory holding runner.js. */
  runnerDir: string;
  runnerFile: string;
  /** Host directory holding this container's socket. */
  socketDir: string;
  cgroups: CgroupHost;
  owner: string;
  stateDir: string;
}

/** Annotations that let cleanupLeftovers tell whose container this is. */
export const OWNER_ANNOTATION = 'org.containerless.owner';
export const STATE_ANNOTATION = 'org.containerless.state-dir';

const ro = ['rbind', 'ro', 'nosuid', 'nodev'];

/**
 * The OCI runtime config (config.json) of one container: an empty read-only root with the host's
 * Node runtime, the runner bundle and the socket directory bind-mounted read-only; its own PID,
 * mount, IPC, UTS (and, unless network is "host", network) namespaces; no capabilities;
 * no_new_privs; an unprivileged user; cgroup memory and pids limits when the host allows them.
 */
export function ociConfig(i: OciInputs): Record<string, unknown> {
  const { spec } = i;
  const mounts: Record<string, unknown>[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=8m'] },
    { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=1777', `size=${Math.max(8, Math.floor(spec.memoryMb / 4))}m`] },
    ...i.runtimeBinds.map((b) => ({ destination: b.dest, type: 'bind', source: b.source, options: ro })),
    { destination: RUNNER_MOUNT, type: 'bind', source: i.runnerDir, options: ro },
    // Read-only is enough: connecting to a Unix socket needs write permission on the socket, not the mount.
    { destination: SOCKET_MOUNT, type: 'bind', source: i.socketDir, options: ro },
  ];
  if (spec.network === 'host') {
    // Name resolution for functions allowed to use Node's own networking.
    for (const f of ['/etc/resolv.conf', '/etc/hosts']) mounts.push({ destination: f, type: 'bind', source: f, options: ro });
  }
  const namespaces = [{ type: 'pid' }, { type: 'mount' }, { type: 'ipc' }, { type: 'uts' }];
  if (spec.network !== 'host') namespaces.push({ type: 'network' });

  const resources: Record<string, unknown> = { devices: [{ allow: false, access: 'rwm' }] };
  if (i.cgroups.memory) {
    const bytes = spec.memoryMb * 1024 * 1024;
    resources.memory = i.cgroups.swapLimit ? { limit: bytes, swap: bytes } : { limit: bytes };
  }
  if (i.cgroups.pids) resources.pids = { limit: spec.pids };

  const noCaps: string[] = [];
  const seccomp = seccompProfile();
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: SANDBOX_UID, gid: SANDBOX_GID },
      args: [i.node, nodeHeapFlag(spec.memoryMb), `${RUNNER_MOUNT}/${i.runnerFile}`, '--socket', `${SOCKET_MOUNT}/${SOCKET_NAME}`],
      env: Object.entries(FUNCTION_BASE_ENV).map(([k, v]) => `${k}=${v}`),
      cwd: '/tmp',
      capabilities: { bounding: noCaps, effective: noCaps, inheritable: noCaps, permitted: noCaps, ambient: noCaps },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 4096, soft: 4096 }],
      noNewPrivileges: true,
      // Under host memory pressure the kernel should pick a function before the dispatcher.
      oomScoreAdj: 1000,
    },
    root: { path: 'rootfs', readonly: true },
    hostname: hostnameFor(i.cid),
    mounts,
    annotations: { [OWNER_ANNOTATION]: i.owner, [STATE_ANNOTATION]: i.stateDir },
    linux: {
      namespaces,
      resources,
      cgroupsPath: i.cgroups.runcPath(i.cid),
      maskedPaths: [
        '/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
        '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
      ],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
      ...(seccomp ? { seccomp } : {}),
    },
  };
}
