// RegExp objects in compiled code, host-backed like the web objects (web-value.ts): the state is the
// pattern's source and flags, how it is matched, and `lastIndex`. Two engines, one interface
// (execPositions): re2js, linear in the input, wherever the RE2 translation (regexp-syntax.ts) is
// exact, charged by the characters it scans times the program's size; else the backtracker
// (regexp-backtrack.ts), the spec's matcher whose every step is fuel, also for the inputs on which
// RE2 would answer differently (line terminators other than \n under `m`, surrogates). So no pattern
// can stall the dispatcher. The host's own RegExp validates a pattern (its SyntaxError message is
// Node's) and spells `source` and `flags`; it matches only single-atom patterns on one character.
import { RE2JS } from 're2js';
import type { Host } from './host.ts';
import { ARRAY_HEADER, ELEMENT, NEW_PROPERTY, OBJECT_HEADER, charUnits, fastCharUnits } from './costs.ts';
import { BacktrackRefused, backtrackAt, compileBacktrack, newMeter, type Program } from './regexp-backtrack.ts';
import { Refused, translate, type Translation } from './regexp-syntax.ts';
import { BuiltinFunction, chargeArray, chargeString, str, toLength, unsupported } from './values.ts';
import { WebValue, isWebValue, type WebKind } from './web-value.ts';

/** Program steps (one instruction on one character) per unit of fuel. */
const STEPS_PER_UNIT = 16;
/** A match attempt whose worst case is above this many units is paid before it runs. */
const PREPAY_UNITS = 1 << 16;
/** Compiled patterns kept across requests (re2js programs are immutable). */
const CACHE_SIZE = 256;

interface Linear {
  readonly re: RE2JS;
  readonly t: Translation;
  readonly prog: number;
  /** Whether a non-u pattern can never match a surrogate nor an empty string (see checkInput). */
  readonly surrogateSafe: boolean;
}

/** RE2 where the translation is exact, else (or on inputs where it would not be) the backtracker. */
interface Compiled {
  readonly linear: Linear | null;
  /** Made on first need for a pattern RE2 runs (an input RE2 would answer differently). */
  backtrack: Program | null;
  readonly source: string;
  readonly groups: number;
  readonly names: readonly (string | undefined)[] | null;
  readonly nullable: boolean;
}

type Validated = { source: string; flags: string; c: Compiled } | { error: string } | { refused: string };

const cache = new Map<string, Validated>();

