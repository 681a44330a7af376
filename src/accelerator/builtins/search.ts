// indexOf and lastIndexOf of a string in a string, charged for the work V8 does and never doing more
// than the fuel pays for. V8 searches forwards in time linear in the text (memchr for one character,
// Boyer-Moore variants for longer patterns) but backwards naively, in time up to text × pattern. A
// short search runs natively and is charged for what it scanned; a long one runs in chunks, each
// charged before the next starts, so a search over a huge string stops where the fuel does. The
// results are V8's own (a chunk is a slice of the string, searched natively).
import type { Host } from './host.ts';
import { BACKWARD_COMPARES_PER_UNIT, fastCharUnits, searchUnits } from './costs.ts';

/** Start positions one chunk covers. */
const CHUNK = 1 << 15;
/** Character comparisons a backward chunk may make. */
const BACKWARD_WORK = 1 << 17;

/** ToIntegerOrInfinity of a primitive position, clamped to [0, len] (what indexOf does with it). */
export function clampPosition(pos: unknown, len: number): number {
  const n = typeof pos === 'number' ? pos : pos === undefined ? 0 : Number(pos);
  if (!(n > 0)) return 0; // NaN, negatives, -0
  return n >= len ? len : Math.trunc(n);
}

const forwardUnits = (scanned: number, m: number): number => (m === 1 ? fastCharUnits(scanned) : searchUnits(scanned + m));

/** `s.indexOf(pat, from)` with `from` already clamped to [0, s.length]. */
export function searchForward(host: Host, s: string, pat: string, from: number): number {
  const n = s.length;
  const m = pat.length;
  if (m === 0) {
    host.tick(1);
    return from;
  }
  if (m > n - from) {
    host.tick(1);
    return -1;
  }
  if (n - from <= CHUNK) {
    const r = s.indexOf(pat, from);
    host.tick(forwardUnits((r < 0 ? n : r + m) - from, m));
    return r;
  }
  const step = Math.max(CHUNK, m);
  for (let start = from; start + m <= n; start += step) {
    const end = Math.min(n, start + step + m - 1);
    const r = s.slice(start, end).indexOf(pat);
    host.tick(forwardUnits(r < 0 ? end - start : r + m, m));
    if (r >= 0) return start + r;
  }
  return -1;
}

/** Fuel for a backward search over `positions` start positions with a pattern of m characters: at
 * worst m comparisons per position (and never less than a loop step's worth of 2). */
const backwardUnits = (positions: number, m: number): number => 1 + Math.floor((positions * Math.max(m, 2)) / BACKWARD_COMPARES_PER_UNIT);

/** `s.lastIndexOf(pat, pos)` with `pos` already clamped to [0, s.length]. */
export function searchBackward(host: Host, s: string, pat: string, pos: number): number {
  const n = s.length;
  const m = pat.length;
  const top = Math.min(pos, n - m); // the last start position where pat fits
  if (top < 0) {
    host.tick(1);
    return -1;
  }
  if (m === 0) {
    host.tick(1);
    return top;
  }
  // Start positions per chunk, so that one chunk makes at most BACKWARD_WORK comparisons.
  const per = Math.max(1, Math.floor(BACKWARD_WORK / m));
  if (top + 1 <= per) {
    const r = s.lastIndexOf(pat, top);
    host.tick(backwardUnits(top + 1 - (r < 0 ? 0 : r), m));
    return r;
  }
  for (let hi = top; hi >= 0; hi -= per) {
    const lo = Math.max(0, hi - per + 1);
    const r = s.slice(lo, hi + m).lastIndexOf(pat);
    host.tick(backwardUnits(hi + 1 - (r < 0 ? lo : lo + r), m));
    if (r >= 0) return lo + r;
  }
  return -1;
}
