/**
 * Source locations of aborts at no run-time cost: the compiler ends generated lines with
 * `//@LINE:COL` of the source statement; an abort captures the native stack once, finds the first
 * frame in the compiled script, and maps its generated line to the nearest marked line above it.
 */
export interface SourceLoc {
  line: number;
  column: number;
}

export function buildLineMap(code: string): (SourceLoc | undefined)[] {
  const out: (SourceLoc | undefined)[] = [undefined];
  let last: SourceLoc | undefined;
  for (const text of code.split('\n')) {
    const m = /\/\/@(\d+):(\d+)$/.exec(text);
    if (m) last = { line: Number(m[1]), column: Number(m[2]) };
    out.push(last);
  }
  return out;
}

export function locateInStack(stack: string | undefined, filename: string, map: (SourceLoc | undefined)[]): SourceLoc | undefined {
  if (!stack) return undefined;
  const at = stack.indexOf(filename + ':');
  if (at < 0) return undefined;
  const m = /^:(\d+):\d+/.exec(stack.slice(at + filename.length));
  if (!m) return undefined;
  return map[Number(m[1])];
}
