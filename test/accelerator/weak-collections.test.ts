// WeakMap and WeakSet in compiled code: every answer equals Node's, errors included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith, accelerate, both, raw } from './helpers.ts';

const H = `const c = require('containerless');\n`;

const AGREE: Array<[string, string, string[]]> = [
  ['private data and memo', `const priv = new WeakMap();
const seen = new WeakSet();
class Account { constructor(owner) { priv.set(this, { owner, balance: 0 }); } deposit(n) { priv.get(this).balance += n; return this; } get balance() { return priv.get(this).balance; } }
c.listen(function (req) {
  const a = new Account(req.query.x).deposit(5).deposit(Number(req.query.x) || 1);
  const o = {}; const f = function () {}; const arr = [];
  const wm = new WeakMap([[o, 1], [arr, 2]]);
  wm.set(f, 3).set(o, 4);
  const ws = new WeakSet([o]);
  ws.add(arr).add(arr);
  const r = [seen.has(a), seen.add(a) === seen, seen.has(a), wm.get(o), wm.get(arr), wm.get(f), wm.has(f), wm.delete(f), wm.has(f), wm.get({}), wm.get(1), wm.has('x'), wm.delete(null),
    ws.has(o), ws.has(arr), ws.delete(o), ws.has(o), ws.has(2), ws.delete('s'), wm instanceof WeakMap, ws instanceof WeakSet, ws instanceof WeakMap, String(wm), JSON.stringify({ wm, ws }), typeof wm];
  c.respond({ balance: a.balance, r });
});`, ['7', 'x']],
  // Node 20 holds symbols that are not registered weakly too: the program's Symbol()s and the well-known ones.
  ['symbols as keys', `const k = Symbol('k');
c.listen(function (req) {
  const wm = new WeakMap([[k, req.query.x]]);
  const s = Symbol();
  wm.set(s, 2).set(Symbol.iterator, 3);
  const ws = new WeakSet([k]);
  ws.add(Symbol.asyncIterator);
  c.respond([wm.get(k), wm.get(s), wm.get(Symbol.iterator), wm.has(Symbol('k')), wm.delete(s), wm.has(s), ws.has(k), ws.has(Symbol.asyncIterator), ws.has(s), ws.delete(k), ws.has(k)]);
});`, ['x']],
  ['errors', `c.listen(function (req) {
  const out = [];
  const tries = [() => new WeakMap().set(req.query.x, 1), () => new WeakSet().add(Number(req.query.x)), () => new WeakMap([[req.query.x, 1]]), () => new WeakSet([null]), () => WeakMap(), () => WeakSet()];
  for (const t of tries) { try { t(); out.push('ok'); } catch (e) { out.push(e.name + ': ' + e.message); } }
  c.respond(out);
});`, ['a', '1']],
];

for (const [name, body, xs] of AGREE) {
  test(`WeakMap and WeakSet agree with Node: ${name}`, async () => {
    const { node, accel } = await both(H + body, xs.map((x) => raw({ query: { x } })));
    for (const [i, x] of xs.entries()) assert.deepEqual(accel[i], node[i], `${name} for ${JSON.stringify(x)}`);
  });
}

test('what is not modelled aborts', async () => {
  for (const [code, what] of [
    ['new WeakMap([1])', 'new WeakMap'],
    ['new WeakSet("ab")', 'new WeakSet'],
    ['new WeakMap().x = 1', 'write:WeakMap.x'],
  ] as const) {
    const inst = accelerate(`${H}c.listen(function (req) { ${code}; c.respond('done'); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.ok(abortedWith(r, 'unsupported:builtin', what), `${code}: ${JSON.stringify(r)}`);
  }
});
