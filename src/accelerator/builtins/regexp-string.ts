// String.prototype.match, matchAll, replace, replaceAll, split and search with a RegExp, as the spec's
// RegExp.prototype[@@match] and friends do them over the builtin exec (compiled code cannot replace a
// RegExp's exec: writes to a RegExp other than lastIndex abort). Each match costs what exec charges,
// and each piece of a result is charged as a new string.
import type { Host } from './host.ts';
import { CONS_NODE, ELEMENT_UNITS, MATCH_UNITS, NEW_PROPERTY, REPLACE_MATCH_UNITS, fastCharUnits, ropeUnits } from './costs.ts';
import { advance, exec, execPositions, makeRegExp, matchArray, regexpState, type RegExpState } from './regexp.ts';
import { chargeArray, chargeString, str } from './values.ts';
import { WebValue, type WebKind } from './web-value.ts';

const has = (st: RegExpState, f: string): boolean => st.flags.includes(f);

/** `s.match(re)`: exec once, or every match's text with g. */
export function match(h: Host, st: RegExpState, s: string): unknown {
  if (!has(st, 'g')) return exec(h, st, s);
  st.lastIndex = 0;
  const out: string[] = [];
  for (;;) {
    const r = execPositions(h, st, s);
    if (!r) break;
    h.tick(MATCH_UNITS);
    chargeString(h, r[1]! - r[0]!);
    out.push(s.slice(r[0], r[1]));
    if (r[0] === r[1]) st.lastIndex = advance(s, toIndex(h, st), has(st, 'u'));
  }
  if (out.length === 0) return null;
  chargeArray(h, out.length);
  return out;
}

/** lastIndex after a global exec: always a number the exec stored. */
const toIndex = (_h: Host, st: RegExpState): number => st.lastIndex as number;

/** Every match (RegExpExec results) of a global or sticky RegExp, as replace collects them. */
function allMatches(h: Host, st: RegExpState, s: string): number[][] {
  const out: number[][] = [];
  if (!has(st, 'g')) {
    const r = execPositions(h, st, s);
    return r ? [r] : [];
  }
  st.lastIndex = 0;
  for (;;) {
    const r = execPositions(h, st, s);
    if (!r) return out;
    h.tick(REPLACE_MATCH_UNITS);
    out.push(r);
    if (r[0] === r[1]) st.lastIndex = advance(s, toIndex(h, st), has(st, 'u'));
  }
}

/** GetSubstitution: `$$ $& $\` $' $n $nn $<name>` in a replacement string. */
function substitute(h: Host, s: string, r: number[], caps: readonly (string | undefined)[], groups: Record<string, unknown> | undefined, rep: string): string {
  const m = caps.length - 1;
  let out = '';
  let i = 0;
  while (i < rep.length) {
    const d = rep.indexOf('$', i);
    if (d < 0 || d + 1 >= rep.length) {
      out += rep.slice(i);
      break;
    }
    out += rep.slice(i, d);
    const c = rep[d + 1]!;
    i = d + 2;
    if (c === '$') out += '$';
    else if (c === '&') out += caps[0];
    else if (c === '`') out += s.slice(0, r[0]);
    else if (c === "'") out += s.slice(Math.min(r[1]!, s.length));
    else if (c >= '0' && c <= '9') {
      const two = rep[d + 2] !== undefined && rep[d + 2]! >= '0' && rep[d + 2]! <= '9' ? Number(c + rep[d + 2]) : -1;
      if (two >= 1 && two <= m) {
        out += caps[two] ?? '';
        i = d + 3;
      } else if (Number(c) >= 1 && Number(c) <= m) out += caps[Number(c)] ?? '';
      else out += `$${c}`;
    } else if (c === '<') {
      const end = groups === undefined ? -1 : rep.indexOf('>', d + 2);
      if (end < 0) out += '$<';
      else {
        const v = groups![rep.slice(d + 2, end)];
        if (v !== undefined) out += str(h, v);
        i = end + 1;
      }
    } else out += `$${c}`;
  }
  return out;
}

/** `s.replace(re, rep)` and `s.replaceAll(re, rep)` (the caller checked replaceAll's g). */
export function replace(h: Host, st: RegExpState, s: string, replaceValue: unknown): string {
  const functional = h.isCallable(replaceValue);
  const rep = functional ? '' : str(h, replaceValue);
  const results = allMatches(h, st, s);
  let out = '';
  let next = 0;
  for (const r of results) {
    const caps: (string | undefined)[] = [];
    for (let g = 0; 2 * g < r.length; g++) caps.push(r[2 * g]! < 0 ? undefined : s.slice(r[2 * g], r[2 * g + 1]));
    const a = matchArray(h, st, s, r) as unknown as { groups: Record<string, unknown> | undefined };
    const groups = a.groups;
    let piece: string;
    if (functional) {
      const args: unknown[] = [...caps, r[0], s];
      if (groups !== undefined) args.push(groups);
      piece = str(h, h.call(replaceValue, undefined, args));
    } else {
      h.tick(fastCharUnits(rep.length));
      piece = substitute(h, s, r, caps, groups, rep);
    }
    if (r[0]! >= next) {
      const chunk = s.slice(next, r[0]) + piece;
      h.tick(fastCharUnits(chunk.length));
      chargeString(h, chunk.length);
      h.alloc(2 * CONS_NODE);
      out += chunk;
      next = r[1]!;
    }
  }
  if (results.length === 0) return s;
  if (next < s.length) {
    chargeString(h, s.length - next);
    out += s.slice(next);
  }
  h.tick(ropeUnits(out.length));
  return out;
}

