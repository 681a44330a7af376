// Intl in compiled code (builtins/intl.ts): every answer equals Node's in a container (UTC, en-US
// default locale), and what is not modelled aborts naming it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith, accelerate, agreeWithNode, assertAbortsNaming, raw } from './helpers.ts';

process.env.TZ = 'UTC';
const H = `const c = require('containerless');\n`;

const AGREE: Array<[string, string, string[]]> = [
  ['formatters made per request', `c.listen(function (req) {
  const x = Number(req.query.x);
  const out = [];
  const tries = [
    () => new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(x),
    () => new Intl.NumberFormat().format(x),
    () => Intl.NumberFormat('en-IN', { maximumSignificantDigits: 3 }).format(x),
    () => new Intl.NumberFormat('en', { style: 'unit', unit: 'kilometer-per-hour' }).format(x),
    () => new Intl.NumberFormat('en', { notation: 'compact' }).format('123456789.5'),
    () => new Intl.NumberFormat('en', { style: 'currency' }),
    () => new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeStyle: 'long' }).format(new Date(x * 1e9)),
    () => new Intl.DateTimeFormat('fr', { timeZone: 'Europe/Paris', hour: 'numeric', minute: '2-digit' }).format(x * 1e9),
    () => Intl.DateTimeFormat().format(new Date(Date.UTC(2024, 1, 29))),
    () => new Intl.DateTimeFormat('en', { timeZone: 'Nowhere/City' }),
    () => new Intl.DateTimeFormat('en').format(new Date(NaN)),
    () => new Intl.PluralRules('en-US').select(x),
    () => new Intl.PluralRules('ar', { type: 'ordinal' }).select(x),
    () => new Intl.PluralRules('en', { type: 'ordinal' }).select(x),
    () => Intl.PluralRules('en'),
    () => new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(-x, 'day'),
    () => new Intl.RelativeTimeFormat('es').format(x, 'hours'),
    () => new Intl.RelativeTimeFormat('en').format(1, 'fortnight'),
    () => new Intl.ListFormat('en', { style: 'long', type: 'conjunction' }).format(['a', 'b', String(x)]),
    () => new Intl.ListFormat('de', { type: 'disjunction' }).format([]),
    () => ['Äpfel', 'apple', 'Zebra', 'zoo', String(x)].sort((a, b) => new Intl.Collator('de').compare(a, b)),
    () => new Intl.Collator('en', { sensitivity: 'base' }).compare('a', 'Á'),
    () => new Intl.Collator('sv', { numeric: true }).compare('z10', 'z9'),
    () => String(new Intl.NumberFormat()),
    () => new Intl.NumberFormat() instanceof Intl.NumberFormat,
    () => new Intl.NumberFormat('not a locale!'),
  ];
  for (const f of tries) {
    try { out.push(f()); } catch (e) { out.push(e.name + ': ' + e.message); }
  }
  c.respond(out);
});`, ['0', '1', '2', '3', '11', '1234.5', '-0.5', 'NaN']],
  ['a formatter made at the top level serves every request', `const money = new Intl.NumberFormat('ja-JP', { style: 'currency', currency: 'JPY' });
const day = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'short' });
c.listen(function (req) {
  const n = Number(req.query.x);
  c.respond({ m: money.format(n * 1000), d: day.format(new Date(Date.UTC(2026, 0, 1 + n))) });
});`, ['1', '2', '30']],
];

agreeWithNode('Intl', H, AGREE);

test('what is not modelled aborts naming it', async () => {
  await assertAbortsNaming(H, [
    ['new Intl.NumberFormat().resolvedOptions()', 'Intl.NumberFormat.prototype.resolvedOptions'],
    ['[1, 2].map(new Intl.NumberFormat().format)', 'Intl.NumberFormat.prototype.format'],
    ['new Intl.DateTimeFormat().formatToParts(0)', 'Intl.DateTimeFormat.prototype.formatToParts'],
    ['new Intl.NumberFormat({})', 'Intl.NumberFormat'],
    ['new Intl.NumberFormat("en", { get style() { return "percent"; } })', 'Intl.NumberFormat'],
    ['new Intl.ListFormat("en").format(new Set(["a"]))', 'Intl.ListFormat.prototype.format'],
    ['Intl.Segmenter', 'Intl.Segmenter'],
    ['Intl.supportedValuesOf("currency")', 'Intl.supportedValuesOf'],
  ] as const);
});

test('a DateTimeFormat without a zone aborts when the function sets TZ, as local time does', async () => {
  const inst = accelerate(`${H}c.listen(function (req) { process.env.TZ = 'Asia/Tokyo'; const utc = new Intl.DateTimeFormat('en', { timeZone: 'UTC' }).format(0); c.respond([utc, new Intl.DateTimeFormat('en').format(0)]); });`);
  const r = await inst.handle(raw(), { timeoutMs: 1000 });
  assert.ok(abortedWith(r, 'unsupported:builtin', 'Intl.DateTimeFormat'), JSON.stringify(r));
});
