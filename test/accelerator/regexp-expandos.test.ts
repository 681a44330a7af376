// Own properties a program adds to a RegExp (picomatch's `regex.state = state`): read, written,
// listed, copied, serialised and printed as Node does; what is not modelled aborts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelerate, agreeWithNode, assertAbortsNaming, raw } from './helpers.ts';

const H = `const c = require('containerless');\n`;

agreeWithNode('RegExp expandos', H, [
  ['get, put, in, delete', `c.listen(function (req) {
  const re = new RegExp(req.query.x, 'g');
  const before = [re.state, 'state' in re, Object.keys(re), JSON.stringify(re)];
  re.state = { input: req.query.x, depth: 1 };
  re.count = 0;
  re.count = re.count + 2;
  const during = [re.state.input, re.count, 'state' in re, 'source' in re, 'lastIndex' in re, 'toString' in re, 'other' in re,
    Object.hasOwn(re, 'state'), Object.hasOwn(re, 'lastIndex'), Object.hasOwn(re, 'source'), Object.prototype.hasOwnProperty.call(re, 'count'),
    Object.prototype.propertyIsEnumerable.call(re, 'count'), Object.prototype.propertyIsEnumerable.call(re, 'lastIndex'), re.test(req.query.x), re.lastIndex,
    re.hasOwnProperty('state'), re.hasOwnProperty('lastIndex'), re.hasOwnProperty('flags'), re.propertyIsEnumerable('count'), re.propertyIsEnumerable('lastIndex')];
  const state = re.state;
  const deleted = [delete re.state, delete re.nothing, delete re.source, re.state, 'state' in re, Object.keys(re)];
  c.respond({ before, during, state, deleted, source: re.source, flags: re.flags });
});`, ['a+b', 'x', '']],
  ['listings and copies', `c.listen(function (req) {
  const re = /ab?c/i;
  re.z = 1; re.a = req.query.x; re.m = [1, { n: 2 }]; re.fn = function () { return 3; };
  const forIn = []; for (const k in re) forIn.push(k);
  const live = []; for (const k in re) { live.push(k); delete re.a; }
  re.a = 'again';
  c.respond({ keys: Object.keys(re), values: Object.values(re).length, entries: Object.entries(re).map(function (e) { return e[0]; }), forIn, live,
    assign: Object.assign({}, re), spread: { ...re }, rest: (function () { const { z, ...rest } = re; return [z, rest]; })(),
    json: JSON.stringify(re), nested: JSON.stringify({ re: re, list: [re] }), listed: JSON.stringify(re, ['source', 'z', 'flags', 'nope']),
    indent: JSON.stringify(re, null, 2), called: re.fn(), str: String(re) });
});`, ['v', '']],
  ['a method added to it sees it as this', `c.listen(function (req) {
  const re = new RegExp(req.query.x);
  re.describe = function () { return this.source + '/' + this.flags + ':' + this.extra; };
  re.extra = 7;
  re.toJSON = function () { return { pattern: this.source }; };
  let notFn;
  re.value = 1;
  try { re.value(); } catch (e) { notFn = [e.name, e.message]; }
  c.respond([re.describe(), JSON.stringify(re), JSON.stringify([re]), notFn]);
});`, ['a.c', 'q']],
  ['console.log of a RegExp with and without properties', `c.listen(function (req) {
  const re = new RegExp(req.query.x, 'gi');
  console.log(re);
  console.log([re], { re: re });
  re.state = { glob: req.query.x, tokens: [{ type: 'star', value: '*' }], nested: { a: { b: { c: { d: 1 } } } } };
  re.n = 2;
  console.log(re);
  console.log({ re: re });
  console.log('%s and %j', re, { n: 1 });
  c.respond('ok');
});`, ['*.js', 'a']],
]);

test('console.log of a RegExp prints its added properties as Node does', async () => {
  const logs: string[] = [];
  const r = await accelerate(`${H}c.listen(function () { const re = /a/g; re.state = { x: [1] }; console.log(re); c.respond('ok'); });`, undefined, undefined, logs).handle(raw(), { timeoutMs: 1000 });
  assert.equal(r.kind, 'response', JSON.stringify(r));
  assert.deepEqual(logs, ['stdout: /a/g { state: { x: [ 1 ] } }']);
});

test('what RegExp expandos do not model aborts', async () => {
  await assertAbortsNaming(H, [
    ['const re = /a/; re.source = "b"', 'write:RegExp.source'],
    ['const re = /a/; re.exec = 1', 'write:RegExp.exec'],
    ['const re = /a/; re.toString = 1', 'write:RegExp.toString'],
    ['const re = /a/; re.constructor = 1', 'write:RegExp.constructor'],
    ['const re = /a/; re[0] = 1', 'write:RegExp.0'],
    ['const re = /a/; delete re.lastIndex', 'delete:RegExp.lastIndex'],
    ['const re = /a/; re.x = 1; console.log("%o", re)', 'unsupported:value', 'console-format'],
    ['const re = /a/; re.self = re; JSON.stringify(re)', 'JSON.stringify'],
    ['const re = /a/; Object.assign(re, { a: 1 })', 'Object.assign'],
  ]);
});

test('properties added to a RegExp are charged for memory as they are made', async () => {
  const used = async (n: number) => {
    const r = await accelerate(`${H}c.listen(function () { const re = /a/; for (let i = 0; i < ${n}; i++) re['k' + i] = i; c.respond('ok'); });`).handle(raw(), { timeoutMs: 1000 });
    assert.equal(r.kind, 'response', JSON.stringify(r));
    return (r as { usage: { memory: number } }).usage.memory;
  };
  const small = await used(10);
  const large = await used(1010);
  // At least a property's slot for each of the 1000 more (NEW_PROPERTY, costs.ts).
  assert.ok(large - small >= 1000 * 32, `${small} → ${large}`);
});
