import { Worker, type WorkerOptions } from 'node:worker_threads';
import { builtFile } from '../sandbox/index.ts';

/**
 * One of the platform's worker threads: its TypeScript entry, and the name scripts/build.mjs gives
 * its file in dist/. A built process starts the built file; a process running the sources starts
 * the source through tsx (the accelerator's worker is bundled first: accel-workers.ts).
 */
export interface WorkerEntry {
  source: URL;
  built: string;
}

/** The worker's file in dist/ when this process runs the build, else undefined. */
export function builtWorker(entry: WorkerEntry): string | undefined {
  return builtFile(entry.built);
}

/**
 * The young generation of every platform worker's isolate, in MB (V8 splits it into semi-spaces of a
 * third each). V8's default lets it grow to 48 MB per isolate, and a worker that once allocated fast
 * keeps that committed: in the tenants bench the dispatcher's isolates held about 100 MB of empty
 * young space, a third of its memory. Smaller young spaces scavenge more often, each scavenge
 * shorter; CPU per request did not move (bench/RESULTS-tenants-history.md, session 15).
 */
export const WORKER_YOUNG_GENERATION_MB = 6;

/** `opts` with the platform's young-generation size unless it names its own. */
export function withWorkerLimits(opts: WorkerOptions): WorkerOptions {
  return { ...opts, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, ...opts.resourceLimits } };
}

/** A platform worker on a plain JavaScript file, with the platform's limits. */
export function newPlatformWorker(file: string, opts: WorkerOptions = {}): Worker {
  return new Worker(file, withWorkerLimits(opts));
}

export function startWorker(entry: WorkerEntry, opts: WorkerOptions = {}): Worker {
  const file = builtWorker(entry);
  return file ? newPlatformWorker(file, opts) : startTsWorker(entry.source, opts);
}

/**
 * Starts a worker_thread on a TypeScript module. Sources run through tsx, and a worker does not
 * inherit the main thread's loader hooks: a tiny script registers tsx, then imports the module.
 */
export function startTsWorker(target: URL, opts: WorkerOptions = {}): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target.href)}); })`;
  return new Worker(boot, withWorkerLimits({ ...opts, eval: true }));
}
