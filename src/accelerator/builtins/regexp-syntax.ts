// JavaScript pattern syntax → RE2 syntax (re2js), exactly or not at all. The pattern was already
// validated by the host's own RegExp (a SyntaxError is Node's), so this parser only has to read valid
// patterns; a construct whose meaning RE2 does not share (lookahead, backreferences, captures that a
// quantifier would have to reset, case folding beyond ASCII) is refused with a detail naming it.
// The output names every character by code point (`\x{…}`) and spells out JS's classes (`\s` has the
// Unicode spaces, `.` excludes four line terminators), so no RE2 default leaks in.

export interface Translation {
  /** The RE2 pattern; capture groups are numbered as in the JS pattern. */
  readonly re2: string;
  /** Capture groups, not counting the whole match. */
  readonly groups: number;
  /** The name of each group (index 1..groups), or undefined; null when no group is named. */
  readonly names: readonly (string | undefined)[] | null;
  readonly lookbehind: boolean;
  /** Exact only on inputs with no line terminator but \n (see Parser.lfOnly). */
  readonly lfOnly: boolean;
  /** Whether it can match the empty string somewhere. */
  readonly nullable: boolean;
}

export class Refused extends Error {}

/** A quantifier of JS pattern syntax at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy), read by both engines' parsers. */
export interface Quantifier {
  min: number;
  max: number;
  lazy: boolean;
  /** Where the pattern goes on after it. */
  end: number;
}

export function readQuantifier(src: string, i: number): Quantifier | null {
  const c = src[i];
  let min: number;
  let max: number;
  if (c === '*') [min, max] = [0, Infinity];
  else if (c === '+') [min, max] = [1, Infinity];
  else if (c === '?') [min, max] = [0, 1];
  else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
    if (!m) return null; // a literal `{` (Annex B), read as an atom
    min = Number(m[1]);
    max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    i += m[0].length - 1;
  } else return null;
  i++;
  const lazy = src[i] === '?';
  return { min, max, lazy, end: lazy ? i + 1 : i };
}

type Range = [number, number];
const MAX_CP = 0x10ffff;
const DIGIT: Range[] = [[0x30, 0x39]];
const WORD: Range[] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
const SPACE: Range[] = [[0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]];
const LINE_TERMINATORS: Range[] = [[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]];

