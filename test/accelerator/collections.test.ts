// Map and Set in compiled code: every answer equals Node's, iteration included (live, in insertion
// order), and what is not modelled aborts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith, accelerate, both, raw } from './helpers.ts';

const H = `const c = require('containerless');\n`;

const AGREE: Array<[string, string, string[]]> = [
  ['map basics', `c.listen(function (req) {
  const m = new Map([['a', 1], ['b', 2]]);
  const o = {};
  m.set(req.query.x, 3).set(o, 'obj').set(NaN, 'nan').set(-0, 'zero');
  m.delete('b');
  const seen = [];
  m.forEach(function (v, k, self) { seen.push(typeof k === 'object' ? 'o' : String(k)); if (k === 'a') self.set('late', 9); });
  const out = [];
  for (const [k, v] of m) out.push(typeof k === 'object' ? 'o:' + v : k + ':' + v);
  c.respond({ size: m.size, get: m.get(req.query.x), obj: m.get(o), nan: m.get(NaN), zero: m.get(0), has: m.has('b'), seen, out, keys: [...m.keys()].length, values: [...m.values()].filter((v) => typeof v === 'number'), j: JSON.stringify(m), s: String(m), is: m instanceof Map, t: typeof m });
});`, ['q', 'a', '']],
  ['set basics', `c.listen(function (req) {
  const s = new Set(req.query.x);
  s.add('z').add('z').add(1);
  const [first, ...rest] = s;
  const e = [...s.entries()].map(([a, b]) => a === b);
  const it = s.values();
  const one = it.next();
  s.delete(first);
  c.respond({ size: s.size, first, rest, e, one, next: it.next(), has: s.has('z'), arr: [...new Set([3, 1, 3, 2, 1])], j: JSON.stringify(s) });
});`, ['hello', 'aab', '']],
  ['word counts', `c.listen(function (req) {
  const counts = new Map();
  for (const w of req.query.x.split(' ')) counts.set(w, (counts.get(w) || 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3);
  const dedup = [...new Set(req.query.x.split(' '))];
  counts.clear();
  c.respond({ top, dedup, after: counts.size });
});`, ['a b a c b a', 'x', 'the cat the hat']],
  ['Array.from over generators, Maps, Sets and iterators', `c.listen(function (req) {
  const log = [];
  function* gen(s) { for (const ch of s) { log.push('yield ' + ch); yield ch; } log.push('done'); }
  const mapped = Array.from(gen(req.query.x), (ch, i) => { log.push('map ' + i); return ch + i; });
  const m = new Map([[req.query.x, 1], ['k', 2]]);
  c.respond({ mapped, log, plain: Array.from(gen('ab')), map: Array.from(m), keys: Array.from(m.keys()), set: Array.from(new Set(req.query.x)), arr: Array.from(['p', 'q'].entries()) });
});`, ['abc', 'x', '']],
  ['array iterators', `c.listen(function (req) {
  const xs = req.query.x.split(',');
  const out = [];
  for (const [i, x] of xs.entries()) { out.push(i + '=' + x); if (i === 0 && x === 'grow') xs.push('late'); }
  const it = xs.values();
  const a = it.next();
  xs.length = 1;
  const b = it.next();
  const keys = [...xs.keys()];
  const [k0, ...ks] = ['p', 'q', 'r'].keys();
  c.respond({ out, a, b, keys, k0, ks, s: String(it), t: typeof it, done: [...it] });
});`, ['a,b,c', 'grow,x', '']],
];

for (const [name, body, xs] of AGREE) {
  test(`Map and Set agree with Node: ${name}`, async () => {
    const { node, accel } = await both(H + body, xs.map((x) => raw({ query: { x } })));
    for (const [i, x] of xs.entries()) assert.deepEqual(accel[i], node[i], `${name} for ${JSON.stringify(x)}`);
  });
}

test('what is not modelled aborts', async () => {
  for (const [code, what] of [
    ['new Map([1])', 'new Map'],
    ['new Map({})', 'new Map'],
    ['console.log(new Map().keys())', ''],
    ['new Map().x = 1', 'write:Map.x'],
    ['const f = new Set().add; f(1)', 'Set.prototype.add'],
  ] as const) {
    const inst = accelerate(`${H}c.listen(function (req) { ${code}; c.respond('done'); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.equal(r.kind, 'abort', `${code}: ${JSON.stringify(r)}`);
    if (what) assert.ok(abortedWith(r, 'unsupported:builtin', what), `${code}: ${JSON.stringify(r)}`);
  }
});
