import { readFileSync } from 'node:fs';

/**
 * Identifies the server process that owns a container: pid plus the process's start time (field 22 of
 * /proc/PID/stat), so a recycled pid is not mistaken for a live owner. cleanupLeftovers removes only
 * containers whose owner is gone, never those of another server running now on the same host.
 */
export function ownerTag(pid: number = process.pid): string {
  return `${pid}:${startTime(pid) ?? '?'}`;
}

export function ownerAlive(tag: string | undefined): boolean {
  if (!tag) return false;
  const m = /^(\d+):(.*)$/.exec(tag);
  if (!m) return false;
  const pid = Number(m[1]);
  if (pid === process.pid) return m[2] === String(startTime(pid) ?? '?');
  const st = startTime(pid);
  return st !== undefined && String(st) === m[2];
}

function startTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after its closing paren.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[19]);
  } catch {
    return undefined;
  }
}
