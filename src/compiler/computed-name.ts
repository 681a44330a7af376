/**
 * The `name` of a function defined under a computed key of an object literal (`{ [k]() {} }`,
 * `{ [k]: () => 1 }`): Node names it by the key's value, which only the runtime knows, unless the
 * source spells it (`['x']`, `[1]`, `` [`x`] ``, `[Symbol.iterator]`).
 */
import type { N } from './nodes.ts';

/** The key's name when the source spells it under brackets, else null. */
export function spelledComputedKey(key: N): string | null {
  if (key.type === 'StringLiteral') return key.value as string;
  if (key.type === 'NumericLiteral') return String(key.value);
  if (key.type === 'TemplateLiteral' && (key.expressions as N[]).length === 0) return (key.quasis as N[])[0]!.value.cooked as string;
  return null;
}

function unparenthesized(v: N): N {
  return v.type === 'ParenthesizedExpression' ? unparenthesized(v.expression as N) : v;
}

/**
 * What a computed-key property defines, for its name: 'function' when it is a method or an anonymous
 * function or arrow (named by the key at run time), 'class' for an anonymous class (not modelled),
 * null when the name does not come from the key.
 */
export function namedByKey(p: N): 'function' | 'class' | null {
  if (p.type === 'ObjectMethod') return 'function';
  const v = unparenthesized(p.value as N);
  if ((v.type === 'FunctionExpression' || v.type === 'ArrowFunctionExpression') && !v.id) return 'function';
  if (v.type === 'ClassExpression' && !v.id) return 'class';
  return null;
}