function normalize(rs: Range[]): Range[] {
  const s = [...rs].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [lo, hi] of s) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(rs: Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalize(rs)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

const hex = (c: number): string => `\\x{${c.toString(16)}}`;
const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const lit = (c: number): string => (isAlnum(c) ? String.fromCharCode(c) : hex(c));

function classText(rs: Range[]): string {
  const n = normalize(rs);
  if (n.length === 0) return '[^\\x{0}-\\x{10ffff}]';
  return `[${n.map(([lo, hi]) => (lo === hi ? lit(lo) : `${lit(lo)}-${lit(hi)}`)).join('')}]`;
}

/** A character with a case partner outside ASCII under `i`: JS's folding and RE2's may differ there. */
function hasNonAsciiCase(lo: number, hi: number): boolean {
  const from = Math.max(lo, 0x80);
  if (from > hi) return false;
  if (hi - from > 4096) return true; // a wide range certainly holds cased letters
  for (let c = from; c <= hi; c++) {
    const s = String.fromCodePoint(c);
    if (s.toUpperCase() !== s || s.toLowerCase() !== s) return true;
  }
  return false;
}

class Parser {
  private i = 0;
  private group = 0;
  private readonly names: (string | undefined)[] = [undefined];
  private named = false;
  lookbehind = false;
  /** `^`/`$` with m are RE2's, whose only line terminator is \n: exact on text without \r, U+2028, U+2029. */
  lfOnly = false;
  private readonly total: number;
  private readonly hasNames: boolean;

  constructor(
    private readonly src: string,
    private readonly u: boolean,
    private readonly ci: boolean,
    private readonly dotAll: boolean,
    private readonly multi: boolean,
  ) {
    const counted = countGroups(src);
    this.total = counted.count;
    this.hasNames = counted.named;
  }

  run(): Translation {
    const out = this.disjunction();
    if (this.i < this.src.length) throw new Refused(`unexpected ${this.src[this.i]}`);
    return { re2: out.text, groups: this.group, names: this.named ? this.names : null, lookbehind: this.lookbehind, lfOnly: this.lfOnly, nullable: out.nullable };
  }

  private peek(k = 0): string | undefined {
    return this.src[this.i + k];
  }

  private cp(): number {
    const c = this.src.codePointAt(this.i)!;
    if (this.u && c > 0xffff) {
      this.i += 2;
      return c;
    }
    this.i++;
    return this.src.charCodeAt(this.i - 1);
  }

  /** Alternatives: text, and whether any capture sits in an optional place (for quantifier checks). */
  private disjunction(): Node {
    const alts: Node[] = [this.alternative()];
    while (this.peek() === '|') {
      this.i++;
      alts.push(this.alternative());
    }
    if (alts.length === 1) return alts[0]!;
    return {
      text: alts.map((a) => a.text).join('|'),
      choice: true,
      captures: alts.some((a) => a.captures),
      optionalCapture: alts.some((a) => a.captures),
      nullable: alts.some((a) => a.nullable),
    };
  }

  private alternative(): Node {
    const parts: Node[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') parts.push(this.term());
    return {
      text: parts.map((p) => p.text).join(''),
      choice: parts.some((p) => p.choice),
      captures: parts.some((p) => p.captures),
      optionalCapture: parts.some((p) => p.optionalCapture),
      nullable: parts.every((p) => p.nullable),
    };
  }

  private term(): Node {
    const start = this.i;
    const atom = this.atom();
    const q = this.quantifier();
    if (!q) return atom;
    if (atom.assertion) throw new Refused('a quantified assertion');
    // JS resets captures at each iteration and rejects an optional iteration that matches empty;
    // RE2 keeps the last iteration's captures and takes empty ones: refuse where that shows.
    if (atom.captures && ((q.max > 1 && (atom.optionalCapture || atom.nullable)) || (q.min === 0 && atom.nullable))) {
      throw new Refused(`captures a quantifier resets (${this.src.slice(start, this.i)})`);
    }
    // An empty iteration JS rejects may be the one RE2 prefers (a lazy or alternative empty path).
    if (atom.nullable && atom.choice) throw new Refused(`a quantified group that may match empty (${this.src.slice(start, this.i)})`);
    if (q.min > 1000 || (q.max !== Infinity && q.max > 1000)) throw new Refused('a repetition count over 1000');
    const body = `(?:${atom.text})`;
    const count = q.min === 0 && q.max === Infinity ? '*' : q.min === 1 && q.max === Infinity ? '+' : q.min === 0 && q.max === 1 ? '?'
      : q.max === Infinity ? `{${q.min},}` : q.min === q.max ? `{${q.min}}` : `{${q.min},${q.max}}`;
    return {
      text: body + count + (q.lazy ? '?' : ''),
      choice: atom.choice || q.lazy,
      captures: atom.captures,
      optionalCapture: atom.optionalCapture || (atom.captures && q.min === 0),
      nullable: atom.nullable || q.min === 0,
    };
  }

  private quantifier(): Quantifier | null {
    const q = readQuantifier(this.src, this.i);
    if (q) this.i = q.end;
    return q;
  }

  private atom(): Node {
    const c = this.peek()!;
    const plain = (text: string, nullable = false): Node => ({ text, captures: false, optionalCapture: false, nullable, choice: false });
    switch (c) {
      case '^':
        this.i++;
        this.lfOnly ||= this.multi;
        return { ...plain(this.multi ? '(?m:^)' : '\\A', true), assertion: true };
      case '$':
        this.i++;
        this.lfOnly ||= this.multi;
        return { ...plain(this.multi ? '(?m:$)' : '\\z', true), assertion: true };
      case '.':
        this.i++;
        return plain(this.dotAll ? '[\\x{0}-\\x{10ffff}]' : classText(complement(LINE_TERMINATORS)));
      case '(':
        return this.groupAtom();
      case '[':
        return plain(this.classAtom());
      case '\\':
        return this.escapeAtom();
      default: {
        const cp = this.cp();
        return plain(this.charText(cp));
      }
    }
  }

  private groupAtom(): Node {
    const rest = this.src.slice(this.i, this.i + 4);
    if (rest.startsWith('(?=') || rest.startsWith('(?!')) throw new Refused(`lookahead ${rest.slice(0, 3)}`);
    if (rest.startsWith('(?<=') || rest.startsWith('(?<!')) {
      this.i += 4;
      const before = this.group;
      const inner = this.disjunction();
      if (this.group !== before) throw new Refused('a capture inside a lookbehind');
      this.expect(')');
      this.lookbehind = true;
      return { text: `${rest}${inner.text})`, captures: false, optionalCapture: false, nullable: true, assertion: true, choice: false };
    }
    if (rest.startsWith('(?:')) {
      this.i += 3;
      const inner = this.disjunction();
      this.expect(')');
      return { ...inner, text: `(?:${inner.text})` };
    }
    let name: string | undefined;
    if (rest.startsWith('(?<')) {
      const end = this.src.indexOf('>', this.i);
      name = this.src.slice(this.i + 3, end);
      if (name.includes('\\')) throw new Refused('an escaped group name');
      this.i = end + 1;
      this.named = true;
    } else this.i++;
    const index = ++this.group;
    this.names[index] = name;
    const inner = this.disjunction();
    this.expect(')');
    return { text: `(${inner.text})`, captures: true, optionalCapture: inner.optionalCapture, nullable: inner.nullable, choice: inner.choice };
  }

  private expect(c: string): void {
    if (this.peek() !== c) throw new Refused(`expected ${c}`);
    this.i++;
  }

  /** A literal character, with its ASCII case partner under `i`. */
  private charText(cp: number): string {
    if (!this.ci) return lit(cp);
    return classText(this.caseClose([[cp, cp]]));
  }

  private caseClose(rs: Range[]): Range[] {
    if (!this.ci) return rs;
    const out: Range[] = [...rs];
    for (const [lo, hi] of rs) {
      if (hasNonAsciiCase(lo, hi)) throw new Refused('case-insensitive matching of non-ASCII letters');
      for (let c = Math.max(lo, 0x41); c <= Math.min(hi, 0x7a); c++) {
        if (c > 0x5a && c < 0x61) continue;
        const upper = c >= 0x61 ? c - 32 : c;
        const lower = upper + 32;
        out.push([upper, upper], [lower, lower]);
        // Under u, simple case folding also pairs k with KELVIN SIGN and s with LONG S.
        if (this.u && upper === 0x4b) out.push([0x212a, 0x212a]);
        if (this.u && upper === 0x53) out.push([0x17f, 0x17f]);
      }
    }
    return out;
  }

  private classAtom(): string {
    this.i++;
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.i++;
    }
    const rs: Range[] = [];
    while (this.peek() !== ']') {
      if (this.i >= this.src.length) throw new Refused('unterminated class');
      const a = this.classAtomOne();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        const save = this.i;
        this.i++;
        const b = this.classAtomOne();
        if (typeof a === 'number' && typeof b === 'number') {
          rs.push([a, b]);
          continue;
        }
        // Annex B: a class escape at either end makes `-` literal.
        if (this.u) throw new Refused('a class escape in a range');
        this.i = save;
      }
      if (typeof a === 'number') rs.push([a, a]);
      else rs.push(...a);
    }
    this.i++;
    const set = this.caseClose(rs);
    return classText(negate ? complement(set) : set);
  }

  /** One class atom: a code point, or the ranges of a class escape. */
  private classAtomOne(): number | Range[] {
    if (this.peek() !== '\\') return this.cp();
    this.i++;
    const c = this.peek()!;
    const cls = this.classEscape(c);
    if (cls) {
      this.i++;
      return cls;
    }
    if (c === 'b') {
      this.i++;
      return 0x08;
    }
    if (c === '-' ) {
      this.i++;
      return 0x2d;
    }
    if (!this.u && c === 'c') {
      // Annex B: \c followed by a digit or _ inside a class is that control character.
      const d = this.peek(1);
      if (d !== undefined && /[0-9_]/.test(d)) {
        this.i += 2;
        return d.charCodeAt(0) % 32;
      }
    }
    if (!this.u && /[0-9]/.test(c)) return this.legacyOctal();
    return this.characterEscape();
  }

  private classEscape(c: string): Range[] | null {
    const base = c === 'd' || c === 'D' ? DIGIT : c === 'w' || c === 'W' ? WORD : c === 's' || c === 'S' ? SPACE : null;
    if (!base) {
      if (this.u && (c === 'p' || c === 'P')) throw new Refused('a Unicode property escape');
      return null;
    }
    if (this.ci && this.u && (c === 'w' || c === 'W')) throw new Refused(`\\${c} with the i and u flags`);
    return c === c.toUpperCase() ? complement(base) : base;
  }

  private escapeAtom(): Node {
    const plain = (text: string): Node => ({ text, captures: false, optionalCapture: false, nullable: false, choice: false });
    this.i++;
    const c = this.peek()!;
    if (c === 'b' || c === 'B') {
      if (this.ci && this.u) throw new Refused(`\\${c} with the i and u flags`);
      this.i++;
      return { text: `\\${c}`, captures: false, optionalCapture: false, nullable: true, assertion: true, choice: false };
    }
    const cls = this.classEscape(c);
    if (cls) {
      this.i++;
      return plain(classText(cls));
    }
    if (/[1-9]/.test(c)) {
      const m = /^\d+/.exec(this.src.slice(this.i))![0];
      if (Number(m) <= this.total || this.u) throw new Refused('a backreference');
      return plain(this.charText(this.legacyOctal()));
    }
    if (c === 'k' && (this.u || this.hasNames)) throw new Refused('a backreference');
    if (c === '0' && !/[0-9]/.test(this.peek(1) ?? '')) {
      this.i++;
      return plain(lit(0));
    }
    if (c === '0') return plain(this.charText(this.legacyOctal()));
    return plain(this.charText(this.characterEscape()));
  }

  /** Annex B: up to three octal digits (at most \377), or 8 and 9 as themselves. */
  private legacyOctal(): number {
    const m = /^(?:[0-3][0-7]{0,2}|[4-7][0-7]?|[89])/.exec(this.src.slice(this.i))![0];
    this.i += m.length;
    return m === '8' || m === '9' ? m.charCodeAt(0) : parseInt(m, 8);
  }

  /** After the backslash: a character escape (the pattern is known to be valid). */
  private characterEscape(): number {
    const c = this.peek()!;
    const simple: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13, 0: 0 };
    if (Object.hasOwn(simple, c)) {
      this.i++;
      return simple[c]!;
    }
    if (c === 'c') {
      const d = this.peek(1);
      if (d !== undefined && /[A-Za-z]/.test(d)) {
        this.i += 2;
        return d.charCodeAt(0) % 32;
      }
      // Annex B: a lone \c is a backslash followed by c; the c is read next.
      return 0x5c;
    }
    if (c === 'x') {
      const m = /^x([0-9A-Fa-f]{2})/.exec(this.src.slice(this.i));
      if (m) {
        this.i += 3;
        return parseInt(m[1]!, 16);
      }
      this.i++;
      return 0x78;
    }
    if (c === 'u') {
      const rest = this.src.slice(this.i);
      const braced = this.u ? /^u\{([0-9A-Fa-f]+)\}/.exec(rest) : null;
      if (braced) {
        this.i += braced[0].length;
        return parseInt(braced[1]!, 16);
      }
      const m = /^u([0-9A-Fa-f]{4})/.exec(rest);
      if (m) {
        this.i += 5;
        const hi = parseInt(m[1]!, 16);
        if (this.u && hi >= 0xd800 && hi <= 0xdbff) {
          const lo = /^\\u(d[c-f][0-9a-f]{2})/i.exec(this.src.slice(this.i));
          if (lo) {
            this.i += 6;
            return 0x10000 + ((hi - 0xd800) << 10) + (parseInt(lo[1]!, 16) - 0xdc00);
          }
        }
        return hi;
      }
      this.i++;
      return 0x75;
    }
    if (this.u && (c === 'p' || c === 'P')) throw new Refused('a Unicode property escape');
    // An identity escape: the character itself.
    return this.cp();
  }
}

interface Node {
  text: string;
  captures: boolean;
  /** A capture inside that one iteration may leave unset (alternation, `?`, `*`). */
  optionalCapture: boolean;
  nullable: boolean;
  /** It has a lazy quantifier or an alternation: its preferred path may be an empty one. */
  choice: boolean;
  assertion?: boolean;
}

/** The capture groups of a valid pattern, and whether one is named (`\k` is a backreference then). */
export function countGroups(src: string): { count: number; named: boolean } {
  let count = 0;
  let named = false;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') {
      if (src[i + 1] !== '?') count++;
      else if (src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!') {
        count++;
        named = true;
      }
    }
  }
  return { count, named };
}

/** The RE2 form of a valid JS pattern with valid flags, or a Refused error naming what cannot be. */
export function translate(source: string, flags: string): Translation {
  const p = new Parser(source, flags.includes('u'), flags.includes('i'), flags.includes('s'), flags.includes('m'));
  return p.run();
}
