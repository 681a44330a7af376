import type * as t from '@babel/types';
import { walk } from './source-parse.ts';

/** The function styles of CONTRACT §1b, as the deploy answer and `GET` name them. */
export type FunctionStyle = 'paper' | 'web' | 'lambda' | 'openwhisk';

export const NO_STYLE_MESSAGE =
  'no handler found: expected one of the four function styles: paper (require(\'containerless\').listen(handler)), ' +
  'Web (an ES module with export default { fetch }), Lambda (exports.handler = … or export const handler), ' +
  'OpenWhisk (function main, exports.main = … or module.exports = main)';

/**
 * Which style a parsed function file is written in, statically and by name (CONTRACT §1b), or
 * undefined. When several match, the first of paper, Web, Lambda, OpenWhisk wins. Recognizes the
 * CommonJS that esbuild makes of an ES module entry too (a folder's bundle: `__export(E, { default:
 * () => x })` with `module.exports = __toCommonJS(E)`), so a bundled Web function stays Web.
 */
export function recognizeStyle(program: t.Program): FunctionStyle | undefined {
  if (callsListen(program)) return 'paper';
  const exp = exportsOf(program);
  const def = exp.get('default');
  if (def && hasFetch(def, topLevelValues(program))) return 'web';
  if (exp.has('handler')) return 'lambda';
  if (exp.has('main') || isMainValue(exp.get('='))) return 'openwhisk';
  if (program.body.some((s) => s.type === 'FunctionDeclaration' && s.id?.name === 'main')) return 'openwhisk';
  return undefined;
}

/**
 * `module.exports = main`, or the function itself (`module.exports = function main(params) {…}`, an
 * arrow): OpenWhisk's Node runtime calls an exported function as the action.
 */
function isMainValue(v: t.Node | undefined): boolean {
  if (!v) return false;
  if (v.type === 'Identifier') return v.name === 'main';
  return v.type === 'FunctionExpression' || v.type === 'ArrowFunctionExpression';
}

/**
 * Whether a top-level function `main` is the OpenWhisk handler only by being declared (no export
 * names it): the runnable text then exports it.
 */
export function mainOnlyDeclared(program: t.Program): boolean {
  return program.body.some((s) => s.type === 'FunctionDeclaration' && s.id?.name === 'main') && !exportsOf(program).has('main') && !exportsOf(program).has('=');
}

/**
 * The names a file exports, each with the expression (or declaration) it exports when known:
 * CommonJS `exports.X =` / `module.exports.X =` / `module.exports = { X }` (and `=` for a whole
 * `module.exports = E`), ES module `export` forms, and esbuild's `__export(E, { X: () => v })`.
 */
function exportsOf(program: t.Program): Map<string, t.Node> {
  const out = new Map<string, t.Node>();
  const esbuildTargets = new Set<string>();
  for (const s of program.body) {
    if (s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression' && s.expression.operator === '=') {
      const { left, right } = s.expression;
      if (isModuleExports(left)) {
        out.set('=', right);
        if (right.type === 'ObjectExpression') for (const [k, v] of objectEntries(right)) out.set(k, v);
        // esbuild: module.exports = __toCommonJS(E)
        if (right.type === 'CallExpression' && right.arguments.length === 1 && right.arguments[0]!.type === 'Identifier') esbuildTargets.add(right.arguments[0]!.name);
      } else if (left.type === 'MemberExpression') {
        const key = memberKey(left);
        if (key !== undefined && (isName(left.object, 'exports') || isModuleExports(left.object))) out.set(key, right);
      }
    } else if (s.type === 'ExportDefaultDeclaration') {
      out.set('default', s.declaration);
    } else if (s.type === 'ExportNamedDeclaration') {
      const d = s.declaration;
      if (d?.type === 'FunctionDeclaration' || d?.type === 'ClassDeclaration') {
        if (d.id) out.set(d.id.name, d);
      } else if (d?.type === 'VariableDeclaration') {
        for (const v of d.declarations) {
          if (v.id.type === 'Identifier') out.set(v.id.name, v.init ?? v.id);
          else for (const name of patternNames(v.id)) out.set(name, v.id);
        }
      }
      for (const sp of s.specifiers) {
        const name = sp.exported.type === 'Identifier' ? sp.exported.name : sp.exported.value;
        // `export { h as default }` exports the local `h`; a re-export (`from`) is opaque here.
        out.set(name, sp.type === 'ExportSpecifier' && !s.source ? sp.local : sp.exported);
      }
    }
  }
  // esbuild's ES module shape: __export(E, { name: () => local, … })
  for (const s of program.body) {
    if (s.type !== 'ExpressionStatement' || s.expression.type !== 'CallExpression') continue;
    const [target, all] = s.expression.arguments;
    if (target?.type !== 'Identifier' || !esbuildTargets.has(target.name) || all?.type !== 'ObjectExpression') continue;
    for (const [k, v] of objectEntries(all)) {
      out.set(k, v.type === 'ArrowFunctionExpression' && v.body.type !== 'BlockStatement' ? v.body : v);
    }
  }
  return out;
}

/** Top-level `const/let/var x = init` of a file, to follow `export default h` to its object. */
function topLevelValues(program: t.Program): Map<string, t.Node> {
  const out = new Map<string, t.Node>();
  for (const s of program.body) {
    const d = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    if (d?.type !== 'VariableDeclaration') continue;
    for (const v of d.declarations) if (v.id.type === 'Identifier' && v.init) out.set(v.id.name, v.init);
  }
  return out;
}

