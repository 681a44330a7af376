import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { prepareSource, type PreparedSource } from '../../src/platform/index.ts';
import { FunctionLoadError, loadFunction, loadFunctionAwaited, TOP_LEVEL_PROMISE } from '../../src/api/index.ts';

/** Every import and export form, one per line, each line tagged so its place can be checked. */
const MODULE = `import os from 'node:os'; /*L1*/
import { createHash as ch, randomUUID } from 'node:crypto'; /*L2*/
import * as pathNs from 'node:path'; /*L3*/
import 'node:util'; /*L4*/
import {
  sep,
  join,
} from 'node:path'; /*L8*/
import dep, { named } from './dep.cjs'; /*L9*/
const esm = 'no import here'; /*L10*/
export const one = 1, { two } = { two: 2 }; /*L11*/
export let counter = ch('sha1').update('x').digest('hex').length; /*L12*/
export function hoisted() { return 'h' + typeof randomUUID; } /*L13*/
export class Klass { name() { return 'k'; } } /*L14*/
export { local as renamed, local }; /*L15*/
const local = [os.EOL.length, pathNs.sep === sep, join('a', 'b'), dep.kind, named, esm]; /*L16*/
export * from './star.cjs'; /*L17*/
export { starOne as reexported, default as starDefault } from './star.cjs'; /*L18*/
export * as starNs from './star.cjs'; /*L19*/
export const meta = typeof import.meta.url; /*L20*/
export const later = () => import('node:path').then((m) => typeof m.join + typeof m.default.join); /*L21*/
export default { /*L22*/
  fetch() { return hoisted() + counter; }, /*L23*/
}; /*L24*/
export function thrower() { /*L25*/
  throw new Error('at line 26'); /*L26*/
} /*L27*/
`;

const FILES: Record<string, string> = {
  'dep.cjs': `exports.kind = 'cjs'; exports.named = 'n';`,
  'esm-flag.cjs': `Object.defineProperty(exports, '__esModule', { value: true }); exports.default = 'the default';`,
  'star.cjs': `exports.starOne = 1; exports.starTwo = 2; exports.default = 'sd';`,
};

function prepared(source: string): Extract<PreparedSource, { ok: true }> {
  const p = prepareSource(source);
  assert.ok(p.ok, JSON.stringify(p));
  return p;
}

/** Runs CommonJS text as the runner does (a function body with exports, require, module, …). */
function runCommonJS(code: string, filename: string): Record<string, unknown> {
  const mod = { exports: {} as Record<string, unknown> };
  const fn = vm.compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename });
  fn(mod.exports, createRequire(filename), mod, filename, path.dirname(filename));
  return mod.exports;
}

async function plainJSON(exports: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(exports).sort()) {
    const v = exports[k];
    if (k === 'default') out[k] = (v as { fetch(): string }).fetch();
    else if (k === 'later') out[k] = await (v as () => Promise<string>)();
    else if (k === 'hoisted') out[k] = (v as () => string)();
    else if (k === 'Klass') out[k] = new (v as new () => { name(): string })().name();
    else if (k === 'thrower') out[k] = 'fn';
    else if (k === 'starNs') out[k] = { ...(v as object) };
    else out[k] = v;
  }
  return out;
}

test('an ES module converted to CommonJS exports what Node gives the module, every line in its place', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-esm-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [f, text] of Object.entries(FILES)) writeFileSync(path.join(dir, f), text);
  writeFileSync(path.join(dir, 'fn.mjs'), MODULE);

  const p = prepared(MODULE);
  assert.equal(p.facts.style, 'web');
  const code = p.facts.code;
  const lines = code.split('\n');
  for (let n = 1; n <= 27; n++) {
    if (MODULE.includes(`/*L${n}*/`)) assert.ok(lines[n - 1]!.includes(`/*L${n}*/`), `line ${n} stays line ${n}: ${lines[n - 1]}`);
  }

  const viaNode = (await import(pathToFileURL(path.join(dir, 'fn.mjs')).href)) as Record<string, unknown>;
  const converted = runCommonJS(code, path.join(dir, 'fn.js'));
  assert.equal(converted.__esModule, true);
  assert.deepEqual(await plainJSON(converted), await plainJSON({ ...viaNode }));

  // A stack trace names the author's line.
  try {
    (converted.thrower as () => void)();
    assert.fail('no throw');
  } catch (err) {
    assert.match((err as Error).stack!, /fn\.js:26:/);
  }
});

test('a default import of a CommonJS module that sets __esModule is its .default (Babel and esbuild interop)', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-esm-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [f, text] of Object.entries(FILES)) writeFileSync(path.join(dir, f), text);
  const p = prepared(`import flagged, * as ns from './esm-flag.cjs';\nimport plain from './dep.cjs';\nexport const handler = () => [flagged, ns.default, plain.kind];`);
  const exports = runCommonJS(p.facts.code, path.join(dir, 'fn.js'));
  assert.deepEqual((exports.handler as () => unknown)(), ['the default', 'the default', 'cjs']);
});

