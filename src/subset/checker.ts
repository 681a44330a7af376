import type { Statement } from 'acorn';
import type { Locals } from './locals.ts';

/**
 * What the expression rules need from the rest of the validator: the locals in scope, and the
 * statement rules, which the bodies of `rt.fn`'s functions follow (statements.ts).
 */
export interface Checker {
  readonly locals: Locals;
  statements(stmts: readonly Statement[]): void;
}
