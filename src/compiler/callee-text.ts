/**
 * Source text of an expression as V8 prints it in messages such as `o.foo is not a function` or
 * `o is not iterable`. Only shapes whose V8 rendering we know exactly get a text; for the others the
 * compiler passes null and the runtime aborts instead of throwing a message that might differ.
 */
import type { N } from './nodes.ts';

export function calleeText(n: N | null | undefined): string | null {
  if (!n) return null;
  switch (n.type) {
    case 'Identifier':
      return n.name as string;
    case 'ThisExpression':
      return 'this';
    case 'MemberExpression': {
      const obj = calleeText(n.object);
      if (obj === null) return null;
      if (!n.computed) return n.property.type === 'Identifier' ? `${obj}.${n.property.name}` : null;
      const p = n.property as N;
      if (p.type === 'Identifier') return `${obj}[${p.name}]`;
      if (p.type === 'NumericLiteral' && typeof p.extra?.raw === 'string' && /^\d+$/.test(p.extra.raw)) return `${obj}[${p.extra.raw}]`;
      return null;
    }
    default:
      return null;
  }
}

/** Text of a value expression in "x is not iterable" / "Cannot destructure … of 'x'": also literals. */
export function valueText(n: N | null | undefined): string | null {
  if (!n) return null;
  if (n.type === 'NullLiteral') return 'null';
  if (n.type === 'BooleanLiteral') return String(n.value);
  if (n.type === 'NumericLiteral' && typeof n.extra?.raw === 'string') return n.extra.raw as string;
  return calleeText(n);
}
