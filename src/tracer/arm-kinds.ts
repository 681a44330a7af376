import type * as t from '@babel/types';
import type { ArmKind } from '../trace/index.ts';

export const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);
/** Node types of functions that can be supported (their async, generator, getter and setter forms are not: unsupported.ts). */
export const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod', 'ClassMethod', 'ClassPrivateMethod']);
const LOGICAL_ASSIGN = new Set(['&&=', '||=', '??=']);

/** Which arm, if any, `child` (found under `key` of `parent`) is the root of. */
export function armKindFor(parent: t.Node, key: string, child: t.Node): ArmKind | undefined {
  if (FUNCTIONS.has(parent.type) && key === 'body') return 'function-body';
  switch (parent.type) {
    case 'IfStatement':
      return key === 'consequent' ? 'if-consequent' : key === 'alternate' ? 'if-alternate' : undefined;
    case 'ConditionalExpression':
      return key === 'consequent' ? 'conditional-consequent' : key === 'alternate' ? 'conditional-alternate' : undefined;
    case 'LogicalExpression':
      return key === 'right' ? 'logical-right' : undefined;
    case 'AssignmentExpression':
      return key === 'right' && LOGICAL_ASSIGN.has(parent.operator) ? 'logical-right' : undefined;
    case 'SwitchStatement':
      return key === 'cases' && child.type === 'SwitchCase' ? 'switch-case' : undefined;
    case 'CatchClause':
      return key === 'body' ? 'catch' : undefined;
    case 'TryStatement':
      return key === 'finalizer' ? 'finally' : undefined;
    case 'AssignmentPattern':
      return key === 'right' ? 'default-value' : undefined;
    default:
      return LOOPS.has(parent.type) && key === 'body' ? 'loop-body' : undefined;
  }
}
