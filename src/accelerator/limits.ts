/**
 * Per-request limits (DESIGN invariant 3). Compiled code shares the dispatcher's event loop, so the
 * default fuel is a few milliseconds of work: about 2–10 ns per unit on simple loops, so 1e6 units is
 * 2–10 ms. Longer computations abort with `fuel` and are re-executed in a container.
 */
export interface Limits {
  /** Back edges + calls + builtin work units, per request (and for the top-level run). */
  fuel: number;
  /** Bytes charged on allocation (objects, arrays, strings, closures), per request. */
  memoryBytes: number;
  /** Nested calls of compiled functions. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  fuel: 1_000_000,
  memoryBytes: 32 * 1024 * 1024,
  maxDepth: 1500,
});

export function resolveLimits(...parts: (Partial<Limits> | undefined)[]): Limits {
  const l: Limits = { ...DEFAULT_LIMITS };
  for (const p of parts) {
    if (!p) continue;
    if (typeof p.fuel === 'number' && p.fuel > 0) l.fuel = p.fuel;
    if (typeof p.memoryBytes === 'number' && p.memoryBytes > 0) l.memoryBytes = p.memoryBytes;
    if (typeof p.maxDepth === 'number' && p.maxDepth > 0) l.maxDepth = p.maxDepth;
  }
  return l;
}
