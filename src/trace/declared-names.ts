import type { Node as BabelNode } from '@babel/types';

/**
 * Names that a pruned subtree declared. When an arm becomes `Unknown` (or a node `Unsupported`), its
 * declarations would vanish with it, and a reference elsewhere could then resolve to an OUTER binding
 * of the same name (`function f(c) { if (c) { var x } return x }` would read a global `x`): a wrong
 * answer, not an abort. The compiler declares these names so such references stay local.
 */
export interface DeclaredNames {
  /** Function-scoped: `var` declarations anywhere in the subtree outside nested functions. */
  vars: string[];
  /**
   * Scoped to the statement list holding the node: its own let/const/class/function declaration, and
   * functions declared in nested blocks in sloppy mode (Annex B hoists them to the function too).
   * The compiler treats these as opaque bindings: any use aborts.
   */
  lexicals: string[];
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod', 'ClassMethod', 'ClassPrivateMethod']);

function patternNames(p: BabelNode | null | undefined, out: string[]): void {
  if (!p) return;
  switch (p.type) {
    case 'Identifier': out.push(p.name); break;
    case 'ObjectPattern': for (const prop of p.properties) patternNames(prop.type === 'RestElement' ? prop.argument : (prop.value as BabelNode), out); break;
    case 'ArrayPattern': for (const el of p.elements) patternNames(el, out); break;
    case 'AssignmentPattern': patternNames(p.left, out); break;
    case 'RestElement': patternNames(p.argument, out); break;
    default: break;
  }
}

function ownLexicals(node: BabelNode, out: string[]): void {
  if (node.type === 'VariableDeclaration' && node.kind !== 'var') for (const d of node.declarations) patternNames(d.id, out);
  else if ((node.type === 'ClassDeclaration' || node.type === 'FunctionDeclaration') && node.id) out.push(node.id.name);
}

export function declaredNames(node: BabelNode, strict: boolean): DeclaredNames {
  const vars: string[] = [];
  const lexicals: string[] = [];
  ownLexicals(node, lexicals);
  const walk = (n: unknown, top: boolean): void => {
    if (Array.isArray(n)) { for (const c of n) walk(c, false); return; }
    if (typeof n !== 'object' || n === null || typeof (n as { type?: unknown }).type !== 'string') return;
    const b = n as BabelNode;
    if (FUNCTION_TYPES.has(b.type)) {
      // Annex B: in sloppy mode a function declared in a nested block is also a var of the function.
      if (!top && !strict && b.type === 'FunctionDeclaration' && b.id) lexicals.push(b.id.name);
      return;
    }
    if (b.type === 'ClassDeclaration' || b.type === 'ClassExpression') return;
    if (b.type === 'VariableDeclaration' && b.kind === 'var') for (const d of b.declarations) patternNames(d.id, vars);
    for (const [key, child] of Object.entries(b)) {
      if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue;
      if (typeof child === 'object' && child !== null) walk(child, false);
    }
  };
  walk(node, true);
  return { vars: [...new Set(vars)], lexicals: [...new Set(lexicals)] };
}

/** Whether a function or program body starts with a 'use strict' directive. */
export function hasUseStrict(node: BabelNode): boolean {
  const body = node.type === 'Program' ? node : 'body' in node && (node.body as BabelNode | undefined)?.type === 'BlockStatement' ? (node.body as BabelNode) : undefined;
  const directives = body && 'directives' in body ? (body.directives as Array<{ value: { value: string } }>) : [];
  return directives.some((d) => d.value.value === 'use strict');
}
