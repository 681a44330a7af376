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

export function startWorker(entry: WorkerEntry, opts: WorkerOptions = {}): Worker {
  const file = builtWorker(entry);
  return file ? new Worker(file, opts) : startTsWorker(entry.source, opts);
}

/**
 * Starts a worker_thread on a TypeScript module. Sources run through tsx, and a worker does not
 * inherit the main thread's loader hooks: a tiny script registers tsx, then imports the module.
 */
export function startTsWorker(target: URL, opts: WorkerOptions = {}): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target.href)}); })`;
  return new Worker(boot, { ...opts, eval: true });
}