function validate(source: string, flags: string): Validated {
  const key = `${flags}/${source}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  let v: Validated;
  let host: RegExp | undefined;
  try {
    host = new RegExp(source, flags);
  } catch (e) {
    v = { error: e instanceof SyntaxError ? e.message : String(e) };
  }
  if (host) {
    if (host.flags.includes('v')) v = { refused: 'the v flag' };
    else {
      try {
        v = { source: host.source, flags: host.flags, c: compile(source, host.flags) };
      } catch (e) {
        v = { refused: e instanceof Refused || e instanceof BacktrackRefused ? e.message : String(e) };
      }
    }
  }
  cache.set(key, v!);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return v!;
}

function compile(source: string, flags: string): Compiled {
  try {
    const t = translate(source, flags);
    const re = RE2JS.compile(t.re2, t.lookbehind ? RE2JS.LOOKBEHINDS : 0);
    const prog = Math.max(1, re.matcher('').programSize());
    const wide = [...t.re2.matchAll(/\\x\{([0-9a-f]+)\}/g)].some((m) => parseInt(m[1]!, 16) >= 0xd800);
    const linear = { re, t, prog, surrogateSafe: !wide && !t.nullable };
    return { linear, backtrack: null, source, groups: t.groups, names: t.names, nullable: t.nullable };
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
  }
  const p = compileBacktrack(source, flags);
  return { linear: null, backtrack: p, source, groups: p.groups, names: p.names, nullable: p.nullable };
}

export interface RegExpState {
  readonly source: string;
  readonly flags: string;
  readonly c: Compiled;
  lastIndex: unknown;
}

const has = (st: RegExpState, f: string): boolean => st.flags.includes(f);

export function makeRegExp(h: Host, source: string, flags: string): WebValue {
  const fresh = !cache.has(`${flags}/${source}`);
  h.tick(fresh ? 64 * (source.length + 1) : charUnits(source.length));
  const v = validate(source, flags);
  if ('error' in v) return h.throwError('SyntaxError', v.error);
  if ('refused' in v) return unsupported(h, `RegExp /${source.slice(0, 80)}/${flags}`, v.refused);
  return WebValue.make(h, regexpKind, { source: v.source, flags: v.flags, c: v.c, lastIndex: 0 }, 96 + 2 * source.length);
}

export function regexpState(v: unknown): RegExpState | undefined {
  return isWebValue(v) ? WebValue.state(v, regexpKind) : undefined;
}

/** Whether RE2 answers as JS does on this input (else the backtracker runs); aborts where neither does. */
function linearFits(h: Host, st: RegExpState, s: string): boolean {
  h.tick(fastCharUnits(s.length));
  const l = st.c.linear;
  if (!l) return false;
  if (l.t.lfOnly && /[\r\u2028\u2029]/.test(s)) return false;
  if (has(st, 'u')) return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
  return l.surrogateSafe || !/[\ud800-\udfff]/.test(s);
}

const attemptUnits = (l: Linear, chars: number): number => 1 + Math.floor(((chars + 1) * l.prog) / STEPS_PER_UNIT);

/** One match (the first from `from`, anchored there when sticky): the group positions, or null. */
function matchAt(h: Host, st: RegExpState, s: string, from: number, linear: boolean): number[] | null {
  if (has(st, 'u') && from > 0 && from < s.length && isLow(s.charCodeAt(from)) && isHigh(s.charCodeAt(from - 1))) {
    unsupported(h, `RegExp /${st.source.slice(0, 80)}/${st.flags}`, 'lastIndex inside a surrogate pair');
  }
  if (!linear) return backtrackFrom(h, st, s, from);
  const l = st.c.linear!;
  const worst = attemptUnits(l, l.t.lookbehind ? s.length : s.length - from);
  const prepaid = worst > PREPAY_UNITS;
  if (prepaid) h.tick(worst);
  const m = l.re.matcher(s);
  // re2js anchors only at the input's start (as Go does): a sticky match is the leftmost match from
  // `from` when it starts there (leftmost-first prefers the earliest start, then the same match).
  const found = m.find(from);
  const ok = found && (!has(st, 'y') || m.start(0) === from);
  if (!prepaid) h.tick(l.t.lookbehind ? worst : attemptUnits(l, (found ? m.end(0) : s.length) - from));
  if (!ok) return null;
  const out: number[] = [];
  for (let g = 0; g <= l.t.groups; g++) out.push(m.start(g), m.end(g));
  return out;
}

/** The backtracker tried at each start from `from` (only there when sticky), as RegExpBuiltinExec does. */
function backtrackFrom(h: Host, st: RegExpState, s: string, from: number): number[] | null {
  let p = st.c.backtrack;
  if (!p) {
    try {
      p = st.c.backtrack = compileBacktrack(st.c.source, st.flags);
    } catch (e) {
      return unsupported(h, `RegExp /${st.source.slice(0, 80)}/${st.flags}`, e instanceof Error ? e.message : String(e));
    }
  }
  const meter = newMeter();
  const unicode = has(st, 'u');
  for (let start = from; start <= s.length; start = advance(s, start, unicode)) {
    const r = backtrackAt(h, p, s, start, meter);
    if (r || has(st, 'y')) return r;
  }
  return null;
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

export function advance(s: string, i: number, unicode: boolean): number {
  if (!unicode || i + 1 >= s.length) return i + 1;
  return isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1)) ? i + 2 : i + 1;
}

/** RegExpBuiltinExec: the positions of a match, honouring and updating lastIndex. */
export function execPositions(h: Host, st: RegExpState, s: string): number[] | null {
  const global = has(st, 'g') || has(st, 'y');
  let last = toLength(h, st.lastIndex);
  if (!global) last = 0;
  if (last > s.length) {
    if (global) st.lastIndex = 0;
    return null;
  }
  const r = matchAt(h, st, s, last, linearFits(h, st, s));
  // After a failed attempt at a surrogate pair, V8 tries the position inside it (the spec does not):
  // an assertion-only path can match empty there, so a scan that passed a pair aborts.
  if (has(st, 'u') && !has(st, 'y') && st.c.nullable && /[\ud800-\udbff][\udc00-\udfff]/.test(s.slice(last, r ? r[0]! + 1 : s.length))) {
    unsupported(h, `RegExp /${st.source.slice(0, 80)}/${st.flags}`, 'an empty match under u after a surrogate pair');
  }
  if (!r) {
    if (global) st.lastIndex = 0;
    return null;
  }
  if (global) st.lastIndex = r[1]!;
  return r;
}

/** The captures (index 1..n) of a match as strings or undefined, charged as new strings. */
function captures(h: Host, s: string, r: number[]): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  for (let g = 0; 2 * g < r.length; g++) {
    const a = r[2 * g]!;
    if (a < 0) out.push(undefined);
    else {
      chargeString(h, r[2 * g + 1]! - a);
      out.push(s.slice(a, r[2 * g + 1]!));
    }
  }
  return out;
}

function groupsObject(h: Host, st: RegExpState, caps: readonly unknown[]): Record<string, unknown> | undefined {
  const names = st.c.names;
  if (!names) return undefined;
  const g = Object.create(null) as Record<string, unknown>;
  h.alloc(OBJECT_HEADER);
  for (let i = 1; i < names.length; i++) {
    const n = names[i];
    if (n === undefined) continue;
    h.alloc(NEW_PROPERTY + 2 * n.length);
    g[n] = caps[i];
  }
  return g;
}

/** Arrays made by exec, with their own index, input, groups (and indices): the core reads those names. */
const matchArrays = new WeakSet<object>();
export const isMatchArray = (v: unknown): boolean => typeof v === 'object' && v !== null && matchArrays.has(v);

/** The realm's match array for positions r (exec's result). */
export function matchArray(h: Host, st: RegExpState, s: string, r: number[]): unknown[] {
  const caps = captures(h, s, r);
  chargeArray(h, caps.length);
  h.alloc(3 * NEW_PROPERTY);
  const a: unknown[] = [...caps];
  const rec = a as unknown as Record<string, unknown>;
  rec.index = r[0];
  rec.input = s;
  const groups = groupsObject(h, st, caps);
  rec.groups = groups;
  if (has(st, 'd')) {
    h.alloc(NEW_PROPERTY + ARRAY_HEADER + caps.length * (ELEMENT + ARRAY_HEADER + 2 * ELEMENT));
    const ind: unknown[] = caps.map((_c, g) => (r[2 * g]! < 0 ? undefined : [r[2 * g], r[2 * g + 1]]));
    (ind as unknown as Record<string, unknown>).groups = groupsObject(h, st, ind);
    matchArrays.add(ind);
    rec.indices = ind;
  }
  matchArrays.add(a);
  return a;
}

export function exec(h: Host, st: RegExpState, s: string): unknown[] | null {
  const r = execPositions(h, st, s);
  return r && matchArray(h, st, s, r);
}

const flag = (f: string) => (_h: Host, st: RegExpState) => has(st, f);

export const regexpKind: WebKind<RegExpState> = {
  name: 'RegExp',
  real: RegExp.prototype,
  getters: {
    source: (_h, st) => st.source,
    flags: (_h, st) => st.flags,
    global: flag('g'), ignoreCase: flag('i'), multiline: flag('m'), sticky: flag('y'), unicode: flag('u'),
    dotAll: flag('s'), hasIndices: flag('d'), unicodeSets: flag('v'),
    lastIndex: (_h, st) => st.lastIndex,
  },
  setters: {
    lastIndex: (_h, st, v) => {
      st.lastIndex = v;
    },
  },
  methods: {
    exec: (h, st, a) => exec(h, st, str(h, a.length > 0 ? a[0] : undefined)),
    test: (h, st, a) => execPositions(h, st, str(h, a.length > 0 ? a[0] : undefined)) !== null,
    toString: (h: Host, st: RegExpState) => toText(h, st),
  },
  toPrimitive: (h, st) => toText(h, st),
  // `regex.state = state` (picomatch): own properties a program adds.
  expandos: true,
};

function toText(h: Host, st: RegExpState): string {
  const s = `/${st.source}/${st.flags}`;
  h.tick(charUnits(s.length));
  chargeString(h, s.length);
  return s;
}

/** RegExp(pattern, flags) and new RegExp(…): a RegExp argument gives its source (and flags). */
function construct(h: Host, args: unknown[], called: boolean): unknown {
  const p = args[0];
  const f = args.length > 1 ? args[1] : undefined;
  const from = regexpState(p);
  if (from && called && f === undefined) return p; // RegExp(re) is re itself
  const source = from ? from.source : p === undefined ? '' : str(h, p);
  const flags = f === undefined ? (from ? from.flags : '') : str(h, f);
  return makeRegExp(h, source, flags);
}

export const RegExpFn = new BuiltinFunction({
  name: 'RegExp', length: 2, path: 'RegExp', real: RegExp,
  impl: (h, _t, args) => construct(h, args, true),
  construct: (h, args) => construct(h, args, false),
});