function hasFetch(node: t.Node, values: Map<string, t.Node>, depth = 0): boolean {
  if (depth > 8) return false;
  if (node.type === 'Identifier') {
    const v = values.get(node.name);
    return v !== undefined && hasFetch(v, values, depth + 1);
  }
  if (node.type === 'ObjectExpression') return objectEntries(node).has('fetch');
  return false;
}

function objectEntries(obj: t.ObjectExpression): Map<string, t.Node> {
  const out = new Map<string, t.Node>();
  for (const p of obj.properties) {
    if (p.type !== 'ObjectProperty' && p.type !== 'ObjectMethod') continue;
    const key = !p.computed && p.key.type === 'Identifier' ? p.key.name : p.key.type === 'StringLiteral' ? p.key.value : undefined;
    if (key !== undefined) out.set(key, p.type === 'ObjectProperty' ? p.value : p);
  }
  return out;
}

function patternNames(p: t.Node): string[] {
  const names: string[] = [];
  walk(p, (n, parent) => {
    if (n.type === 'Identifier' && !(parent?.type === 'ObjectProperty' && (parent as t.ObjectProperty).key === n && !(parent as t.ObjectProperty).shorthand)) names.push(n.name);
  });
  return names;
}

function memberKey(m: t.MemberExpression): string | undefined {
  if (!m.computed && m.property.type === 'Identifier') return m.property.name;
  if (m.property.type === 'StringLiteral') return m.property.value;
  return undefined;
}

function isModuleExports(n: t.Node): boolean {
  return n.type === 'MemberExpression' && isName(n.object, 'module') && memberKey(n) === 'exports';
}

function isName(node: t.Node, name: string): boolean {
  return node.type === 'Identifier' && node.name === name;
}

/**
 * A call of `listen` on the containerless module, anywhere in the file (paper style, CONTRACT §1):
 *  - `X.listen(…)` where X is a variable initialised or assigned with `require('containerless')`
 *    (or a call wrapping it, as esbuild's `__toESM(require('containerless'))`), or bound by
 *    `import X from 'containerless'` / `import * as X from 'containerless'`; also `X.default.listen(…)`,
 *  - `require('containerless').listen(…)`,
 *  - `L(…)` (or esbuild's `(0, X.listen)(…)`) where L was destructured from the module as
 *    `{ listen: L }` / `{ listen }`, or imported as `import { listen as L } from 'containerless'`.
 * The container still fails a request with a 500 if `listen` is not actually called when the file runs.
 */
function callsListen(program: t.Program): boolean {
  const modules = new Set<string>();
  const listens = new Set<string>();
  const calls: t.CallExpression[] = [];
  walk(program, (node) => {
    if (node.type === 'VariableDeclarator' && isRequireContainerless(node.init)) bindPattern(node.id, modules, listens);
    else if (node.type === 'AssignmentExpression' && isRequireContainerless(node.right)) bindPattern(node.left, modules, listens);
    else if (node.type === 'ImportDeclaration' && node.source.value === 'containerless') {
      for (const sp of node.specifiers) {
        if (sp.type !== 'ImportSpecifier') modules.add(sp.local.name);
        else if ((sp.imported.type === 'Identifier' ? sp.imported.name : sp.imported.value) === 'listen') listens.add(sp.local.name);
      }
    } else if (node.type === 'CallExpression') calls.push(node);
  });
  const isModule = (n: t.Node): boolean =>
    (n.type === 'Identifier' && modules.has(n.name)) || isRequireContainerless(n) || (n.type === 'MemberExpression' && memberKey(n) === 'default' && isModule(n.object));
  const isListen = (n: t.Node): boolean => n.type === 'MemberExpression' && isKey(n, 'listen') && isModule(n.object);
  return calls.some((c) => {
    const callee = c.callee;
    if (callee.type === 'Identifier') return listens.has(callee.name);
    if (callee.type === 'SequenceExpression') return callee.expressions.length === 2 && isListen(callee.expressions[1]!);
    return isListen(callee);
  });
}

function isKey(m: t.MemberExpression, name: string): boolean {
  return (!m.computed && m.property.type === 'Identifier' && m.property.name === name) || (m.property.type === 'StringLiteral' && m.property.value === name);
}

function isRequireContainerless(node: t.Node | null | undefined): boolean {
  if (!node || node.type !== 'CallExpression') return false;
  if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
    return node.arguments.length >= 1 && node.arguments[0]!.type === 'StringLiteral' && node.arguments[0]!.value === 'containerless';
  }
  // A helper wrapping it, as esbuild's __toESM(require('containerless')).
  return node.arguments.length >= 1 && isRequireContainerless(node.arguments[0]);
}

function bindPattern(id: t.Node, modules: Set<string>, listens: Set<string>): void {
  if (id.type === 'Identifier') modules.add(id.name);
  else if (id.type === 'ObjectPattern') {
    for (const p of id.properties) {
      const key = p.type === 'ObjectProperty' ? (!p.computed && p.key.type === 'Identifier' ? p.key.name : p.key.type === 'StringLiteral' ? p.key.value : undefined) : undefined;
      if (p.type === 'ObjectProperty' && key === 'listen') {
        const v = p.value.type === 'AssignmentPattern' ? p.value.left : p.value;
        if (v.type === 'Identifier') listens.add(v.name);
      }
    }
  }
}
