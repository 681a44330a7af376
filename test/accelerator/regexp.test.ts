// Regular expressions in compiled code: every answer equals Node's (results, lastIndex, thrown
// messages), and what RE2 cannot do exactly aborts with a reason naming the construct.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith, accelerate, both, raw } from './helpers.ts';

const H = `const c = require('containerless');\n`;

/** A table of patterns × inputs × methods: each row is run in Node and accelerated on every input. */
const PATTERNS: Array<[string, string[]]> = [
  ['/a(b)?c/', ['abc', 'ac', 'xxabcac', '']],
  ['/(\\d+)-(\\d+)/g', ['10-20 30-40', 'x', '1-2-3-4']],
  ['/(?<year>\\d{4})-(?<month>\\d{2})/', ['on 2024-05 and 2025-11', 'none']],
  ['/^\\s*(\\w+)\\s*=\\s*(.*?)\\s*$/', ['  key = value  ', 'k=\u00a0v\ufeff', 'bad']],
  ['/\\bfoo\\b/gi', ['Foo food FOO foo.', 'xfoo']],
  ['/[^a-z]+/g', ['abc123def!!', 'ABC', '']],
  ['/x*/g', ['axxb', '', 'xx']],
  ['/./gs', ['a\nb', '\r']],
  ['/./g', ['a\nb\u2028c', '\r']],
  ['/^b/m', ['a\nb', 'b', 'ab']],
  ['/a$/m', ['a\nb', 'ba', 'ab']],
  ['/[\\s\\S]/', ['\u3000', 'z']],
  ['/\\u0041\\x42\\cJ/', ['AB\n', 'ab']],
  ['/a{2,3}?/g', ['aaaaaaa', 'a']],
  ['/(a|ab)(c|bcd)(d*)/', ['abcd', 'acd']],
  ['/[a-f]+/i', ['xBEEFy', 'zz']],
  ['/(?<=\\$)\\d+(\\.\\d+)?/g', ['$10 and $3.50 but not 7', '']],
  ['/(?<!-)\\b\\d+/g', ['-1 2 -3 4', '']],
  ['/\\u{1F600}|y/gu', ['a\u{1F600}b y', 'n']],
  ['/[]|[^]/g', ['ab', '']],
  ['/(\\w+)@(\\w+)\\.com/y', ['me@x.com you@y.com', 'a me@x.com']],
  ['/(?:(\\d+)\\.)+/', ['1.2.3.', 'x']],
  ['/{a}]/', ['{a}]', 'a']],
  ['/\\1(a)/', ['aa', 'a']],
  ['/[\\d-x]+/g', ['1-x-2', 'y']],
];

const METHODS = [
  `const r = RE; const m = r.exec(x); out.push(m && [...m], m && m.index, m && m.groups, r.lastIndex);`,
  `const r = RE; out.push(r.test(x), r.lastIndex, r.test(x), r.lastIndex);`,
  `out.push(x.match(RE));`,
  `out.push(x.replace(RE, '[$&|$1|$\`|$\\'|$$|$<year>]'));`,
  `out.push(x.replace(RE, (...a) => JSON.stringify(a)));`,
  `out.push(x.split(RE), x.split(RE, 2));`,
  `out.push(x.search(RE));`,
  `const r = RE; if (r.global) out.push([...x.matchAll(r)].map((m) => [m[0], m.index, m.groups]), x.replaceAll(r, '<$&>'));`,
  `const r = RE; out.push(String(r), \`\${r}\`, r.source, r.flags, r.global, r.ignoreCase, r.multiline, r.sticky, r.unicode, r.dotAll, r.hasIndices, r instanceof RegExp, typeof r, JSON.stringify({ r }));`,
];

/** The rows that abort by design (RE2 cannot answer exactly): each must abort, the others must not. */
const ABORTING = new Set<string>();
const aborted: string[] = [];

