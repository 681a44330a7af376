import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker_thread on a TypeScript module. Sources run through tsx, and a worker does not
 * inherit the main thread's loader hooks: a tiny script registers tsx, then imports the module.
 */
export function startTsWorker(target: URL, opts: WorkerOptions = {}): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target.href)}); })`;
  return new Worker(boot, { ...opts, eval: true });
}
