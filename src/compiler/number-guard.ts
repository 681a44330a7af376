/**
 * Arithmetic and comparisons on operands the compiler cannot prove numeric, checked inline:
 * `(typeof a === "number" && typeof b === "number" ? a + b : rt.add(a, b))`. On numbers the native
 * operator is exactly what `rt.add` computes; everything else takes the `rt` path. The check costs V8
 * nothing to inline, whereas calls of `rt` operations compete for TurboFan's inlining budget, and
 * once a large compiled function exhausts it every further operation is a real call.
 * Operands that are not locals or number literals are evaluated once, in order, into temporaries.
 */
import { isNumber } from '../subset/index.ts';
import type { Gen } from './emit-context.ts';
import type { StaticType } from './emit-context.ts';
import { isLocalText } from './plain-read.ts';

const NUMBER = /^(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|\(-\d+(?:\.\d+)?(?:e[+-]?\d+)?\))$/;

/** Guarded binary operation; `f` is the rt operation of `op`. */
export function guardedBinary(g: Gen, op: string, f: string, a: string, b: string, ta: StaticType, tb: StaticType): string {
  const pre: string[] = [];
  const simpleA = isLocalText(a) || NUMBER.test(a);
  const simpleB = isLocalText(b) || NUMBER.test(b);
  // A local on the left is read before the right operand runs: keep that order if the right needs a temporary.
  if (!simpleA || (!simpleB && isLocalText(a))) {
    const t = g.temp();
    pre.push(`${t} = ${a}`);
    a = t;
  }
  if (!simpleB) {
    const t = g.temp();
    pre.push(`${t} = ${b}`);
    b = t;
  }
  const checks: string[] = [];
  if (ta !== 'num' && !NUMBER.test(a)) checks.push(isNumber(a));
  if (tb !== 'num' && !NUMBER.test(b)) checks.push(isNumber(b));
  const e = checks.length ? `${checks.join(' && ')} ? (${a} ${op} ${b}) : rt.${f}(${a}, ${b})` : `(${a} ${op} ${b})`;
  return pre.length ? `(${pre.join(', ')}, ${e})` : `(${e})`;
}

/** `x + 1` / `x - 1` of a local not proven numeric (`++x`, `x--` whose value is unused). */
export function guardedStep(cur: string, op: '+' | '-'): string | undefined {
  if (!isLocalText(cur)) return undefined;
  return `(${isNumber(cur)} ? (${cur} ${op} 1) : rt.${op === '+' ? 'inc' : 'dec'}(${cur}))`;
}
