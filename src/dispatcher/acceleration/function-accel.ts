import type { Pool } from '../pool.ts';
import type { Skeleton, TraceTree } from '../../trace/index.ts';
import type { CallRecorder } from '../replay.ts';
import { treeFromCounts } from './tree-from-counts.ts';

/**
 * What acceleration keeps for ONE function version (a redeploy makes a new one, so a new version
 * never sees the old version's tree or compiled code). A request's path only bumps per-arm counters
 * here; the tree (the program materialised from the counts) is built by the compile worker when it
 * is persisted or compiled, and here only when it is shown.
 */
export class FunctionAccel {
  /** Undefined when the source cannot be instrumented (then the function only runs in containers). */
  skeleton?: Skeleton;
  instrumented?: string;
  instrumentError?: string;

  private counts?: Uint32Array;
  /** Bumped whenever a path reaches an arm no earlier path reached. */
  generation = 0;
  /** Paths merged or pending (the tree's `paths` once flushed). */
  paths = 0;
  /** `paths` when the tree was last written to the store. */
  savedPaths = 0;
  persistTimer?: NodeJS.Timeout;

  /** Paths of requests (not top-level runs) in the tree; a restored tree counts all of its paths. */
  requestPaths = 0;
  /** Traced requests since tracing (re)started, and how many in a row added nothing. */
  tracedRequests = 0;
  stableFor = 0;

  /** The runner's key of the loaded compiled code that serves requests (accel-runner.ts). */
  key?: string;
  /** Compiled programs loaded so far: the next key's suffix. */
  loads = 0;
  code?: string;
  compiledAt?: number;
  /** The tree generation the loaded program was compiled from. */
  compiledGeneration = -1;
  recorder?: CallRecorder;
  compileError?: string;
  /** The generation a compile last failed on: retried only once the tree grows. */
  failedGeneration = -1;
  /** Serialises compiles of this function; `compileWanted` coalesces requests for one. */
  chain: Promise<unknown> = Promise.resolve();
  compileQueued = false;
  recompileTimer?: NodeJS.Timeout;

  /** Outcomes of the last accelerated attempts, true = aborted (the demotion window). */
  window: boolean[] = [];
  demotedAt?: number;
  requestsSinceDemotion = 0;
  /** Falls back to containers after failed compiles since the last good one: backs off the retry. */
  failedFallbacks = 0;

  tracedPool?: Pool;
  closed = false;

  constructor(readonly name: string, readonly version: number, readonly source: string) {}

  setTree(skeleton: Skeleton, tree: Pick<TraceTree, 'paths' | 'counts'>): void {
    this.skeleton = skeleton;
    this.paths = tree.paths;
    this.savedPaths = tree.paths;
    this.requestPaths = tree.paths;
    this.counts = new Uint32Array(skeleton.armCount);
    for (const [arm, n] of Object.entries(tree.counts)) if (Number(arm) < skeleton.armCount) this.counts[Number(arm)] = n;
  }

  /** Adds one path (arms validated against the skeleton); true when it reached a new arm. */
  addPath(arms: readonly number[]): boolean {
    const counts = this.counts;
    if (!counts) return false;
    for (const a of arms) if (!Number.isInteger(a) || a < 0 || a >= counts.length) throw new Error(`path has arm ${a}, skeleton has ${counts.length} arms`);
    let grew = false;
    for (const a of arms) {
      if (counts[a] === 0) grew = true;
      counts[a]!++;
    }
    this.paths++;
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

  recordAttempt(aborted: boolean, windowSize: number): void {
    this.window.push(aborted);
    while (this.window.length > windowSize) this.window.shift();
  }

  abortRate(): number {
    return this.window.length === 0 ? 0 : this.window.filter(Boolean).length / this.window.length;
  }
}
