/**
 * The compile worker (runs in a worker_thread). Everything about a trace tree that costs CPU or an
 * fsync happens here, never on the dispatcher's event loop: materialising the tree from per-arm
 * counts, serialising and storing it, compiling and validating it (compile-tree.ts, the stage
 * `trace-run` runs too), and storing compiled code. The accelerator worker that loads compiled code
 * validates it again: nothing unvalidated ever runs, whatever this thread did.
 */
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { Store } from '../store/index.ts';
import { treeToJSON, type Skeleton } from '../trace/index.ts';
import { buildSkeleton } from '../tracer/index.ts';
import { compileTree, where } from './compile-tree.ts';
import { treeFromCounts } from './tree-from-counts.ts';

export interface TreeRef {
  /** The store's database file (the worker opens its own connection; SQLite WAL allows both). */
  dbPath: string;
  name: string;
  version: number;
  source: string;
  counts: Record<string, number>;
  paths: number;
}

export type WorkerJob =
  | ({ id: number; kind: 'compile' } & TreeRef)
  | ({ id: number; kind: 'persist-trace' } & TreeRef)
  | ({ id: number; kind: 'tree-json' } & TreeRef)
  | { id: number; kind: 'store-compiled'; dbPath: string; name: string; version: number; code: string };

export type CompileReply =
  | { id: number; ok: true; code: string; compileMs: number; validateMs: number; bytes: number }
  | { id: number; ok: false; stage: 'trace' | 'compile' | 'validate' | 'store'; message: string; line?: number; column?: number };

const skeletons = new Map<string, Skeleton>();
const stores = new Map<string, Store>();

function skeletonOf(source: string): Skeleton {
  let s = skeletons.get(source);
  if (!s) {
    if (skeletons.size > 64) skeletons.clear();
    skeletons.set(source, (s = buildSkeleton(source)));
  }
  return s;
}

function storeAt(dbPath: string): Store {
  let s = stores.get(dbPath);
  if (!s) stores.set(dbPath, (s = Store.open(dirname(dbPath))));
  return s;
}

function treeJson(ref: TreeRef): string {
  return treeToJSON(treeFromCounts(skeletonOf(ref.source), ref.counts, ref.paths));
}

export function runJob(job: WorkerJob): CompileReply {
  let stage: 'trace' | 'store' = 'trace';
  try {
    if (job.kind === 'store-compiled') {
      stage = 'store';
      storeAt(job.dbPath).setCompiled(job.name, job.version, job.code);
      return { id: job.id, ok: true, code: '', compileMs: 0, validateMs: 0, bytes: job.code.length };
    }
    const json = treeJson(job);
    // Shown, not stored (`GET …/trace` of a large source: materialising it is seconds of CPU).
    if (job.kind === 'tree-json') return { id: job.id, ok: true, code: json, compileMs: 0, validateMs: 0, bytes: json.length };
    stage = 'store';
    storeAt(job.dbPath).setTrace(job.name, job.version, json);
    if (job.kind === 'persist-trace') return { id: job.id, ok: true, code: '', compileMs: 0, validateMs: 0, bytes: json.length };
    // The tree is compiled as the store has it (parsed back), so what was stored is what ran; the
    // source's skeleton adds the arms no request reached (compiled generically).
    const c = compileTree(JSON.parse(json) as Parameters<typeof compileTree>[0], skeletonOf(job.source));
    if (!c.ok) return { id: job.id, ...c };
    return { id: job.id, ok: true, code: c.code, compileMs: c.compileMs, validateMs: c.validateMs, bytes: c.code.length };
  } catch (err) {
    return { id: job.id, ok: false, stage, message: err instanceof Error ? err.message : String(err), ...where(err) };
  }
}

parentPort?.on('message', (job: WorkerJob) => parentPort!.postMessage(runJob(job)));
