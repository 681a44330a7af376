import type * as t from '@babel/types';
import { unsupportedIn } from '../tracer/index.ts';
import type { FunctionStyle } from './source-style.ts';

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

const STYLE_SUFFIX = '-style';
/** The styles whose entry compiled code runs (src/accelerator/styles.ts). */
const ACCELERATED_STYLES: ReadonlySet<FunctionStyle> = new Set(['paper', 'lambda', 'openwhisk']);
/** The blocker of a whole function whose style is not accelerated yet: `web-style`. */
export const styleBlocker = (style: FunctionStyle): string => `${style}${STYLE_SUFFIX}`;

/**
 * What will stay in containers, from the tracer's static analysis (src/tracer/unsupported.ts): the
 * outermost unsupported constructs of the file as its author wrote it. As the accelerator learns
 * more, the tracer's list shrinks and so does this.
 */
export function accelerationBlockers(ast: t.File, source: string, style: FunctionStyle): Blockers {
  const seen = new Set<string>();
  const all: Blocker[] = [];
  // Compiled code cannot run a Web function's entry yet (Request and Response are not in the
  // sandbox): it keeps the whole function in containers, whatever its constructs. Listed first.
  if (!ACCELERATED_STYLES.has(style)) all.push({ what: styleBlocker(style), line: 1, column: 1 });
  for (const u of unsupportedIn(ast, source)) {
    const b = { what: u.what, line: u.loc.line, column: u.loc.column + 1 };
    const k = `${b.what}@${b.line}:${b.column}`;
    if (seen.has(k)) continue;
    seen.add(k);
    all.push(b);
  }
  all.sort((a, b) => (a.what.endsWith(STYLE_SUFFIX) ? -1 : b.what.endsWith(STYLE_SUFFIX) ? 1 : a.line - b.line || a.column - b.column));
  return { list: all.slice(0, BLOCKERS_SHOWN), omitted: Math.max(0, all.length - BLOCKERS_SHOWN) };
}
