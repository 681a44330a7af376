import type { CompiledProgram, Instance } from '../../accelerator/index.ts';
import type { Pool } from '../pool.ts';
import { addPaths, type Path, type Skeleton, type TraceTree } from '../../trace/index.ts';
import type { CallRecorder } from '../replay.ts';

/**
 * What acceleration keeps for ONE function version (a redeploy makes a new one, so a new version
 * never sees the old version's tree or compiled code). Paths are merged into the tree lazily: a
 * request only appends its path and updates the known-arms bitmap; the tree is materialised when it
 * is persisted, compiled or shown.
 */
export class FunctionAccel {
  /** Undefined when the source cannot be instrumented (then the function only runs in containers). */
  skeleton?: Skeleton;
  instrumented?: string;
  instrumentError?: string;

  private tree?: TraceTree;
  private pending: Path[] = [];
  private known?: Uint8Array;
  /** Bumped whenever a path reaches an arm no earlier path reached. */
  generation = 0;
  /** Paths merged or pending (the tree's `paths` once flushed). */
  paths = 0;
  unsaved = false;
  persistTimer?: NodeJS.Timeout;

  /** Paths of requests (not top-level runs) in the tree; a restored tree counts all of its paths. */
  requestPaths = 0;
  /** Traced requests since tracing (re)started, and how many in a row added nothing. */
  tracedRequests = 0;
  stableFor = 0;

  program?: CompiledProgram;
  code?: string;
  compiledAt?: number;
  /** The tree generation the loaded program was compiled from. */
  compiledGeneration = -1;
  instance?: Instance;
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

  tracedPool?: Pool;
  /** Log lines of accelerated attempts in flight (kept only if the attempt answers). */
  readonly accelLogs = new Map<string, string[]>();
  closed = false;

  constructor(readonly name: string, readonly version: number) {}

  setTree(skeleton: Skeleton, tree: TraceTree): void {
    this.skeleton = skeleton;
    this.tree = tree;
    this.pending = [];
    this.paths = tree.paths;
    this.requestPaths = tree.paths;
    this.known = new Uint8Array(skeleton.armCount);
    for (const [arm, n] of Object.entries(tree.counts)) if (n > 0) this.known[Number(arm)] = 1;
  }

  /** Adds one path (arms validated against the skeleton); true when it reached a new arm. */
  addPath(arms: readonly number[]): boolean {
    const known = this.known;
    if (!known) return false;
    let grew = false;
    for (const a of arms) {
      if (!Number.isInteger(a) || a < 0 || a >= known.length) throw new Error(`path has arm ${a}, skeleton has ${known.length} arms`);
      if (known[a] === 0) {
        known[a] = 1;
        grew = true;
      }
    }
    this.pending.push({ arms: [...arms] });
    this.paths++;
    this.unsaved = true;
    if (grew) this.generation++;
    return grew;
  }

  /** The tree with every path so far (materialised now if paths are pending). */
  currentTree(): TraceTree | undefined {
    if (this.tree && this.skeleton && this.pending.length > 0) {
      this.tree = addPaths(this.tree, this.skeleton, this.pending);
      this.pending = [];
    }
    return this.tree;
  }

  recordAttempt(aborted: boolean, windowSize: number): void {
    this.window.push(aborted);
    while (this.window.length > windowSize) this.window.shift();
  }

  abortRate(): number {
    return this.window.length === 0 ? 0 : this.window.filter(Boolean).length / this.window.length;
  }
}
