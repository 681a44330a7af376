import type { Node as BabelNode } from '@babel/types';
import type { Loc, Skeleton, TraceNode } from './types.ts';
import { declaredNames, hasUseStrict } from './declared-names.ts';

/** Babel fields that say nothing about the program's meaning (positions, comments, parser extras). */
const DROPPED = new Set(['start', 'end', 'loc', 'range', 'comments', 'leadingComments', 'trailingComments', 'innerComments', 'extra', 'errors', 'tokens']);

const locOf = (node: BabelNode): Loc => ({ line: node.loc!.start.line, column: node.loc!.start.column });
type Counts = { readonly [arm: string]: number };

function isNode(value: unknown): value is BabelNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** What a walk needs besides the node: `keepUnhit` keeps arms no path reached in full (with `hits: 0`). */
interface Walk {
  skeleton: Skeleton;
  counts: Counts;
  keepUnhit: boolean;
}

function copyValue(value: unknown, w: Walk, strict: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => copyValue(v, w, strict));
  if (isNode(value)) return materializeNode(value, w, strict);
  return value;
}

function materializeNode(node: BabelNode, w: Walk, outerStrict: boolean): TraceNode {
  const { skeleton, counts } = w;
  const strict = outerStrict || hasUseStrict(node);
  const unsupported = skeleton.unsupportedNodes.get(node);
  if (unsupported) {
    return { type: 'Unsupported', what: unsupported.what, arm: unsupported.arm, hits: counts[unsupported.arm] ?? 0, loc: unsupported.loc, ...declaredNames(node, strict) };
  }
  const arm = skeleton.armRoots.get(node);
  const hits = arm === undefined ? 0 : counts[arm] ?? 0;
  if (arm !== undefined && hits === 0 && !w.keepUnhit) {
    // The program stays a Program (the tree's root), with an unknown body.
    if (node.type === 'Program') {
      return { type: 'Program', loc: locOf(node), sourceType: node.sourceType, directives: [], body: [{ type: 'Unknown', arm, loc: locOf(node) }], arm, hits: 0 };
    }
    // A switch case keeps its test (evaluated before the arm is reached); its consequent is unknown.
    if (node.type === 'SwitchCase') {
      const names = { vars: [] as string[], lexicals: [] as string[] };
      for (const st of node.consequent) {
        const d = declaredNames(st, strict);
        names.vars.push(...d.vars);
        names.lexicals.push(...d.lexicals);
      }
      return { type: 'SwitchCase', loc: locOf(node), test: copyValue(node.test, w, strict) ?? null, consequent: [{ type: 'Unknown', arm, loc: locOf(node), ...names }], arm, hits: 0 };
    }
    return { type: 'Unknown', arm, loc: locOf(node), ...declaredNames(node, strict) };
  }
  const out: TraceNode = { type: node.type };
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type' || DROPPED.has(key)) continue;
    out[key] = copyValue(value, w, strict);
  }
  if (node.loc) out.loc = locOf(node);
  const extra = (node as { extra?: { raw?: unknown; parenthesized?: unknown } }).extra;
  if (extra && (extra.raw !== undefined || extra.parenthesized)) {
    const kept: Record<string, unknown> = {};
    if (extra.raw !== undefined) kept.raw = extra.raw;
    if (extra.parenthesized) kept.parenthesized = true;
    out.extra = kept;
  }
  if (arm !== undefined) {
    out.arm = arm;
    out.hits = hits;
  }
  const fn = skeleton.functionNodes.get(node);
  if (fn) {
    out.fnId = fn.fnId;
    out.name = fn.name;
  }
  return out;
}

/**
 * The program pruned to what ran: a JSON copy of the skeleton's AST in which arm roots carry
 * `arm`/`hits`, arms with no hits are `Unknown`, unsupported nodes are `Unsupported`.
 * The program itself (arm 0) is always kept, with its hit count.
 */
export function materialize(skeleton: Skeleton, counts: Counts): TraceNode {
  return materializeNode(skeleton.ast.program, { skeleton, counts, keepUnhit: false }, false);
}

/**
 * The whole program with the same annotations: arms no path reached are kept in full, with
 * `hits: 0` on their roots (and on every arm inside them), instead of becoming `Unknown`.
 * Unsupported syntax is `Unsupported` all the same. This is what the compiler compiles
 * (src/trace/unseen.ts); stored trees stay pruned.
 */
export function materializeFull(skeleton: Skeleton, counts: Counts): TraceNode {
  return materializeNode(skeleton.ast.program, { skeleton, counts, keepUnhit: true }, false);
}
