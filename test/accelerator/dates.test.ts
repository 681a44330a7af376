// Date in compiled code: every answer equals Node's in a container (UTC, see builtins/date.ts),
// and what is not modelled aborts. The Node oracle runs in this process, in UTC as containers do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith, accelerate, agreeWithNode, both, raw } from './helpers.ts';

process.env.TZ = 'UTC';
const H = `const c = require('containerless');\n`;

const AGREE: Array<[string, string, string[]]> = [
  ['construct and read', `c.listen(function (req) {
  const x = req.query.x;
  const d = new Date(x);
  const n = new Date(Number(x));
  const parts = new Date(2026, Number(x) || 0, 31, 25, 61, 61, 1001);
  const small = new Date(99, 1);
  c.respond({ t: d.getTime(), v: d.valueOf(), p: Date.parse(x), n: n.getTime(), iso: isNaN(d) ? null : d.toISOString(),
    utc: [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCDay(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()],
    local: [d.getFullYear(), d.getMonth(), d.getDate(), d.getDay(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds(), d.getTimezoneOffset()],
    parts: parts.getTime(), small: small.toISOString(), copy: new Date(d).getTime(), num: +d, s: String(d), ds: d.toDateString(), ts: d.toTimeString(),
    us: d.toUTCString(), gmt: d.toGMTString(), tpl: \`\${d}\`, plus: d + 1, json: JSON.stringify({ d, list: [d] }), tj: d.toJSON(),
    is: d instanceof Date, isObj: d instanceof Object, t: typeof d, loc: [d.toLocaleString(), d.toLocaleDateString(), d.toLocaleTimeString()] });
});`, ['2026-03-04T05:06:07.089Z', '2026-03-04', '2026-03-04T10:00', 'March 7, 2024 10:00:00', 'Tue, 01 Jan 2030 00:00:00 GMT', 'nonsense', '0', '1700000000000', '-1', '']],
  ['arithmetic and comparison', `c.listen(function (req) {
  const a = new Date(req.query.x);
  const b = new Date(Date.UTC(2026, 0, 1));
  c.respond({ diff: b - a, lt: a < b, gt: a > b, le: a <= b, eq: a == b, same: a === a, days: Math.round((b - a) / 86400000), sum: a - 0 + 1, cmp: [a, b].sort((x, y) => x - y).map((d) => d.getTime()) });
});`, ['2025-12-25T00:00:00Z', '2027-01-01', 'bad']],
  ['setters', `c.listen(function (req) {
  const k = Number(req.query.x);
  const d = new Date(Date.UTC(2026, 1, 28, 12));
  const r = [d.setUTCDate(d.getUTCDate() + k), d.setUTCMonth(k, 3), d.setUTCFullYear(2020 + k, 1, 29), d.setUTCHours(k, 70, 5, 5), d.setUTCMinutes(k), d.setUTCSeconds(k, 999), d.setUTCMilliseconds(k * 7)];
  const e = new Date(0);
  const l = [e.setDate(k), e.setMonth(k), e.setFullYear(1999), e.setHours(k, k), e.setMinutes(k, k, k), e.setSeconds(k), e.setMilliseconds(k), e.setTime(k * 1000)];
  const bad = new Date(NaN);
  const nb = [bad.setUTCDate(3), bad.setFullYear(2001), bad.getTime(), new Date(NaN).setTime('5'), new Date(8.64e15).setUTCMilliseconds(1)];
  c.respond({ r, l, nb, iso: d.toISOString(), e: e.toISOString() });
});`, ['1', '0', '-40', '400']],
  ['invalid dates', `c.listen(function (req) {
  const d = new Date(req.query.x);
  let err;
  try { d.toISOString(); } catch (e) { err = [e.name, e.message, e instanceof RangeError]; }
  c.respond({ s: String(d), j: JSON.stringify(d), o: JSON.stringify({ d }), tj: d.toJSON(), err, t: d.getTime(), u: d.toUTCString(), ds: d.toDateString(), y: d.getFullYear(), off: d.getTimezoneOffset(), big: new Date(8.64e15 + 1).getTime() });
});`, ['not a date', '2026-02-30T00:00:00Z', '2026-01-01T00:00:00Z']],
  ['Date.UTC, now and Date()', `c.listen(function (req) {
  const before = Date.now();
  const d = new Date();
  const s = Date();
  const after = Date.now();
  c.respond({ ok: before <= d.getTime() && d.getTime() <= after, sType: typeof s, sLen: s.length, tail: s.slice(24), shape: s.split(" ").length, utc: Date.UTC(2026, Number(req.query.x)), one: Date.UTC(2026), n: Date.length, name: Date.name });
});`, ['0', '13', '-1']],
  ['locales and options', `c.listen(function (req) {
  const d = new Date(req.query.x);
  const out = [];
  const tries = [
    () => d.toLocaleDateString('en-US', { weekday: 'short', year: 'numeric', month: 'long', day: 'numeric' }),
    () => d.toLocaleDateString('de-DE'),
    () => d.toLocaleString(['fr-FR', 'en'], { timeZone: 'Asia/Tokyo', timeZoneName: 'short' }),
    () => d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false }),
    () => d.toLocaleDateString(undefined, { dateStyle: 'full' }),
    () => d.toLocaleString('ja-JP-u-ca-japanese', { era: 'long' }),
    () => d.toLocaleDateString('en', { timeStyle: 'short' }),
    () => d.toLocaleString('en', { timeZone: 'Mars/Olympus' }),
    () => d.toLocaleString('not a locale!'),
    () => (1234567.891).toLocaleString('de-DE', { style: 'currency', currency: 'EUR' }),
    () => (0.256).toLocaleString('en-US', { style: 'percent', maximumFractionDigits: 1 }),
    () => (12).toLocaleString('en', { minimumIntegerDigits: 3, unknownOption: true }),
    () => (5).toLocaleString('en', { style: 'currency' }),
    () => (1e6).toLocaleString('en-IN', { notation: 'compact' }),
  ];
  for (const f of tries) {
    try { out.push(f()); } catch (e) { out.push(e.name + ': ' + e.message); }
  }
  c.respond(out);
});`, ['2026-03-04T05:06:07.089Z', '1999-12-31T23:59:59Z', 'nonsense', '-000001-01-01T00:00:00Z']],
];

