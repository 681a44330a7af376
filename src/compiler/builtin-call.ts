/**
 * Calls of global builtins the compiler recognises by name, compiled to one runtime operation
 * instead of a global lookup and a method call. Only where the name is certainly the global: no
 * binding of the program declares it and the compiler saw every declaration (globals cannot be
 * reassigned by compiled code, rt.setglobal aborts, and the builtins library's statics are fixed).
 */
import type { Gen } from './emit-context.ts';
import type { N } from './nodes.ts';

/** `Object.keys(x)`, one plain argument: `rt.okeys(x)` (src/accelerator/fast-ops.ts). */
export function isObjectKeysCall(g: Gen, callee: N, args: N[]): boolean {
  if (callee.type !== 'MemberExpression' || callee.computed) return false;
  const o = callee.object as N;
  const p = callee.property as N;
  if (o.type !== 'Identifier' || o.name !== 'Object' || p.type !== 'Identifier' || p.name !== 'keys') return false;
  if (g.binding(o) !== null || g.scopes.incomplete) return false;
  return args.length === 1 && args[0]!.type !== 'SpreadElement';
}
