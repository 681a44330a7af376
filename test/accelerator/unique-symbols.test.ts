// `Symbol()` / `Symbol(description)` (builtins/symbol.ts): unique values compared by identity, as
// semver's `const ANY = Symbol('SemVer ANY')` sentinel, converted as Node converts it (as a key:
// symbol-keys.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelerate, agreeWithNode, assertAbortsNaming, raw } from './helpers.ts';

const H = `const c = require('containerless');\n`;

agreeWithNode('Symbol()', H, [
  ['sentinels compared by identity', `const ANY = Symbol('SemVer ANY');
class Comparator {
  static get ANY() { return ANY; }
  constructor(v) { this.semver = v === '' ? ANY : v; }
  test(v) { return this.semver === ANY || v === this.semver; }
}
c.listen(function (req) {
  const x = req.query.x;
  const cmp = new Comparator(x);
  const other = Symbol('SemVer ANY');
  const desc = Symbol({ toString() { return 'made'; } });
  c.respond([cmp.test('1.0.0'), cmp.semver === Comparator.ANY, other === ANY, typeof other, typeof Symbol(), Symbol() === Symbol(),
    JSON.stringify({ a: ANY, b: [other, 1] }), new Set([ANY, ANY, other]).size, [ANY, other].indexOf(other), new Map([[ANY, x]]).get(ANY),
    Object.keys({ s: ANY }), !ANY, ANY ? 'truthy' : 'falsy', Object.is(desc, desc), { s: ANY }, [ANY]]);
});`, ['', '1.0.0', '2.0.0']],
  ['Symbol.isConcatSpreadable reads as absent, as lodash.flatten tests it', `const spreadable = Symbol ? Symbol.isConcatSpreadable : undefined;
function args() { return arguments; }
class A { constructor() { this.x = 1; } }
const isFlattenable = (v) => Array.isArray(v) || !!(spreadable && v && v[spreadable]);
c.listen(function (req) {
  const vals = [[1], { a: 1 }, req.query.x, 3, new A(), args(1), new Map(), Math, () => 1, new Error('e'), new Uint8Array(1), /r/, null, undefined, true];
  const out = vals.map((v) => { try { return [isFlattenable(v), typeof spreadable, v == null ? 'nullish' : v[spreadable]]; } catch (e) { return e.name; } });
  let err = null;
  try { null[spreadable]; } catch (e) { err = e.name + ': ' + e.message; }
  c.respond({ out, err, concat: [1].concat([2], req.query.x) });
});`, ['a', '']],
  ['a symbol responded', `c.listen(function (req) { c.respond(req.query.x === 'a' ? Symbol('r') : [Symbol()]); });`, ['a', 'b']],
  // String(sym), its toString and description are texts; ToString and ToNumber throw Node's TypeErrors,
  // and == compares without converting.
  ['conversions: the texts and the TypeErrors', `c.listen(function (req) {
  const s = req.query.x === 'd' ? Symbol() : Symbol(req.query.x);
  const t = (f) => { try { return f(); } catch (e) { return e.name + ': ' + e.message; } };
  c.respond([String(s), s.toString(), s.description === undefined ? 'none' : s.description, s.valueOf() === s, Symbol.iterator.description, String(Symbol.asyncIterator),
    t(() => s + ''), t(() => '' + s), t(() => s + 1), t(() => \`\${s}\`), t(() => [s].join()), t(() => [1, s].toString()), t(() => s < 1), t(() => 1 >= s), t(() => -s),
    t(() => Number(s)), t(() => Math.max(1, s)), t(() => 'abc'.indexOf(s)), t(() => parseInt(s)), t(() => Symbol(s)), s == 'x', s == s, s != null,
    [Number.isNaN(s), Number.isInteger(s)], t(() => { throw s; }), t(() => new Error(s).message)]);
});`, ['x', 'd', '']],
]);

test('Symbol(): what is not modelled of a symbol and its prototype aborts (symbol keys: symbol-keys.test.ts)', async () => {
  await assertAbortsNaming(H, [
    ['const o = {}; o[Symbol.isConcatSpreadable] = true', 'unsupported:value', 'symbol-key'],
    ['const b = Symbol.isConcatSpreadable in []', 'unsupported:value', 'symbol-key'],
    ['const b = Symbol("k").hasOwnProperty("x")', 'Symbol.prototype.hasOwnProperty'],
    ['const s = Symbol.for("k")', 'Function.prototype.for'],
    ['const s = new Symbol("k")', 'new Symbol'],
    ['const s = [Symbol("k"), Symbol("j")].sort()', 'Array.prototype.sort'],
    ['const s = [Symbol.iterator, Symbol.asyncIterator].sort()', 'Array.prototype.sort'],
  ]);
});

test('Symbol(): console.log prints it as Node does', async () => {
  const logs: string[] = [];
  const r = await accelerate(`${H}c.listen(function (req) { console.log(Symbol('d'), [Symbol()]); c.respond('ok'); });`, undefined, undefined, logs).handle(raw(), { timeoutMs: 1000 });
  assert.equal(r.kind, 'response');
  assert.deepEqual(logs, ['stdout: Symbol(d) [ Symbol() ]']);
});

// Where Node's TypeError text is known, a symbol misused throws it (these leaked the host's own
// TypeError as an internal abort): join of an array holding one, a relational comparison.
agreeWithNode('a symbol misused', H, [
  ['join and comparisons throw Node\'s TypeError', `c.listen(function (req) {
  const s = req.query.x === 'it' ? Symbol.iterator : req.query.x === '' ? Symbol() : Symbol('k');
  const out = [];
  const tries = [() => [s].join(), () => ['a', s, 1].join('-'), () => [s].toString(),
    () => s < 1, () => 1 > s, () => s <= 'a', () => 'a' >= s, () => s < s, () => ({ valueOf() { return s; } }) < 2];
  for (const f of tries) { try { out.push(f()); } catch (e) { out.push(e.constructor.name + ': ' + e.message); } }
  c.respond(out);
});`, ['x', 'it', '']],
]);
