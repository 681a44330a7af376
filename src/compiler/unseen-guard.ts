/**
 * The check on a store, in code no request reached, into a local the traced code keeps numeric
 * (types.ts, ScopeInfo.guarded): the value is stored when it is a number, otherwise the attempt
 * aborts with `unknown-path` before the store, the request is re-executed and traced, and the next
 * compile counts the store as traced code. The traced paths keep their native arithmetic.
 */
import { isNumber } from '../subset/index.ts';
import { locArgs, type Gen } from './emit-context.ts';
import type { N } from './nodes.ts';

export function numberOnly(g: Gen, id: N, value: string): string {
  g.stats.unknown++;
  const t = g.temp();
  return `(${t} = ${value}, ${isNumber(t)} ? ${t} : rt.unknown(${locArgs(id)}))`;
}
