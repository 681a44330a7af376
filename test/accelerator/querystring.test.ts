// require('querystring') in compiled code: parse/decode, stringify/encode, escape/unescape give
// Node's answers on random inputs (malformed escapes, '+', repeated keys, unicode); the parsed
// object has a null prototype in both; what is not modelled aborts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { abortedWith, accelerate, both, raw } from './helpers.ts';

const H = `const c = require('containerless');\n`;

const PROGRAM = `${H}const qs = require('querystring');
const { parse, stringify, escape, unescape, decode, encode } = require('node:querystring');
const util = require('util');
c.listen(function (req) {
  const x = req.query.x;
  const p = qs.parse(x);
  c.respond({
    p, keys: Object.keys(p), spread: { ...p }, json: JSON.stringify(p), fmt: util.format(p), has: 'a' in p,
    hop: typeof p.hasOwnProperty,
    semi: parse(x, ';', ':'), max: decode(x, '&', '=', { maxKeys: 2 }),
    back: stringify(p), again: encode(parse(stringify(p))),
    s2: stringify({ k: x, n: 1.5, b: true, z: null, u: undefined, arr: [x, 2, false], inf: Infinity }, ';', ':'),
    esc: escape(x), unesc: unescape(x), unesc2: qs.unescape(x, true), same: parse === decode,
  });
});`;

// Strings built from the characters querystring treats specially, plus escapes (good and bad).
const piece = fc.oneof(
  fc.constantFrom('&', '=', '+', '%', '&&', '==', '%2', '%20', '%zz', '%E2%82', '%E2%82%AC', '%C3%A9', '%ff', 'a', 'b', 'é', '😀', '\uD800', ' ', ';', ':', '__proto__', 'constructor', 'hasOwnProperty'),
  fc.string({ maxLength: 4 }),
);
const qstring = fc.array(piece, { maxLength: 12 }).map((a) => a.join(''));

test('querystring agrees with Node on random strings', async () => {
  const xs = fc.sample(qstring, { numRuns: 120, seed: 12 });
  xs.push('a=1&a=2&b=&=c&d', 'a%20b=c+d&e=%', 'x=%E0%A4%A&y=%41', '');
  const { node, accel } = await both(PROGRAM, xs.map((x) => raw({ query: { x } })));
  let answered = 0;
  for (const [i, x] of xs.entries()) {
    const a = accel[i] as { kind?: string; detail?: string };
    // A lone surrogate to encode throws URIError in both.
    assert.deepEqual(accel[i], node[i], `for ${JSON.stringify(x)}`);
    if (a.kind !== 'abort') answered++;
  }
  assert.ok(answered > xs.length * 0.8, `only ${answered} of ${xs.length} answered accelerated`);
  // The oracle really did see a null-prototype object.
  const body = JSON.parse(node.at(-4)!.body) as { fmt: string; hop: string };
  assert.match(body.fmt, /^\[Object: null prototype\] \{/);
  assert.equal(body.hop, 'undefined');
});

test('querystring arguments the realm cannot hand over abort', async () => {
  for (const [code, what] of [
    ["require('querystring').parse('a=1', '&', '=', { decodeURIComponent: (s) => s })", 'querystring.parse'],
    ["require('querystring').parse('a=1', 1)", 'querystring.parse'],
    ["require('querystring').stringify({ a: { b: 1 } })", 'querystring.stringify'],
    ["require('querystring').stringify({ get a() { return 1; } })", 'querystring.stringify'],
    ["require('querystring').escape({})", 'querystring.escape'],
    ["require('querystring').unescapeBuffer('a')", 'querystring.unescapeBuffer'],
    // Node throws V8's TypeError here; the runtime aborts rather than risk its message.
    ["require('querystring').parse('a=1').hasOwnProperty('a')", 'null-prototype object.hasOwnProperty'],
  ] as const) {
    const inst = accelerate(`${H}c.listen(function (req) { ${code}; c.respond('done'); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.ok(abortedWith(r, 'unsupported:builtin', what), `${code}: ${JSON.stringify(r)}`);
  }
});

test('querystring.parse is charged by the characters it reads', async () => {
  const usage = async (n: number) => {
    const inst = accelerate(`${H}const qs = require('querystring');\nc.listen(function (req) { c.respond(Object.keys(qs.parse('k=v&'.repeat(${n}) + 'x=%41')).length); });`);
    const r = await inst.handle(raw(), { timeoutMs: 5000 });
    assert.equal(r.kind, 'response', JSON.stringify(r));
    return (r as { usage: { fuel: number; memory: number } }).usage;
  };
  const small = await usage(10);
  const large = await usage(5000);
  assert.ok(large.fuel > small.fuel + 500, `fuel ${small.fuel} → ${large.fuel}`);
  assert.ok(large.memory > small.memory + 2000, `memory ${small.memory} → ${large.memory}`);
});
