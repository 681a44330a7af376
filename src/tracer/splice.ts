/**
 * A text edit on the source, by offsets. Insertions (`pos === end`) add text; a replacement
 * substitutes [pos, end). The user's code is otherwise kept byte for byte, and no edit contains a
 * newline, so line numbers do not move.
 */
export interface Edit {
  pos: number;
  end: number;
  text: string;
  /** At the same offset: 0 closes a node that ends there, 1 opens one that starts there, 2 replaces. */
  order: 0 | 1 | 2;
  /** Registration order: outer nodes are registered before the nodes they contain. */
  seq: number;
}

function compare(a: Edit, b: Edit): number {
  if (a.pos !== b.pos) return a.pos - b.pos;
  if (a.order !== b.order) return a.order - b.order;
  // Openings outermost first; closings innermost first.
  return a.order === 0 ? b.seq - a.seq : a.seq - b.seq;
}

export function applyEdits(source: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort(compare);
  const out: string[] = [];
  let cursor = 0;
  for (const e of sorted) {
    if (e.pos < cursor) throw new Error(`overlapping edits at offset ${e.pos}`);
    out.push(source.slice(cursor, e.pos), e.text);
    cursor = e.end;
  }
  out.push(source.slice(cursor));
  return out.join('');
}
