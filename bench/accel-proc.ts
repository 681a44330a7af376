/**
 * CPU time and RSS of a server process and its descendants, read from /proc (Linux), for
 * bench/accel-compare.ts. The runc driver runs each container's `runc run` (and the runner inside
 * it) as a child of the dispatcher, so one process tree holds the dispatcher and all its containers;
 * `match` keeps only the containers of one function (their `runc run` command line names the
 * container `cl-NAME-…`) so idle containers of other functions are not charged to it.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux; /proc times are in ticks.

interface Proc {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime (reaped children included), ms. */
  cpuMs: number;
  rssBytes: number;
  cmd: string;
}

function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces; fields after it are fixed.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    const rssPages = Number(f[21]);
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return { pid, ppid: Number(f[1]), cpuMs: ticks * TICK_MS, rssBytes: rssPages * 4096, cmd };
  } catch {
    return undefined; // exited meanwhile
  }
}

/** Every live process in the tree rooted at `root` (root first). */
function tree(root: number): Proc[] {
  const all = new Map<number, Proc>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const p = readProc(Number(d));
    if (p) all.set(p.pid, p);
  }
  const byParent = new Map<number, Proc[]>();
  for (const p of all.values()) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const out: Proc[] = [];
  const visit = (p: Proc, keep: boolean) => {
    if (keep) out.push(p);
    for (const c of byParent.get(p.pid) ?? []) visit(c, true);
  };
  const r = all.get(root);
  if (r) visit(r, true);
  return out;
}

export interface Usage {
  /** CPU ms of the root process (the dispatcher or the limit server). */
  rootCpuMs: number;
  /** CPU ms of the matched descendants (containers). */
  childCpuMs: number;
  rootRss: number;
  childRss: number;
  /** Per-pid CPU, to difference two samples of processes that lived through both. */
  perPid: Map<number, number>;
}

/**
 * Samples the tree. `match(cmd)` selects descendants whose subtree is counted (e.g. one function's
 * `runc run`); without it every descendant counts.
 */
export function sampleUsage(root: number, match?: (cmd: string) => boolean): Usage {
  const procs = tree(root);
  const counted = new Set<number>();
  const rootProc = procs.find((p) => p.pid === root);
  for (const p of procs) {
    if (p.pid === root) continue;
    if (!match || match(p.cmd) || counted.has(p.ppid)) counted.add(p.pid);
  }
  const u: Usage = { rootCpuMs: rootProc?.cpuMs ?? 0, childCpuMs: 0, rootRss: rootProc?.rssBytes ?? 0, childRss: 0, perPid: new Map() };
  for (const p of procs) {
    if (!counted.has(p.pid)) continue;
    u.childCpuMs += p.cpuMs;
    u.childRss += p.rssBytes;
    u.perPid.set(p.pid, p.cpuMs);
  }
  return u;
}

/**
 * Memory of the tree rooted at `root`: the sum of RSS, and the sum of PSS (proportional set size:
 * each shared page counted once over all the processes that map it). A sum of RSS counts the node
 * and runc binaries' shared text once per container (about 36 MB each), so it overstates what many
 * runners really hold; PSS sums to the physical memory used. One scan of /proc.
 */
export function treeMemory(root: number): { rssBytes: number; pssBytes: number; processes: number } {
  const procs = tree(root);
  let pss = 0;
  for (const p of procs) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p.pid}/smaps_rollup`, 'utf8'));
      if (m) pss += Number(m[1]) * 1024;
    } catch {} // exited meanwhile
  }
  return { rssBytes: procs.reduce((n, p) => n + p.rssBytes, 0), pssBytes: pss, processes: procs.length };
}

/** CPU ms spent between two samples; a process born in between counts from zero. */
export function cpuBetween(a: Usage, b: Usage): number {
  let child = 0;
  for (const [pid, ms] of b.perPid) child += ms - (a.perPid.get(pid) ?? 0);
  return b.rootCpuMs - a.rootCpuMs + child;
}