for (const [re, inputs] of PATTERNS) {
  test(`RegExp agrees with Node: ${re}`, async () => {
    const body = METHODS.map((m) => `try { ${m.replaceAll('RE', re)} } catch (e) { out.push(String(e)); }`).join('\n  ');
    const src = `${H}c.listen(function (req) {\n  const x = req.query.x; const out = [];\n  ${body}\n  c.respond(out);\n});`;
    const { node, accel } = await both(src, inputs.map((x) => raw({ query: { x } })));
    for (const [i, x] of inputs.entries()) {
      const a = accel[i] as { kind?: string };
      if (a.kind === 'abort') {
        aborted.push(`${re} on ${JSON.stringify(x)}: ${JSON.stringify(a)}`);
        continue;
      }
      assert.deepEqual(accel[i], node[i], `${re} on ${JSON.stringify(x)}`);
    }
  });
}

test('only the rows expected to abort do', () => {
  const unexpected = aborted.filter((a) => !ABORTING.has(a.split(' on ')[0]!));
  assert.deepEqual(unexpected, []);
});

test('patterns RE2 cannot run exactly run on the backtracker, as Node answers', async () => {
  const codes = ['/a(?=b)/.exec(x)', '/(a)\\1/.exec(x)', '/(?:(a)|b)+/.exec(x)', '/\\p{L}+/u.exec(x)', '/é/i.exec(x)', '/^a/m.exec(x)', '/./.exec(x)', '/\\w/iu.exec(x)'];
  const src = `${H}c.listen(function (req) { const x = req.query.x; const out = []; for (const f of [${codes.map((c) => `(x) => ${c}`).join(', ')}]) { const m = f(x); out.push(m && [...m], m && m.index); } c.respond(out); });`;
  const xs = ['ab', 'aab', 'ba', 'É', 'b\ra', '\ud83d\ude00', '\u212a'];
  const { node, accel } = await both(src, xs.map((x) => raw({ query: { x } })));
  assert.deepEqual(accel, node);
});

test('what neither engine can run exactly aborts, naming the construct', async () => {
  for (const [code, what] of [
    ['/a/v', 'v flag'],
    ['/\\B/gu.exec("b\\u{1F600}a")', 'surrogate pair'],
  ] as const) {
    const inst = accelerate(`${H}c.listen(function (req) { ${code}; c.respond('done'); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.equal(r.kind, 'abort', `${code}: ${JSON.stringify(r)}`);
    assert.ok(abortedWith(r, 'unsupported:builtin', /^RegExp \//) && (r as { detail: string }).detail.includes(what), `${code}: ${JSON.stringify(r)}`);
  }
});

test('a syntax error is the realm SyntaxError with Node message', async () => {
  const src = `${H}c.listen(function (req) { try { new RegExp(req.query.x); c.respond('ok'); } catch (e) { c.respond([e instanceof SyntaxError, e.message]); } });`;
  const xs = ['(', 'a**', '[b-a]', 'ok'];
  const { node, accel } = await both(src, xs.map((x) => raw({ query: { x } })));
  assert.deepEqual(accel, node);
});

test('catastrophic patterns answer within the fuel or abort for fuel, never stall', async () => {
  // Node itself would backtrack for ages on these (so no oracle run): re2js is linear.
  const src = `${H}c.listen(function (req) { const s = 'a'.repeat(30000) + '!'; const t = 'x'.repeat(30000); c.respond([/(a+)+$/.test(s), /(x+x+)+y/.test(t), s.replace(/(a+)+b/g, '').length]); });`;
  const r = await accelerate(src).handle(raw(), { timeoutMs: 10000 });
  assert.equal(r.kind, 'response', JSON.stringify(r).slice(0, 300));
  assert.equal((r as { response: { body: string } }).response.body, '[false,false,30001]');
  const tight = await accelerate(src, undefined, { fuel: 20000 }).handle(raw(), { timeoutMs: 10000 });
  assert.equal(tight.kind, 'abort');
  assert.equal((tight as { reason: string }).reason, 'fuel');
});
