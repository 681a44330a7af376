// console.log/error lines, accelerated against Node: the oracle is src/api's loadFunction, whose
// console is the container's (a Console on line sinks), so its lines are the container's log lines.
// Error stacks cannot be the same (compiled code has none): Node's frame lines are collapsed into
// the accelerator's one frame line before comparing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFunction } from '../../src/api/index.ts';
import { abortedWith, accelerate, agreeWithNode, compileSource, raw, recordingIO } from './helpers.ts';
import { createInstance, loadCompiled } from '../../src/accelerator/index.ts';

const CASES: string[] = [
  '', "'a', 1, true, null, undefined", "'text'", "''", "'multi\\nline'", "'  spaced  '",
  "['a', 1]", "{ a: 'x', b: [1, 2] }", "[undefined, null]", '{ u: undefined, n: null }', '[]', '{}', '[[]]', '[{}]',
  '-0', '[-0]', '{ z: -0 }', '0.1 + 0.2', '1e21', '-1e-7', 'NaN', '[NaN, Infinity, -Infinity]', '2 ** 53',
  '{ a: { b: { c: { d: 1 } } } }', '[[[[1]]]]', '[[[[]]]]', '{ a: [{ b: [{ c: 1 }] }] }', '{ a: { b: { c: {} } } }',
  'function named() {}', 'function () {}', '() => 1', '{ f: function g() {} }', '[function () {}, function h() {}]',
  '{ method() {} }', 'named2', '[named2]',
  'big(150)', 'big(101)', 'big(100)', 'big(7)', 'big(27)', '[big(120)]', '{ xs: big(30) }',
  "{ alpha: 'aaaaaaaaaa', beta: 'bbbbbbbbbbbb', gamma: 'ccccccccccccc', delta: 'ddddddddd', epsilon: 1 }",
  "{ alpha: 'aaaaaaaaaa', beta: 'bbbbbbbbbbbb', gamma: 'ccccccccc', delta: 'dddddd' }",
  "[{ name: 'one', value: 1 }, { name: 'two', value: 2 }, { name: 'three', value: 3 }, { name: 'four', value: 4 }]",
  "{ list: ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbb', 'cccccccccccccccccccc', 'ddddddddddddddddd', 'eeeeeeeeeee'] }",
  "['aaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'cccccccccccccccccccccccccc', 'ddddddddddddddddddddd']",
  "{ s: \"it's\" }", "{ s: 'a\"b\\'c' }", "{ s: 'a\"b' }", "['\\n', '\\t', '\\u0001', '\\u2028', 'é😀']", "{ 'key with space': 1, 'é': 2, '1a': 3, a_b: 4 }",
  "JSON.parse('{\"__proto__\": 1, \"x\": 2}')", "{ 2: 'b', 1: 'a', x: 0 }", "'x'.repeat(200)", "['x'.repeat(10050)]", "{ s: 'y'.repeat(120) }",
  'cyclic()', 'shared()', 'deepCycle()', '[1, , 3]', 'new Array(5)', 'sparse()', '[1, 2, 3].concat(new Array(3))', "'%j', sparse()", '[sparse()]',
  '(function () { const a = big(150); delete a[120]; return a; })()', '(function () { const a = big(150); delete a[50]; return a; })()',
  'c', 'c.respond', 'c.get', '[c.delete, c.listen]', 'Math', 'JSON', 'Math.max', 'String', 'Object', 'JSON.parse', '[Math.min, Number.isInteger]', 'Error', 'TypeError',
  'new Date(0)', '[new Date(1e12), { d: new Date(-1) }]', 'new Date(NaN)', "'%s', 'A'", "'x%sy%sz', 1, 'two'", "'%s', { a: 1 }", "'%s', [1, [2, [3, [4]]]]", "'%s', -0", "'%s', null, undefined",
  "'%d', '42'", "'%d', -0", "'%d', {}", "'%d', '0x10'", "'%i', 42.9", "'%i', '-7.5e3'", "'%f', '1.5'", "'%f', 'abc'",
  "'%j', { a: [1, 'x'] }", "'%j', cyclic()", "'%j', [function () {}, undefined]", "'%j', 'str'", "'%j', big(150)",
  "'%o', { a: { b: { c: { d: { e: 1 } } } } }", "'%o', [1, { a: 2 }]", "'%O', { a: { b: { c: { d: 1 } } } }",
  "'%%', 1", "'%%s', 1", "'%c', 'color: red'", "'a%', 1", "'%x', 1", "'%s %s', 'only'", "'%s', 'a', 'extra', { b: 1 }",
  "'no specifiers', { a: 1 }, [2]", "'%', 3", "1, '%s', 2", "'%s:%d', 'n', 5",
  'new Error(\'boom\')', 'new TypeError()', "new RangeError('r')", "{ e: new Error('inner') }", "[new Error('in array')]",
  "Object.assign(new Error('with props'), { code: 'E1', n: 2 })", "(function () { const e = new Error('named'); e.name = 'Custom'; return e; })()",
  "(function () { try { null.x; } catch (e) { return e; } })()", "'%s', new Error('in format')", "'%j', new Error('json')",
  "(function () { try { atob('*'); } catch (e) { return e; } })()", "new DOMException('hi', 'AbortError')", 'new DOMException()', "[new DOMException('x', 'DataCloneError')]",
  "{ e: new DOMException('m') }", "'%s', new DOMException('f', 'NotFoundError')", "'%j', new DOMException('j')", "new DOMException('', 'Custom')",
  "new DOMException('c', { name: 'AbortError', cause: { a: [1] } })", "[new DOMException('c', { cause: 'why' })]",
  "Object.assign(new Error('x'), { d: (function () { const d = new DOMException('p', 'TimeoutError'); d.code2 = 1; d.more = { n: [1] }; return d; })() })",
  'new Uint8Array([1, 2, 255])', 'new Uint8Array(120)', "Buffer.from('hi there')", 'new ArrayBuffer(3)', "{ u: new Uint8Array(2), b: Buffer.alloc(2, 7), a: [new ArrayBuffer(1)] }",
  "new Uint8Array([5, 6, 7, 8]).subarray(1, 3)", "'%s', Buffer.from('text')", "'%j', new Uint8Array(2)", "'%s', new Uint8Array([1, 2])",
  "new Map([['a', 1], ['b', 2]])", 'new Set([1])', 'new Map()', 'new Set()', "new Map([['b', { x: [1, 2] }], [{ k: 1 }, 'v'], [null, undefined]])",
  "new Set(['s', [1, [2, [3]]], { a: new Set([new Map([[1, 2]])]) }])", "{ deep: { deeper: { m: new Map([[1, 2]]) } } }", "[new Map([['a', 'x'.repeat(80)]])]",
  'bigSet(103)', 'bigSet(101)', 'bigSet(100)', 'bigMap(150)', '{ s: bigSet(30) }', 'selfMap()', 'mapWithProps()', 'sharedInMap()',
  "'%o', new Map([['a', [1]]])", "'%O', new Set([{ a: 1 }])", "'%j', mapWithProps()", "'%j', new Set([1])", "'%s', new Map([['a', { b: 1 }]])", "'%d', new Set([1])", "'%s %i', new Set(), new Map()",
  'ag()', '[ag(), { g: ag() }]', 'sharedGen()', "'%o', ag()", "'%O', ag()", "'%s', ag()", "'%j', ag()", "'%d', ag()", 'sg()', "[sg(), '%o']", "'%o', sg()",
];

