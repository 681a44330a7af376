import { compile, type CompileStats } from '../compiler/index.ts';
import { validate } from '../subset/index.ts';
import { withUnseenArms, type Skeleton, type TraceTree } from '../trace/index.ts';

export type CompiledTree =
  | { ok: true; code: string; stats: CompileStats; compileMs: number; validateMs: number }
  | { ok: false; stage: 'compile' | 'validate'; message: string; line?: number; column?: number };

/**
 * The compile stage of the pipeline, the one the platform's compile worker and `trace-run` both
 * run: a trace tree to code the validator accepts (never code it refuses), with the time each step
 * took. Errors come back as values with their stage and, where known, the source line and column.
 * With the source's skeleton, arms no request reached are compiled too (generic code, src/trace/
 * unseen.ts); without it (older callers, measurements of the pruned behaviour) they abort with
 * `unknown-path` as before.
 */
export function compileTree(tree: TraceTree, skeleton?: Skeleton): CompiledTree {
  let stage: 'compile' | 'validate' = 'compile';
  try {
    const t0 = performance.now();
    const { code, stats } = compile(skeleton ? withUnseenArms(tree, skeleton) : tree);
    const compileMs = performance.now() - t0;
    stage = 'validate';
    const t1 = performance.now();
    validate(code);
    return { ok: true, code, stats, compileMs, validateMs: performance.now() - t1 };
  } catch (err) {
    return { ok: false, stage, message: err instanceof Error ? err.message : String(err), ...where(err) };
  }
}

/** An error's source position: compiler errors carry `line`/`column`, parser errors `loc`. */
export function where(err: unknown): { line?: number; column?: number } {
  const e = err as { line?: unknown; column?: unknown; loc?: { line?: unknown; column?: unknown } };
  const line = typeof e?.line === 'number' ? e.line : typeof e?.loc?.line === 'number' ? e.loc.line : undefined;
  const column = typeof e?.column === 'number' ? e.column : typeof e?.loc?.column === 'number' ? e.loc.column : undefined;
  const out: { line?: number; column?: number } = {};
  if (line !== undefined) out.line = line;
  if (column !== undefined) out.column = column;
  return out;
}
