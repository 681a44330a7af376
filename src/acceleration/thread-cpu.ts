/**
 * CPU time of one thread of this process, read from Linux's /proc: the accelerator watchdog's measure
 * of a worker stuck in code. Wall-clock time is not one: on a busy machine a thread doing bounded
 * work waits for the CPU as long as other processes keep it, and its heartbeat stalls meanwhile.
 */
import { readFileSync, readlinkSync } from 'node:fs';

/** Clock ticks of /proc's counters: USER_HZ, 100 on every Linux architecture Node supports. */
const TICK_MS = 10;

/** The calling thread's kernel id, or 0 where /proc does not say (not Linux). */
export function currentThreadId(): number {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop()) || 0;
  } catch {
    return 0;
  }
}

/** User and system CPU time, in ms (10 ms steps), that thread `tid` of this process has used; undefined when unknown. */
export function threadCpuMs(tid: number): number | undefined {
  if (!tid) return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // proc(5): utime and stime are fields 14 and 15; counted after field 2, the name in parentheses
  // (which may hold spaces), they are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * TICK_MS : undefined;
}
