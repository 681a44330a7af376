import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What this host lets us do with cgroups, found once at driver creation. Three layouts exist:
 * v1 (one hierarchy per controller), v2 (one unified hierarchy) and hybrid (v1 controllers plus an
 * empty cgroup2 at /sys/fs/cgroup/unified, as on this project's reference host). runc picks v1 in
 * hybrid mode, so do we. Containers go under a `containerless/` child of the server's own cgroup in
 * v1, so the host's quota on the server also covers its containers; in v2 the "no internal processes"
 * rule forbids that, so they go under `/containerless` at the root.
 */
export type CgroupMode = 'v1' | 'v2' | 'hybrid' | 'none';

export interface CgroupLimits {
  memoryMb: number;
  pids: number;
}

/** A cgroup this module made for one container (bwrap and process drivers; runc makes its own). */
export interface OwnCgroup {
  /** `cgroup.procs` files to write the container's first pid into, before it execs the sandbox. */
  procsFiles: string[];
  remove(): void;
}

export interface CgroupHost {
  readonly mode: CgroupMode;
  readonly memory: boolean;
  readonly pids: boolean;
  readonly swapLimit: boolean;
  /** Human-readable reasons for every limit that cannot be applied here. */
  readonly limitations: string[];
  /** `linux.cgroupsPath` for runc. */
  runcPath(cid: string): string;
  /** Bytes in use by container `cid` (runc's or our cgroup), when memory accounting is available. */
  memoryUsage(cid: string): number | undefined;
  /** Times the kernel OOM-killed a process of `cid`'s cgroup; undefined when unknown or gone. */
  oomKills(cid: string): number | undefined;
  create(cid: string, limits: CgroupLimits): OwnCgroup | undefined;
  /** Removes empty container cgroups left by a crashed server; returns how many. */
  removeEmpty(): number;
}

const PARENT = 'containerless';

interface Mount {
  point: string;
  fstype: string;
  superOpts: string[];
}

function mounts(): Mount[] {
  const out: Mount[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const pre = line.slice(0, dash).split(' ');
    const post = line.slice(dash + 3).split(' ');
    out.push({ point: pre[4].replace(/\\040/g, ' '), fstype: post[0], superOpts: (post[2] ?? '').split(',') });
  }
  return out;
}

/** The server's own cgroup per v1 controller ('' key = v2). */
function ownCgroups(): Map<string, string> {
  const own = new Map<string, string>();
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === '') own.set('', m[2]);
    else for (const c of m[1].split(',')) own.set(c, m[2]);
  }
  return own;
}

