import { materialize, TRACE_FORMAT, TRACE_VERSION, type Skeleton, type TraceTree } from '../trace/index.ts';

/**
 * The trace tree of a skeleton and per-arm hit counts: what `addPaths` builds from paths, built from
 * the counts the dispatcher keeps instead (a request only bumps counters; materialising the program
 * is left to the compile worker, or to `GET …/trace`).
 */
export function treeFromCounts(skeleton: Skeleton, counts: Readonly<Record<string, number>>, paths: number): TraceTree {
  const sorted: Record<string, number> = {};
  for (const k of Object.keys(counts).map(Number).sort((a, b) => a - b)) if (counts[k]! > 0) sorted[k] = counts[k]!;
  return { format: TRACE_FORMAT, version: TRACE_VERSION, source_sha256: skeleton.sha256, paths, counts: sorted, program: materialize(skeleton, sorted) };
}
