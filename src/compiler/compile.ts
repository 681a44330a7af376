/**
 * compile(tree) → { code, stats }: runs the passes in order on a copy of the tree's program.
 *   1. scope resolution (resolve-scopes.ts) — bindings, unique names, TDZ decisions
 *   2. numeric inference (types.ts)         — locals that only ever hold numbers (native arithmetic)
 *   3. code generation (codegen.ts)         — the fixed subset of docs/compiled-code.md
 * The output is checked by src/subset's validate() before anything loads it.
 */
import type { TraceTree } from '../trace/types.ts';
import { generate, type CodegenStats } from './codegen.ts';
import { CompileError } from './errors.ts';
import type { N } from './nodes.ts';
import { resolveScopes } from './resolve-scopes.ts';
import { inferNumeric } from './types.ts';

export interface CompileStats extends CodegenStats {
  bytes: number;
  ms: number;
}

export interface CompileResult {
  code: string;
  stats: CompileStats;
}

/** Accepts a TraceTree, or (for tests and tools) a bare Program node or `{ program }`. */
export function compile(tree: TraceTree | { program: unknown } | N): CompileResult {
  const t0 = performance.now();
  const root = (tree && typeof tree === 'object' && 'program' in tree ? (tree as { program: unknown }).program : tree) as N;
  if (!root || typeof root !== 'object' || (root.type !== 'Program' && root.type !== 'File')) throw new CompileError('compile: expected a trace tree with a Program');
  const program = structuredClone(root.type === 'File' ? (root.program as N) : root) as N;
  const scopes = resolveScopes(program);
  inferNumeric(program, scopes);
  const { code, stats } = generate(program, scopes);
  return { code, stats: { ...stats, bytes: code.length, ms: performance.now() - t0 } };
}
