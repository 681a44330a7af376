// require('punycode') in compiled code: Node's own punycode.js on strings the realm hands over, so
// answers and RangeError messages are Node's; non-string arguments abort; long inputs cost more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelerate, agreeWithNode, assertAbortsNaming, raw } from './helpers.ts';

const H = `const c = require('containerless');\nconst punycode = require('punycode');\n`;
const tryIt = `const t = (f) => { try { return f(); } catch (e) { return [e instanceof RangeError, e.name, e.message, String(e)]; } };\n`;

agreeWithNode('punycode', H + tryIt, [
  ['toASCII and toUnicode', `c.listen(function (req) { const x = req.query.x; const a = t(() => punycode.toASCII(x)); c.respond({ a, back: typeof a === 'string' ? punycode.toUnicode(a) : null, u: t(() => punycode.toUnicode(x)) }); });`,
    ['mañana.com', 'münchen.de', 'xn--maana-pta.com', 'example.com', '☃-⌘.com', 'jane@münchen.de', '', 'a\u3002b。c', '😀.x', 'xn--ls8h.la']],
  ['encode and decode', `c.listen(function (req) { const x = req.query.x; const e = t(() => punycode.encode(x)); c.respond({ e, d: t(() => punycode.decode(x)), back: typeof e === 'string' ? punycode.decode(e) : null }); });`,
    ['mañana', 'bücher', 'maana-pta', 'bcher-kva', '', 'abc', '-', 'ü', 'ab-', '\u0080', 'zzzzzzzzzzzzzzzzzz', '99999999999', '😀\uD800']],
  ['ucs2 and version', `c.listen(function (req) { const x = req.query.x; const d = punycode.ucs2.decode(x); c.respond({ d, e: punycode.ucs2.encode(d), r: t(() => punycode.ucs2.encode([0x1F600, 65, -1])), v: punycode.version, k: typeof require('node:punycode').encode }); });`,
    ['abc', '😀\uD800x', '\uDC00\uD83D', '']],
]);

test('punycode arguments the realm cannot hand over abort', async () => {
  await assertAbortsNaming(H, [
    ['punycode.toASCII(1)', 'punycode.toASCII'],
    ['punycode.decode({})', 'punycode.decode'],
    ["punycode.ucs2.encode(['a'])", 'punycode.ucs2.encode'],
    ['punycode.ucs2.encode({ length: 1 })', 'punycode.ucs2.encode'],
  ]);
});

test('punycode.encode is charged by the characters it reads', async () => {
  const fuel = async (n: number) => {
    const inst = accelerate(`${H}c.listen(function (req) { c.respond(punycode.encode('ü'.repeat(${n})).length); });`);
    const r = await inst.handle(raw(), { timeoutMs: 5000 });
    assert.equal(r.kind, 'response', JSON.stringify(r));
    return (r as { usage: { fuel: number } }).usage.fuel;
  };
  const small = await fuel(10);
  const large = await fuel(1000);
  assert.ok(large > small + 1000, `fuel ${small} → ${large}`);
});
