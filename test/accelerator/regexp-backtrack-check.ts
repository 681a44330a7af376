// The random differential check of the backtracking matcher against V8 (used by
// regexp-backtrack.test.ts with a bounded count, and by one-off runs with many more seeds).
import assert from 'node:assert/strict';
import { backtrackAt, compileBacktrack, newMeter } from '../../src/accelerator/builtins/regexp-backtrack.ts';
import type { Host } from '../../src/accelerator/builtins/host.ts';

const ATOMS = ['a', 'b', '.', '[ab]', '[^a]', '\\b', '\\B', '^', '$', '\\d', '\\s', '\\w', '\\W', 'k', 's', '[a-z]', '[^k]', '\\1', '\\2', '\\k<n1>',
  '(?=a)', '(?!b)', '(?<=a)', '(?<!b)', '\\n', ' ', '[\\s\\S]', '\\u00a0', '[K-S]', '\\x41', '{', '\\cJ', '[]', '[^]', 'é', 'É', '\\u212a', 'ß'];
const INPUTS = ['', 'a', 'ab', 'ba', 'abba', 'aab', 'a b', 'A\na', '1a_ b', 'k\u212a\u017fS', '\u00a0x\u3000', 'aaaa', 'abab', 'éÉß', '\r\na\u2028', 'b\ud83d\ude00a\ud83d'];
const FLAGS = ['', 'i', 'm', 's', 'u', 'y', 'im', 'iu', 'su', 'mu'];

/** A host that only counts: what the matcher charges, and an abort when the fuel runs out. */
export class CountingHost {
  fuel: number;
  used = 0;
  bytes = 0;
  constructor(fuel = Infinity) {
    this.fuel = fuel;
  }
  tick(n = 1): void {
    this.used += n;
    if (this.used > this.fuel) throw new Error('fuel');
  }
  alloc(b: number): void {
    this.bytes += b;
  }
}

export function randomPatterns(seed: number, count: number): string[] {
  let x = seed;
  const rnd = (n: number): number => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x % n;
  };
  const gen = (d: number): string => {
    const r = rnd(12);
    if (d > 3 || r < 3) return ATOMS[rnd(ATOMS.length)]!;
    if (r < 5) return gen(d + 1) + gen(d + 1);
    if (r < 6) return `${gen(d + 1)}|${gen(d + 1)}`;
    if (r < 7) return `(${gen(d + 1)})`;
    if (r < 8) return `(?<n${rnd(3)}>${gen(d + 1)})`;
    if (r < 9) return `(?${['=', '!', '<=', '<!'][rnd(4)]}${gen(d + 1)})`;
    return `(?:${gen(d + 1)})${['*', '+', '?', '{0,2}', '{2}', '*?', '+?', '??', '{1,}'][rnd(9)]}`;
  };
  return Array.from({ length: count }, () => gen(0));
}

/** Runs `count` random patterns; returns how many compiled and were compared. */
export function differential(seed: number, count: number): number {
  let tried = 0;
  for (const [i, src] of randomPatterns(seed, count).entries()) {
    const flags = FLAGS[i % FLAGS.length]!;
    try {
      new RegExp(src, flags);
    } catch {
      continue;
    }
    const prog = compileBacktrack(src, flags);
    tried++;
    for (const s of INPUTS) {
      // V8 may find an empty match inside a surrogate pair under u (the spec never starts there): aborts.
      if (prog.nullable && flags.includes('u') && /[\ud800-\udbff][\udc00-\udfff]/.test(s)) continue;
      for (let from = 0; from <= s.length; from++) {
        const host = new RegExp(src, flags.includes('y') ? flags : `${flags}g`);
        host.lastIndex = from;
        const want = host.exec(s);
        let got: (string | undefined)[] | null = null;
        let at = -1;
        const h = new CountingHost() as unknown as Host;
        const meter = newMeter();
        for (let start = from; start <= s.length; start++) {
          if (flags.includes('u') && start > from && start < s.length && /[\udc00-\udfff]/.test(s[start]!) && /[\ud800-\udbff]/.test(s[start - 1]!)) continue;
          if (flags.includes('u') && start === from && start > 0 && /[\udc00-\udfff]/.test(s[start] ?? '') && /[\ud800-\udbff]/.test(s[start - 1]!)) break;
          const r = backtrackAt(h, prog, s, start, meter);
          if (r) {
            got = Array.from({ length: prog.groups + 1 }, (_, g) => (r[2 * g]! < 0 ? undefined : s.slice(r[2 * g], r[2 * g + 1])));
            at = start;
            break;
          }
          if (flags.includes('y')) break;
        }
        if (flags.includes('u') && from > 0 && /[\udc00-\udfff]/.test(s[from] ?? '') && /[\ud800-\udbff]/.test(s[from - 1]!)) continue;
        assert.deepEqual([got, at], [want ? [...want] : null, want ? want.index : -1], `/${src}/${flags} on ${JSON.stringify(s)} from ${from}`);
      }
    }
  }
  return tried;
}