function tryMkdir(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function readNumber(file: string): number | undefined {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

function readKey(file: string, key: string): number | undefined {
  try {
    const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(readFileSync(file, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function detectCgroups(): CgroupHost {
  let all: Mount[];
  let own: Map<string, string>;
  try {
    all = mounts();
    own = ownCgroups();
  } catch {
    return noCgroups('cgroups: /proc/self/mountinfo or /proc/self/cgroup unreadable');
  }
  const v1 = (ctrl: string) => all.find((m) => m.fstype === 'cgroup' && m.superOpts.includes(ctrl))?.point;
  const unified = all.find((m) => m.fstype === 'cgroup2');
  const memV1 = v1('memory');
  const pidsV1 = v1('pids');
  if (memV1 || pidsV1) return v1Host(unified ? 'hybrid' : 'v1', memV1, pidsV1, own);
  if (unified) return v2Host(unified.point);
  return noCgroups('cgroups: no cgroup filesystem is mounted');
}

function noCgroups(reason: string): CgroupHost {
  return {
    mode: 'none',
    memory: false,
    pids: false,
    swapLimit: false,
    limitations: [`${reason}: memory and pids limits are not applied`],
    runcPath: (cid) => `${PARENT}/${cid}`,
    memoryUsage: () => undefined,
    oomKills: () => undefined,
    create: () => undefined,
    removeEmpty: () => 0,
  };
}

function v1Host(mode: 'v1' | 'hybrid', memMount: string | undefined, pidsMount: string | undefined, own: Map<string, string>): CgroupHost {
  const limitations: string[] = [];
  // runc resolves a relative cgroupsPath against its own (= this server's) cgroup per controller.
  const memBase = memMount ? path.join(memMount, own.get('memory') ?? '/', PARENT) : undefined;
  const pidsBase = pidsMount ? path.join(pidsMount, own.get('pids') ?? '/', PARENT) : undefined;
  let memory = false;
  let pids = false;
  if (!memBase) limitations.push('memory limit: the cgroup v1 memory controller is not mounted');
  else {
    const err = tryMkdir(memBase);
    if (err) limitations.push(`memory limit: cannot create ${memBase}: ${err}`);
    else memory = true;
  }
  if (!pidsBase) limitations.push('pids limit: the cgroup v1 pids controller is not mounted');
  else {
    const err = tryMkdir(pidsBase);
    if (err) limitations.push(`pids limit: cannot create ${pidsBase}: ${err}`);
    else pids = true;
  }
  const swapLimit = memory && memBase !== undefined && existsSync(path.join(memBase, 'memory.memsw.limit_in_bytes'));
  if (memory && !swapLimit) limitations.push('swap limit: memory.memsw is not available (swap accounting off); memory limit applies to RAM only');
  return {
    mode,
    memory,
    pids,
    swapLimit,
    limitations,
    runcPath: (cid) => `${PARENT}/${cid}`,
    memoryUsage: (cid) => (memBase ? readNumber(path.join(memBase, cid, 'memory.usage_in_bytes')) : undefined),
    oomKills: (cid) => (memBase ? readKey(path.join(memBase, cid, 'memory.oom_control'), 'oom_kill') : undefined),
    create(cid, limits) {
      const dirs: string[] = [];
      try {
        if (memory && memBase) {
          const d = path.join(memBase, cid);
          mkdirSync(d, { recursive: true });
          dirs.push(d);
          const bytes = String(limits.memoryMb * 1024 * 1024);
          writeFileSync(path.join(d, 'memory.limit_in_bytes'), bytes);
          if (swapLimit) writeFileSync(path.join(d, 'memory.memsw.limit_in_bytes'), bytes);
        }
        if (pids && pidsBase) {
          const d = path.join(pidsBase, cid);
          mkdirSync(d, { recursive: true });
          dirs.push(d);
          writeFileSync(path.join(d, 'pids.max'), String(limits.pids));
        }
      } catch {
        removeDirs(dirs);
        return undefined;
      }
      if (dirs.length === 0) return undefined;
      return { procsFiles: dirs.map((d) => path.join(d, 'cgroup.procs')), remove: () => removeDirs(dirs) };
    },
    removeEmpty: () => removeEmptyUnder([memBase, pidsBase]),
  };
}

function v2Host(mount: string): CgroupHost {
  const limitations: string[] = [];
  const base = path.join(mount, PARENT);
  let memory = false;
  let pids = false;
  const err = tryMkdir(base);
  if (err) limitations.push(`memory and pids limits: cannot create ${base}: ${err}`);
  else {
    // Controllers must be enabled on every ancestor down to the containers' parent.
    for (const dir of [mount, base]) {
      try {
        writeFileSync(path.join(dir, 'cgroup.subtree_control'), '+memory +pids');
      } catch {}
    }
    let enabled: string[] = [];
    try {
      enabled = readFileSync(path.join(base, 'cgroup.subtree_control'), 'utf8').trim().split(/\s+/);
    } catch {}
    memory = enabled.includes('memory');
    pids = enabled.includes('pids');
    if (!memory) limitations.push(`memory limit: the cgroup v2 memory controller cannot be enabled under ${base}`);
    if (!pids) limitations.push(`pids limit: the cgroup v2 pids controller cannot be enabled under ${base}`);
  }
  const swapLimit = memory;
  return {
    mode: 'v2',
    memory,
    pids,
    swapLimit,
    limitations,
    runcPath: (cid) => `/${PARENT}/${cid}`,
    memoryUsage: (cid) => readNumber(path.join(base, cid, 'memory.current')),
    oomKills: (cid) => readKey(path.join(base, cid, 'memory.events'), 'oom_kill'),
    create(cid, limits) {
      if (!memory && !pids) return undefined;
      const d = path.join(base, cid);
      try {
        mkdirSync(d, { recursive: true });
        if (memory) {
          writeFileSync(path.join(d, 'memory.max'), String(limits.memoryMb * 1024 * 1024));
          try {
            writeFileSync(path.join(d, 'memory.swap.max'), '0');
          } catch {} // no swap accounting: RAM limit only
        }
        if (pids) writeFileSync(path.join(d, 'pids.max'), String(limits.pids));
      } catch {
        removeDirs([d]);
        return undefined;
      }
      return { procsFiles: [path.join(d, 'cgroup.procs')], remove: () => removeDirs([d]) };
    },
    removeEmpty: () => removeEmptyUnder([base]),
  };
}

function removeDirs(dirs: string[]): void {
  for (const d of dirs) {
    try {
      rmdirSync(d);
    } catch {}
  }
}

/**
 * Container cgroups (`cl-*`) with no process that are older than a minute: a cgroup is created a
 * moment before its first process joins, so young empty ones may belong to a container starting now.
 * rmdir refuses non-empty cgroups, so a live container's cgroup is never removed.
 */
function removeEmptyUnder(bases: (string | undefined)[]): number {
  let n = 0;
  for (const base of bases) {
    if (!base) continue;
    let names: string[] = [];
    try {
      names = readdirSync(base);
    } catch {}
    for (const name of names) {
      if (!name.startsWith('cl-')) continue;
      const d = path.join(base, name);
      try {
        if (Date.now() - statSync(d).mtimeMs < 60_000) continue;
        if (readFileSync(path.join(d, 'cgroup.procs'), 'utf8').trim() !== '') continue;
        rmdirSync(d);
        n++;
      } catch {}
    }
  }
  return n;
}
