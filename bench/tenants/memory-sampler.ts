/**
 * The bench's memory sampler, in a worker thread: one scan of /proc (every process's stat, then each
 * tree member's smaps_rollup) takes 10–40 ms of synchronous work on this machine, and on the load
 * generator's own thread it delayed the answers that arrived meanwhile, a few every second: enough
 * to move a p99. Posts one sample per interval to the parent, and the tree's CPU usage when asked
 * (`'cpu'`: the start of the second half).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sampleUsage, treeMemory } from '../accel-proc.ts';

const { root, intervalMs, t0 } = workerData as { root: number; intervalMs: number; t0: number };

const sample = () => parentPort!.postMessage({ at: (performance.timeOrigin + performance.now() - t0) / 1000, ...treeMemory(root) });
sample();
setInterval(sample, intervalMs);
parentPort!.on('message', (m: unknown) => {
  if (m === 'cpu') parentPort!.postMessage({ cpu: sampleUsage(root) });
});
