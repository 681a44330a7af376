import { getHeapStatistics } from 'node:v8';

/**
 * Limits (DESIGN invariant 3). Compiled code shares the dispatcher's event loop, so the default fuel
 * is a few milliseconds of work: one unit is a loop iteration or a call of compiled code, or library
 * work of about that size (builtins/costs.ts; measured figures in docs/accelerator.md), so 1e6 units
 * is roughly 2–20 ms. Longer computations abort with `fuel` and are re-executed in a container.
 *
 * Memory is charged on allocation and never refunded (retention cannot be observed in a shared heap):
 * against the request's cap and against the instance's budget, which the top level and every request
 * of the instance share (globals live as long as the instance). When the budget is nearly spent, the
 * isolate's whole heap in use bounds what the instance can have kept: a budget renewed from it
 * (instance.ts, renew) spares rebuilding the globals while the isolate holds little.
 */
export interface Limits {
  /** Back edges + calls + builtin work units, per request (the top-level run gets TOP_LEVEL_FUEL_FACTOR times this: instance.ts). */
  fuel: number;
  /**
   * Bytes one request (or the top-level run) may allocate. It bounds what a request can make the
   * dispatcher do for bytes it allocates (flattening ropes, hashing keys, garbage collection) whatever
   * the instance budget is.
   */
  memoryBytes: number;
  /**
   * Bytes all allocations of one instance (top level and every request, cumulated) may reach: the
   * function's `memory_mb`. Over it the request aborts with `memory`; near it (`worn`) the instance
   * is replaced between requests.
   */
  instanceMemoryBytes: number;
  /** Nested calls of compiled functions. */
  maxDepth: number;
}

export const MIB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  fuel: 1_000_000,
  memoryBytes: 32 * MIB,
  instanceMemoryBytes: 128 * MIB,
  maxDepth: 1500,
});

export function resolveLimits(...parts: (Partial<Limits> | undefined)[]): Limits {
  const l: Limits = { ...DEFAULT_LIMITS };
  for (const p of parts) {
    if (!p) continue;
    if (typeof p.fuel === 'number' && p.fuel > 0) l.fuel = p.fuel;
    if (typeof p.memoryBytes === 'number' && p.memoryBytes > 0) l.memoryBytes = p.memoryBytes;
    if (typeof p.instanceMemoryBytes === 'number' && p.instanceMemoryBytes > 0) l.instanceMemoryBytes = p.instanceMemoryBytes;
    if (typeof p.maxDepth === 'number' && p.maxDepth > 0) l.maxDepth = p.maxDepth;
  }
  return l;
}

/**
 * Bytes this isolate holds now: its heap in use (live objects and garbage not yet collected) and the
 * memory held outside it (array buffers). Whatever one instance here retains is part of it, so an
 * instance's budget renewed to `instanceMemoryBytes` minus this never lets it retain more than the
 * budget (instance.ts, renew).
 */
export function isolateBytesInUse(): number {
  const s = getHeapStatistics();
  return s.used_heap_size + s.external_memory;
}

/**
 * An instance is worn when what is left of its budget is less than one request may allocate (or half
 * the budget, when a request may allocate more than that): the next request could then abort with
 * `memory` only because earlier ones allocated, so the caller replaces the instance first.
 */
export function wornThreshold(l: Limits): number {
  return Math.min(l.memoryBytes, l.instanceMemoryBytes / 2);
}
