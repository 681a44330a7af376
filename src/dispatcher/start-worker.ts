import { Worker, type WorkerOptions } from 'node:worker_threads';
import { builtFile } from '../sandbox/index.ts';

/**
 * The dispatcher's worker threads: each one's TypeScript entry, and its file in dist/ (the names
 * scripts/build.mjs gives them). A built process starts the built file; a process running the
 * sources starts the source through tsx (the accelerator's worker bundles it first: accel-workers.ts).
 */
export const WORKERS = {
  compile: { source: new URL('./compile-worker.ts', import.meta.url), built: 'compile-worker.js' },
  source: { source: new URL('./source-worker.ts', import.meta.url), built: 'source-worker.js' },
  accel: { source: new URL('./acceleration/accel-worker.ts', import.meta.url), built: 'accel-worker.js' },
} as const;

export type WorkerName = keyof typeof WORKERS;

/** The worker's file in dist/ when this process runs the build, else undefined. */
export function builtWorker(name: WorkerName): string | undefined {
  return builtFile(WORKERS[name].built);
}

export function startWorker(name: WorkerName, opts: WorkerOptions = {}): Worker {
  const file = builtWorker(name);
  return file ? new Worker(file, opts) : startTsWorker(WORKERS[name].source, opts);
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
