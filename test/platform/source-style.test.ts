import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceError, checkSource, prepareSource } from '../../src/platform/index.ts';

const cases: Array<[string, string, string]> = [
  // [style, what, source]
  ['paper', 'require + listen', `const c = require('containerless'); c.listen((r) => c.respond(1));`],
  ['paper', 'destructured listen', `const { listen, respond } = require('containerless'); listen(async () => respond(1));`],
  ['paper', 'ESM default import', `import cl from 'containerless';\ncl.listen((r) => cl.respond(1));`],
  ['paper', 'ESM named import', `import { listen as L, respond } from 'containerless';\nL((r) => respond(1));`],
  ['paper', 'ESM namespace import', `import * as cl from 'containerless';\ncl.listen((r) => cl.respond(1));`],
  ['web', 'export default object, method', `export default { async fetch(request, env) { return new Response('hi'); } };`],
  ['web', 'export default shorthand', `async function fetch(r) { return new Response('x'); }\nexport default { fetch };`],
  ['web', 'export default property', `export default { fetch: (r) => new Response('x') };`],
  ['web', 'const h then export default h', `const h = { fetch(r) { return new Response('x'); } };\nexport default h;`],
  ['web', 'export { h as default }', `const h = { fetch(r) { return new Response('x'); } };\nexport { h as default };`],
  ['lambda', 'exports.handler', `exports.handler = async (event) => ({ statusCode: 200, body: 'x' });`],
  ['lambda', 'module.exports.handler', `module.exports.handler = function (e, ctx, cb) { cb(null, 1); };`],
  ['lambda', 'module.exports = { handler }', `async function handler(e) { return 1; }\nmodule.exports = { handler };`],
  ['lambda', 'export const handler', `export const handler = async (event) => ({ statusCode: 200 });`],
  ['lambda', 'export async function handler', `export async function handler(event) { return 1; }`],
  ['lambda', 'export { handler }', `async function handler(e) { return 1; }\nexport { handler };`],
  ['openwhisk', 'exports.main', `exports.main = (params) => ({ body: params });`],
  ['openwhisk', 'module.exports = main', `function main(params) { return { body: 'x' }; }\nmodule.exports = main;`],
  ['openwhisk', 'module.exports.main', `module.exports.main = (p) => ({ body: 1 });`],
  ['openwhisk', 'module.exports = function main', `module.exports = function main(params) { return { body: params.x }; };`],
  ['openwhisk', 'module.exports = an arrow', `module.exports = (params) => ({ body: 1 });`],
  ['openwhisk', 'top-level function main', `function main(params) { return { body: 'hello ' + params.name }; }`],
  ['openwhisk', 'ESM export function main', `export function main(params) { return { body: 1 }; }`],
];

test('each style and export form is recognized from the file', () => {
  for (const [style, what, source] of cases) {
    assert.equal(checkSource(source).style, style, what);
    const p = prepareSource(source);
    assert.ok(p.ok, what);
    assert.equal(p.facts.style, style, what);
    assert.ok(!('error' in p.instrumented), `${what}: the runnable text instruments`);
  }
});

test('when several styles match, paper wins over Web over Lambda over OpenWhisk', () => {
  assert.equal(checkSource(`const c = require('containerless'); c.listen(() => 0);\nexports.handler = 1;`).style, 'paper');
  assert.equal(checkSource(`export default { fetch() {} };\nexport const handler = 1;`).style, 'web');
  assert.equal(checkSource(`exports.handler = 1;\nexports.main = 2;`).style, 'lambda');
});

function refused(source: string): SourceError {
  try {
    checkSource(source);
  } catch (err) {
    assert.ok(err instanceof SourceError);
    return err;
  }
  assert.fail(`accepted: ${source}`);
}

test('files of no style are refused naming the four styles, at 1:1', () => {
  for (const source of [
    `export default { get(r) { return 1; } };`, // a default object without fetch
    `export default function fetch() {}`, // a function, not an object with fetch
    `const h = { fetch() {} };`, // not exported
    `exports.handle = () => 1;`,
    `module.exports = { main2() {} };`,
    `function run() { function main() {} }`, // main not at the top level
    `const cl = require('other'); cl.listen(() => 0);`,
    `import cl from 'other';\ncl.listen(() => 0);`,
    ``,
  ]) {
    const e = refused(source);
    assert.match(e.message, /paper.*Web.*Lambda.*OpenWhisk/, source);
    assert.deepEqual([e.line, e.column], [1, 1], source);
  }
});

test('a syntax error in a module keeps its line and column', () => {
  const e = refused(`import x from 'y';\nexport default {\n  fetch(r) { return 1 +; }\n};`);
  assert.match(e.message, /syntax error/);
  assert.deepEqual([e.line, e.column], [3, 24]);
});

test('a module with top-level return is refused', () => {
  assert.match(refused(`export const handler = 1;\nreturn;`).message, /return/);
});

test('esbuild\'s CommonJS of an ES module entry is still recognized (a bundled folder)', () => {
  const bundled = `var __defProp = Object.defineProperty;
var __export = (target, all) => { for (var name in all) __defProp(target, name, { get: all[name], enumerable: true }); };
var __toCommonJS = (mod) => mod;
var index_exports = {};
__export(index_exports, {
  default: () => index_default
});
module.exports = __toCommonJS(index_exports);
var h = { async fetch(req) { return new Response('x'); } };
var index_default = h;
`;
  assert.equal(checkSource(bundled).style, 'web');
  assert.equal(checkSource(bundled.replace('default: () => index_default', 'handler: () => handler')).style, 'lambda');
  assert.equal(checkSource(bundled.replace('default: () => index_default', 'main: () => main')).style, 'openwhisk');
  // esbuild's form of `import cl from 'containerless'; cl.listen(…)` and `import { listen }`.
  assert.equal(checkSource(`var import_c = __toESM(require("containerless"));\nimport_c.default.listen(() => 0);`).style, 'paper');
  assert.equal(checkSource(`var import_c = __toESM(require("containerless"));\n(0, import_c.listen)(() => 0);`).style, 'paper');
});

test('a style other than paper is its own first blocker: the whole function stays in containers', async () => {
  const { blockersLine } = await import('../../src/cli/commands/deploy.ts');
  const lambda = prepareSource(`exports.handler = async (e) => ({ statusCode: 200, body: /x/.source });`);
  assert.ok(lambda.ok);
  assert.deepEqual(
    lambda.facts.blockers.list.map((b) => `${b.what}@${b.line}:${b.column}`),
    ['lambda-style@1:1', 'regexp@1:58'],
  );
  assert.equal(blockersLine(lambda.facts.blockers.list, 0), 'runs in containers: lambda-style functions are not accelerated yet; then also: regexp at 1:58');
  const ow = prepareSource(`function main(p) { return { body: p.name }; }`);
  assert.ok(ow.ok);
  assert.equal(blockersLine(ow.facts.blockers.list, 0), 'runs in containers: openwhisk-style functions are not accelerated yet');
  const paper = prepareSource(`const c = require('containerless'); c.listen((r) => c.respond(1));`);
  assert.ok(paper.ok);
  assert.equal(blockersLine(paper.facts.blockers.list, 0), 'accelerated when warm');
});
