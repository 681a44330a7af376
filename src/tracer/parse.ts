import { parse } from '@babel/parser';
import type { File } from '@babel/types';

/** The function source does not parse; `line` is 1-based, `column` 0-based (Babel's convention). */
export class TraceParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'TraceParseError';
  }
}

/**
 * Parses a function file as loadFunction runs it: a CommonJS script compiled as a function body,
 * so top-level `return` and `new.target` are allowed.
 */
export function parseFunctionSource(source: string): File {
  try {
    return parse(source, {
      sourceType: 'script',
      allowReturnOutsideFunction: true,
      allowNewTargetOutsideFunction: true,
      attachComment: false,
    });
  } catch (err) {
    const loc = (err as { loc?: { line: number; column: number } }).loc;
    const message = err instanceof Error ? err.message : String(err);
    throw new TraceParseError(message, loc?.line ?? 0, loc?.column ?? 0);
  }
}
