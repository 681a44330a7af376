import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { callBuiltin, callMethod, getGlobal, getStatic, type BuiltinFunction } from '../../../src/accelerator/builtins/index.ts';
import { differential, params, spec, str, type DiffStats } from './diff.ts';
import { makeHost, toRuntime, isUnsupported, unsupportedOn } from './host.ts';
import { defaultLocaleIsEnUS } from '../../../src/accelerator/builtins/values.ts';

const methods = [
  'charAt', 'charCodeAt', 'codePointAt', 'at', 'indexOf', 'lastIndexOf', 'includes', 'startsWith', 'endsWith',
  'slice', 'substring', 'substr', 'toUpperCase', 'toLowerCase', 'trim', 'trimStart', 'trimEnd', 'padStart',
  'padEnd', 'repeat', 'split', 'concat', 'replace', 'replaceAll', 'localeCompare', 'toString', 'valueOf',
  'isWellFormed', 'toWellFormed', 'toLocaleUpperCase', 'toLocaleLowerCase',
];

// Aborts the library may take on purpose: locale-dependent comparison, and strings too large for the
// test's budgets (Node throws "Invalid string length" there): memory or fuel, whichever a huge
// result exhausts first (both are charged by its length before it is built).
const allowed = (name: string) => (reason: string, detail: string) =>
  (['localeCompare', 'toLocaleUpperCase', 'toLocaleLowerCase'].includes(name) && isUnsupported(reason, detail, `String.prototype.${name}`)) ||
  (['repeat', 'padStart', 'padEnd'].includes(name) && (reason === 'memory' || reason === 'fuel'));

for (const name of methods) {
  test(`String.prototype.${name} agrees with Node`, () => {
    const stats: DiffStats = { equal: 0, aborted: 0 };
    fc.assert(fc.property(str, fc.array(spec, { maxLength: 3 }), (s, args) => {
      differential(args,
        (h, a) => callMethod(h, s, name, a),
        (a) => (s as unknown as Record<string, (...x: unknown[]) => unknown>)[name](...a),
        stats, allowed(name));
    }), params);
    const localeDependent = ['localeCompare', 'toLocaleUpperCase', 'toLocaleLowerCase'].includes(name);
    assert.ok(stats.equal > (!localeDependent ? params.numRuns / 2 : defaultLocaleIsEnUS ? params.numRuns / 10 : -1), `${name}: ${stats.equal} equal, ${stats.aborted} aborted`);
  });
}

test('localeCompare is exact on printable ASCII and aborts otherwise', () => {
  const ascii = fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'B', 'z', ' ', '_', '-', '1', '9', '~', '.', 'aa'), maxLength: 5 });
  const stats: DiffStats = { equal: 0, aborted: 0 };
  fc.assert(fc.property(ascii, ascii, (x, y) => {
    differential([{ k: 'prim', v: y }], (h, a) => callMethod(h, x, 'localeCompare', a), (a) => x.localeCompare(a[0] as string), stats,
      (r, d) => !defaultLocaleIsEnUS && isUnsupported(r, d, 'String.prototype.localeCompare'));
  }), { numRuns: 500 });
  // Exact only under the en-US default locale (as in containers); any other default aborts.
  assert.equal(stats.aborted, defaultLocaleIsEnUS ? 0 : stats.aborted);
  assert.ok(defaultLocaleIsEnUS ? stats.equal === 500 : stats.equal < 500);
  assert.throws(() => callMethod(makeHost(), 'ä', 'localeCompare', ['a']), unsupportedOn('String.prototype.localeCompare'));
});

test('replace and replaceAll with $-patterns and function replacements agree with Node', () => {
  const stats: DiffStats = { equal: 0, aborted: 0 };
  const pat = fc.string({ unit: fc.constantFrom('a', 'b', '$', '&', '`', '\'', '1', '0', '<', '>', 'n'), maxLength: 6 });
  fc.assert(fc.property(pat, pat, pat, fc.boolean(), fc.boolean(), (s, search, rep, all, functional) => {
    const name = all ? 'replaceAll' : 'replace';
    const replacer = (m: string, p: number, whole: string) => `[${m}|${p}|${whole.length}]`;
    differential([{ k: 'prim', v: search }, functional ? { k: 'prim', v: 0 } : { k: 'prim', v: rep }],
      (h, a, log) => callMethod(h, s, name, functional ? [a[0], toClosure(replacer, log)] : a),
      (a, log) => (s as unknown as Record<string, (...x: unknown[]) => unknown>)[name](a[0], functional ? logged(replacer, log) : a[1]),
      stats);
  }), { numRuns: 1000 });
  assert.ok(stats.equal > 900);
});

function logged<A extends unknown[]>(f: (...a: A) => unknown, log: string[]) {
  return (...a: A) => { log.push(JSON.stringify(a)); return f(...a); };
}
function toClosure<A extends unknown[]>(f: (...a: A) => unknown, log: string[]) {
  return toRuntime(logged(f, log));
}

test('String(x), String.fromCharCode and String.fromCodePoint agree with Node', () => {
  const stats: DiffStats = { equal: 0, aborted: 0 };
  const S = getGlobal('String') as BuiltinFunction;
  for (const [fname, nat] of [['', String], ['fromCharCode', String.fromCharCode], ['fromCodePoint', String.fromCodePoint]] as const) {
    fc.assert(fc.property(fc.array(spec, { maxLength: 3 }), (args) => {
      differential(args,
        (h, a) => callBuiltin(h, (fname ? getStatic(h, S, fname) : S) as BuiltinFunction, undefined, a),
        (a) => (nat as (...x: unknown[]) => unknown)(...a),
        stats, (r, d) => isUnsupported(r, d, 'String.fromCodePoint'));
    }), params);
  }
  assert.ok(stats.equal > params.numRuns * 2);
});

test('string methods charge fuel and memory for the work they do', () => {
  const h = makeHost();
  callMethod(h, 'ab', 'repeat', [1000]);
  assert.ok(h.memory >= 4000, `memory ${h.memory}`);
  const before = h.fuel;
  callMethod(h, 'x'.repeat(10000), 'indexOf', ['y']);
  assert.ok(h.fuel - before >= 100, `fuel ${h.fuel - before}`);
  assert.throws(() => callMethod(makeHost(), 'abc', 'repeat', [2 ** 28]), /memory/);
  // $` expands to the text before each match: quadratic output is charged before it is built.
  assert.throws(() => callMethod(makeHost(), 'a'.repeat(20000), 'replaceAll', ['a', '$`$`']), /memory/);
  for (const name of ['anchor', 'big', 'sub']) {
    assert.throws(() => callMethod(makeHost(), 'abc', name, []), unsupportedOn(`String.prototype.${name}`));
  }
});
