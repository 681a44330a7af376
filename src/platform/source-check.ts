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

/**
 * Checks a function file before it is stored (CONTRACT §3 400s). It must parse as a CommonJS script,
 * and must contain a call of `listen` on the containerless module. The rule is static and by name:
 *  - `X.listen(…)` where X is a variable initialised or assigned with `require('containerless')`,
 *  - `require('containerless').listen(…)`,
 *  - `L(…)` where L was destructured from `require('containerless')` as `{ listen: L }` / `{ listen }`.
 * The call may be anywhere (inside an `if`, a function); the container still fails a request with a 500
 * if `listen` is not actually called when the file runs.
 */
export function checkSource(source: string): void {
  let ast: t.File;
  try {
    ast = parse(source, { sourceType: 'script', allowReturnOutsideFunction: true });
  } catch (err) {
    const e = err as Error & { loc?: { line: number; column: number } };
    if (e instanceof RangeError) throw new SourceError('the source is nested too deeply to parse (the parser ran out of stack)', 1, 1);
    const loc = e.loc ?? { line: 1, column: 0 };
    throw new SourceError(`syntax error: ${e.message.replace(/ \(\d+:\d+\)$/, '')}`, loc.line, loc.column + 1);
  }
  const modules = new Set<string>();
  const listens = new Set<string>();
  const calls: t.CallExpression[] = [];
  walk(ast.program, (node) => {
    if (node.type === 'VariableDeclarator' && isRequireContainerless(node.init)) bindPattern(node.id, modules, listens);
    else if (node.type === 'AssignmentExpression' && isRequireContainerless(node.right)) bindPattern(node.left, modules, listens);
    else if (node.type === 'CallExpression') calls.push(node);
  });
  const found = calls.some((c) => {
    const callee = c.callee;
    if (callee.type === 'Identifier') return listens.has(callee.name);
    if (callee.type !== 'MemberExpression' || !isName(callee.property, 'listen', callee.computed)) return false;
    return (callee.object.type === 'Identifier' && modules.has(callee.object.name)) || isRequireContainerless(callee.object);
  });
  if (!found) {
    throw new SourceError("the function never calls listen: expected a call such as containerless.listen(handler) on require('containerless')", 1, 1);
  }
}

function isName(node: t.Node, name: string, computed: boolean): boolean {
  return (!computed && node.type === 'Identifier' && node.name === name) || (node.type === 'StringLiteral' && node.value === name);
}

function isRequireContainerless(node: t.Node | null | undefined): boolean {
  return (
    !!node &&
    node.type === 'CallExpression' &&
    node.callee.type === 'Identifier' &&
    node.callee.name === 'require' &&
    node.arguments.length >= 1 &&
    node.arguments[0]!.type === 'StringLiteral' &&
    node.arguments[0]!.value === 'containerless'
  );
}

function bindPattern(id: t.Node, modules: Set<string>, listens: Set<string>): void {
  if (id.type === 'Identifier') modules.add(id.name);
  else if (id.type === 'ObjectPattern') {
    for (const p of id.properties) {
      if (p.type === 'ObjectProperty' && isName(p.key, 'listen', p.computed)) {
        const v = p.value.type === 'AssignmentPattern' ? p.value.left : p.value;
        if (v.type === 'Identifier') listens.add(v.name);
      }
    }
  }
}

/** A generic AST walk: Babel nodes are plain objects whose children are nodes or arrays of nodes. */
function walk(node: t.Node, visit: (n: t.Node) => void): void {
  visit(node);
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments' || key === 'extra') continue;
    const v = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c === 'object' && typeof (c as t.Node).type === 'string') walk(c as t.Node, visit);
    } else if (v && typeof v === 'object' && typeof (v as t.Node).type === 'string') walk(v as t.Node, visit);
  }
}
