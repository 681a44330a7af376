/**
 * The locals in scope while the validator walks the program: every identifier compiled code reads or
 * writes must be declared (`let`, a parameter, a for-of head) in an enclosing block, function or loop
 * head. There are no free identifiers, so no global is ever reachable by name.
 */
import type { AnyNode, Identifier, Statement } from 'acorn';
import { fail } from './errors.ts';
import { isIdentifier } from './shapes.ts';

/** Never declared, never read: the runtime parameter and the names that reach globals or the function itself. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['rt', 'eval', 'arguments', 'undefined', 'NaN', 'Infinity', 'globalThis', 'this']);

interface Frame {
  readonly names: Set<string>;
  readonly parent: Frame | null;
}

export class Locals {
  private frame: Frame = { names: new Set(), parent: null };

  /** Runs `check` in a new scope (a block, a function, a loop head): what it declares is gone afterwards. */
  within(check: () => void): void {
    const outer = this.frame;
    this.frame = { names: new Set(), parent: outer };
    try {
      check();
    } finally {
      this.frame = outer;
    }
  }

  declare(id: AnyNode): void {
    if (!isIdentifier(id)) fail(id, 'only identifiers can be declared');
    if (FORBIDDEN_NAMES.has(id.name)) fail(id, `cannot declare ${id.name}`);
    this.frame.names.add(id.name);
  }

  /** Declares a block's `let` names before its statements are checked: they are visible in the whole block. */
  hoist(stmts: readonly Statement[]): void {
    for (const s of stmts) if (s.type === 'VariableDeclaration') for (const d of s.declarations) this.declare(d.id);
  }

  /** A read or a write of `id`: it must be a local in scope. */
  use(id: Identifier): void {
    if (!this.has(id.name) || FORBIDDEN_NAMES.has(id.name)) fail(id, `free identifier ${id.name}`);
  }

  private has(name: string): boolean {
    for (let f: Frame | null = this.frame; f !== null; f = f.parent) if (f.names.has(name)) return true;
    return false;
  }
}
