/**
 * compiler: trace tree → JavaScript in the small fixed subset of docs/compiled-code.md.
 * Passes, one module each: resolve-scopes.ts (resolution, renaming, TDZ; its result's types in
 * scope.ts), types.ts (numeric locals), codegen.ts with emit-*.ts (statements, expressions,
 * patterns, functions). It does not check its own output: src/subset's validator does, wherever the
 * code is loaded (DESIGN invariant 1). Depends on src/trace's types and on src/subset, for the
 * runtime operations and the texts of the guarded forms it emits.
 */
export { compile, type CompileResult, type CompileStats } from './compile.ts';
export { CompileError } from './errors.ts';
