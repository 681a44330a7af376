// Regular expressions: the corners of lastIndex, flags, constructors and string methods, each run in
// Node and accelerated with the same answers (or an abort, counted: only the listed cases may abort).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { both, raw } from './helpers.ts';

const H = `const c = require('containerless');\n`;

const CASES: Array<[string, string, string[]]> = [
  ['sticky lastIndex', `const r = /\\w+/y; const out = []; r.lastIndex = 2; out.push(r.exec(x), r.lastIndex); r.lastIndex = 1; out.push(r.test(x), r.lastIndex, r.test(x), r.lastIndex); return out;`, ['ab cd', 'abc', '']],
  ['global lastIndex set by hand', `const r = /a/g; r.lastIndex = 3; const m = r.exec(x); const out = [m && m.index, r.lastIndex]; r.lastIndex = '1'; out.push(r.test(x), r.lastIndex); r.lastIndex = 99; out.push(r.test(x), r.lastIndex); return out;`, ['banana', 'a', '']],
  ['non-global ignores lastIndex', `const r = /a/; r.lastIndex = 5; return [r.exec(x) && r.exec(x).index, r.lastIndex];`, ['aaaaaaa', 'b']],
  ['indices', `const m = /(?<w>b+)(x)?/d.exec(x); return m && [m.indices, m.indices.groups, m.groups];`, ['abbc', 'c']],
  ['constructors', `const a = /x/gi; const b = RegExp(a); const d = new RegExp(a); const e = new RegExp(a, 'm'); const f = new RegExp('a/b\\n', 's'); return [b === a, d === a, d.flags, e.flags, String(e), f.source, String(new RegExp('')), String(RegExp(x, 'g'))];`, ['q', '\\d+', '']],
  ['split limits and captures', `return [x.split(/(,)/), x.split(/,/, 2), x.split(/(?:)/), x.split(/(-)?,/), ''.split(/,/), ''.split(/(?:)/), x.split(/$/)];`, ['a,b,,c', '', ',']],
  ['replace functions with named groups', `return x.replace(/(?<k>\\w+)=(?<v>\\w*)/g, (m, k, v, off, s, g) => [m, k, v, off, s.length, JSON.stringify(g)].join('|'));`, ['a=1&b=&c=3', 'none']],
  ['replacement patterns', `return [x.replace(/(\\w)(\\w)?/g, '$2$1$$$0$3$10$<n>'), x.replace(/(?<n>\\w)/, '[$<n>][$<m>][$<n]'), x.replaceAll(/b/g, "$'|$\`")];`, ['abc', 'b', '']],
  ['unicode mode', `return [x.match(/./gu), x.match(/\\u{1F600}/u), x.split(/(?:)/u), x.replace(/(?:)/gu, '-'), /^.$/u.test(x)];`, ['a\u{1F600}b', '\u{1F600}', '']],
  ['case folding', `return [/k/i.test(x), /k/iu.test(x), /[a-z]+/i.exec(x), /[^a-z]/i.exec(x), /S/iu.test(x)];`, ['K', '\u212A', '\u017F', 'Zz9']],
  ['unicode spaces and dots', `return [x.replace(/\\s+/g, '_'), x.match(/./g), x.match(/\\S+/g), /^\\s*$/.test(x)];`, ['a\u00a0b\u2003c\ufeffd', 'x\ny', '\u3000']],
  ['matchAll laziness', `const r = /(\\d)/g; const it = x.matchAll(r); const first = it.next(); r.lastIndex = 0; return [first.value && first.value[0], [...it].map((m) => m.index), r.lastIndex, first.done];`, ['a1b2c3', 'none']],
  ['errors', `const out = []; for (const f of [() => x.matchAll(/a/), () => x.replaceAll(/a/, 'b'), () => new RegExp('a', 'gg'), () => new RegExp('(?<n>a)(?<n>b)'), () => RegExp('a', 'z')]) { try { out.push(f()); } catch (e) { out.push(e.name + ': ' + e.message); } } return out;`, ['a']],
  ['lastIndex after failures', `const r = /o/g; const out = []; while (r.test(x)) out.push(r.lastIndex); out.push(r.lastIndex); return out;`, ['foo boo', '']],
  ['search keeps lastIndex', `const r = /o/g; r.lastIndex = 2; return [x.search(r), r.lastIndex, x.search('o.'), x.match('o.'), x.search()];`, ['foo', 'x']],
  ['quantified groups', `return [/(ab)+/.exec(x), /(?:(a)b)+c/.exec(x), /((a)|b)/.exec(x), /(a)?(b)/.exec(x), /(\\d{1,3})(?:\\.(\\d{1,3})){3}/.exec(x)];`, ['ababc', '1.22.3.44', 'b']],
  ['lookbehind', `return [x.match(/(?<=@)\\w+/g), x.replace(/(?<!\\w)x/g, 'Y'), /(?<=^|,)b/.test(x)];`, ['a@b,c@d', 'x xx ,b', 'b']],
  ['class corners', `return [x.match(/[\\w-]+/g), x.match(/[.*+?^$]/g), x.match(/[\\]\\\\]/g), x.match(/[^\\s\\d]+/g), x.match(/[\\b]/g)];`, ['a-b .*+ ]\\\\ 12 \\b', '']],
  ['match arrays as values', `const m = /(?<a>\\w)(\\d)?/.exec(x); if (!m) return null; const [, a, d] = m; const out = [Object.keys(m), Object.entries(m).length, { ...m }, m.slice(1), m.map(String), Array.isArray(m), m.length, a, d, [...m], Object.keys(m.groups), JSON.stringify(m.groups), 'a' in m.groups, m.groups.a, m.concat([1]).length, m.input, m.index]; for (const v of m) out.push(v); return out;`, ['x1', 'b', '!']],
  ['groups has no prototype', `const g = /(?<a>.)/.exec(x).groups; const out = [g.hasOwnProperty, g.toString]; try { out.push('' + g); } catch (e) { out.push(e.message); } try { out.push(\`\${g}\`); } catch (e) { out.push(e.message); } return out;`, ['z']],
];

for (const [name, body, xs] of CASES) {
  test(`RegExp corners agree with Node: ${name}`, async () => {
    const src = `${H}function f(x) { ${body} }\nc.listen(function (req) { c.respond(JSON.stringify(f(req.query.x))); });`;
    const { node, accel } = await both(src, xs.map((x) => raw({ query: { x } })));
    for (const [i, x] of xs.entries()) {
      const a = accel[i] as { kind?: string };
      assert.notEqual(a.kind, 'abort', `${name} on ${JSON.stringify(x)} aborted: ${JSON.stringify(a)}`);
      assert.deepEqual(accel[i], node[i], `${name} on ${JSON.stringify(x)}`);
    }
  });
}
