// process.env in compiled code, against Node itself: the oracle is a child Node process whose whole
// environment is the one a container's runner gives the function (base variables, then config.env),
// running the same function source; every other member of `process` aborts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accelerate, compileSource, raw } from './helpers.ts';
import { createInstance, loadCompiled } from '../../src/accelerator/index.ts';

const BASE = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/tmp', NODE_ENV: 'production' };
const CONFIG = { SPECIAL: 'a "quoted" \\ back\nnew\tline é 😀 \u2028 {"json": [1]}', EMPTY: '', _under: 'u', PATH: '/opt/bin' };
const ENV = { ...BASE, ...CONFIG };

/** `t(() => expr)` for each observation: JSON of the value, or the exception's name and message. */
const OBSERVATIONS = [
  'process.env.PATH', 'process.env.HOME', 'process.env.NODE_ENV', 'process.env.SPECIAL', 'process.env.EMPTY',
  'process.env.MISSING', "process.env['_under']", 'process.env[1]',
  "'PATH' in process.env", "'MISSING' in process.env", "'toString' in process.env", "'hasOwnProperty' in process.env",
  "'EMPTY' in process.env", 'Object.keys(process.env)', 'Object.values(process.env)', 'Object.entries(process.env)',
  'JSON.stringify(process.env)', 'JSON.stringify(process.env, null, 2)', "JSON.stringify(process.env, ['HOME', 'MISSING'])",
  '(function () { const ks = []; for (const k in process.env) ks.push(k); return ks; })()',
  '({ ...process.env })', 'Object.assign({}, process.env)', '(function () { const { HOME, NOPE = "dflt", ...rest } = process.env; return [HOME, NOPE, rest]; })()',
  'typeof process', 'typeof process.env', 'typeof process.env.PATH', 'typeof process.env.MISSING',
  "process.env.hasOwnProperty('PATH')", "process.env.hasOwnProperty('MISSING')", "Object.hasOwn(process.env, 'HOME')",
  "process.env.propertyIsEnumerable('HOME')", 'Object.getOwnPropertyNames(process.env)', 'Object.isFrozen(process.env)',
  'String(process.env)', "process.env + ''", 'process.env.toString()', 'process.env instanceof Object', 'String(process)', "'' + process",
  "process.env.PATH.split(':')", "process.env.MISSING || 'fallback'", "process.env.EMPTY ?? 'not nullish'",
  'process.env === process.env', 'process.env == "[object Object]"', 'Object.keys(process.env).length',
  // Writes, in order: they persist for the rest of the function.
  'process.env.N = 1', 'process.env.N', 'typeof process.env.N', '(process.env.B = true, process.env.B)',
  '(process.env.U = undefined, process.env.U)', '(process.env.NL = null, process.env.NL)', '(process.env.O = {}, process.env.O)',
  '(process.env.A = [1, [2, 3]], process.env.A)', '(process.env.F = 0.1 + 0.2, process.env.F)', '(process.env.NEG = -0, process.env.NEG)',
  "(process.env['10'] = 'ten', process.env['2'] = 'two', Object.keys(process.env))",
  "(process.env.PATH = 'changed', Object.keys(process.env))",
  'delete process.env.HOME', "'HOME' in process.env", 'delete process.env.MISSING', 'Object.keys(process.env)',
  "(process.env.HOME = 'back', Object.keys(process.env))",
  "(process.env[''] = 'e', [process.env[''], '' in process.env])", "(process.env['A=B'] = 'x', process.env['A=B'])",
  "(process.env.Z = 'a\\u0000b', process.env.Z)", "(process.env.S = '\\ud800x', [process.env.S === '\\ufffdx', process.env.S.length])",
  "(process.env['K\\udc00'] = 'v', Object.keys(process.env).pop() === 'K\\ufffd')",
  "(process.env.__proto__ = 'pp', [process.env.__proto__, Object.keys(process.env).pop()])",
  "(process.env.constructor = 'c', process.env.constructor)", "(process.env.toString = 't', process.env.toString)",
  "(process.env['é'] = 'accent', process.env['é'])",
  'process.env.PATH()', 'process.env.MISSING()', 'process.env()', 'process()', '[1].map(process.env)',
  '(function () { for (const x of process.env) return x; })()', 'Object.freeze(process.env)',
  'JSON.stringify(process.env)', 'Object.entries(process.env)',
];

const SOURCE = `const c = require('containerless');
const atLoad = process.env.PATH + '|' + typeof process;
c.listen(function (req) {
  const out = [atLoad];
  function t(f) {
    try { out.push(JSON.stringify(f())); } catch (e) { out.push('throw ' + e.name + ': ' + e.message); }
  }
${OBSERVATIONS.map((o) => `  t(function () { return ${o}; });`).join('\n')}
  c.respond(out);
});`;

