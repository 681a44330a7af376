/**
 * `a === b` and `a !== b`. Native strict equality is what the language says, but on two distinct
 * strings of the same length V8 compares their characters (and flattens ropes): work in proportion to
 * their length, which fuel must see (DESIGN invariant 3). So a comparison the compiler cannot prove
 * cheap is guarded: `(typeof a === "string" ? rt.seq(a, b) : a === b)` (`!rt.seq(a, b)` and `a !== b`
 * for `!==`). Only a string on the left takes the call, which charges by length and compares; numbers,
 * objects, booleans, null and undefined compare natively, and `typeof` calls nothing whatever the
 * value. When the left is not a string, native `===` is O(1) whatever the right is.
 * Cheap for sure, and left native: either side a literal (a string literal is as long as the program
 * is), or statically a number or a boolean. Operands that are not locals are evaluated once, in order,
 * into temporaries, as number-guard.ts does.
 */
import { strictEquality as strictEqualityForm } from '../subset/index.ts';
import type { Gen } from './emit-context.ts';
import type { StaticType } from './emit-context.ts';
import type { N } from './nodes.ts';
import { isLocalText } from './plain-read.ts';

/** A literal operand: comparing with it costs at most its own length. */
export function isLiteral(g: Gen, n: N): boolean {
  switch (n.type) {
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
      return true;
    case 'TemplateLiteral':
      return (n.expressions as N[]).length === 0;
    case 'Identifier':
      return ['undefined', 'NaN', 'Infinity'].includes(n.name as string) && g.binding(n) === null;
    case 'UnaryExpression':
      return n.operator === 'void' || ((n.operator === '-' || n.operator === '+') && (n.argument as N).type === 'NumericLiteral');
    default:
      return false;
  }
}

export function strictEquality(g: Gen, op: '===' | '!==', left: N, right: N, a: string, b: string, ta: StaticType, tb: StaticType): string {
  if (isLiteral(g, left) || isLiteral(g, right) || ta === 'num' || tb === 'num' || ta === 'bool' || tb === 'bool') return `(${a} ${op} ${b})`;
  const not = op === '!==' ? '!' : '';
  if (ta === 'str') return `${not}rt.seq(${a}, ${b})`;
  const pre: string[] = [];
  // A local on the left is read before the right operand runs: keep that order if the right needs a temporary.
  if (!isLocalText(a) || !isLocalText(b)) {
    const t = g.temp();
    pre.push(`${t} = ${a}`);
    a = t;
  }
  if (!isLocalText(b)) {
    const t = g.temp();
    pre.push(`${t} = ${b}`);
    b = t;
  }
  const e = strictEqualityForm(op, a, b);
  return pre.length ? `(${pre.join(', ')}, ${e})` : `(${e})`;
}

/**
 * The discriminant of a `switch`: cases compare with it natively (`===`). When some case is not a
 * literal, `rt.sw(d, n)` charges the comparisons with those n cases by the discriminant's length first.
 */
export function switchDiscriminant(g: Gen, d: string, tests: N[]): string {
  const n = tests.filter((t) => !isLiteral(g, t)).length;
  return n === 0 ? d : `rt.sw(${d}, ${n})`;
}
