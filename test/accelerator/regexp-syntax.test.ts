// The JS → RE2 translation (src/accelerator/builtins/regexp-syntax.ts): what it accepts matches
// exactly as V8 does (random patterns against the host's RegExp, every start position), and what it
// refuses is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RE2JS } from 're2js';
import { Refused, translate } from '../../src/accelerator/builtins/regexp-syntax.ts';

const ATOMS = ['a', 'b', '.', '[ab]', '[^a]', '\\b', '\\B', '^', '$', '\\d', '\\s', '\\w', '\\W', '\\S', 'k', 's', '[a-z]', '[^k]', '(?<=a)', '(?<!b)',
  '\\n', ' ', '[\\s\\S]', '\\u00a0', '[K-S]', '\\x41', '{', '\\cJ', '[]', '[^]'];
const INPUTS = ['', 'a', 'ab', 'ba', 'abba', 'a b', 'A\na', '1a_ b', 'k\u212a\u017fS', '\u00a0x\u3000\ufeff', 'Kelvin ks', '{\n}'];
const FLAGS = ['', 'i', 'm', 's', 'u', 'y', 'im', 'iu', 'su'];

function randomPatterns(seed: number, count: number): string[] {
  let x = seed;
  const rnd = (n: number): number => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x % n;
  };
  const gen = (d: number): string => {
    const r = rnd(10);
    if (d > 3 || r < 3) return ATOMS[rnd(ATOMS.length)]!;
    if (r < 5) return gen(d + 1) + gen(d + 1);
    if (r < 6) return `${gen(d + 1)}|${gen(d + 1)}`;
    if (r < 7) return `(${gen(d + 1)})`;
    if (r < 8) return `(?<n${d}${rnd(100)}>${gen(d + 1)})`;
    return `(?:${gen(d + 1)})${['*', '+', '?', '{0,2}', '{2}', '*?', '+?', '??', '{1,}'][rnd(9)]}`;
  };
  return Array.from({ length: count }, () => gen(0));
}

test('translated patterns match as V8 does, at every start position', () => {
  let tried = 0;
  const patterns = randomPatterns(7, 3000);
  for (const [i, src] of patterns.entries()) {
    const flags = FLAGS[i % FLAGS.length]!;
    try {
      new RegExp(src, flags);
    } catch {
      continue; // a SyntaxError: the runtime throws the host's
    }
    let t;
    try {
      t = translate(src, flags);
    } catch (e) {
      if (e instanceof Refused) continue;
      throw e;
    }
    const re = RE2JS.compile(t.re2, t.lookbehind ? RE2JS.LOOKBEHINDS : 0);
    tried++;
    for (const s of INPUTS) {
      if (t.lfOnly && /[\r\u2028\u2029]/.test(s)) continue; // aborts at run time
      for (let from = 0; from <= s.length; from++) {
        const host = new RegExp(src, flags.includes('y') ? flags : `${flags}g`);
        host.lastIndex = from;
        const want = host.exec(s);
        const m = re.matcher(s);
        const ok = m.find(from) && (!flags.includes('y') || m.start(0) === from);
        const got: (string | undefined)[] | null = ok ? Array.from({ length: t.groups + 1 }, (_, g) => (m.start(g) < 0 ? undefined : s.slice(m.start(g), m.end(g)))) : null;
        assert.deepEqual([got, ok ? m.start(0) : -1], [want ? [...want] : null, want ? want.index : -1], `/${src}/${flags} on ${JSON.stringify(s)} from ${from} (RE2: ${t.re2})`);
      }
    }
  }
  assert.ok(tried > 2000, `only ${tried} patterns were translated`);
});

test('constructs RE2 does not share are refused, naming them', () => {
  for (const [src, flags, what] of [
    ['a(?=b)', '', 'lookahead'], ['a(?!b)', '', 'lookahead'], ['(a)\\1', '', 'backreference'], ['(?<n>a)\\k<n>', '', 'backreference'],
    ['(?:(a)|b)+', '', 'quantifier resets'], ['(a*)+', '', 'quantifier resets'], ['(?:(a)?b)*', '', 'quantifier resets'],
    ['\\p{L}', 'u', 'property'], ['é', 'i', 'non-ASCII'], ['[à-ÿ]', 'i', 'non-ASCII'], ['\\w', 'iu', 'the i and u flags'],
    ['a{1001}', '', 'over 1000'], ['(?<=(a))b', '', 'capture inside a lookbehind'],
  ] as const) {
    assert.throws(() => translate(src, flags), (e: unknown) => e instanceof Refused && e.message.includes(what), `/${src}/${flags}`);
  }
});

test('accepted forms and their RE2 spelling', () => {
  assert.equal(translate('a.b', '').re2, 'a[\\x{0}-\\x{9}\\x{b}-\\x{c}\\x{e}-\\x{2027}\\x{202a}-\\x{10ffff}]b');
  assert.equal(translate('\\s', '').re2, '[\\x{9}-\\x{d}\\x{20}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}-\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}]');
  assert.equal(translate('k', 'i').re2, '[Kk]');
  assert.equal(translate('k', 'iu').re2, '[Kk\\x{212a}]');
  assert.equal(translate('^a$', '').re2, '\\Aa\\z');
  const named = translate('(?<y>\\d{4})-(\\d\\d)', '');
  assert.deepEqual([named.groups, named.names], [2, [undefined, 'y', undefined]]);
  assert.equal(translate('(?:(\\d+)\\.)+', '').groups, 1); // a capture set on every iteration is kept
  assert.equal(translate('^a', 'm').lfOnly, true);
  assert.equal(translate('(?<=\\$)\\d', '').lookbehind, true);
  assert.equal(translate('\\8\\1', '').re2, '8\\x{1}'); // Annex B: no group, so octal and identity escapes
});
