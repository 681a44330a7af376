import type * as t from '@babel/types';

/**
 * Syntax the accelerator does not support (docs/pipeline-interfaces.md, docs/trace-format.md).
 * Decided statically: such a node becomes `{ type: 'Unsupported', what }` in trace trees, its
 * subtree is not traced (no arms inside), and compiled code aborts there (reason `unsupported:syntax`, detail `<what>`).
 * Shrink this list as the accelerator learns more; the trace format version changes with it.
 */
export const UNSUPPORTED = [
  'class',
  'getter',
  'setter',
  'generator',
  'await',
  'yield',
  'regexp',
  'tagged-template',
  'new.target',
  'import',
  'import.meta',
  'with',
  'debugger',
  'arguments',
  'this',
  'super',
  'bigint',
  'labelled-function',
  'direct-eval',
] as const;

export type UnsupportedWhat = (typeof UNSUPPORTED)[number];

function functionWhat(fn: t.Function): UnsupportedWhat | undefined {
  // Async functions and generators are supported; async generators are not.
  if (fn.generator && fn.async) return 'generator';
  if (fn.type === 'ObjectMethod' && fn.kind === 'get') return 'getter';
  if (fn.type === 'ObjectMethod' && fn.kind === 'set') return 'setter';
  if (fn.type === 'ClassMethod' || fn.type === 'ClassPrivateMethod') return 'class';
  return undefined;
}

/**
 * Whether `node` is unsupported. `isReference` tells whether an Identifier is a use of a variable
 * (not a declaration, property name or label); only uses of `arguments` count.
 */
export function unsupportedWhat(node: t.Node, isReference: () => boolean): UnsupportedWhat | undefined {
  switch (node.type) {
    case 'ClassDeclaration':
    case 'ClassExpression':
      return 'class';
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ObjectMethod':
      return functionWhat(node);
    case 'ForOfStatement':
      return node.await ? 'await' : undefined; // `for await`
    case 'YieldExpression':
      return node.delegate ? 'yield' : undefined; // `yield*`
    case 'RegExpLiteral':
      return 'regexp';
    case 'BigIntLiteral':
      return 'bigint';
    case 'TaggedTemplateExpression':
      return 'tagged-template';
    case 'MetaProperty':
      return node.meta.name === 'new' ? 'new.target' : 'import.meta';
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
    case 'ThisExpression':
      return 'this';
    case 'Super':
      return 'super';
    case 'LabeledStatement':
      return node.body.type === 'FunctionDeclaration' ? 'labelled-function' : undefined;
    case 'Identifier':
      return node.name === 'arguments' && isReference() ? 'arguments' : undefined;
    default:
      return undefined;
  }
}