test('a module that declares require, module or exports for itself still converts', () => {
  const src = `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const module = { name: 'mine' };
export const handler = () => module.name + typeof require('node:path').join;
`;
  const p = prepared(src);
  assert.equal(p.facts.style, 'lambda');
  const exports = runCommonJS(p.facts.code, path.join(os.tmpdir(), 'fn.js'));
  assert.equal((exports.handler as () => string)(), 'minefunction');
});

test('an OpenWhisk main that is only declared is exported; strict mode holds in a module', () => {
  const esm = prepared(`import os from 'node:os';\nfunction main(p) { return { body: typeof os.EOL }; }`);
  assert.equal(esm.facts.style, 'openwhisk');
  const e1 = runCommonJS(esm.facts.code, path.join(os.tmpdir(), 'fn.js'));
  assert.deepEqual((e1.main as (p: unknown) => unknown)({}), { body: 'string' });
  const script = prepared(`function main(params) { return { body: 'hi ' + params.name }; }`);
  const e2 = runCommonJS(script.facts.code, path.join(os.tmpdir(), 'fn.js'));
  assert.deepEqual((e2.main as (p: unknown) => unknown)({ name: 'x' }), { body: 'hi x' });
  const strict = prepared(`export function handler() { undeclared = 1; }`);
  const e3 = runCommonJS(strict.facts.code, path.join(os.tmpdir(), 'fn.js'));
  assert.throws(() => (e3.handler as () => void)(), ReferenceError);
});

test('a CommonJS script runs as it was written', () => {
  const src = `const c = require('containerless');\nc.listen((r) => c.respond(1));`;
  assert.equal(prepared(src).facts.code, src);
});

test('top-level await: the body runs in an async function the host awaits, every line where it was', async () => {
  const log = (_s: string, line: string) => lines.push(line);
  const lines: string[] = [];
  const io = { request: async () => undefined };
  const src = `import os from 'node:os';\nconst a = await Promise.resolve(20);\nexport const handler = async () => ({ statusCode: 200, body: String(a + b + typeof os.EOL) });\nfor await (const x of [Promise.resolve(1)]) console.log('got', x);\nconst b = await new Promise((r) => setTimeout(() => r(2), 5));\nexport { a as shown };\n`;
  const p = prepared(src);
  assert.equal(p.facts.code.split('\n').slice(0, 6).length, 6);
  for (const [i, line] of src.split('\n').entries()) if (line.includes('await')) assert.ok(p.facts.code.split('\n')[i]!.includes(line.slice(line.indexOf('await'))), `line ${i + 1}`);
  // The sync loader says why it cannot; the awaited one waits for the top level.
  assert.throws(() => loadFunction(p.facts.code, { io, log }), FunctionLoadError);
  const fn = await loadFunctionAwaited(p.facts.code, { io, log });
  assert.equal(fn.style, 'lambda');
  const res = await fn.invoke({ method: 'GET', path: '/', query: {}, headers: {}, body: '' }, { timeoutMs: 2000 });
  assert.equal(res.status, 200);
  assert.equal(res.body, '22string');
  assert.ok(lines.includes('got 1'), lines.join('|'));
  // A rejection at the top level is the load's error.
  const bad = prepared(`export const handler = () => 1;\nawait Promise.reject(new RangeError('no config'));\n`);
  await assert.rejects(loadFunctionAwaited(bad.facts.code, { io, log }), /RangeError: no config/);
  // Inside a function nothing changes.
  assert.ok(!prepared(`export const handler = async () => { await 1; };`).facts.code.includes(TOP_LEVEL_PROMISE));
});

test('acceleration blockers: outermost unsupported constructs, at the author\'s line and column', () => {
  const src = `import os from 'node:os';
export default {
  async fetch(request) {
    return new Response(String(12n));
  },
};
const re = 10n;
class A {}
function plain(a) { return a + 1; }
`;
  const p = prepared(src);
  assert.deepEqual(p.facts.blockers, {
    list: [
      { what: 'bigint', line: 4, column: 32 },
      { what: 'bigint', line: 7, column: 12 },
    ],
    omitted: 0,
  });
  assert.deepEqual(prepared(`exports.handler = function (e) { return e; };`).facts.blockers, { list: [], omitted: 0 });
  assert.deepEqual(prepared(`require('containerless').listen(function (r) {});`).facts.blockers, { list: [], omitted: 0 });
  const many = prepared(`require('containerless').listen(() => [${Array.from({ length: 60 }, () => '1n').join(', ')}]);`);
  assert.equal(many.facts.blockers.list.length, 50);
  assert.equal(many.facts.blockers.omitted, 10);
  assert.ok(many.facts.blockers.list.every((b) => b.what === 'bigint' && b.line === 1));
});

test('the source worker converts a module as the inline path does', async (t) => {
  const { SourceService } = await import('../../src/platform/index.ts');
  const svc = new SourceService({ inlineChars: 0 });
  t.after(() => svc.close());
  for (const src of [`import os from 'node:os';\nexport default { fetch() { return os.EOL; } };`, `export const handler = 1;\nawait 0;`]) {
    assert.deepEqual(await svc.prepare(src), prepareSource(src));
  }
  assert.equal(svc.running, true);
});