agreeWithNode('Date', H, AGREE);

test('what is not modelled aborts', async () => {
  for (const [code, what] of [
    ['new Date().x = 1', 'write:Date.x'],
    ['const f = new Date().getTime; f()', 'Date.prototype.getTime'],
    ['new Date().toLocaleString({})', 'Date.prototype.toLocaleString'],
    ['new Date().toLocaleDateString("en", { get month() { return "long"; } })', 'Date.prototype.toLocaleDateString'],
    ['new Date().toLocaleTimeString("en", { hour: {} })', 'Date.prototype.toLocaleTimeString'],
    ['new Date().setYear(1)', 'Date.prototype.setYear'],
    ['Date.prototype.getDay', 'Date.prototype.getDay'],
  ] as const) {
    const inst = accelerate(`${H}c.listen(function (req) { ${code}; c.respond('done'); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.equal(r.kind, 'abort', `${code}: ${JSON.stringify(r)}`);
    assert.ok(abortedWith(r, 'unsupported:builtin', what), `${code}: ${JSON.stringify(r)}`);
  }
});

test('toLocale*String without arguments (a kept formatter) gives what Node gives, over many dates', async () => {
  const src = `${H}c.listen(function (req) {
  const out = [];
  for (let i = 0; i < 300; i++) {
    const d = new Date(Math.round((Math.sin(i * 7.3) + (i % 3) - 1) * 4e12) + Number(req.query.x));
    out.push(d.toLocaleString() + '|' + d.toLocaleDateString() + '|' + d.toLocaleTimeString());
  }
  c.respond(out);
});`;
  const xs = ['0', '43200000', '-1'];
  const { node, accel } = await both(src, xs.map((x) => raw({ query: { x } })));
  for (const [i, x] of xs.entries()) assert.deepEqual(accel[i], node[i], x);
});

test('a function whose environment sets TZ aborts on local time, not on UTC', async () => {
  const src = `${H}c.listen(function (req) {
  const d = new Date(Date.UTC(2026, 0, 1));
  if (req.query.x === 'utc') return c.respond([d.getUTCHours(), d.toISOString(), d.toUTCString(), +d]);
  if (req.query.x === 'write') { process.env.TZ = 'UTC'; return c.respond(d.getHours()); }
  c.respond(d.getHours());
});`;
  const inst = accelerate(src);
  assert.equal((await inst.handle(raw({ query: { x: 'local' } }), { timeoutMs: 1000 })).kind, 'response');
  // A write to process.env.TZ moves the container's zone: local time aborts from then on.
  const w = await inst.handle(raw({ query: { x: 'write' } }), { timeoutMs: 1000 });
  assert.ok(abortedWith(w, 'unsupported:builtin', 'Date.prototype.getHours'), JSON.stringify(w));
});

test("the dispatcher's own time zone does not change the answers", async () => {
  const src = `${H}c.listen(function (req) {
  const d = new Date(2026, 6, 1, 12);
  c.respond({ h: d.getHours(), s: String(d), off: d.getTimezoneOffset(), iso: d.toISOString(), l: d.toLocaleString() });
});`;
  const { node } = await both(src, [raw()]);
  process.env.TZ = 'America/New_York';
  try {
    assert.equal(new Date(0).getTimezoneOffset(), 300, 'the host zone changed');
    const inst = accelerate(src);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.equal(r.kind, 'response');
    assert.equal(r.kind === 'response' && r.response.body, node[0]!.body);
    // A string without a zone would be read in the dispatcher's zone: it aborts instead.
    const p = await accelerate(`${H}c.listen(function (req) { c.respond(Date.parse('2026-01-01T10:00')); });`).handle(raw(), { timeoutMs: 1000 });
    assert.ok(abortedWith(p, 'unsupported:builtin', 'Date.parse'), JSON.stringify(p));
  } finally {
    process.env.TZ = 'UTC';
  }
});