/** The function run by Node with exactly `env` as its environment (no variable of this process). */
function nodeAnswer(source: string, env: Record<string, string>): unknown {
  const harness = `const c = { listen: (h) => h({ path: '/' }), respond: (v) => process.stdout.write(JSON.stringify(v)) };
(function (require) {\n${source}\n})(() => c);`;
  const r = spawnSync(process.execPath, ['-e', harness], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function instanceWith(source: string, env?: Record<string, string>) {
  return createInstance(loadCompiled(compileSource(source)), { io: { request: async () => undefined }, log() {}, env });
}

async function answer(source: string, env?: Record<string, string>) {
  const r = await instanceWith(source, env).handle(raw(), { timeoutMs: 300 });
  assert.equal(r.kind, 'response', JSON.stringify(r));
  return r.kind === 'response' ? JSON.parse(r.response.body) : undefined;
}

test('process.env observations (reads, key order, writes, deletes, errors) are Node\'s', async () => {
  const node = nodeAnswer(SOURCE, ENV) as string[];
  const accel = (await answer(SOURCE, ENV)) as string[];
  assert.equal(accel.length, OBSERVATIONS.length + 1);
  for (let i = 0; i < node.length; i++) assert.deepEqual(accel[i], node[i], i === 0 ? 'top level' : OBSERVATIONS[i - 1]);
});

test('writes to process.env persist within an instance; a new instance starts from the configured env', async () => {
  const src = `const c = require('containerless');
c.listen(function (req) { process.env.COUNT = String(Number(process.env.COUNT || 0) + 1); c.respond(process.env.COUNT + ',' + process.env.X); });`;
  const a = instanceWith(src, { X: 'x' });
  const b = instanceWith(src, { X: 'y' });
  const body = async (i: ReturnType<typeof instanceWith>) => {
    const r = await i.handle(raw(), { timeoutMs: 300 });
    return r.kind === 'response' ? r.response.body : r.reason;
  };
  assert.equal(await body(a), '1,x');
  assert.equal(await body(a), '2,x');
  assert.equal(await body(b), '1,y');
  assert.equal(await body(instanceWith(src, { X: 'x' })), '1,x');
});

test('the dispatcher\'s own environment is never visible: only the env the instance was given', async () => {
  process.env.CL_DISPATCHER_SECRET = 'dispatcher-only-9c1e';
  try {
    const src = `const c = require('containerless');
c.listen(function (req) { c.respond([process.env.CL_DISPATCHER_SECRET, 'CL_DISPATCHER_SECRET' in process.env, JSON.stringify(process.env), process.env.MINE]); });`;
    const withEnv = await answer(src, { MINE: 'mine' });
    assert.deepEqual(withEnv, [null, false, '{"MINE":"mine"}', 'mine']);
    const none = await answer(src);
    assert.deepEqual(none, [null, false, '{}', null]);
  } finally {
    delete process.env.CL_DISPATCHER_SECRET;
  }
});

test('an env given to the instance is stored as setenv stores it (strings only, NUL cuts, no empty names)', async () => {
  const src = `const c = require('containerless'); c.listen(function (req) { c.respond(process.env); });`;
  assert.deepEqual(await answer(src, { A: 'a\u0000b', '': 'x', 'B=C': 'y', D: 'd', S: '\ud800' } as Record<string, string>), { A: 'a', D: 'd', S: '\ufffd' });
});

const ABORTS: Array<[string, string, string]> = [
  ['process.exit(0)', 'unsupported:process', 'process:exit'],
  ['process.nextTick(function () {})', 'unsupported:process', 'process:nextTick'],
  ['process.argv', 'unsupported:process', 'process:argv'],
  ['process.cwd()', 'unsupported:process', 'process:cwd'],
  ['process.hrtime()', 'unsupported:process', 'process:hrtime'],
  ['process.memoryUsage()', 'unsupported:process', 'process:memoryUsage'],
  ['process.versions', 'unsupported:process', 'process:versions'],
  ['process.platform', 'unsupported:process', 'process:platform'],
  ['process.mainModule', 'unsupported:process', 'process:mainModule'],
  ['process.binding("fs")', 'unsupported:process', 'process:binding'],
  ['process.constructor', 'unsupported:process', 'process:constructor'],
  ['process.__proto__', 'unsupported:process', 'process:__proto__'],
  ['process.x = 1', 'unsupported:process', 'process-write:x'],
  ['process.env = {}', 'unsupported:process', 'process-write:env'],
  ['process.env.constructor', 'unsupported:builtin', 'Object.prototype.constructor'],
  ['process.env.__proto__', 'unsupported:builtin', 'Object.prototype.__proto__'],
  ['process.env.hasOwnProperty', 'unsupported:builtin', 'Object.prototype.hasOwnProperty'],
  ["Object.assign(process.env, { A: 1 })", 'unsupported:builtin', 'Object.assign'],
  ["process.env['A\\u0000B'] = 'x'", 'unsupported:process', 'process-env-write'],
  ['delete process.env.__proto__', 'unsupported:value', '__proto__-delete'],
  ['Object.keys(process)', 'unsupported:builtin', 'Object.keys'],
  ['JSON.stringify(process)', 'unsupported:builtin', 'JSON.stringify'],
  ['({ ...process })', 'unsupported:value', 'spread-of-special-object'],
  ["'env' in process", 'unsupported:value', 'in-special-object'],
  ['Object.getPrototypeOf(process)', 'unsupported:builtin', 'Object.getPrototypeOf'], // only along a typed array's chain
  ["(process.env.toString = 'x', String(process.env))", 'unsupported:value', 'toPrimitive-hook'],
];

for (const [expr, reason, what] of ABORTS) {
  test(`aborts: ${expr}`, async () => {
    const inst = accelerate(`const c = require('containerless'); c.listen(function (req) { const v = ${expr}; c.respond(String(typeof v)); });`);
    const r = await inst.handle(raw(), { timeoutMs: 300 });
    assert.equal(r.kind, 'abort', JSON.stringify(r));
    if (r.kind !== 'abort') return;
    assert.equal(r.reason, reason);
    assert.ok(r.detail === what || r.detail.startsWith(`${what} (`), r.detail);
  });
}
