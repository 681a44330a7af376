/**
 * The TDZ decisions that wait for the end of pass 1. A `let`/`const` read from a function declaration
 * of its own scope needs no run-time check when that function cannot run before the declaration ran,
 * and a function declaration may first run at the statement where it is first used (or, when it is
 * used only from other declarations of the same scope, where they first run).
 */
import type { Binding } from './scope.ts';

/** A use of a function declaration: the index of the statement of its scope, or the declaration it is used from. */
export interface FunctionUse {
  fn: Binding;
  index: number;
  via: Binding | null;
}

/** A reference to `b` from the function declaration `fn` of the same scope. */
export interface DeferredReference {
  b: Binding;
  fn: Binding;
}

export function settleDeferredTdz(uses: readonly FunctionUse[], deferred: readonly DeferredReference[]): void {
  const first = new Map<Binding, number>();
  const usesOf = new Map<Binding, FunctionUse[]>();
  for (const u of uses) {
    let l = usesOf.get(u.fn);
    if (!l) usesOf.set(u.fn, (l = []));
    l.push(u);
  }
  const firstUse = (f: Binding, seen: Set<Binding>): number => {
    const known = first.get(f);
    if (known !== undefined) return known;
    if (seen.has(f)) return Infinity;
    seen.add(f);
    let m = Infinity;
    for (const u of usesOf.get(f) ?? []) m = Math.min(m, u.via && u.via !== f ? firstUse(u.via, seen) : u.via === f ? Infinity : u.index);
    seen.delete(f);
    if (seen.size === 0) first.set(f, m);
    return m;
  };
  for (const { b, fn } of deferred) {
    if (b.declIndex === undefined || b.scope !== fn.scope || !(firstUse(fn, new Set()) > b.declIndex)) b.tdz = true;
  }
}
