import { parse } from '@babel/parser';
import type * as t from '@babel/types';

/** Why a source is refused at deploy time; `line` and `column` are 1-based. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

export interface ParsedSource {
  ast: t.File;
  /** An ES module: it has `import`/`export` declarations or `import.meta` (CONTRACT §1b: its syntax says so). */
  module: boolean;
}

/**
 * Parses a function file as what its syntax says it is: a CommonJS script (run as a function body,
 * so a top-level `return` is allowed) or an ES module. Throws SourceError with the position of a
 * syntax error.
 */
export function parseSource(source: string): ParsedSource {
  let ast: t.File;
  try {
    ast = parse(source, { sourceType: 'unambiguous', allowReturnOutsideFunction: true });
  } catch (err) {
    const e = err as Error & { loc?: { line: number; column: number } };
    if (e instanceof RangeError) throw new SourceError('the source is nested too deeply to parse (the parser ran out of stack)', 1, 1);
    const loc = e.loc ?? { line: 1, column: 0 };
    throw new SourceError(`syntax error: ${e.message.replace(/ \(\d+:\d+\)$/, '')}`, loc.line, loc.column + 1);
  }
  const module = ast.program.sourceType === 'module';
  if (module) {
    // Babel accepts `return` at a module's top level with allowReturnOutsideFunction; Node does not.
    const ret = ast.program.body.find((s) => s.type === 'ReturnStatement');
    if (ret) throw new SourceError("syntax error: 'return' outside of function (an ES module has no top-level return)", ret.loc!.start.line, ret.loc!.start.column + 1);
  }
  return { ast, module };
}

/** A generic AST walk: Babel nodes are plain objects whose children are nodes or arrays of nodes. */
export function walk(node: t.Node, visit: (n: t.Node, parent: t.Node | undefined) => boolean | void, parent?: t.Node): void {
  if (visit(node, parent) === false) return;
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments' || key === 'extra') continue;
    const v = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c === 'object' && typeof (c as t.Node).type === 'string') walk(c as t.Node, visit, node);
    } else if (v && typeof v === 'object' && typeof (v as t.Node).type === 'string') walk(v as t.Node, visit, node);
  }
}