const source = `const c = require('containerless');
function named2(a, b) { return a + b; }
function big(n) { const a = []; for (let i = 0; i < n; i++) a.push(i); return a; }
function cyclic() { const o = { a: 1, list: [] }; o.self = o; o.list.push(o, { back: o }); return o; }
function shared() { const s = { x: 1 }; return [s, s, { s: s }]; }
function deepCycle() { const o = { l1: { l2: { l3: { l4: {} } } } }; o.l1.l2.l3.l4.top = o; o.l1.l2.up = o.l1; return o; }
function sparse() { const a = [0]; a[5] = 5; a[200] = 200; return a; }
async function* ag() { yield 1; }
function* sg() { yield 1; }
function bigSet(n) { const s = new Set(); for (let i = 0; i < n; i++) s.add(i); return s; }
function bigMap(n) { const m = new Map(); for (let i = 0; i < n; i++) m.set('k' + i, { i }); return m; }
function selfMap() { const m = new Map(); m.set('me', m); const s = new Set(); s.add(s); s.add(m); return [m, s]; }
function mapWithProps() { const m = new Map([[1, 'one']]); m.set('list', [m, new Set([m])]); return m; }
function sharedInMap() { const o = { x: 1 }; return new Map([[o, o], ['o', o]]); }
function sharedGen() { const g = ag(); return [g, g, { g }]; }
c.listen(function (req) {
${CASES.map((args, i) => `  console.log('case ${i}');\n  console.log(${args});`).join('\n')}
  console.error('to stderr', { a: 1 });
  console.warn('%s warned', 'x');
  console.info(['info']);
  c.respond('ok');
});`;

