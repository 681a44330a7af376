import type { Statement } from 'acorn';
import type { Locals } from './locals.ts';

/**
 * What the expression rules need from the rest of the validator: the locals in scope, and the
 * statement rules, which the bodies of `rt.fn`'s functions follow (statements.ts).
 */
export interface Checker {
  readonly locals: Locals;
  /** Inside the body of `rt.afn`'s or `rt.gfn`'s generator function (not in a function nested in it): `yield` is allowed. */
  yields?: boolean;
  /** Inside the body of `rt.gfn`'s (rt.gfnt's) generator function: `yield* rt.ydeleg(Expr, text)` is allowed too. */
  delegates?: boolean;
  /** Inside the body of `rt.agfn`'s generator function: `yield rt.agy(Expr)` (the async generator's Yield) is allowed too. */
  marks?: boolean;
  statements(stmts: readonly Statement[]): void;
}
