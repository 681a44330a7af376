/**
 * The source worker (runs in a worker_thread): the deploy-time work on a large function source,
 * its check and its instrumentation (two Babel parses: seconds for a few MB), kept off the
 * dispatcher's event loop. See source-service.ts.
 */
import { parentPort } from 'node:worker_threads';
import { prepareSource, type PreparedSource } from './source-prep.ts';

export interface SourceJob {
  id: number;
  source: string;
}

/** `ready` once loaded (a job's time limit starts then, not while Babel loads), then one reply per job. */
export type SourceReply = { ready: true } | ({ id: number } & PreparedSource);

parentPort?.on('message', (job: SourceJob) => parentPort!.postMessage({ id: job.id, ...prepareSource(job.source) } satisfies SourceReply));
parentPort?.postMessage({ ready: true } satisfies SourceReply);
