import type { Node } from 'acorn';

/** Compiled code outside the grammar of docs/compiled-code.md, at the place where it leaves it. */
export class ValidationError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(`${message} at ${line}:${column}`);
    this.name = 'ValidationError';
  }
}

export function fail(node: Node | null | undefined, why: string): never {
  throw new ValidationError(why, node?.loc?.start.line ?? 0, node?.loc?.start.column ?? 0);
}
