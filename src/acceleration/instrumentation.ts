import type { Skeleton } from '../trace/index.ts';
import { buildSkeleton, instrument } from '../tracer/index.ts';

/**
 * The tracer's output for a function version, as the dispatcher keeps it: the instrumented code and
 * a skeleton, or why the source cannot be traced (it then runs in containers only).
 */
export type Instrumentation = { code: string; skeleton: Skeleton } | { error: string };

/** What crosses the thread boundary: the skeleton's AST stays behind (see `lightInstrument`). */
export type LightInstrumentation = { code: string; sha256: string; armCount: number } | { error: string };

/**
 * Instruments a source and keeps what the dispatcher needs at run time: the code, the skeleton's hash
 * and arm count. The Babel AST (several hundred MB for a 5 MB source) is dropped; `toInstrumentation`
 * rebuilds it only if something asks for it (materialising a tree on this thread).
 */
export function lightInstrument(source: string): LightInstrumentation {
  try {
    const { code, skeleton } = instrument(source);
    return { code, sha256: skeleton.sha256, armCount: skeleton.armCount };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

export function toInstrumentation(source: string, light: LightInstrumentation): Instrumentation {
  return 'error' in light ? light : { code: light.code, skeleton: lazySkeleton(source, light.sha256, light.armCount) };
}

/**
 * A skeleton whose hash and arm count are known and whose AST and tables are built on first use.
 * Tracing only needs the arm count (requests bump per-arm counters) and the hash (to match a stored
 * tree); the compile worker builds its own skeleton. The dispatcher reaches the AST only to show or
 * persist a materialised tree on its own thread (`GET …/trace`, shutdown).
 */
function lazySkeleton(source: string, sha256: string, armCount: number): Skeleton {
  let full: Skeleton | undefined;
  const get = (): Skeleton => {
    if (!full) {
      full = buildSkeleton(source);
      // Deterministic by construction (docs/trace-format.md); a difference would misnumber every path.
      if (full.sha256 !== sha256 || full.armCount !== armCount) throw new Error('the skeleton built again differs from the one the source was instrumented with');
    }
    return full;
  };
  return {
    source,
    sha256,
    armCount,
    get ast() {
      return get().ast;
    },
    get arms() {
      return get().arms;
    },
    get functions() {
      return get().functions;
    },
    get unsupported() {
      return get().unsupported;
    },
    get armRoots() {
      return get().armRoots;
    },
    get unsupportedNodes() {
      return get().unsupportedNodes;
    },
    get functionNodes() {
      return get().functionNodes;
    },
  };
}
