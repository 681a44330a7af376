import { totalmem } from 'node:os';
import { DEFAULT_CONFIG } from './config.ts';

/**
 * One memory budget for the platform (`serve --memory`): containers and accelerated programs share
 * it. Containers are charged their memory limit (`memory_mb`) in the Capacity; compiled programs,
 * about half a megabyte each when idle, get a tenth of the budget as a count of programs kept loaded
 * (resident-runner.ts), the least recently used unloaded past it. By default the budget is half
 * the machine's memory, leaving the rest to the dispatcher, the operating system and neighbours.
 */
export const MEMORY_DEFAULTS = {
  /** Fraction of the machine's memory the platform may use. */
  machineShare: 0.5,
  /** Fraction of the budget kept for compiled programs. */
  programShare: 0.1,
  /** What an idle loaded program may cost: about 0.2 MB measured (bench/RESULTS-idle-program.md), counted high. */
  programMb: 0.5,
} as const;

export interface MemoryBudget {
  totalMb: number;
  /** What containers' memory limits may add up to. */
  containersMb: number;
  /** Containers at once, whatever their limits: the operator's, else the larger of 64 and what `containersMb` holds of default-sized ones. */
  maxContainers: number;
  /** Compiled programs kept loaded at once. */
  maxResident: number;
}

/** The container count below which the default never goes (each container costs the dispatcher a little, whatever its limit). */
export const MIN_DEFAULT_MAX_CONTAINERS = 64;

/**
 * A fixed count of 64 on a machine whose budget holds more of them made the count, not memory,
 * the bound: 80 functions, each with a container of its own, took turns evicting one another (the
 * tenants bench, 855 evictions and p99 1.35 s; with the count from memory none, and p99 0.33 s).
 */
export function memoryBudget(o: { memoryMb?: number; maxResident?: number; maxContainers?: number } = {}): MemoryBudget {
  const totalMb = o.memoryMb ?? Math.floor((totalmem() / (1024 * 1024)) * MEMORY_DEFAULTS.machineShare);
  const programsMb = o.maxResident !== undefined ? o.maxResident * MEMORY_DEFAULTS.programMb : totalMb * MEMORY_DEFAULTS.programShare;
  const containersMb = Math.max(0, totalMb - programsMb);
  return {
    totalMb,
    containersMb,
    maxContainers: o.maxContainers ?? Math.max(MIN_DEFAULT_MAX_CONTAINERS, Math.floor(containersMb / DEFAULT_CONFIG.memory_mb)),
    maxResident: o.maxResident ?? Math.max(1, Math.floor(programsMb / MEMORY_DEFAULTS.programMb)),
  };
}
