import type * as t from '@babel/types';

const NAMING_ASSIGN = new Set(['=', '&&=', '||=', '??=']);

export function isAnonymousDefinition(node: t.Node): boolean {
  return (node.type === 'FunctionExpression' || node.type === 'ClassExpression') ? !node.id : node.type === 'ArrowFunctionExpression';
}

/** The name of a property key as JavaScript computes it, or null when it is computed at run time. */
export function staticKeyName(key: t.Node, computed: boolean): string | null {
  if (computed) return key.type === 'StringLiteral' ? key.value : key.type === 'NumericLiteral' ? String(key.value) : null;
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'NumericLiteral') return String(key.value);
  if (key.type === 'BigIntLiteral') return String(BigInt(key.value));
  return null;
}

/**
 * The name an anonymous function or class gets from its position (ECMAScript NamedEvaluation):
 * a string when static, null when computed at run time, undefined when the position gives no name.
 * Wrapping such a node in `(marker, node)` would lose the name, so wrapping keeps it explicitly.
 */
export function namedEvaluationName(node: t.Node, parent: t.Node, key: string): string | null | undefined {
  if (!isAnonymousDefinition(node)) return undefined;
  if (parent.type === 'VariableDeclarator' && key === 'init' && parent.id.type === 'Identifier') return parent.id.name;
  if (parent.type === 'AssignmentExpression' && key === 'right' && NAMING_ASSIGN.has(parent.operator) && parent.left.type === 'Identifier') return parent.left.name;
  if (parent.type === 'AssignmentPattern' && key === 'right' && parent.left.type === 'Identifier') return parent.left.name;
  if (parent.type === 'ObjectProperty' && key === 'value') {
    const name = staticKeyName(parent.key, parent.computed);
    // `__proto__: value` sets the prototype and names nothing.
    return !parent.computed && name === '__proto__' ? undefined : name;
  }
  return undefined;
}
