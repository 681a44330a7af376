/**
 * A small seccomp deny-list for runc containers. Default allow (Node needs a broad set of system
 * calls and the container already has no capabilities and no_new_privs); denied are the calls that
 * widen the kernel surface an unprivileged process can still reach, above all user namespaces
 * (unshare, setns, namespace flags of clone), and administrative calls. clone3 returns ENOSYS, as in
 * Docker's profile: its flags live in memory where seccomp cannot look, and libc then uses clone.
 */
const EPERM = 1;
const ENOSYS = 38;

const DENIED = [
  'mount', 'umount2', 'pivot_root', 'fsopen', 'fsmount', 'fsconfig', 'fspick', 'move_mount', 'open_tree', 'mount_setattr',
  'unshare', 'setns',
  'ptrace', 'process_vm_readv', 'process_vm_writev',
  'bpf', 'perf_event_open', 'userfaultfd', 'lookup_dcookie',
  'keyctl', 'add_key', 'request_key',
  'init_module', 'finit_module', 'delete_module', 'kexec_load', 'kexec_file_load', 'reboot', 'swapon', 'swapoff', 'acct', 'quotactl',
  'settimeofday', 'clock_settime', 'clock_adjtime', 'adjtimex', 'syslog', 'iopl', 'ioperm',
  'open_by_handle_at', 'name_to_handle_at',
  // libuv falls back to its thread pool when io_uring is refused.
  'io_uring_setup', 'io_uring_enter', 'io_uring_register',
];

/** CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET. */
const NAMESPACE_FLAGS = [0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000];

const ARCHES: Record<string, string[]> = {
  x64: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
  arm64: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
};

/** The `linux.seccomp` section of config.json, or undefined on an architecture this list does not know. */
export function seccompProfile(arch: string = process.arch): Record<string, unknown> | undefined {
  const architectures = ARCHES[arch];
  if (!architectures) return undefined;
  return {
    defaultAction: 'SCMP_ACT_ALLOW',
    architectures,
    syscalls: [
      { names: DENIED, action: 'SCMP_ACT_ERRNO', errnoRet: EPERM },
      { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS },
      // One rule per flag: separate rules are OR-ed, and (flags & FLAG) == FLAG matches any use of it.
      ...NAMESPACE_FLAGS.map((flag) => ({
        names: ['clone'],
        action: 'SCMP_ACT_ERRNO',
        errnoRet: EPERM,
        args: [{ index: 0, value: flag, valueTwo: flag, op: 'SCMP_CMP_MASKED_EQ' }],
      })),
    ],
  };
}
