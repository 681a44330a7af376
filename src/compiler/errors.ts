import type { Pos } from './nodes.ts';

/** The tree cannot be compiled (a node the compiler does not know, malformed input). */
export class CompileError extends Error {
  constructor(message: string, readonly loc?: Pos) {
    super(loc ? `${message} at ${loc.line}:${loc.column}` : message);
    this.name = 'CompileError';
  }
}
