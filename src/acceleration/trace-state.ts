import type { Skeleton, TraceTree } from '../trace/index.ts';
import { treeFromCounts } from './tree-from-counts.ts';

/**
 * The trace of ONE function version (a redeploy makes a new one, so a new version never sees the old
 * version's tree). A request's path only bumps per-arm counters here; the tree (the program
 * materialised from the counts) is built by the compile worker when it is persisted or compiled, and
 * here only when it is shown or at shutdown.
 */
export class TraceState {
  /** Undefined when the source cannot be instrumented (then the version only runs in containers). */
  skeleton?: Skeleton;
  instrumented?: string;
  instrumentError?: string;
  private counts?: Uint32Array;
  /** Bumped whenever a path reaches an arm no earlier path reached. */
  generation = 0;
  /** Paths merged (the tree's `paths`). */
  paths = 0;
  /** `paths` when the tree was last written to the store. */
  savedPaths = 0;
  /** Paths of requests (not top-level runs) in the tree; a restored tree counts all of its paths. */
  requestPaths = 0;

  setTree(skeleton: Skeleton, instrumented: string, tree: Pick<TraceTree, 'paths' | 'counts'>): void {
    this.skeleton = skeleton;
    this.instrumented = instrumented;
    this.paths = tree.paths;
    this.savedPaths = tree.paths;
    this.requestPaths = tree.paths;
    this.counts = new Uint32Array(skeleton.armCount);
    for (const [arm, n] of Object.entries(tree.counts)) if (Number(arm) < skeleton.armCount) this.counts[Number(arm)] = n;
  }

  /** Adds one path (arms validated against the skeleton); true when it reached a new arm. */
  addPath(arms: readonly number[], init: boolean): boolean {
    const counts = this.counts;
    if (!counts) return false;
    for (const a of arms) if (!Number.isInteger(a) || a < 0 || a >= counts.length) throw new Error(`path has arm ${a}, skeleton has ${counts.length} arms`);
    let grew = false;
    for (const a of arms) {
      if (counts[a] === 0) grew = true;
      counts[a]!++;
    }
    this.paths++;
    if (!init) this.requestPaths++;
    if (grew) this.generation++;
    return grew;
  }

  /** The counts as the tree format keeps them (arms with hits only), for the worker or the store. */
  countsRecord(): Record<string, number> {
    const out: Record<string, number> = {};
    if (this.counts) for (let a = 0; a < this.counts.length; a++) if (this.counts[a]! > 0) out[a] = this.counts[a]!;
    return out;
  }

  /** The tree with every path so far, materialised now (for `GET …/trace` and shutdown). */
  currentTree(): TraceTree | undefined {
    return this.skeleton ? treeFromCounts(this.skeleton, this.countsRecord(), this.paths) : undefined;
  }
}
