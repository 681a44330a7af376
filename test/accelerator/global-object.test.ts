// `global` and `globalThis` as values (builtins/globals.ts GlobalObject): reads of the global
// bindings equal the bare names, as in Node; writes, deletes and listings abort.
import { test } from 'node:test';
import { agreeWithNode, assertAbortsNaming } from './helpers.ts';

const H = `const c = require('containerless');\n`;

agreeWithNode('global', H, [
  ['lodash-style detection and identity of builtins', `c.listen(function (req) {
  const freeGlobal = typeof global == 'object' && global && global.Object === Object && global;
  const root = freeGlobal || Function('return this')();
  c.respond([typeof global, typeof globalThis, global === globalThis, root === global, global.global === global,
    globalThis.globalThis === globalThis, global.Math === Math, globalThis.JSON === JSON, global.Array === Array,
    global.parseInt(req.query.x, 10), globalThis.Number(req.query.x) + 1, global.nope, global[req.query.x], typeof global.Symbol,
    'Object' in global, 'nope' in globalThis, req.query.x in global, global.isNaN(req.query.x), !!global, global.setTimeout === setTimeout]);
});`, ['12', 'abc', '']],
  ['a missing method is a TypeError', `c.listen(function (req) {
  try { global.nope(req.query.x); c.respond('no'); } catch (e) { c.respond(e.name + ': ' + e.message); }
});`, ['1']],
]);

test('global: writes, deletes, listings and unmodelled names abort', async () => {
  await assertAbortsNaming(H, [
    ['global.x = 1', 'unsupported:global', 'global-assign:x'],
    ['globalThis.Object = null', 'unsupported:global', 'global-assign:Object'],
    ['delete global.Object', 'unsupported:value', 'delete'],
    ['Object.keys(global)', 'Object.keys'],
    ['JSON.stringify(global)', 'JSON.stringify'],
    ['global.require', 'unsupported:global', 'global.require'],
    ['global.module', 'unsupported:global', 'global.module'],
    ['global.performance', 'unsupported:global', 'global:performance'],
    ['String(globalThis)', 'unsupported:value', 'namespace-to-string'],
    ['console.log(global)', 'unsupported:value', 'console-format'],
    ['Object.prototype.toString.call(global)', 'Object.prototype.toString'],
    ['global[Symbol.iterator]', 'unsupported:value', 'symbol-key'],
    ['for (const k in global) {}', 'unsupported:value', 'for-in-special-object'],
    ['({ ...global })', 'unsupported:value', 'spread-of-special-object'],
  ]);
});
