import { materialize } from './materialize.ts';
import { TRACE_FORMAT, TRACE_VERSION, type Path, type Skeleton, type TraceNode, type TraceTree } from './types.ts';

export class TraceMismatchError extends Error {
  override name = 'TraceMismatchError';
}

function build(skeleton: Skeleton, paths: number, counts: Record<string, number>): TraceTree {
  return { format: TRACE_FORMAT, version: TRACE_VERSION, source_sha256: skeleton.sha256, paths, counts, program: materialize(skeleton, counts) };
}

function checkSource(tree: TraceTree, skeleton: Skeleton): void {
  if (tree.source_sha256 !== skeleton.sha256) throw new TraceMismatchError(`trace tree is for source ${tree.source_sha256.slice(0, 12)}…, skeleton for ${skeleton.sha256.slice(0, 12)}…`);
}

/** Counts with keys in ascending arm order (so equal trees serialise identically). */
function sortedCounts(entries: Iterable<[number, number]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [arm, n] of [...entries].sort((a, b) => a[0] - b[0])) if (n > 0) out[arm] = n;
  return out;
}

/** The tree of no paths: every arm unknown, the program included. */
export function emptyTree(skeleton: Skeleton): TraceTree {
  return build(skeleton, 0, {});
}

/** The tree with more paths added (a new tree; the argument is not changed). */
export function addPaths(tree: TraceTree, skeleton: Skeleton, paths: readonly Path[]): TraceTree {
  checkSource(tree, skeleton);
  const counts = new Map<number, number>(Object.entries(tree.counts).map(([k, v]) => [Number(k), v]));
  for (const path of paths) {
    let previous = -1;
    for (const arm of path.arms) {
      if (!Number.isInteger(arm) || arm < 0 || arm >= skeleton.armCount) throw new TraceMismatchError(`path has arm ${arm}, skeleton has ${skeleton.armCount} arms`);
      // A path is a set: a repeated arm would count twice.
      if (arm <= previous) throw new TraceMismatchError('path arms must be sorted and unique');
      previous = arm;
      counts.set(arm, (counts.get(arm) ?? 0) + 1);
    }
  }
  return build(skeleton, tree.paths + paths.length, sortedCounts(counts));
}

export function addPath(tree: TraceTree, skeleton: Skeleton, path: Path): TraceTree {
  return addPaths(tree, skeleton, [path]);
}

/** The tree of both trees' paths: counts added. Associative and commutative. */
export function mergeTrees(a: TraceTree, b: TraceTree, skeleton: Skeleton): TraceTree {
  checkSource(a, skeleton);
  checkSource(b, skeleton);
  const counts = new Map<number, number>();
  for (const t of [a, b]) for (const [k, v] of Object.entries(t.counts)) counts.set(Number(k), (counts.get(Number(k)) ?? 0) + v);
  return build(skeleton, a.paths + b.paths, sortedCounts(counts));
}

/** Number of nodes in the materialised program (Unknown and Unsupported count as one each). */
export function treeSize(tree: TraceTree): number {
  let n = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      if (typeof (v as TraceNode).type === 'string') n++;
      for (const [k, child] of Object.entries(v)) if (k !== 'loc' && k !== 'extra') walk(child);
    }
  };
  walk(tree.program);
  return n;
}
