/**
 * NativeRead (docs/compiled-code.md, "What is native and why that is safe"): the only member accesses
 * compiled code may make besides `rt.<op>`, each under a guard that makes the native read give what
 * `rt.get` gives, and each falling back to `rt.get` of the same object and key:
 *
 *   named    L != null && (L.name, rt.po(L)) ? L.name : rt.get(L, "name")      name no name of Object.prototype
 *   element  IsObject && typeof K === "number" ? L[K] : rt.get(L, K)
 *   keyed    IsObject && typeof K === "number" ? L[K] : rt.pk(L, K) ? L[K] : rt.get(L, K)
 *   index    IsObject ? L[N] : rt.get(L, N)                                       N an integer literal ≥ 0
 *   length   rt.ia(L) ? L.length : rt.get(L, "length")
 *
 * L and K are locals, the same local in every place (nothing runs between the guard and the read).
 * The compiler builds these texts with forms.ts; this file recognises them.
 */
import type { AnyNode, ConditionalExpression, Expression, Identifier } from 'acorn';
import { fail } from './errors.ts';
import { objectGuard } from './guards.ts';
import { INHERITED_NAMES } from './inherited-names.ts';
import type { Locals } from './locals.ts';
import { isIdentifier, isLiteralOf, isNamed, isNullLiteral, isRtCall, typeofCheck, type RtCall } from './shapes.ts';

/** The parts of a named read's test, `L != null && (L.name, rt.po(L))`. */
interface NamedReadTest {
  nullCheck: Expression;
  reads: Expression[];
  po: RtCall;
}

/** A conditional's test that is a named read's guard (an `&&` whose right ends with `rt.po(…)`), else null. */
export function namedReadTest(t: Expression): NamedReadTest | null {
  if (t.type !== 'LogicalExpression' || t.operator !== '&&' || t.right.type !== 'SequenceExpression') return null;
  const reads = t.right.expressions;
  const po = reads.at(-1);
  return isRtCall(po, 'po') ? { nullCheck: t.left, reads, po } : null;
}

export function checkNamedRead(e: ConditionalExpression, test: NamedReadTest, locals: Locals): void {
  const nn = test.nullCheck;
  if (nn.type !== 'BinaryExpression' || nn.operator !== '!=' || nn.left.type !== 'Identifier' || !isNullLiteral(nn.right)) {
    fail(e, 'a plain read starts with `x != null`');
  }
  const l = nn.left;
  if (test.reads.length !== 2 || test.po.arguments.length !== 1 || !isNamed(test.po.arguments[0], l.name)) fail(e, 'a plain read is guarded by `(x.name, rt.po(x))`');
  const m = e.consequent;
  if (m.type !== 'MemberExpression' || m.computed || m.optional || !isNamed(m.object, l.name) || m.property.type !== 'Identifier') {
    fail(e, 'a plain read is `x != null && (x.name, rt.po(x)) ? x.name : rt.get(x, "name")`');
  }
  const name = m.property.name;
  const first = test.reads[0];
  if (first.type !== 'MemberExpression' || first.computed || first.optional || !isNamed(first.object, l.name) || !isNamed(first.property, name)) {
    fail(e, 'a plain read reads the same name before its guard');
  }
  if (INHERITED_NAMES.has(name)) fail(m, `${name} is inherited from Object.prototype`);
  const alt = e.alternate;
  if (!isRtCall(alt, 'get') || alt.arguments.length !== 2 || !isNamed(alt.arguments[0], l.name) || !isLiteralOf(alt.arguments[1], name)) {
    fail(e, 'a plain read falls back to rt.get(x, "name")');
  }
  locals.use(l);
}

/** The guard of an index read: IsObject or `rt.ia(…)`, alone or left of `&&` with the key's check on its right. */
interface IndexReadTest {
  /** IsObject's local; null when the guard is `rt.ia(…)`. */
  object: Identifier | null;
  /** The guard when it is `rt.ia(…)`. */
  array: RtCall | null;
  /** The check of the key, right of `&&`; null when the guard is the whole test. */
  keyCheck: Expression | null;
}

function indexGuard(t: Expression, keyCheck: Expression | null): IndexReadTest | null {
  const object = objectGuard(t);
  if (object !== null) return { object, array: null, keyCheck };
  return isRtCall(t, 'ia') ? { object: null, array: t, keyCheck } : null;
}

/** A conditional's test that is an index read's guard, else null. */
export function indexReadTest(t: Expression): IndexReadTest | null {
  const whole = indexGuard(t, null);
  if (whole !== null) return whole;
  return t.type === 'LogicalExpression' && t.operator === '&&' ? indexGuard(t.left, t.right) : null;
}

