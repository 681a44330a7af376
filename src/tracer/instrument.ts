import type { Skeleton } from '../trace/index.ts';
import { analyze, MARKER_BINDING } from './analyze.ts';
import { renameIdentifier } from './rename.ts';
import { applyEdits } from './splice.ts';

export interface Instrumented {
  /** The function file with `$__cl.p[ARM] = 1` at the start of every arm; run it with the recorder's binding. */
  code: string;
  skeleton: Skeleton;
}

/** The skeleton of a function file: its arms, functions and unsupported nodes (see docs/trace-format.md). */
export function buildSkeleton(source: string): Skeleton {
  return analyze(source).skeleton;
}

/**
 * Source-to-source instrumentation by splicing markers in at node offsets: the user's code stays
 * byte-identical between markers and lines do not move (columns do). Throws TraceParseError.
 */
export function instrument(source: string): Instrumented {
  const { skeleton, edits } = analyze(source);
  if (source.includes(MARKER_BINDING)) {
    let fresh = `${MARKER_BINDING}_user`;
    for (let n = 1; source.includes(fresh); n++) fresh = `${MARKER_BINDING}_user${n}`;
    edits.push(...renameIdentifier(skeleton.ast.program, MARKER_BINDING, fresh));
  }
  return { code: applyEdits(source, edits), skeleton };
}
