// Symbol.iterator in compiled code (src/accelerator/symbols.ts): objects and classes whose
// [Symbol.iterator] is a generator are iterated by for…of, spread, Array.from, and by destructuring
// into plain names ending in a rest element, exactly as in Node; everywhere a symbol would be seen
// differently, the request aborts instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelerate, both, raw } from './helpers.ts';

const H = `const c = require('containerless');\n`;

const AGREE: Array<[string, string, string[]]> = [
  ['an object literal with a generator [Symbol.iterator]', `const range = { from: 1, to: 4, *[Symbol.iterator]() { for (let i = this.from; i <= this.to; i++) yield i; } };
c.listen(function (req) {
  range.to = Number(req.query.x);
  const seen = [];
  for (const v of range) { seen.push(v); if (v === 3) break; }
  c.respond({ spread: [...range], seen, from: Array.from(range, (v) => v * 2), keys: Object.keys(range), json: JSON.stringify(range), t: typeof Symbol.iterator, has: typeof range[Symbol.iterator], same: Symbol.iterator === Symbol.iterator, name: range[Symbol.iterator].name, has2: Symbol.iterator in range });
});`, ['4', '0', '2']],
  ['a class with *[Symbol.iterator]() and destructuring with a rest', `class Bag {
  #items = [];
  add(x) { this.#items.push(x); return this; }
  *[Symbol.iterator]() { for (const x of this.#items) yield x; }
}
function* words(s) { for (const w of s.split(' ')) if (w) yield w; }
c.listen(function (req) {
  const bag = new Bag().add('a').add(req.query.x);
  const [first, ...rest] = words(req.query.x + ' y z');
  const [one, ...others] = bag;
  const m = new Map([['k', [...bag]]]);
  c.respond({ items: [...bag], first, rest, one, others, m: [...m.values()], n: Array.from(bag).length, name: bag[Symbol.iterator].name, keys: Object.keys(bag), json: JSON.stringify(bag) });
});`, ['q', 'hello world', '']],
];

for (const [name, body, xs] of AGREE) {
  test(`Symbol.iterator agrees with Node: ${name}`, async () => {
    const { node, accel } = await both(H + body, xs.map((x) => raw({ query: { x } })));
    for (const [i, x] of xs.entries()) assert.deepEqual(accel[i], node[i], `${name} for ${JSON.stringify(x)}`);
  });
}

test('where a symbol would be seen differently, the request aborts', async () => {
  const it = `const o = { a: 1, *[Symbol.iterator]() { yield 1; } };\n`;
  for (const code of [
    // (Spread, Object.assign and console.log copy or print one: symbol-keys.test.ts.)
    'Symbol.for("x")',
    'const a = []; a[Symbol.iterator]',
    `${it}function* h() { let x, y; c.respond(([x = yield 2, y] = o, x)); } h().next()`,
    'const o = { [Symbol.iterator]() { return { next() { return 7 } }; } }; [...o]',
    'class A { static *[Symbol.iterator]() { yield 1; } } [...A]',
    // (A getter under Symbol.iterator is read through as other accessors are: symbol-keys.test.ts.)
    'class A { static get [Symbol.iterator]() { return 1; } }',
    'function* g() { yield 1; } function* h() { let a, b; c.respond(([[a], b = yield 0] = g(), a)); } h().next()',
  ]) {
    const inst = accelerate(`${H}c.listen(function (req) { ${code}; c.respond('done'); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.equal(r.kind, 'abort', `${code}: ${JSON.stringify(r)}`);
  }
});
