/**
 * Small predicates over acorn's nodes that the grammar's rules are written with. Each one answers
 * for exactly one shape and nothing near it: `isNamed` is "the same local", `isRtCall` "a call of
 * a runtime operation by its plain name".
 */
import type { AnyNode, CallExpression, Identifier, Literal, MemberExpression } from 'acorn';
import { RT_OPS, type RtOp } from './rt-ops.ts';

const OPS: ReadonlySet<string> = new Set(RT_OPS);

type Maybe = AnyNode | null | undefined;

/** `rt.op(…)`: not optional, not computed, `op` one of RT_OPS. */
export interface RtCall extends CallExpression {
  callee: MemberExpression & { object: Identifier; property: Identifier };
}

/** A call of a runtime operation; of `op` when given, else of any of RT_OPS. */
export function isRtCall(n: Maybe, op?: RtOp): n is RtCall {
  if (!n || n.type !== 'CallExpression' || n.optional) return false;
  const callee = n.callee;
  if (callee.type !== 'MemberExpression' || callee.computed || callee.optional) return false;
  if (!isNamed(callee.object, 'rt') || callee.property.type !== 'Identifier') return false;
  return op === undefined ? OPS.has(callee.property.name) : callee.property.name === op;
}

export function isIdentifier(n: Maybe): n is Identifier {
  return !!n && n.type === 'Identifier';
}

/** An identifier of this name: in the guarded forms, "the same local in every place". */
export function isNamed(n: Maybe, name: string): n is Identifier {
  return isIdentifier(n) && n.name === name;
}

/** A literal whose value is `value` (`===`). */
export function isLiteralOf(n: Maybe, value: Literal['value']): n is Literal {
  return !!n && n.type === 'Literal' && n.value === value;
}

/** The literal `null`, written so. */
export function isNullLiteral(n: Maybe): n is Literal {
  return isLiteralOf(n, null) && n.raw === 'null';
}

/** `typeof L === "<type>"` with L an identifier: L, else null. */
export function typeofCheck(t: Maybe, type: 'number' | 'string' | 'object'): Identifier | null {
  if (!t || t.type !== 'BinaryExpression' || t.operator !== '===') return null;
  const u = t.left;
  if (u.type !== 'UnaryExpression' || u.operator !== 'typeof' || !isIdentifier(u.argument) || !isLiteralOf(t.right, type)) return null;
  return u.argument;
}
