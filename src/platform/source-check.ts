import type * as t from '@babel/types';
import { parseSource, SourceError } from './source-parse.ts';
import { NO_STYLE_MESSAGE, recognizeStyle, type FunctionStyle } from './source-style.ts';

export { SourceError } from './source-parse.ts';

export interface CheckedSource {
  style: FunctionStyle;
  ast: t.File;
  module: boolean;
}

/**
 * Checks a function file before it is stored (CONTRACT §3 400s): it must parse (as a CommonJS script
 * or an ES module, as its syntax says) and have a handler of one of the styles of CONTRACT §1 and
 * §1b (source-style.ts). Throws SourceError.
 */
export function checkSource(source: string): CheckedSource {
  const { ast, module } = parseSource(source);
  const style = recognizeStyle(ast.program);
  if (!style) throw new SourceError(NO_STYLE_MESSAGE, 1, 1);
  return { style, ast, module };
}
