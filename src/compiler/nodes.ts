/**
 * The compiler's view of trace-tree nodes: Babel AST JSON plus `Unknown` and `Unsupported`
 * (src/trace/types.ts). Nodes are read loosely because they come from JSON; every pass checks `type`.
 */
import type { TraceNode } from '../trace/types.ts';

export type N = TraceNode & { [field: string]: any };

export interface Pos {
  line: number;
  column: number;
}

/** `loc` may be the trace format's `{ line, column }` or Babel's `{ start: { line, column } }`. */
export function posOf(node: N | undefined | null): Pos {
  const loc = node?.loc as unknown;
  if (loc && typeof loc === 'object') {
    const l = loc as { line?: unknown; column?: unknown; start?: { line?: unknown; column?: unknown } };
    if (typeof l.line === 'number') return { line: l.line, column: typeof l.column === 'number' ? l.column : 0 };
    if (l.start && typeof l.start.line === 'number') return { line: l.start.line, column: typeof l.start.column === 'number' ? l.start.column : 0 };
  }
  return { line: 0, column: 0 };
}

export const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod', 'ClassMethod', 'ClassPrivateMethod']);

export function isFunction(n: N | null | undefined): boolean {
  return !!n && FUNCTION_TYPES.has(n.type);
}

/** Whether a program or function body starts with the directive "use strict". */
export function hasUseStrict(body: N | null | undefined): boolean {
  const ds = body && Array.isArray(body.directives) ? (body.directives as N[]) : [];
  return ds.some((d) => d.value && d.value.value === 'use strict');
}