/** `s.split(re, limit)`: the spec's sticky scan, done with unanchored searches (the same matches). */
export function split(h: Host, st: RegExpState, s: string, lim: number): unknown[] {
  // The spec splits with a new RegExp of the same source and flags plus y, tried at each position; an
  // unanchored search from a position finds the first position where that succeeds, and its match.
  const base = st.flags.replace('y', '');
  const unicode = has(st, 'u');
  const out: unknown[] = [];
  const searcher = regexpState(makeRegExp(h, st.source, base.includes('g') ? base : `${base}g`))!;
  if (lim === 0) return out;
  if (s.length === 0) {
    const splitter = regexpState(makeRegExp(h, st.source, `${base}y`))!;
    if (execPositions(h, splitter, s)) return out;
    chargeArray(h, 1);
    return [s];
  }
  let p = 0;
  let q = 0;
  while (q < s.length) {
    searcher.lastIndex = q;
    const r = execPositions(h, searcher, s);
    if (!r || r[0]! >= s.length) break;
    q = r[0]!;
    const e = Math.min(r[1]!, s.length);
    if (e === p) {
      q = advance(s, q, unicode);
      continue;
    }
    h.tick(MATCH_UNITS);
    chargeString(h, q - p);
    out.push(s.slice(p, q));
    if (out.length === lim) return charged(h, out);
    p = e;
    for (let g = 1; 2 * g < r.length; g++) {
      const a = r[2 * g]!;
      if (a >= 0) chargeString(h, r[2 * g + 1]! - a);
      out.push(a < 0 ? undefined : s.slice(a, r[2 * g + 1]));
      if (out.length === lim) return charged(h, out);
    }
    q = p;
  }
  chargeString(h, s.length - p);
  out.push(s.slice(p));
  return charged(h, out);
}

function charged(h: Host, out: unknown[]): unknown[] {
  chargeArray(h, out.length);
  h.tick(ELEMENT_UNITS * out.length);
  return out;
}

/** `s.search(re)`: the first match's index, lastIndex left as it was. */
export function search(h: Host, st: RegExpState, s: string): number {
  const previous = st.lastIndex;
  if (!Object.is(previous, 0)) st.lastIndex = 0;
  const r = execPositions(h, st, s);
  if (!Object.is(st.lastIndex, previous)) st.lastIndex = previous;
  return r ? r[0]! : -1;
}

interface IterState {
  st: RegExpState;
  s: string;
  done: boolean;
}

function nextMatch(h: Host, it: IterState): unknown[] | null {
  if (it.done) return null;
  const r = execPositions(h, it.st, it.s);
  if (!r) {
    it.done = true;
    return null;
  }
  if (r[0] === r[1]) it.st.lastIndex = advance(it.s, it.st.lastIndex as number, has(it.st, 'u'));
  return matchArray(h, it.st, it.s, r);
}

const iteratorKind: WebKind<IterState> = {
  name: 'RegExp String Iterator',
  real: Object.getPrototypeOf(''.matchAll(/(?:)/g)) as object,
  getters: {},
  methods: {
    next(h, it) {
      const v = nextMatch(h, it);
      const out = h.fromHost({}) as Record<string, unknown>;
      h.alloc(2 * NEW_PROPERTY);
      out.value = v ?? undefined;
      out.done = v === null;
      return out;
    },
  },
  *iterate(h, it) {
    for (let v = nextMatch(h, it); v !== null; v = nextMatch(h, it)) yield v;
  },
};

/** `s.matchAll(re)`: an iterator over a copy of re (its lastIndex copied), which must be global. */
export function matchAll(h: Host, st: RegExpState, s: string): unknown {
  if (!has(st, 'g')) return h.throwError('TypeError', 'String.prototype.matchAll called with a non-global RegExp argument');
  const copy = regexpState(makeRegExp(h, st.source, st.flags))!;
  copy.lastIndex = toLengthOf(h, st.lastIndex);
  return WebValue.make(h, iteratorKind, { st: copy, s, done: false }, 96);
}

const toLengthOf = (h: Host, v: unknown): number => {
  const n = typeof v === 'number' ? v : h.toNumber(v);
  if (!(n > 0)) return 0;
  return Math.min(Math.trunc(n), Number.MAX_SAFE_INTEGER);
};

export const regexpIteratorKind = iteratorKind;

/** A RegExp made from a string argument (`s.match('a.c')`, `s.search(x)`, `s.matchAll(x)`). */
export function fromArgument(h: Host, v: unknown, flags: string): RegExpState {
  return regexpState(makeRegExp(h, v === undefined ? '' : str(h, v), flags))!;
}
