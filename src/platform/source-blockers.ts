import type * as t from '@babel/types';
import { unsupportedIn } from '../tracer/index.ts';

/** A construct that keeps requests reaching it in containers; `line` and `column` are 1-based, in the deployed file. */
export interface Blocker {
  what: string;
  line: number;
  column: number;
}

export interface Blockers {
  /** In source order, one per construct and position, at most BLOCKERS_SHOWN. */
  list: Blocker[];
  /** How many more there are past the list. */
  omitted: number;
}

export const BLOCKERS_SHOWN = 50;

/**
 * What will stay in containers, from the tracer's static analysis (src/tracer/unsupported.ts): the
 * outermost unsupported constructs of the file as its author wrote it. As the accelerator learns
 * more, the tracer's list shrinks and so does this.
 */
export function accelerationBlockers(ast: t.File, source: string): Blockers {
  const seen = new Set<string>();
  const all: Blocker[] = [];
  for (const u of unsupportedIn(ast, source)) {
    const b = { what: u.what, line: u.loc.line, column: u.loc.column + 1 };
    const k = `${b.what}@${b.line}:${b.column}`;
    if (seen.has(k)) continue;
    seen.add(k);
    all.push(b);
  }
  all.sort((a, b) => a.line - b.line || a.column - b.column);
  return { list: all.slice(0, BLOCKERS_SHOWN), omitted: Math.max(0, all.length - BLOCKERS_SHOWN) };
}
