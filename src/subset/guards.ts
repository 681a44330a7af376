/**
 * The two `typeof` guards the grammar admits besides the inline number check: IsObject, which only
 * guards an element read (native-reads.ts), and the string check of StrictEq, which only guards
 * `rt.seq` (docs/compiled-code.md). `typeof` calls nothing whatever the value, so a guard runs no code.
 */
import type { AnyNode, ConditionalExpression, Identifier } from 'acorn';
import { fail } from './errors.ts';
import type { Locals } from './locals.ts';
import { isNamed, isNullLiteral, isRtCall, typeofCheck } from './shapes.ts';

/** `typeof L === "object" && L !== null` with L a local, the same in both places: L, else null. */
export function objectGuard(t: AnyNode): Identifier | null {
  if (t.type !== 'LogicalExpression' || t.operator !== '&&') return null;
  const l = typeofCheck(t.left, 'object');
  if (l === null) return null;
  const b = t.right;
  if (b.type !== 'BinaryExpression' || b.operator !== '!==' || !isNamed(b.left, l.name) || !isNullLiteral(b.right)) return null;
  return l;
}

/** `typeof L === "string"` with L an identifier (the test of StrictEq): L, else null. */
export function stringGuard(t: AnyNode): Identifier | null {
  return typeofCheck(t, 'string');
}

/**
 * StrictEq, `(typeof L === "string" ? rt.seq(L, R) : L === R)`, or `!rt.seq(L, R)` and `L !== R`, with
 * L and R locals, the same in every place: strict equality whose string case rt charges. `l` is the
 * local of the string check, `e.test`.
 */
export function checkStrictEquality(e: ConditionalExpression, l: Identifier, locals: Locals): void {
  const alt = e.alternate;
  if (alt.type !== 'BinaryExpression' || (alt.operator !== '===' && alt.operator !== '!==') || !isNamed(alt.left, l.name) || alt.right.type !== 'Identifier') {
    fail(e, 'a string check guards `x === y` or `x !== y` of locals');
  }
  const r = alt.right;
  let seq = e.consequent;
  if (alt.operator === '!==') {
    if (seq.type !== 'UnaryExpression' || seq.operator !== '!') fail(e, '`x !== y` is guarded by `!rt.seq(x, y)`');
    seq = seq.argument;
  }
  if (!isRtCall(seq, 'seq') || seq.arguments.length !== 2 || !isNamed(seq.arguments[0], l.name) || !isNamed(seq.arguments[1], r.name)) {
    fail(e, 'a string check leads to rt.seq(x, y) of the same locals');
  }
  locals.use(l);
  locals.use(r);
}
