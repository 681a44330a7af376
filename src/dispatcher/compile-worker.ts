/**
 * The compile worker (runs in a worker_thread): trace tree JSON → compiled code → validated. Compiling
 * is CPU work of tens of milliseconds or more, and compiled code shares the dispatcher's event loop
 * with every request, so it never runs on the main thread. The main thread loads the result with
 * `loadCompiled`, which validates it again: nothing unvalidated ever runs, whatever this thread did.
 */
import { parentPort } from 'node:worker_threads';
import { compile, validate } from '../compiler/index.ts';
import { treeFromJSON } from '../trace/index.ts';

export interface CompileJob {
  id: number;
  treeJson: string;
}

export type CompileReply =
  | { id: number; ok: true; code: string; compileMs: number; validateMs: number; bytes: number }
  | { id: number; ok: false; stage: 'trace' | 'compile' | 'validate'; message: string; line?: number; column?: number };

function where(err: unknown): { line?: number; column?: number } {
  const e = err as { line?: unknown; column?: unknown; loc?: { line?: unknown; column?: unknown } };
  const line = typeof e?.line === 'number' ? e.line : typeof e?.loc?.line === 'number' ? e.loc.line : undefined;
  const column = typeof e?.column === 'number' ? e.column : typeof e?.loc?.column === 'number' ? e.loc.column : undefined;
  return { line, column };
}

export function runJob(job: CompileJob): CompileReply {
  let stage: 'trace' | 'compile' | 'validate' = 'trace';
  try {
    const tree = treeFromJSON(job.treeJson);
    stage = 'compile';
    const t0 = performance.now();
    const { code } = compile(tree);
    const compileMs = performance.now() - t0;
    stage = 'validate';
    const t1 = performance.now();
    validate(code);
    return { id: job.id, ok: true, code, compileMs, validateMs: performance.now() - t1, bytes: code.length };
  } catch (err) {
    return { id: job.id, ok: false, stage, message: err instanceof Error ? err.message : String(err), ...where(err) };
  }
}

parentPort?.on('message', (job: CompileJob) => parentPort!.postMessage(runJob(job)));
