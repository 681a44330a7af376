// A backtracking matcher with ECMAScript's semantics (spec 22.2.2), for the patterns RE2 cannot run
// exactly (lookahead, backreferences, captures a quantifier resets, case folding beyond ASCII, …).
// The pattern, already validated by the host's RegExp, is compiled to a small program run by a loop
// with an explicit backtrack stack (no host recursion, whatever the input): every instruction and
// every backtrack is a step, and steps are fuel, so a catastrophic pattern ends in the request's
// `fuel` abort instead of stalling the dispatcher; the stack's growth is charged as memory.
//
// What one character means (a literal or a class, under the flags i, u and s) is asked of the host's
// own RegExp made of that single atom's source: a one-character test cannot stall, and its answer is
// V8's by construction (its case folding, `\p{…}`, Annex B escapes). The matcher itself never hands
// the host a pattern with a quantifier, a group or more than one atom.
import type { Host } from './host.ts';
import { countGroups, readQuantifier } from './regexp-syntax.ts';

export class BacktrackRefused extends Error {}

/** Steps per unit of fuel. */
const STEPS_PER_UNIT = 4;
/** Steps between fuel checks (so a check costs little against the steps it pays for). */
const BATCH = 256;
/** Bytes charged per backtrack stack slot. */
const SLOT_BYTES = 8;

type CharTest = (c: number) => boolean;

const enum Op {
  Char, Assert, Split, Jmp, Save, Clear, SetReg, Loop, Tail, Backref, LookStart, LookEnd, Match,
}

interface Inst {
  op: Op;
  /** Char: the test; backward when b is 1. */
  test?: CharTest;
  a: number;
  b: number;
  c: number;
  d: number;
  greedy?: boolean;
  refs?: number[];
}

type Node =
  | { t: 'char'; test: CharTest }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'group'; index: number; body: Node }
  | { t: 'look'; behind: boolean; negative: boolean; body: Node }
  | { t: 'quant'; min: number; max: number; greedy: boolean; body: Node; firstGroup: number; lastGroup: number }
  | { t: 'backref'; refs: number[]; name?: string }
  | { t: 'assert'; kind: '^' | '$' | 'b' | 'B' };

const LINE_TERMINATOR = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
const ASCII_WORD = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || (c >= 0x61 && c <= 0x7a);

/** A test asked of the host's RegExp of one atom, remembered for ASCII and for recent others. */
function hostTest(source: string, flags: string): CharTest {
  const re = new RegExp(source, flags);
  const ascii = new Uint8Array(128);
  const other = new Map<number, boolean>();
  return (c) => {
    if (c < 128) {
      const k = ascii[c]!;
      if (k !== 0) return k === 1;
      const v = re.test(String.fromCharCode(c));
      ascii[c] = v ? 1 : 2;
      return v;
    }
    const hit = other.get(c);
    if (hit !== undefined) return hit;
    const v = re.test(String.fromCodePoint(c));
    if (other.size >= 1024) other.clear();
    other.set(c, v);
    return v;
  };
}

class Parser {
  private i = 0;
  private group = 0;
  readonly names: (string | undefined)[] = [undefined];
  private readonly namedRefs: Array<{ node: { refs: number[]; name?: string } }> = [];
  private readonly u: boolean;
  private readonly ci: boolean;
  private readonly atomFlags: string;
  readonly total: number;
  private readonly hasNames: boolean;

  constructor(private readonly src: string, private readonly flags: string) {
    this.u = flags.includes('u');
    this.ci = flags.includes('i');
    this.atomFlags = ['i', 's', 'u'].filter((f) => flags.includes(f)).join('');
    const counted = countGroups(src);
    this.total = counted.count;
    this.hasNames = counted.named;
  }

  run(): Node {
    const n = this.disjunction();
    if (this.i < this.src.length) throw new BacktrackRefused(`unexpected ${this.src[this.i]}`);
    for (const r of this.namedRefs) {
      r.node.refs = this.names.flatMap((name, k) => (name === r.node.name ? [k] : []));
      if (r.node.refs.length === 0) throw new BacktrackRefused(`an unknown group name ${r.node.name}`);
    }
    return n;
  }

