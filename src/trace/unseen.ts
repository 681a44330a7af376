import { materializeFull } from './materialize.ts';
import { TraceMismatchError } from './tree.ts';
import type { Skeleton, TraceTree } from './types.ts';

/**
 * The tree the compiler compiles: the stored tree's hit counts over the whole program, so arms no
 * request reached are compiled too (generic code: they carry `hits: 0`) instead of aborting with
 * `unknown-path`. The stored tree stays pruned: this view is rebuilt from the source at each compile.
 */
export function withUnseenArms(tree: TraceTree, skeleton: Skeleton): TraceTree {
  if (tree.source_sha256 !== skeleton.sha256) throw new TraceMismatchError(`trace tree is for source ${tree.source_sha256.slice(0, 12)}…, skeleton for ${skeleton.sha256.slice(0, 12)}…`);
  return { ...tree, program: materializeFull(skeleton, tree.counts) };
}
