import { readdirSync, readFileSync } from 'node:fs';
import type { OwnCgroup } from '../cgroups.ts';
import { canExecute, SANDBOX_GID, SANDBOX_UID } from '../driver-common.ts';

/**
 * Builds the command line that puts a sandbox into its cgroup and drops root before it starts:
 * `sh -c 'echo $$ > cgroup.procs…; exec "$@"' sh setpriv --reuid … -- CMD…`. Joining the cgroup
 * before exec (not after spawn) leaves no window in which a fast child escapes the limits.
 */
export function launchChain(cmd: string, args: string[], opts: { cgroup?: OwnCgroup; dropTo?: boolean }): { command: string; args: string[] } {
  let command = cmd;
  let argv = args;
  if (opts.dropTo) {
    argv = ['--reuid', String(SANDBOX_UID), '--regid', String(SANDBOX_GID), '--clear-groups', '--', command, ...argv];
    command = SETPRIV;
  }
  if (opts.cgroup) {
    const procs = opts.cgroup.procsFiles.map((f) => `echo $$ > '${f}' || exit 97`).join('; ');
    argv = ['-c', `${procs}; exec "$@"`, 'sh', command, ...argv];
    command = '/bin/sh';
  }
  return { command, args: argv };
}

export const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find(canExecute) ?? 'setpriv';
export const hasSetpriv = (): boolean => canExecute(SETPRIV);

/** Resident memory of a process and all its descendants, from /proc (for sandboxes without a cgroup). */
export function treeRss(rootPid: number | undefined): number | undefined {
  if (!rootPid) return undefined;
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {}
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const resident = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
      total += resident * 4096;
    } catch {}
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}
