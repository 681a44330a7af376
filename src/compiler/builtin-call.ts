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

/**
 * Builtin prototypes no runtime value can be: reading one as a value aborts (src/accelerator/builtins).
 * (Array.prototype is a value, a stand-in compared by identity.)
 */
const UNREACHABLE_PROTOTYPES: ReadonlySet<string> = new Set(['Number', 'String', 'Boolean']);

/**
 * `Number.prototype` (or String's, Boolean's) of the certain global, as an operand of `===` or `!==`.
 * Such a prototype is an exotic value in Node (a Number of 0, …) that the runtime does not model, and
 * no value compiled code holds is one of them, so `x === Number.prototype` is false for every x
 * (minimist: `o[key] === Number.prototype`); any other use still aborts.
 */
export function isUnreachablePrototype(g: Gen, n: N): boolean {
  if (n.type !== 'MemberExpression') return false;
  const o = n.object as N;
  const p = n.property as N;
  const named = n.computed ? p.type === 'StringLiteral' && p.value === 'prototype' : p.type === 'Identifier' && p.name === 'prototype';
  if (!named || o.type !== 'Identifier' || !UNREACHABLE_PROTOTYPES.has(o.name as string)) return false;
  return g.binding(o) === null && !g.scopes.incomplete;
}