  get groups(): number {
    return this.group;
  }

  private peek(k = 0): string | undefined {
    return this.src[this.i + k];
  }

  private disjunction(): Node {
    const alts: Node[] = [this.alternative()];
    while (this.peek() === '|') {
      this.i++;
      alts.push(this.alternative());
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }

  private alternative(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') items.push(this.term());
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  private term(): Node {
    const groupBefore = this.group;
    const atom = this.atom();
    const q = this.quantifier();
    if (!q) return atom;
    return { t: 'quant', ...q, body: atom, firstGroup: groupBefore + 1, lastGroup: this.group };
  }

  private quantifier(): { min: number; max: number; greedy: boolean } | null {
    const q = readQuantifier(this.src, this.i);
    if (!q) return null;
    this.i = q.end;
    return { min: q.min, max: q.max, greedy: !q.lazy };
  }

  private atom(): Node {
    const c = this.peek()!;
    switch (c) {
      case '^':
      case '$':
        this.i++;
        return { t: 'assert', kind: c };
      case '.': {
        this.i++;
        const all = this.flags.includes('s');
        return { t: 'char', test: all ? () => true : (x) => !LINE_TERMINATOR(x) };
      }
      case '(':
        return this.groupAtom();
      case '[':
        return this.classAtom();
      case '\\':
        return this.escapeAtom();
      default: {
        const start = this.i;
        const cp = this.src.codePointAt(this.i)!;
        this.i += this.u && cp > 0xffff ? 2 : 1;
        const unit = this.u ? cp : this.src.charCodeAt(start);
        return this.literal(unit, this.src.slice(start, this.i));
      }
    }
  }

  /** A literal character: compared directly, or by the host under `i` (its case folding). */
  private literal(cp: number, source: string): Node {
    if (!this.ci) return { t: 'char', test: (c) => c === cp };
    return { t: 'char', test: hostTest(source, this.atomFlags) };
  }

  private groupAtom(): Node {
    const rest = this.src.slice(this.i, this.i + 4);
    for (const [prefix, behind, negative] of [['(?=', false, false], ['(?!', false, true], ['(?<=', true, false], ['(?<!', true, true]] as const) {
      if (rest.startsWith(prefix)) {
        this.i += prefix.length;
        const body = this.disjunction();
        this.expect(')');
        return { t: 'look', behind, negative, body };
      }
    }
    if (rest.startsWith('(?:')) {
      this.i += 3;
      const body = this.disjunction();
      this.expect(')');
      return body.t === 'seq' || body.t === 'alt' ? { t: 'seq', items: [body] } : body;
    }
    if (rest.startsWith('(?')  && rest[2] !== '<') throw new BacktrackRefused(`a group modifier ${rest}`);
    let name: string | undefined;
    if (rest.startsWith('(?<')) {
      const end = this.src.indexOf('>', this.i);
      name = this.src.slice(this.i + 3, end);
      if (name.includes('\\')) throw new BacktrackRefused('an escaped group name');
      this.i = end + 1;
    } else this.i++;
    const index = ++this.group;
    this.names[index] = name;
    const body = this.disjunction();
    this.expect(')');
    return { t: 'group', index, body };
  }

  private expect(c: string): void {
    if (this.peek() !== c) throw new BacktrackRefused(`expected ${c}`);
    this.i++;
  }

  /** A class `[…]`: its source, whole, is the host's one-character test. */
  private classAtom(): Node {
    const start = this.i;
    this.i++;
    if (this.peek() === '^') this.i++;
    while (this.peek() !== ']') {
      if (this.i >= this.src.length) throw new BacktrackRefused('an unterminated class');
      if (this.peek() === '\\') this.i++;
      this.i++;
    }
    this.i++;
    return { t: 'char', test: hostTest(this.src.slice(start, this.i), this.atomFlags) };
  }

  private escapeAtom(): Node {
    const start = this.i;
    this.i++;
    const c = this.peek()!;
    const rest = this.src.slice(this.i);
    const host = (): Node => ({ t: 'char', test: hostTest(this.src.slice(start, this.i), this.atomFlags) });
    if (c === 'b' || c === 'B') {
      this.i++;
      return { t: 'assert', kind: c };
    }
    if (/[1-9]/.test(c)) {
      const m = /^\d+/.exec(rest)![0];
      if (Number(m) <= this.total || this.u) {
        this.i += m.length;
        return { t: 'backref', refs: [Number(m)] };
      }
      this.i += /^(?:[0-3][0-7]{0,2}|[4-7][0-7]?|[89])/.exec(rest)![0].length;
      return host();
    }
    if (c === 'k' && (this.u || this.hasNames)) {
      const end = this.src.indexOf('>', this.i);
      const node: { t: 'backref'; refs: number[]; name?: string } = { t: 'backref', refs: [], name: this.src.slice(this.i + 2, end) };
      this.namedRefs.push({ node });
      this.i = end + 1;
      return node;
    }
    if (c === '0') {
      this.i += /^0(?:[0-7]{1,2})?/.exec(rest)![0].length;
      if (this.u) this.i = start + 2;
      return host();
    }
    if (c === 'c') {
      if (/^c[A-Za-z]/.test(rest)) {
        this.i += 2;
        return host();
      }
      // Annex B: a lone \c is a backslash; the c is read next as itself.
      return this.literal(0x5c, '\\\\');
    }
    if (c === 'x') {
      this.i += /^x[0-9A-Fa-f]{2}/.test(rest) ? 3 : 1;
      return host();
    }
    if (c === 'u') {
      const m = (this.u && /^u\{[0-9A-Fa-f]+\}/.exec(rest)) || (this.u && /^u[dD][89abAB][0-9A-Fa-f]{2}\\u[dD][c-fC-F][0-9A-Fa-f]{2}/.exec(rest)) || /^u[0-9A-Fa-f]{4}/.exec(rest);
      this.i += m ? m[0].length : 1;
      return host();
    }
    if (this.u && (c === 'p' || c === 'P')) {
      this.i = this.src.indexOf('}', this.i) + 1;
      return host();
    }
    // \d \D \w \W \s \S, control escapes and identity escapes: one character of source.
    const cp = this.src.codePointAt(this.i)!;
    this.i += this.u && cp > 0xffff ? 2 : 1;
    return host();
  }
}

class Compiler {
  readonly code: Inst[] = [];
  regs = 0;

  emit(op: Op, a = 0, b = 0, c = 0, d = 0): Inst {
    const inst: Inst = { op, a, b, c, d };
    this.code.push(inst);
    return inst;
  }

  get pc(): number {
    return this.code.length;
  }

  node(n: Node, back: boolean): void {
    switch (n.t) {
      case 'char': {
        const inst = this.emit(Op.Char, 0, back ? 1 : 0);
        inst.test = n.test;
        return;
      }
      case 'seq': {
        const items = back ? [...n.items].reverse() : n.items;
        for (const item of items) this.node(item, back);
        return;
      }
      case 'alt': {
        // Split → alt0, Jmp end; Split → alt1, Jmp end; … ; last alt
        const jumps: Inst[] = [];
        for (const [k, alt] of n.alts.entries()) {
          if (k < n.alts.length - 1) {
            const split = this.emit(Op.Split);
            this.node(alt, back);
            jumps.push(this.emit(Op.Jmp));
            split.a = this.pc;
          } else this.node(alt, back);
        }
        for (const j of jumps) j.a = this.pc;
        return;
      }
      case 'group': {
        // Backwards, the group's end is where its body starts.
        this.emit(Op.Save, 2 * n.index + (back ? 1 : 0));
        this.node(n.body, back);
        this.emit(Op.Save, 2 * n.index + (back ? 0 : 1));
        return;
      }
      case 'look': {
        const start = this.emit(Op.LookStart, n.negative ? 1 : 0);
        this.node(n.body, n.behind);
        this.emit(Op.LookEnd);
        start.b = this.pc;
        return;
      }
      case 'backref': {
        const inst = this.emit(Op.Backref, 0, back ? 1 : 0);
        inst.refs = n.refs;
        return;
      }
      case 'assert':
        this.emit(Op.Assert, '^$bB'.indexOf(n.kind));
        return;
      case 'quant': {
        if (n.max === 0) return;
        const r = this.regs++;
        const p = this.regs++;
        this.emit(Op.SetReg, r, 0);
        const head = this.pc;
        const loop = this.emit(Op.Loop, r, n.min, n.max === Infinity ? -1 : n.max);
        loop.greedy = n.greedy;
        this.emit(Op.SetReg, p, 1);
        if (n.lastGroup >= n.firstGroup) this.emit(Op.Clear, 2 * n.firstGroup, 2 * n.lastGroup + 1);
        this.node(n.body, back);
        this.emit(Op.Tail, r, p, n.min, head);
        loop.d = this.pc;
      }
    }
  }
}

export interface Program {
  readonly code: readonly Inst[];
  readonly groups: number;
  readonly regs: number;
  readonly names: readonly (string | undefined)[] | null;
  readonly flags: string;
  readonly wordTest: CharTest;
  readonly sameCase: ((a: number, b: number) => boolean) | null;
  /** Whether it can match the empty string somewhere. */
  readonly nullable: boolean;
}

function nullable(n: Node): boolean {
  switch (n.t) {
    case 'char':
      return false;
    case 'seq':
      return n.items.every(nullable);
    case 'alt':
      return n.alts.some(nullable);
    case 'group':
      return nullable(n.body);
    case 'quant':
      return n.min === 0 || nullable(n.body);
    default:
      return true;
  }
}

/** Compiles a pattern the host's RegExp accepted; throws BacktrackRefused for what it cannot run. */
export function compileBacktrack(source: string, flags: string): Program {
  if (flags.includes('v')) throw new BacktrackRefused('the v flag');
  const p = new Parser(source, flags);
  const ast = p.run();
  const c = new Compiler();
  c.node({ t: 'group', index: 0, body: ast }, false);
  c.emit(Op.Match);
  const ci = flags.includes('i');
  const u = flags.includes('u');
  // Under i and u, \b's word characters include those that fold to one (KELVIN SIGN, LONG S).
  const wordTest = ci && u ? hostTest('\\w', 'iu') : ASCII_WORD;
  let sameCase: ((a: number, b: number) => boolean) | null = null;
  if (ci) {
    // Backreferences compare characters by the spec's Canonicalize: asked of the host, as for atoms.
    const memo = new Map<number, boolean>();
    sameCase = (a, b) => {
      if (a === b) return true;
      const key = a * 0x110000 + b;
      let v = memo.get(key);
      if (v === undefined) {
        v = u ? new RegExp(`\\u{${a.toString(16)}}`, 'iu').test(String.fromCodePoint(b))
          : new RegExp(`\\u${a.toString(16).padStart(4, '0')}`, 'i').test(String.fromCharCode(b));
        if (memo.size >= 4096) memo.clear();
        memo.set(key, v);
      }
      return v;
    };
  }
  return { code: c.code, groups: p.groups, regs: c.regs, names: p.names.some((n) => n !== undefined) ? p.names : null, flags, wordTest, sameCase, nullable: nullable(ast) };
}

const CHOICE = 0;
const UNDO_CAP = 1;
const UNDO_REG = 2;
const MARK = 3;

/** Per-exec accounting: the steps not yet paid and the stack slots already charged. */
export interface Meter {
  steps: number;
  charged: number;
}

export const newMeter = (): Meter => ({ steps: 0, charged: 0 });

/** Pays the steps counted so far (whole units; the rest carries over). */
export function settle(h: Host, m: Meter): void {
  const units = Math.floor(m.steps / STEPS_PER_UNIT);
  if (units > 0) {
    m.steps -= units * STEPS_PER_UNIT;
    h.tick(units);
  }
}

/**
 * One match attempt at `from` (anchored there): the group positions (-1 when unset), or null.
 * Steps are paid in batches through `h.tick`, so a runaway attempt ends in the fuel abort.
 */
export function backtrackAt(h: Host, prog: Program, s: string, from: number, meter: Meter): number[] | null {
  const code = prog.code;
  const u = prog.flags.includes('u');
  const multi = prog.flags.includes('m');
  const caps = new Array<number>(2 * (prog.groups + 1)).fill(-1);
  const regs = new Array<number>(prog.regs).fill(0);
  const stack: number[] = [];
  const marks: number[] = [];
  const n = s.length;
  let pc = 0;
  let pos = from;
  let steps = 0;

  const setCap = (slot: number, v: number): void => {
    stack.push(UNDO_CAP, slot, caps[slot]!);
    caps[slot] = v;
  };
  const setReg = (r: number, v: number): void => {
    stack.push(UNDO_REG, r, regs[r]!);
    regs[r] = v;
  };
  const pay = (): void => {
    meter.steps += steps;
    steps = 0;
    if (stack.length > meter.charged) {
      h.alloc((stack.length - meter.charged) * SLOT_BYTES);
      meter.charged = stack.length;
    }
    settle(h, meter);
  };
  /** Pops to the last choice (undoing writes); false when none is left. */
  const backtrack = (): boolean => {
    while (stack.length > 0) {
      steps++;
      const y = stack.pop()!;
      const x = stack.pop()!;
      const kind = stack.pop()!;
      if (kind === CHOICE) {
        pc = x;
        pos = y;
        return true;
      }
      if (kind === UNDO_CAP) caps[x] = y;
      else if (kind === UNDO_REG) regs[x] = y;
      else {
        // A lookaround whose body failed: a positive one fails, a negative one succeeds.
        marks.pop();
        if (kind === MARK + 1) {
          const markPos = x;
          pc = y;
          pos = markPos;
          return true;
        }
      }
    }
    return false;
  };
  const isWord = (i: number): boolean => i >= 0 && i < n && prog.wordTest(s.charCodeAt(i));

  for (;;) {
    if (++steps >= BATCH) pay();
    const inst = code[pc]!;
    let ok = true;
    switch (inst.op) {
      case Op.Char: {
        if (inst.b === 0) {
          if (pos >= n) ok = false;
          else {
            let c = s.charCodeAt(pos);
            let w = 1;
            if (u && c >= 0xd800 && c <= 0xdbff && pos + 1 < n) {
              const lo = s.charCodeAt(pos + 1);
              if (lo >= 0xdc00 && lo <= 0xdfff) {
                c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
                w = 2;
              }
            }
            ok = inst.test!(c);
            if (ok) pos += w;
          }
        } else if (pos <= 0) ok = false;
        else {
          let c = s.charCodeAt(pos - 1);
          let w = 1;
          if (u && c >= 0xdc00 && c <= 0xdfff && pos - 2 >= 0) {
            const hi = s.charCodeAt(pos - 2);
            if (hi >= 0xd800 && hi <= 0xdbff) {
              c = 0x10000 + ((hi - 0xd800) << 10) + (c - 0xdc00);
              w = 2;
            }
          }
          ok = inst.test!(c);
          if (ok) pos -= w;
        }
        if (ok) pc++;
        break;
      }
      case Op.Assert:
        switch (inst.a) {
          case 0:
            ok = pos === 0 || (multi && LINE_TERMINATOR(s.charCodeAt(pos - 1)));
            break;
          case 1:
            ok = pos === n || (multi && LINE_TERMINATOR(s.charCodeAt(pos)));
            break;
          default:
            ok = (isWord(pos - 1) !== isWord(pos)) === (inst.a === 2);
        }
        if (ok) pc++;
        break;
      case Op.Split:
        stack.push(CHOICE, inst.a, pos);
        pc++;
        break;
      case Op.Jmp:
        pc = inst.a;
        break;
      case Op.Save:
        setCap(inst.a, pos);
        pc++;
        break;
      case Op.Clear:
        for (let k = inst.a; k <= inst.b; k++) if (caps[k] !== -1) setCap(k, -1);
        steps += inst.b - inst.a;
        pc++;
        break;
      case Op.SetReg:
        setReg(inst.a, inst.b === 1 ? pos : 0);
        pc++;
        break;
      case Op.Loop: {
        const k = regs[inst.a]!;
        if (k < inst.b) pc++;
        else if (k === inst.c) pc = inst.d;
        else if (inst.greedy) {
          stack.push(CHOICE, inst.d, pos);
          pc++;
        } else {
          stack.push(CHOICE, pc + 1, pos);
          pc = inst.d;
        }
        break;
      }
      case Op.Tail: {
        const k = regs[inst.a]!;
        // An iteration past the minimum that matched empty is rejected (the spec's empty check).
        if (k >= inst.c && pos === regs[inst.b]) ok = false;
        else {
          setReg(inst.a, k + 1);
          pc = inst.d;
        }
        break;
      }
      case Op.Backref: {
        let start = -1;
        let end = -1;
        for (const g of inst.refs!) {
          if (caps[2 * g]! >= 0 && caps[2 * g + 1]! >= 0) {
            start = caps[2 * g]!;
            end = caps[2 * g + 1]!;
          }
        }
        if (start >= 0) {
          const len = end - start;
          const at = inst.b === 0 ? pos : pos - len;
          if (at < 0 || at + len > n) ok = false;
          else {
            steps += len;
            ok = sameText(prog, s, start, at, len, u);
          }
          if (ok) pos = inst.b === 0 ? pos + len : pos - len;
        }
        if (ok) pc++;
        break;
      }
      case Op.LookStart:
        marks.push(stack.length);
        stack.push(MARK + inst.a, pos, inst.b);
        pc++;
        break;
      case Op.LookEnd: {
        const at = marks.pop()!;
        const kind = stack[at]!;
        const markPos = stack[at + 1]!;
        const next = stack[at + 2]!;
        if (kind === MARK) {
          // Success: no backtracking into the lookaround, but its captures stay (and are undone
          // when backtracking passes it): keep the undo entries, drop the choices.
          let w = at;
          for (let k = at + 3; k < stack.length; k += 3) {
            steps++;
            if (stack[k] !== CHOICE) {
              stack[w] = stack[k]!;
              stack[w + 1] = stack[k + 1]!;
              stack[w + 2] = stack[k + 2]!;
              w += 3;
            }
          }
          stack.length = w;
          pos = markPos;
          pc = next;
        } else {
          // A negative lookaround's body matched: undo its writes and fail.
          while (stack.length > at + 3) {
            steps++;
            const y = stack.pop()!;
            const x = stack.pop()!;
            const kind2 = stack.pop()!;
            if (kind2 === UNDO_CAP) caps[x] = y;
            else if (kind2 === UNDO_REG) regs[x] = y;
          }
          stack.length = at;
          ok = false;
        }
        break;
      }
      case Op.Match:
        meter.steps += steps;
        settle(h, meter);
        return caps.map((v, k) => (caps[k & ~1]! < 0 || caps[k | 1]! < 0 ? -1 : v));
    }
    if (!ok && !backtrack()) {
      meter.steps += steps;
      settle(h, meter);
      return null;
    }
  }
}

function sameText(prog: Program, s: string, a: number, b: number, len: number, u: boolean): boolean {
  if (!prog.sameCase) {
    for (let k = 0; k < len; k++) if (s.charCodeAt(a + k) !== s.charCodeAt(b + k)) return false;
    return true;
  }
  for (let k = 0; k < len; ) {
    const x = u ? s.codePointAt(a + k)! : s.charCodeAt(a + k);
    const y = u ? s.codePointAt(b + k)! : s.charCodeAt(b + k);
    if ((x > 0xffff) !== (y > 0xffff) || !prog.sameCase(x, y)) return false;
    k += x > 0xffff ? 2 : 1;
  }
  return true;
}
