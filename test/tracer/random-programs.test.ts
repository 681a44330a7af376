import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import fc from 'fast-check';
import { instrument } from '../../src/tracer/index.ts';
import { observe, raw } from './helpers.ts';

// Random programs mixing every kind of arm, in varied layouts (with and without semicolons, so ASI
// decides where statements end): the instrumented program must answer exactly like the original,
// thrown errors' messages included.

const literal = fc.constantFrom('0', '1', '-1', "''", "'s'", 'null', 'undefined', 'true', 'false', '{}', '[]', '{ k: 2 }', '[3]', 'NaN');
const variable = fc.constantFrom('a', 'b', 'o', 'o.k', 'o?.m', 'arr[0]', 'arr?.[5]');

const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal,
    variable,
    fc.tuple(tie('expr'), fc.constantFrom('||', '&&', '??', '+', '===', '==', '<'), tie('expr')).map(([x, op, y]) => `(${x} ${op} ${y})`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([x, y, z]) => `(${x} ? ${y} : ${z})`),
    tie('expr').map((x) => `typeof ${x}`),
    tie('expr').map((x) => `!${x}`),
    tie('expr').map((x) => `id(${x})`),
    tie('expr').map((x) => `(() => ${x})()`),
    fc.tuple(tie('expr'), tie('expr')).map(([x, y]) => `[${x}, ${y}]`),
    tie('expr').map((x) => `({ v: ${x} })`),
    tie('expr').map((x) => `(${x}).k`),
    tie('expr').map((x) => `(${x} || id)(1)`),
    tie('expr').map((x) => `((x = ${x}) => x)()`),
  ),
}));

const { stmt } = fc.letrec<{ stmt: string }>((tie) => ({
  stmt: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    expr.map((x) => `rec(${x})`),
    fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom('=', '||=', '&&=', '??='), expr).map(([v, op, x]) => `${v} ${op} ${x}`),
    fc.tuple(expr, tie('stmt')).map(([x, s]) => `if (${x}) ${s}`),
    fc.tuple(expr, tie('stmt'), tie('stmt')).map(([x, s, t]) => `if (${x}) { ${s} } else ${t}`),
    fc.tuple(fc.integer({ min: 0, max: 3 }), tie('stmt')).map(([n, s]) => `for (let i = 0; i < ${n}; i++) ${s}`),
    fc.tuple(expr, tie('stmt')).map(([x, s]) => `for (const e of [${x}, 1]) { ${s} }`),
    fc.tuple(tie('stmt'), fc.integer({ min: 0, max: 2 })).map(([s, n]) => `{ let w = 0; do { ${s} } while (++w < ${n}) }`),
    fc.tuple(expr, tie('stmt'), tie('stmt'), fc.boolean()).map(([x, s, t, brk]) => `switch (${x}) { case 1: ${s}${brk ? '; break' : ''}; case 's': case null: ${t}; default: rec('d') }`),
    fc.tuple(tie('stmt'), tie('stmt')).map(([s, t]) => `try { ${s} } catch (err) { rec(err.message) } finally { ${t} }`),
    fc.tuple(expr, expr).map(([x, y]) => `outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (${x}) continue outer; if (${y}) break outer; rec(i + j) } }`),
    fc.tuple(expr, expr).map(([x, y]) => `{ const { k = ${x}, m: [n = ${y}] = [] } = (o || {}); rec([k, n]) }`),
    expr.map((x) => `rec((function (p = ${x}, ...rest) { return arguments.length + String(p) })())`),
    expr.map((x) => `rec(this === undefined ? 'strict' : typeof ${x})`),
    expr.map((x) => `this === undefined || rec(typeof ${x})`),
    expr.map((x) => `/s/.test(String(${x})) && rec('re')`),
  ),
}));

const layout = fc.constantFrom(';\n', '\n', '; ', ';');

const program = fc.tuple(fc.array(stmt, { minLength: 1, maxLength: 6 }), layout, fc.boolean()).map(([stmts, sep, strict]) => `${strict ? "'use strict'\n" : ''}const c = require('containerless')
let a = 1, b = 's'
const o = JSON.parse('{"k":{"k":3},"m":[null]}'), arr = [o]
function id(x) { return x }
function rec(v) { out.push(typeof v + ':' + (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))) }
let out
c.listen(function (req) {
  out = []
  try {
${stmts.map((s) => '    ' + s).join(sep)}
  } catch (e) { out.push('threw ' + e.name + ': ' + e.message) }
  c.respond(out)
})
`);

test('random programs: instrumented answers exactly like the original', async () => {
  await fc.assert(
    fc.asyncProperty(program, async (source) => {
      try {
        vm.compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname', 'console']);
      } catch {
        fc.pre(false); // a layout without semicolons can make the original invalid
      }
      assert.doesNotThrow(() => instrument(source));
      const requests = [[raw('/')], [raw('/')]]; // twice: the second sees the globals the first changed
      const original = await observe(source, requests, false);
      const traced = await observe(source, requests, true);
      assert.deepEqual(traced.responses, original.responses, source);
    }),
    { numRuns: 100 },
  );
});
