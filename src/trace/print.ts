import generatorModule from '@babel/generator';
import type { Node as BabelNode } from '@babel/types';
import type { Loc, TraceNode, TraceTree } from './types.ts';

// @babel/generator is CommonJS: under tsx/Node ESM its default export arrives as the module object.
type Generate = (ast: BabelNode, opts?: object) => { code: string };
const generate: Generate = (generatorModule as unknown as { default?: Generate }).default ?? (generatorModule as unknown as Generate);

const STATEMENT_LISTS = new Set(['Program.body', 'BlockStatement.body', 'SwitchCase.consequent', 'StaticBlock.body']);
const BLOCK_SLOTS = new Set(['FunctionDeclaration.body', 'FunctionExpression.body', 'ObjectMethod.body', 'ClassMethod.body', 'CatchClause.body', 'TryStatement.block', 'TryStatement.finalizer']);
const STATEMENT_SLOTS = new Set(['IfStatement.consequent', 'IfStatement.alternate', 'ForStatement.body', 'ForInStatement.body', 'ForOfStatement.body', 'WhileStatement.body', 'DoWhileStatement.body', 'LabeledStatement.body', 'WithStatement.body']);

const at = (loc: Loc | undefined) => (loc ? `${loc.line}:${loc.column}` : '?');
const isNode = (v: unknown): v is TraceNode => typeof v === 'object' && v !== null && typeof (v as TraceNode).type === 'string';

interface FunctionSummary {
  label: string;
  loc?: Loc;
  hits: number;
  known: string[];
  unknown: string[];
}

/** Collects per-function arm lists (arms belong to the innermost enclosing function). */
function summarise(program: TraceNode): { functions: FunctionSummary[]; unsupported: string[] } {
  const top: FunctionSummary = { label: '<top level>', loc: program.loc, hits: program.hits ?? 0, known: [], unknown: [] };
  const functions = [top];
  const unsupported: string[] = [];
  const walk = (node: TraceNode, fn: FunctionSummary) => {
    if (node.type === 'Unknown') {
      fn.unknown.push(`#${node.arm} at ${at(node.loc)}`);
      return;
    }
    if (node.type === 'Unsupported') {
      unsupported.push(`${node.what} at ${at(node.loc)} (arm #${node.arm}, hits ${node.hits})`);
      return;
    }
    if (node.arm !== undefined && node.hits !== undefined) {
      if (node.hits > 0) fn.known.push(`#${node.arm}×${node.hits}`);
      else if (node.type === 'SwitchCase') fn.unknown.push(`#${node.arm} at ${at(node.loc)}`);
    }
    let inner = fn;
    if (node.fnId !== undefined) {
      const body = node.body as TraceNode | undefined;
      inner = { label: node.name ? String(node.name) : '<anonymous>', loc: node.loc, hits: body?.hits ?? 0, known: [], unknown: [] };
      functions.push(inner);
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'loc' || key === 'extra') continue;
      if (Array.isArray(value)) for (const v of value) { if (isNode(v)) walk(v, inner); }
      else if (isNode(value)) walk(value, inner);
    }
  };
  for (const [key, value] of Object.entries(program)) {
    if (Array.isArray(value) && key !== 'loc') for (const v of value) { if (isNode(v)) walk(v, top); }
  }
  if (program.hits !== undefined && program.hits > 0) top.known.unshift(`#${program.arm}×${program.hits}`);
  return { functions, unsupported };
}

/** A Babel AST for the generator: placeholders for Unknown/Unsupported, hit counts as comments. */
function toBabel(value: unknown, slot: string): unknown {
  if (Array.isArray(value)) return value.map((v) => toBabel(v, slot));
  if (!isNode(value)) return value;
  if (value.type === 'Unknown' || value.type === 'Unsupported') {
    const text = value.type === 'Unknown' ? `⟨unknown #${value.arm}⟩` : `⟨unsupported ${String(value.what)}⟩`;
    const id = { type: 'Identifier', name: text };
    const statement = { type: 'ExpressionStatement', expression: id };
    if (BLOCK_SLOTS.has(slot)) return { type: 'BlockStatement', body: [statement], directives: [] };
    if (STATEMENT_LISTS.has(slot) || STATEMENT_SLOTS.has(slot)) return statement;
    return id;
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[key] = key === 'loc' ? undefined : toBabel(child, `${value.type}.${key}`);
  if (value.arm === undefined || value.hits === undefined || value.type === 'Program') return out;
  // Annotate the arm with its hit count where the generator prints comments tidily.
  const comment = [{ type: 'CommentBlock', value: ` #${value.arm}×${value.hits} ` }];
  const first = ((value.type === 'BlockStatement' ? out.body : value.type === 'SwitchCase' ? out.consequent : undefined) as Record<string, unknown>[] | undefined)?.[0];
  if (first) first.leadingComments = comment;
  else if (value.type === 'BlockStatement') out.innerComments = comment;
  else if (STATEMENT_SLOTS.has(slot)) return { type: 'BlockStatement', body: [{ ...out, leadingComments: comment }], directives: [] };
  else out.leadingComments = comment;
  return out;
}

/** A readable rendering of a trace tree, for `containerless trace`. */
export function printTree(tree: TraceTree): string {
  const counts = Object.keys(tree.counts).length;
  const { functions, unsupported } = summarise(tree.program);
  const lines = [
    `trace tree (${tree.format} v${tree.version}) of source ${tree.source_sha256.slice(0, 12)}…: ${tree.paths} path(s), ${counts} arm(s) hit`,
    '',
    'functions:',
  ];
  for (const f of functions) {
    lines.push(`  ${f.label} at ${at(f.loc)}: hits ${f.hits}`);
    lines.push(`    known arms: ${f.known.length ? f.known.join(' ') : '(none)'}`);
    if (f.unknown.length) lines.push(`    unknown arms: ${f.unknown.join(', ')}`);
  }
  lines.push('', 'unsupported operations:');
  lines.push(...(unsupported.length ? unsupported.map((u) => `  ${u}`) : ['  (none)']));
  lines.push('', 'code (/* #arm×hits */ before each arm):');
  try {
    const ast = toBabel(tree.program, 'File.program') as BabelNode;
    lines.push(generate(ast, { comments: true }).code);
  } catch (err) {
    lines.push(`(code could not be regenerated: ${(err as Error).message})`);
  }
  return lines.join('\n') + '\n';
}