export function checkIndexRead(e: ConditionalExpression, test: IndexReadTest, locals: Locals): void {
  const l = test.object ?? arrayLocal(e, test.array);
  const m = e.consequent;
  if (m.type !== 'MemberExpression' || m.optional || !isNamed(m.object, l.name)) fail(e, 'an index read is `rt.ia(x) … ? x[k] : rt.get(x, k)`');
  if (m.computed) elementRead(e, test, l, m.property, locals);
  else lengthRead(e, test, l, m.property, locals);
}

/** `rt.ia(L) ? L.length : rt.get(L, "length")`: the only named read under rt.ia, and the only one of an array. */
function lengthRead(e: ConditionalExpression, test: IndexReadTest, l: Identifier, name: AnyNode, locals: Locals): void {
  const alt = e.alternate;
  if (test.keyCheck !== null || test.object !== null || !isNamed(name, 'length') || !isRtCall(alt, 'get') || alt.arguments.length !== 2 ||
    !isNamed(alt.arguments[0], l.name) || !isLiteralOf(alt.arguments[1], 'length')) {
    fail(e, 'the only named read of an array is `rt.ia(x) ? x.length : rt.get(x, "length")`');
  }
  locals.use(l);
}

/** `L[N]` or `L[K]` under IsObject (never under rt.ia), falling back to `rt.get(L, N)` or `rt.get(L, K)`. */
function elementRead(e: ConditionalExpression, test: IndexReadTest, l: Identifier, k: AnyNode, locals: Locals): void {
  const { object, keyCheck } = test;
  if (object === null) fail(e, 'an element read is guarded by `typeof x === "object" && x !== null`');
  const key = keyCheck === null ? indexLiteral(e, k) : checkedKey(e, k, keyCheck);
  if (key.type === 'Identifier') locals.use(key);
  const alt = keyCheck === null ? e.alternate : ownPropertyFallback(e.alternate, l, key);
  if (!isRtCall(alt, 'get') || alt.arguments.length !== 2 || !isNamed(alt.arguments[0], l.name) || !sameKey(alt.arguments[1], key)) {
    fail(e, 'an index read falls back to rt.get(x, k)');
  }
  locals.use(l);
}

/** The local of the guard `rt.ia(L)`. */
function arrayLocal(e: ConditionalExpression, array: RtCall | null): Identifier {
  const arg = array?.arguments[0];
  if (array?.arguments.length !== 1 || !isIdentifier(arg)) fail(e, 'rt.ia(local) guards an index read');
  return arg;
}

/** The key of `IsObject ? L[N] : …`: an integer literal ≥ 0. */
function indexLiteral(e: ConditionalExpression, k: AnyNode): AnyNode {
  if (k.type !== 'Literal' || typeof k.value !== 'number' || !Number.isInteger(k.value) || k.value < 0) fail(e, 'an unchecked index must be an integer literal');
  return k;
}

/** The key of `IsObject && typeof K === "number" ? L[K] : …`: the local K the key check checks. */
function checkedKey(e: ConditionalExpression, k: AnyNode, keyCheck: Expression): AnyNode {
  const checked = typeofCheck(keyCheck, 'number');
  if (k.type !== 'Identifier' || checked === null || checked.name !== k.name) fail(e, 'an index read checks `typeof k === "number"` of its key');
  return k;
}

/** After a checked key, the fallback may first be `rt.pk(L, K) ? L[K] : …` (an own property of a plain object): what follows it. */
function ownPropertyFallback(alt: Expression, l: Identifier, k: AnyNode): Expression {
  if (alt.type !== 'ConditionalExpression') return alt;
  const g = alt.test;
  const r = alt.consequent;
  if (!isIdentifier(k) || !isRtCall(g, 'pk') || g.arguments.length !== 2 || !isNamed(g.arguments[0], l.name) || !isNamed(g.arguments[1], k.name) ||
    r.type !== 'MemberExpression' || !r.computed || r.optional || !isNamed(r.object, l.name) || !isNamed(r.property, k.name)) {
    fail(alt, 'a keyed read is `rt.pk(x, k) ? x[k] : rt.get(x, k)`');
  }
  return alt.alternate;
}

/** The fallback's key is the read's: the same literal, or the same local. */
function sameKey(a: AnyNode, key: AnyNode): boolean {
  if (key.type === 'Literal') return isLiteralOf(a, key.value);
  return isIdentifier(key) && isNamed(a, key.name);
}