/** Node's frame lines (one or more `at …` lines) become the one line the accelerator prints. */
function collapseFrames(lines: string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    // The last frame line also opens the error's own properties (` {`).
    const m = /^(\w+: )(\s*)at .*?( \{)?$/.exec(l);
    if (m) {
      const frame = `${m[1]}${m[2]}at <accelerated>`;
      if (out[out.length - 1] === frame) out.pop();
      out.push(frame + (m[3] ?? ''));
    } else out.push(l);
  }
  return out;
}

test('console.log lines are the container\'s over a broad table of values and format strings', async () => {
  const nodeLines: string[] = [];
  const fn = loadFunction(source, { io: recordingIO(), log: (s, l) => nodeLines.push(`${s}: ${l}`) });
  const res = await fn.invoke(raw(), { timeoutMs: 1000 });
  assert.equal(res.body, 'ok');
  const accelLines: string[] = [];
  const r = await accelerate(source, undefined, undefined, accelLines).handle(raw(), { timeoutMs: 1000 });
  assert.equal(r.kind, 'response', JSON.stringify(r));
  const expected = collapseFrames(nodeLines);
  // Compare case by case for readable failures.
  const byCase = (lines: string[]) => {
    const cases: string[][] = [];
    for (const l of lines) {
      if (/^stdout: case \d+$/.test(l)) cases.push([]);
      else cases[cases.length - 1]!.push(l);
    }
    return cases;
  };
  const e = byCase(expected);
  const a = byCase(accelLines);
  assert.equal(a.length, CASES.length);
  for (let i = 0; i < CASES.length; i++) assert.deepEqual(a[i], e[i], `console.log(${CASES[i]})`);
});

test('process, process.env and console print as documented (their Node forms are host objects)', async () => {
  const logs: string[] = [];
  const inst = createInstance(loadCompiled(compileSource(`const c = require('containerless');
c.listen(function () { console.log(process.env); console.log(process); console.log('%o', process.env); console.log(console); c.respond('ok'); });`)), { io: recordingIO(), log: (s, l) => logs.push(l), env: { A: '1', B: "it's" } });
  const r = await inst.handle(raw(), { timeoutMs: 300 });
  assert.equal(r.kind, 'response');
  assert.deepEqual(logs, [
    `{ A: '1', B: "it's" }`, 'process {}', `{ A: '1', B: "it's" }`,
    '{', '  log: [Function: log],', '  error: [Function: error],', '  info: [Function: info],', '  warn: [Function: warn]', '}',
  ]);
});

test('a % specifier that would run the program\'s own toString/valueOf/toJSON, or print a function\'s source, aborts', async () => {
  for (const args of ["'%s', { toString: function () { return 'mine'; } }", "'%d', { valueOf: function () { return 1; } }", "'%j', { a: { toJSON: function () { return 1; } } }", "'%s', function f() {}"]) {
    const r = await accelerate(`const c = require('containerless'); c.listen(function () { console.log(${args}); c.respond('ok'); });`).handle(raw(), { timeoutMs: 300 });
    assert.ok(abortedWith(r, 'unsupported:value', 'console-format'), `${args}: ${JSON.stringify(r)}`);
  }
  // Without a specifier nothing is called: inspect shows the functions.
  const logs: string[] = [];
  const r = await accelerate(`const c = require('containerless'); c.listen(function () { console.log({ toString: function () { return 'x'; } }, '%s'); c.respond('ok'); });`, undefined, undefined, logs).handle(raw(), { timeoutMs: 300 });
  assert.equal(r.kind, 'response');
  assert.deepEqual(logs, ["stdout: { toString: [Function: toString] } %s"]);
});

// util.inspect names a function by its kind: the program's generator, async and async generator
// functions (and methods) print as Node prints them, not as `[Function: …]`.
agreeWithNode('console.log of functions of each kind', `const c = require('containerless');\nconst util = require('util');\n`, [
  ['kinds', `class A { *g() {} async m() { return this; } async *ag() {} }
c.listen(function (req) {
  const a = new A();
  const o = { g: function* () {}, a: async () => 1, af: async function named() {}, ag: async function* () {}, m: { *x() { yield this; } }.x, f() {}, arrow: () => 1,
    ig: a.g, im: a.m, iag: a.ag, anon: [function* () {}, async function () {}][req.query.x === 'a' ? 0 : 1] };
  c.respond([util.format(o), util.format(o.g, o.af), util.format(function* gen(a, b) {})]);
});`, ['a', 'b']],
]);
