/**
 * compiler: trace tree → JavaScript in a small fixed subset (docs/compiled-code.md) → validated.
 * Passes, one module each: scope.ts (resolution, renaming, TDZ), types.ts (numeric locals),
 * codegen.ts with emit-*.ts (statements, expressions, patterns, functions). validator.ts is the
 * separate acorn-based check that nothing outside the grammar is ever loaded (DESIGN invariant 1).
 * Depends only on src/trace's types.
 */
export { compile, type CompileResult, type CompileStats } from './compile.ts';
export { CompileError } from './errors.ts';
export { validate, ValidationError } from './validator.ts';
export { RT_OPS } from './rt-ops.ts';
