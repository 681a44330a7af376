/**
 * Pass 3, code generation: the whole program as one function expression of the runtime parameter
 * `rt`, in the grammar of docs/compiled-code.md. Its top level is the function file's top level
 * (CommonJS scope): running it once per instance keeps the file's globals across requests.
 */
import { Gen } from './emit-context.ts';
import { emitHoisted } from './emit-function.ts';
import { emitStatements } from './emit-statement.ts';
import { constructorNames } from './emit-this.ts';
import { hasUseStrict, type N } from './nodes.ts';
import type { ScopeInfo } from './scope.ts';

export interface CodegenStats {
  functions: number;
  unknown: number;
  unsupported: number;
}

export function generate(program: N, scopes: ScopeInfo): { code: string; stats: CodegenStats } {
  const g = new Gen(scopes);
  g.strict = hasUseStrict(program);
  g.constructorNames = constructorNames(program);
  const body = program.body as N[];
  emitHoisted(g, scopes.scopes.get(program), body);
  emitStatements(g, body);
  const temps = g.fn.temps.length ? [`  let ${g.fn.temps.join(', ')};`] : [];
  const code = ['(function (rt) {', '  "use strict";', ...temps, ...g.lines, '})', ''].join('\n');
  return { code, stats: g.stats };
}
