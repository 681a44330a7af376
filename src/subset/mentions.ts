import type { Node } from 'acorn';

/**
 * Whether any identifier in `nodes` has this name: a local, a property name, a label, anywhere. The
 * catch rule uses it to keep the raw caught value out of the rest of the catch block; it errs on the
 * side of "yes".
 */
export function mentions(nodes: readonly Node[], name: string): boolean {
  return nodes.some((n) => walk(n, name));
}

function walk(v: unknown, name: string): boolean {
  if (Array.isArray(v)) return v.some((x) => walk(x, name));
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  if (o.type === 'Identifier' && o.name === name) return true;
  return Object.entries(o).some(([k, x]) => k !== 'loc' && walk(x, name));
}
