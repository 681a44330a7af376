import type * as t from '@babel/types';

/**
 * Syntax the accelerator does not support (docs/pipeline-interfaces.md, docs/trace-format.md).
 * Decided statically: such a node becomes `{ type: 'Unsupported', what }` in trace trees, its
 * subtree is not traced (no arms inside), and compiled code aborts there (reason `unsupported:syntax`, detail `<what>`).
 * Shrink this list as the accelerator learns more; the trace format version changes with it.
 */
export const UNSUPPORTED = [
  'import',
  'import.meta',
  'with',
  'debugger',
  'bigint',
  'labelled-function',
  'direct-eval',
] as const;

export type UnsupportedWhat = (typeof UNSUPPORTED)[number];

/**
 * Whether `node` is unsupported. `isReference` tells whether an Identifier is a use of a variable
 * (not a declaration, property name or label); only uses of `arguments` count.
 */
export function unsupportedWhat(node: t.Node, _isReference: () => boolean): UnsupportedWhat | undefined {
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassPrivateMethod':
      // Async functions, generators and async generators are traced (async generator methods and
      // receivers abort in compiled code, src/compiler/emit-function.ts).
      return undefined;
    case 'BigIntLiteral':
      return 'bigint';
    case 'MetaProperty':
      return node.meta.name === 'new' ? undefined : 'import.meta';
    case 'ImportExpression':
      return 'import';
    case 'CallExpression':
      if (node.callee.type === 'Import') return 'import';
      if (node.callee.type === 'Identifier' && node.callee.name === 'eval') return 'direct-eval';
      return undefined;
    case 'WithStatement':
      return 'with';
    case 'DebuggerStatement':
      return 'debugger';
    case 'LabeledStatement':
      return node.body.type === 'FunctionDeclaration' ? 'labelled-function' : undefined;
    default:
      return undefined;
  }
}
