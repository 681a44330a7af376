// DESIGN invariant 3, "charges track the work actually done": for every builtin of the library and
// every runtime operation whose work depends on its operands, one row runs it accelerated on a small
// and on a large input and checks that the fuel it is charged grows with the input (roughly in
// proportion: 100 times the input, at least 10 times the charge) and that the memory it is charged
// grows with what it makes. Operations whose work does not depend on the input are listed as
// constant, and checked to stay cheap. The list of builtins comes from the library itself
// (builtinInventory), so a new builtin without a row fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinInventory } from '../../src/accelerator/builtins/index.ts';
import type { AccelResult } from '../../src/accelerator/index.ts';
import { abortedWith, accelerate, raw } from './helpers.ts';

type Growth = 'grows' | 'constant';
interface Row {
  /** Builtins named as builtinInventory names them, or `rt:<operation>`. */
  name: string;
  /** Top-level setup; N is the input size. */
  top?: string;
  /** An expression or statements run by the request (the result is not responded). */
  op: string;
  fuel: Growth;
  /** 'grows': the bytes charged grow with N; 'none': nothing grows with N (there may be a constant). */
  memory: 'grows' | 'none';
  sizes?: [number, number];
  /** A constant charge may be this large (default 64): for host work of a fixed, known cost. */
  constantUpTo?: number;
  /** The operation aborts (an unsupported builtin, the detail naming it): checked instead of measured. */
  aborts?: string;
  request?: (n: number) => Parameters<typeof raw>[0];
}

const NUMS = 'const a = []; for (let i = 0; i < N; i++) a.push(i);';
const STRS = "const a = []; for (let i = 0; i < N; i++) a.push('s' + i);";
const OBJ = "const o = {}; for (let i = 0; i < N; i++) o['k' + i] = i;";
const STR = "const s = 'ab,'.repeat(N);";
const FN = 'function f() { return false; } function g(x) { return x; } function h() { return true; }';
const num = (op: string): Row => ({ name: op, op: `(${op})(1.5, 2)`, fuel: 'constant', memory: 'none' });

const DATE_METHODS = ['Date', 'Day', 'FullYear', 'Hours', 'Milliseconds', 'Minutes', 'Month', 'Seconds'].flatMap((f) => [`getUTC${f}`, `get${f}`])
  .concat(['Date', 'FullYear', 'Hours', 'Milliseconds', 'Minutes', 'Month', 'Seconds'].flatMap((f) => [`setUTC${f}`, `set${f}`]))
  .concat(['getTime', 'valueOf', 'getTimezoneOffset', 'setTime', 'toISOString', 'toJSON', 'toString', 'toDateString', 'toTimeString', 'toUTCString',
    'toGMTString', 'toLocaleString', 'toLocaleDateString', 'toLocaleTimeString']);

const rows: Row[] = [
  // ---- Promise and timers (promise.ts, timers.ts): combinators visit every element and make a reaction each.
  { name: 'Promise', op: 'new Promise(function (r) { r(1); })', fuel: 'constant', memory: 'none' },
  { name: 'Promise.resolve', op: 'Promise.resolve(1)', fuel: 'constant', memory: 'none' },
  { name: 'Promise.reject', op: 'Promise.reject(1).catch(function () {})', fuel: 'constant', memory: 'none' },
  ...['all', 'allSettled', 'race', 'any'].map((m): Row => ({ name: `Promise.${m}`, top: NUMS, op: `Promise.${m}(a)`, fuel: 'grows', memory: 'grows' })),
  ...['setTimeout', 'setInterval', 'setImmediate'].map((m): Row => ({ name: m, op: `clear${m.slice(3)}(${m}(function () {}, 1))`, fuel: 'constant', memory: 'none' })),
  ...['clearTimeout', 'clearInterval', 'clearImmediate'].map((m): Row => ({ name: m, op: `${m}(undefined)`, fuel: 'constant', memory: 'none' })),
  { name: 'queueMicrotask', op: 'queueMicrotask(function () {})', fuel: 'constant', memory: 'none' },
  // ---- Math: numbers in, a number out; max, min, hypot read every argument.
  ...['abs', 'acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'cbrt', 'ceil', 'clz32', 'cos', 'cosh', 'exp', 'expm1', 'floor', 'fround', 'log',
    'log10', 'log1p', 'log2', 'round', 'sign', 'sin', 'sinh', 'sqrt', 'tan', 'tanh', 'trunc', 'atan2', 'imul', 'pow', 'random'].map((m) => num(`Math.${m}`)),
  { name: 'Math.max', top: NUMS, op: 'Math.max(...a)', fuel: 'grows', memory: 'grows' },
  { name: 'Math.min', top: NUMS, op: 'Math.min(...a)', fuel: 'grows', memory: 'grows' },
  { name: 'Math.hypot', top: NUMS, op: 'Math.hypot(...a)', fuel: 'grows', memory: 'grows', sizes: [5, 500] },
  // ---- JSON
  { name: 'JSON.stringify', top: "const v = []; for (let i = 0; i < N; i++) v.push({ id: i, name: 'x' + i });", op: 'JSON.stringify(v)', fuel: 'grows', memory: 'grows' },
  { name: 'JSON.parse', top: "const v = []; for (let i = 0; i < N; i++) v.push({ id: i, name: 'x' + i }); const t = JSON.stringify(v);", op: 'JSON.parse(t)', fuel: 'grows', memory: 'grows' },
  // ---- Object
  { name: 'Object', top: OBJ, op: 'Object(o)', fuel: 'constant', memory: 'none' },
  { name: 'Object.keys', top: OBJ, op: 'Object.keys(o)', fuel: 'grows', memory: 'grows' },
  { name: 'Object.values', top: OBJ, op: 'Object.values(o)', fuel: 'grows', memory: 'grows' },
  { name: 'Object.entries', top: OBJ, op: 'Object.entries(o)', fuel: 'grows', memory: 'grows' },
  { name: 'Object.assign', top: OBJ, op: 'Object.assign({}, o)', fuel: 'grows', memory: 'grows' },
  { name: 'Object.fromEntries', top: "const e = []; for (let i = 0; i < N; i++) e.push(['k' + i, i]);", op: 'Object.fromEntries(e)', fuel: 'grows', memory: 'grows' },
  { name: 'Object.freeze', top: OBJ, op: 'Object.freeze(o)', fuel: 'grows', memory: 'grows' },
  { name: 'Object.isFrozen', top: OBJ, op: 'Object.isFrozen(o)', fuel: 'grows', memory: 'none' },
  { name: 'Object.is', op: 'Object.is(1, 2)', fuel: 'constant', memory: 'none' },
  { name: 'Object.defineProperty', op: "Object.defineProperty({}, 'k', { value: 1, writable: true })", fuel: 'constant', memory: 'none' },
  { name: 'Object.getOwnPropertyDescriptor', top: OBJ, op: "Object.getOwnPropertyDescriptor(o, 'k1')", fuel: 'constant', memory: 'none' },
  { name: 'Object.getOwnPropertyNames', top: OBJ, op: 'Object.getOwnPropertyNames(o)', fuel: 'grows', memory: 'grows' },
  { name: 'Object.hasOwn', top: OBJ, op: "Object.hasOwn(o, 'k1')", fuel: 'constant', memory: 'none' },
  { name: 'Object.getOwnPropertySymbols', top: "const o = {}; for (let i = 0; i < N; i++) o[Symbol('s')] = i;", op: 'Object.getOwnPropertySymbols(o)', fuel: 'grows', memory: 'grows' },
  { name: 'rt:put (symbol keys)', op: "const o = {}; for (let i = 0; i < N; i++) o[Symbol()] = i;", fuel: 'grows', memory: 'grows' },
  { name: 'rt:spread (symbol keys)', top: "const o = {}; for (let i = 0; i < N; i++) o[Symbol()] = i;", op: 'const p = { ...o }', fuel: 'grows', memory: 'grows' },
  { name: 'DataView', top: 'const b = new ArrayBuffer(N);', op: 'new DataView(b)', fuel: 'constant', memory: 'none' },
  { name: 'Object.create', top: OBJ, op: 'Object.create(Object.getPrototypeOf(o))', fuel: 'constant', memory: 'none' },
  { name: 'Object.getOwnPropertySymbols (number keys, Symbol.iterator)', top: 'const o = {}; for (let i = 0; i < N; i++) o[i] = i; o[Symbol.iterator] = null;', op: 'Object.getOwnPropertySymbols(o)', fuel: 'constant', memory: 'none' },
  // ---- Array
  { name: 'Array', op: 'Array(N)', fuel: 'grows', memory: 'grows' },
  { name: 'Array.isArray', op: 'Array.isArray(1)', fuel: 'constant', memory: 'none' },
  { name: 'Array.from', top: NUMS, op: 'Array.from(a)', fuel: 'grows', memory: 'grows' },
  { name: 'Array.of', top: NUMS, op: 'Array.of(...a)', fuel: 'grows', memory: 'grows' },
  // ---- Number, String, Boolean, Date, errors, globals
  { name: 'Number', top: "const s = '1'.repeat(N);", op: 'Number(s)', fuel: 'grows', memory: 'none' },
  ...['isInteger', 'isFinite', 'isNaN', 'isSafeInteger'].map((m): Row => ({ name: `Number.${m}`, op: `Number.${m}(1.5)`, fuel: 'constant', memory: 'none' })),
  { name: 'Number.parseInt', top: "const s = '1'.repeat(N);", op: 'Number.parseInt(s)', fuel: 'grows', memory: 'none' },
  { name: 'Number.parseFloat', top: "const s = '1'.repeat(N);", op: 'Number.parseFloat(s)', fuel: 'grows', memory: 'none' },
  { name: 'parseInt', top: "const s = '1'.repeat(N);", op: 'parseInt(s)', fuel: 'grows', memory: 'none' },
  { name: 'parseFloat', top: "const s = '1'.repeat(N);", op: 'parseFloat(s)', fuel: 'grows', memory: 'none' },
  { name: 'isNaN', top: "const s = '1'.repeat(N);", op: 'isNaN(s)', fuel: 'grows', memory: 'none' },
  { name: 'isFinite', top: "const s = '1'.repeat(N);", op: 'isFinite(s)', fuel: 'grows', memory: 'none' },
  { name: 'String', top: NUMS, op: 'String(a)', fuel: 'grows', memory: 'grows' },
  { name: 'String.fromCharCode', top: NUMS, op: 'String.fromCharCode(...a)', fuel: 'grows', memory: 'grows' },
  { name: 'String.fromCodePoint', top: NUMS, op: 'String.fromCodePoint(...a)', fuel: 'grows', memory: 'grows' },
  { name: 'Boolean', op: 'Boolean(1)', fuel: 'constant', memory: 'none' },
  { name: 'Date', op: 'Date()', fuel: 'constant', memory: 'none' },
  // ---- require('crypto'): a hash reads every byte it is given; a digest is constant.
  { name: 'Hash.prototype.update', top: "const s = 'x'.repeat(N); const h = require('crypto').createHash('sha256');", op: 'h.update(s)', fuel: 'grows', memory: 'none' },
  { name: 'Hmac.prototype.update', top: "const s = 'x'.repeat(N); const h = require('crypto').createHmac('sha256', 'k');", op: 'h.update(s)', fuel: 'grows', memory: 'none' },
  { name: 'Hash.prototype.digest', top: "const s = 'x'.repeat(N);", op: "require('crypto').createHash('sha256').update('a').digest('hex')", fuel: 'constant', memory: 'none' },
  { name: 'Hmac.prototype.digest', top: "const s = 'x'.repeat(N);", op: "require('crypto').createHmac('sha256', 'k').update('a').digest('hex')", fuel: 'constant', memory: 'none' },
  { name: 'structuredClone', top: "const v = []; for (let i = 0; i < N; i++) v.push({ id: i, d: new Date(i) });", op: 'structuredClone(v)', fuel: 'grows', memory: 'grows' },
  // ---- WeakMap, WeakSet: the constructors visit every entry; the methods touch one.
  { name: 'WeakMap', top: 'const a = []; for (let i = 0; i < N; i++) a.push([{}, i]);', op: 'new WeakMap(a)', fuel: 'grows', memory: 'grows' },
  { name: 'WeakSet', top: 'const a = []; for (let i = 0; i < N; i++) a.push({});', op: 'new WeakSet(a)', fuel: 'grows', memory: 'grows' },
  ...['get', 'has', 'delete', 'set'].map((m): Row => ({ name: `WeakMap.prototype.${m}`, top: 'const k = {}; const m = new WeakMap(); for (let i = 0; i < N; i++) m.set({}, i);', op: `m.${m}(k, 1)`, fuel: 'constant', memory: 'none' })),
  ...['has', 'delete', 'add'].map((m): Row => ({ name: `WeakSet.prototype.${m}`, top: 'const k = {}; const s = new WeakSet(); for (let i = 0; i < N; i++) s.add({});', op: `s.${m}(k)`, fuel: 'constant', memory: 'none' })),
  { name: 'Date.parse', top: "const s = '2026-01-01T00:00:00Z' + ' '.repeat(N);", op: 'Date.parse(s)', fuel: 'grows', memory: 'none' },
  // Date's methods work on one time value: constant, whatever the date.
  // toLocale*String formats with ICU (a kept formatter, about 1.5 µs: LOCALE_FORMAT_UNITS).
  ...DATE_METHODS.map((m): Row => ({ name: `Date.prototype.${m}`, top: 'const d = new Date(N);', op: `d.${m}(${m.startsWith('set') ? '1' : ''})`, fuel: 'constant', memory: 'none', ...(m.startsWith('toLocale') ? { constantUpTo: 400 } : {}) })),
  { name: 'Date.now', op: 'Date.now()', fuel: 'constant', memory: 'none' },
  { name: 'Date.UTC', op: 'Date.UTC(2020, 1, 2)', fuel: 'constant', memory: 'none' },
  ...['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'URIError'].map((e): Row => ({ name: e, top: "const s = 'x'.repeat(N);", op: `${e}(s)`, fuel: 'constant', memory: 'grows' })),
  { name: 'DOMException', top: "const s = 'x'.repeat(N);", op: 'new DOMException(s, s)', fuel: 'constant', memory: 'grows' },
  ...['encodeURIComponent', 'encodeURI'].map((f): Row => ({ name: f, top: "const s = 'a b'.repeat(N);", op: `${f}(s)`, fuel: 'grows', memory: 'grows' })),
  ...['decodeURIComponent', 'decodeURI'].map((f): Row => ({ name: f, top: "const s = 'a%20b'.repeat(N);", op: `${f}(s)`, fuel: 'grows', memory: 'grows' })),
  // ---- String.prototype
  ...['charAt', 'charCodeAt', 'codePointAt', 'at'].map((m): Row => ({ name: `String.prototype.${m}`, top: STR, op: `s.${m}(1)`, fuel: 'constant', memory: 'none' })),
  { name: 'String.prototype.indexOf', top: STR, op: "s.indexOf('x')", fuel: 'grows', memory: 'none' },
  { name: 'String.prototype.lastIndexOf', top: STR, op: "s.lastIndexOf('x')", fuel: 'grows', memory: 'none' },
  { name: 'String.prototype.includes', top: STR, op: "s.includes('xy')", fuel: 'grows', memory: 'none' },
  { name: 'String.prototype.startsWith', top: STR, op: 's.startsWith(s)', fuel: 'grows', memory: 'none' },
  { name: 'String.prototype.endsWith', top: STR, op: 's.endsWith(s)', fuel: 'grows', memory: 'none' },
  ...['slice', 'substring', 'substr'].map((m): Row => ({ name: `String.prototype.${m}`, top: STR, op: `s.${m}(1)`, fuel: 'grows', memory: 'grows' })),
  ...['toUpperCase', 'toLowerCase', 'toLocaleUpperCase', 'toLocaleLowerCase', 'toWellFormed'].map((m): Row => ({ name: `String.prototype.${m}`, top: STR, op: `s.${m}()`, fuel: 'grows', memory: 'grows' })),
  // What is trimmed is scanned; what is left is copied.
  { name: 'String.prototype.trim', top: "const s = ' '.repeat(N) + 'x' + ' '.repeat(N);", op: 's.trim()', fuel: 'grows', memory: 'none' },
  ...['trimStart', 'trimEnd'].map((m): Row => ({ name: `String.prototype.${m}`, top: "const s = ' '.repeat(N) + 'x' + ' '.repeat(N);", op: `s.${m}()`, fuel: 'grows', memory: 'grows' })),
  { name: 'String.prototype.padStart', op: "'x'.padStart(N)", fuel: 'grows', memory: 'grows' },
  { name: 'String.prototype.padEnd', op: "'x'.padEnd(N)", fuel: 'grows', memory: 'grows' },
  { name: 'String.prototype.repeat', op: "'x'.repeat(N)", fuel: 'grows', memory: 'grows' },
  { name: 'String.prototype.split', top: STR, op: "s.split(',')", fuel: 'grows', memory: 'grows' },
  // A concatenation is charged by its full length; its fuel is constant until the rope is large (LARGE_STRING).
  { name: 'String.prototype.concat', top: STR, op: 's.concat(s)', fuel: 'constant', memory: 'grows' },
  { name: 'rt:concat of a large rope', top: STR, op: 's.concat(s)', fuel: 'grows', memory: 'grows', sizes: [50_000, 5_000_000] },
  { name: 'String.prototype.replace', top: STR, op: "s.replace('b,a', 'xyz')", fuel: 'grows', memory: 'grows' },
  { name: 'String.prototype.normalize', top: STR, op: "s.normalize('NFKD')", fuel: 'grows', memory: 'grows' },
  { name: 'String.prototype.replaceAll', top: STR, op: "s.replaceAll(',', ';')", fuel: 'grows', memory: 'grows' },
  { name: 'String.prototype.localeCompare', top: STR, op: 's.localeCompare(s + "x")', fuel: 'grows', memory: 'grows' },
  { name: 'String.prototype.isWellFormed', top: STR, op: 's.isWellFormed()', fuel: 'grows', memory: 'none' },
  { name: 'String.prototype.toString', top: STR, op: 's.toString()', fuel: 'constant', memory: 'none' },
  { name: 'String.prototype.valueOf', top: STR, op: 's.valueOf()', fuel: 'constant', memory: 'none' },
  // ---- Array.prototype
  { name: 'Array.prototype.push', top: `${NUMS} const b = [];`, op: 'b.push(...a)', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.pop', top: NUMS, op: 'a.pop()', fuel: 'constant', memory: 'none' },
  { name: 'Array.prototype.shift', top: NUMS, op: 'a.shift()', fuel: 'grows', memory: 'none' },
  { name: 'Array.prototype.unshift', top: NUMS, op: 'a.unshift(...a)', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.slice', top: NUMS, op: 'a.slice()', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.splice', top: NUMS, op: 'a.splice(0)', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.concat', top: NUMS, op: 'a.concat(a)', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.join', top: STRS, op: "a.join(',')", fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.toString', top: `${NUMS} a.push([1]);`, op: 'a.toString()', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.reverse', top: NUMS, op: 'a.reverse()', fuel: 'grows', memory: 'none' },
  ...['indexOf', 'lastIndexOf', 'includes'].map((m): Row => ({ name: `Array.prototype.${m}`, top: NUMS, op: `a.${m}(-1)`, fuel: 'grows', memory: 'none' })),
  ...['find', 'findIndex', 'findLast', 'findLastIndex', 'forEach', 'some'].map((m): Row => ({ name: `Array.prototype.${m}`, top: NUMS + FN, op: `a.${m}(f)`, fuel: 'grows', memory: 'none' })),
  { name: 'Array.prototype.every', top: NUMS + FN, op: 'a.every(h)', fuel: 'grows', memory: 'none' },
  { name: 'Array.prototype.filter', top: NUMS + FN, op: 'a.filter(g)', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.map', top: NUMS + FN, op: 'a.map(g)', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.reduce', top: NUMS + FN, op: 'a.reduce(g)', fuel: 'grows', memory: 'none' },
  { name: 'Array.prototype.reduceRight', top: NUMS + FN, op: 'a.reduceRight(g)', fuel: 'grows', memory: 'none' },
  { name: 'Array.prototype.sort', top: STRS, op: 'a.sort()', fuel: 'grows', memory: 'grows' },
  { name: 'rt:sort with a compiled comparator (V8 sort)', top: `${NUMS} function cmp(x, y) { return y - x; }`, op: 'a.sort(cmp)', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.flat', top: 'const a = []; for (let i = 0; i < N; i++) a.push([i]);', op: 'a.flat()', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.flatMap', top: NUMS + FN, op: 'a.flatMap(g)', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.fill', top: NUMS, op: 'a.fill(0)', fuel: 'grows', memory: 'none' },
  { name: 'Array.prototype.at', top: NUMS, op: 'a.at(-1)', fuel: 'constant', memory: 'none' },
  // An iterator is made at a constant price; walking it is charged per element.
  { name: 'Array.prototype.keys', top: NUMS, op: '[...a.keys()]', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.values', top: NUMS, op: '[...a.values()]', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.entries', top: NUMS, op: '[...a.entries()]', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.toReversed', top: NUMS, op: 'a.toReversed()', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.toSorted', top: NUMS, op: 'a.toSorted()', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.with', top: NUMS, op: 'a.with(0, 1)', fuel: 'grows', memory: 'grows' },
  { name: 'Array.prototype.toSpliced', top: NUMS, op: 'a.toSpliced(0, 1)', fuel: 'grows', memory: 'grows' },
  // ---- Number.prototype, Boolean.prototype, Object.prototype, Function.prototype
  ...['toString', 'toFixed', 'toPrecision', 'toExponential', 'toLocaleString', 'valueOf'].map((m): Row => ({ name: `Number.prototype.${m}`, top: 'const x = 1234.5;', op: `x.${m}(${m === 'toLocaleString' || m === 'valueOf' || m === 'toString' ? '' : '2'})`, fuel: 'constant', memory: 'none' })),
  ...['toString', 'valueOf'].map((m): Row => ({ name: `Boolean.prototype.${m}`, top: 'const b = true;', op: `b.${m}()`, fuel: 'constant', memory: 'none' })),
  { name: 'Object.prototype.hasOwnProperty', top: OBJ, op: "o.hasOwnProperty('k1')", fuel: 'constant', memory: 'none' },
  { name: 'Object.prototype.propertyIsEnumerable', top: OBJ, op: "o.propertyIsEnumerable('k1')", fuel: 'constant', memory: 'none' },
  { name: 'Object.prototype.toString', top: OBJ, op: 'o.toString()', fuel: 'constant', memory: 'none' },
  { name: 'Object.prototype.valueOf', top: OBJ, op: 'o.valueOf()', fuel: 'constant', memory: 'none' },
  { name: 'Function.prototype.call', top: FN, op: 'f.call(null, 1)', fuel: 'constant', memory: 'none' },
  { name: 'Function.prototype.apply', top: NUMS + FN, op: 'f.apply(null, a)', fuel: 'grows', memory: 'grows' },
  { name: 'Function.prototype.bind', top: NUMS + FN, op: 'f.bind(null, ...a)', fuel: 'grows', memory: 'grows' },
  { name: 'Function.prototype.toString', op: 'Function.prototype.toString.call(Math.max)', fuel: 'constant', memory: 'none' },
  { name: 'Function.prototype', op: 'Function.prototype()', fuel: 'constant', memory: 'none' },
  { name: 'Function', op: "Function('return 1')", fuel: 'constant', memory: 'none', aborts: 'Function()' },
  // ---- runtime operations whose work depends on their operands
  { name: 'rt:+ on strings', top: STR, op: "s + 'x'", fuel: 'constant', memory: 'grows' },
  { name: 'rt:template', top: STR, op: '`<${s}>`', fuel: 'constant', memory: 'grows' },
  { name: 'rt:=== on strings of one length', top: "const s = 'a'.repeat(N) + 'b'; const t = 'a'.repeat(N) + 'c';", op: 's === t', fuel: 'grows', memory: 'none' },
  { name: 'rt:!== on strings of one length', top: "const s = 'a'.repeat(N) + 'b'; const t = 'a'.repeat(N) + 'c';", op: 's !== t', fuel: 'grows', memory: 'none' },
  { name: 'rt:== on strings', top: "const s = 'a'.repeat(N) + 'b'; const t = 'a'.repeat(N) + 'c';", op: 's == t', fuel: 'grows', memory: 'none' },
  { name: 'rt:< on strings', top: "const s = 'a'.repeat(N) + 'b'; const t = 'a'.repeat(N) + 'c';", op: 's < t', fuel: 'grows', memory: 'none' },
  { name: 'rt:switch on a string', top: "const s = 'a'.repeat(N) + 'b'; const t = 'a'.repeat(N) + 'c';", op: 'let r = 0; switch (s) { case t: r = 1; break; default: r = 2; }', fuel: 'grows', memory: 'none' },
  { name: 'rt:string to number', top: "const s = '1'.repeat(N);", op: 's * 1', fuel: 'grows', memory: 'none' },
  { name: 'rt:array to string', top: NUMS, op: "'' + a", fuel: 'grows', memory: 'grows' },
  { name: 'rt:spread arguments', top: NUMS + FN, op: 'f(...a)', fuel: 'grows', memory: 'grows' },
  { name: 'rt:spread in an array', top: NUMS, op: '[...a]', fuel: 'grows', memory: 'grows' },
  { name: 'rt:spread of a string', top: STR, op: '[...s]', fuel: 'grows', memory: 'grows' },
  { name: 'rt:spread in an object', top: OBJ, op: '({ ...o })', fuel: 'grows', memory: 'grows' },
  { name: 'rt:object rest', top: OBJ, op: 'const { k0, ...rest } = o', fuel: 'grows', memory: 'grows' },
  { name: 'rt:array rest', top: NUMS, op: 'const [x, ...rest] = a', fuel: 'grows', memory: 'grows' },
  { name: 'rt:array pattern of a string', top: STR, op: 'const [x, ...rest] = s', fuel: 'grows', memory: 'grows' },
  { name: 'rt:for-in keys', top: OBJ, op: 'for (const k in o) { break; }', fuel: 'grows', memory: 'grows' },
  { name: 'rt:new properties', top: "const ks = []; for (let i = 0; i < N; i++) ks.push('k' + i);", op: 'const o = {}; for (let i = 0; i < ks.length; i++) o[ks[i]] = i;', fuel: 'grows', memory: 'grows' },
  { name: 'rt:respond', top: NUMS, op: 'c.respond(a)', fuel: 'grows', memory: 'grows' },
  { name: 'rt:console.log', top: STR, op: 'console.log(s)', fuel: 'grows', memory: 'grows' },
  { name: 'rt:console.log of a Map', top: 'const m = new Map(); for (let i = 0; i < N; i++) m.set(i, i);', op: 'console.log(m)', fuel: 'grows', memory: 'grows', sizes: [5, 100] },
  { name: 'rt:console.log of a Set', top: 'const m = new Set(); for (let i = 0; i < N; i++) m.add(i);', op: 'console.log(m)', fuel: 'grows', memory: 'grows', sizes: [5, 100] },
  // ---- web objects (host-backed)
  { name: 'URL', top: "const s = 'http://a/' + 'p'.repeat(N);", op: 'new URL(s)', fuel: 'grows', memory: 'grows' },
  { name: 'URL.canParse', top: "const s = 'http://a/' + 'p'.repeat(N);", op: 'URL.canParse(s)', fuel: 'grows', memory: 'none' },
  { name: 'URL.prototype.toString', top: "const u = new URL('http://a/' + 'p'.repeat(N));", op: 'u.toString()', fuel: 'grows', memory: 'grows' },
  { name: 'URL.prototype.toJSON', top: "const u = new URL('http://a/' + 'p'.repeat(N));", op: 'u.toJSON()', fuel: 'grows', memory: 'grows' },
  { name: 'URLSearchParams', top: "const s = 'a=1&'.repeat(N);", op: 'new URLSearchParams(s)', fuel: 'grows', memory: 'grows' },
  ...['get', 'has', 'delete'].map((m): Row => ({ name: `URLSearchParams.prototype.${m}`, top: "const p = new URLSearchParams('a=1&'.repeat(N));", op: `p.${m}('zz')`, fuel: 'grows', memory: 'none' })),
  { name: 'URLSearchParams.prototype.getAll', top: "const p = new URLSearchParams('a=1&'.repeat(N));", op: "p.getAll('a')", fuel: 'grows', memory: 'grows' },
  { name: 'URLSearchParams.prototype.append', top: "const v = 'v'.repeat(N); const p = new URLSearchParams();", op: "p.append('k', v)", fuel: 'grows', memory: 'grows' },
  { name: 'URLSearchParams.prototype.set', top: "const p = new URLSearchParams('a=1&'.repeat(N));", op: "p.set('b', '2')", fuel: 'grows', memory: 'none' },
  { name: 'URLSearchParams.prototype.sort', top: "const p = new URLSearchParams('a=1&'.repeat(N));", op: 'p.sort()', fuel: 'grows', memory: 'none' },
  { name: 'URLSearchParams.prototype.toString', top: "const p = new URLSearchParams('a=1&'.repeat(N));", op: 'p.toString()', fuel: 'grows', memory: 'grows' },
  { name: 'URLSearchParams.prototype.forEach', top: "const p = new URLSearchParams('a=1&'.repeat(N));" + FN, op: 'p.forEach(g)', fuel: 'grows', memory: 'grows' },
  // Measured when the request answers, before the host's digest comes back: the bytes hashed.
  { name: 'crypto.subtle.digest', top: 'const u = new Uint8Array(N * 64);', op: "crypto.subtle.digest('SHA-256', u)", fuel: 'grows', memory: 'none' },
  { name: 'crypto.getRandomValues', top: 'const u = new Uint8Array(N * 8);', op: 'crypto.getRandomValues(u)', fuel: 'grows', memory: 'none' },
  { name: 'Uint8Array', op: 'new Uint8Array(N * 64)', fuel: 'grows', memory: 'grows' },
  { name: 'Uint8Array.from', top: 'const a = []; for (let i = 0; i < N * 8; i++) a.push(i);', op: 'Uint8Array.from(a)', fuel: 'grows', memory: 'grows' },
  { name: 'ArrayBuffer', op: 'new ArrayBuffer(N * 64)', fuel: 'grows', memory: 'grows' },
  { name: 'Int8Array', op: 'new Int8Array(N * 64)', fuel: 'grows', memory: 'grows' },
  { name: 'Uint16Array', op: 'new Uint16Array(N * 64)', fuel: 'grows', memory: 'grows' },
  { name: 'Int16Array', op: 'new Int16Array(N * 64)', fuel: 'grows', memory: 'grows' },
  { name: 'Uint32Array', op: 'new Uint32Array(N * 64)', fuel: 'grows', memory: 'grows' },
  { name: 'Int32Array', op: 'new Int32Array(N * 64)', fuel: 'grows', memory: 'grows' },
  { name: 'Float32Array', op: 'new Float32Array(N * 64)', fuel: 'grows', memory: 'grows' },
  { name: 'Float64Array', op: 'new Float64Array(N * 64)', fuel: 'grows', memory: 'grows' },
  { name: 'Uint8ClampedArray', op: 'new Uint8ClampedArray(N * 64)', fuel: 'grows', memory: 'grows' },
  { name: 'Object.getPrototypeOf', top: 'const u = new Int8Array(N * 8);', op: 'Object.getPrototypeOf(u)', fuel: 'constant', memory: 'none' },
  // ---- Buffer (node-buffer.ts): by the bytes made, encoded or compared.
  { name: 'Buffer', op: 'Buffer(2)', fuel: 'constant', memory: 'none', aborts: 'Buffer' },
  { name: 'Buffer.from', top: "const s = 'ab'.repeat(N);", op: "Buffer.from(s, 'utf8')", fuel: 'grows', memory: 'grows' },
  { name: 'Buffer.alloc', op: 'Buffer.alloc(N * 64, 1)', fuel: 'grows', memory: 'grows' },
  { name: 'Buffer.concat', top: "const a = []; for (let i = 0; i < N; i++) a.push(Buffer.from('abcd'));", op: 'Buffer.concat(a)', fuel: 'grows', memory: 'grows' },
  { name: 'Buffer.byteLength', top: "const s = 'é'.repeat(N);", op: 'Buffer.byteLength(s)', fuel: 'grows', memory: 'none' },
  { name: 'Buffer.isBuffer', top: 'const b = Buffer.alloc(N);', op: 'Buffer.isBuffer(b)', fuel: 'constant', memory: 'none' },
  { name: 'Buffer.isEncoding', op: "Buffer.isEncoding('hex')", fuel: 'constant', memory: 'none' },
  { name: 'Buffer.compare', top: 'const a = Buffer.alloc(N * 64); const b = Buffer.alloc(N * 64);', op: 'Buffer.compare(a, b)', fuel: 'grows', memory: 'none' },
  { name: 'ArrayBuffer.isView', top: 'const u = new Uint8Array(N * 8);', op: 'ArrayBuffer.isView(u)', fuel: 'constant', memory: 'none' },
  { name: 'TextEncoder', top: "const s = 'é'.repeat(N);", op: 'new TextEncoder().encode(s)', fuel: 'grows', memory: 'grows' },
  { name: 'TextDecoder', top: "const u = new TextEncoder().encode('é'.repeat(N));", op: 'new TextDecoder().decode(u)', fuel: 'grows', memory: 'grows' },
  { name: 'Headers', top: "const o = {}; for (let i = 0; i < N; i++) o['k' + i] = 'v';", op: 'new Headers(o)', fuel: 'grows', memory: 'grows' },
  { name: 'Headers.prototype.get', top: "const h = new Headers({ k: 'v'.repeat(N) });", op: "h.get('k')", fuel: 'grows', memory: 'grows' },
  { name: 'Headers.prototype.has', top: "const h = new Headers(); for (let i = 0; i < N; i++) h.append('k' + i, 'v');", op: "h.has('k1')", fuel: 'constant', memory: 'none' },
  ...['append', 'set'].map((m): Row => ({ name: `Headers.prototype.${m}`, top: "const v = 'v'.repeat(N); const h = new Headers();", op: `h.${m}('k', v)`, fuel: 'grows', memory: 'grows' })),
  { name: 'Headers.prototype.delete', top: "const k = 'k'.repeat(N); const h = new Headers();", op: 'h.delete(k)', fuel: 'grows', memory: 'grows' },
  { name: 'Headers.prototype.getSetCookie', top: "const h = new Headers(); for (let i = 0; i < N; i++) h.append('set-cookie', 'c' + i);", op: 'h.getSetCookie()', fuel: 'grows', memory: 'grows' },
  { name: 'Headers.prototype.forEach', top: "const hd = new Headers(); for (let i = 0; i < N; i++) hd.append('k' + i, 'v');" + FN, op: 'hd.forEach(g)', fuel: 'grows', memory: 'grows' },
  { name: 'atob', top: "const s = btoa('x'.repeat(N));", op: 'atob(s)', fuel: 'grows', memory: 'grows' },
  { name: 'btoa', top: STR, op: 'btoa(s)', fuel: 'grows', memory: 'grows' },
  { name: 'Response', top: "const s = 'x'.repeat(N);", op: 'new Response(s)', fuel: 'grows', memory: 'grows' },
  { name: 'Response.json', top: NUMS, op: 'Response.json(a)', fuel: 'grows', memory: 'grows' },
  { name: 'Response.redirect', top: "const s = 'http://a/' + 'p'.repeat(N);", op: 'Response.redirect(s)', fuel: 'grows', memory: 'grows' },
  ...['Response', 'Request'].flatMap((k): Row[] => [
    { name: `${k}.prototype.text`, top: `const s = 'x'.repeat(N); const mk = function () { return ${k === 'Response' ? 'new Response(s)' : "new Request('http://a/', { method: 'POST', body: s })"}; };`, op: 'mk().text().then(function (t) { c.respond(t.length); })', fuel: 'grows', memory: 'grows' },
    { name: `${k}.prototype.json`, top: `const s = JSON.stringify('x'.repeat(N)); const mk = function () { return ${k === 'Response' ? 'new Response(s)' : "new Request('http://a/', { method: 'POST', body: s })"}; };`, op: 'mk().json().then(function (t) { c.respond(t.length); })', fuel: 'grows', memory: 'grows' },
    { name: `${k}.prototype.arrayBuffer`, top: `const s = 'x'.repeat(N); const mk = function () { return ${k === 'Response' ? 'new Response(s)' : "new Request('http://a/', { method: 'POST', body: s })"}; };`, op: 'mk().arrayBuffer().then(function (b) { c.respond(b.byteLength); })', fuel: 'grows', memory: 'grows', sizes: [200, 20000] },
    { name: `${k}.prototype.clone`, top: `const s = 'x'.repeat(N); const rq = ${k === 'Response' ? 'new Response(s)' : "new Request('http://a/', { method: 'POST', body: s })"};`, op: 'rq.clone()', fuel: 'constant', memory: 'none' },
  ]),
  { name: 'Request', top: "const s = 'x'.repeat(N);", op: "new Request('http://a/', { method: 'POST', body: s })", fuel: 'grows', memory: 'grows' },
  // Measured when the request answers, before the call (to no backend here) comes back.
  { name: 'fetch', top: "const s = 'x'.repeat(N);", op: "fetch('http://a/', { method: 'POST', body: s })", fuel: 'grows', memory: 'grows' },
  // ---- Map and Set (host-backed)
  { name: 'Map', top: "const e = []; for (let i = 0; i < N; i++) e.push(['k' + i, i]);", op: 'new Map(e)', fuel: 'grows', memory: 'grows' },
  { name: 'Set', top: NUMS, op: 'new Set(a)', fuel: 'grows', memory: 'grows' },
  ...['get', 'has', 'delete'].map((m): Row => ({ name: `Map.prototype.${m}`, top: "const m = new Map(); for (let i = 0; i < N; i++) m.set(i, i);", op: `m.${m}(1)`, fuel: 'constant', memory: 'none' })),
  { name: 'Map.prototype.set', top: "const m = new Map(); for (let i = 0; i < N; i++) m.set(i, i);", op: "m.set('new', 1)", fuel: 'constant', memory: 'none' },
  ...['has', 'delete'].map((m): Row => ({ name: `Set.prototype.${m}`, top: NUMS + ' const s = new Set(a);', op: `s.${m}(1)`, fuel: 'constant', memory: 'none' })),
  { name: 'Set.prototype.add', top: NUMS + ' const s = new Set(a);', op: "s.add('new')", fuel: 'constant', memory: 'none' },
  { name: 'Map.prototype.clear', top: "const m = new Map(); for (let i = 0; i < N; i++) m.set(i, i);", op: 'm.clear()', fuel: 'grows', memory: 'none' },
  { name: 'Set.prototype.clear', top: NUMS + ' const s = new Set(a);', op: 's.clear()', fuel: 'grows', memory: 'none' },
  { name: 'Map.prototype.forEach', top: "const m = new Map(); for (let i = 0; i < N; i++) m.set(i, i);" + FN, op: 'm.forEach(g)', fuel: 'grows', memory: 'none' },
  { name: 'Set.prototype.forEach', top: NUMS + ' const s = new Set(a);' + FN, op: 's.forEach(g)', fuel: 'grows', memory: 'none' },
  ...['keys', 'values', 'entries'].map((m): Row => ({ name: `Map.prototype.${m}`, top: "const m = new Map(); for (let i = 0; i < N; i++) m.set(i, i);", op: `[...m.${m}()]`, fuel: 'grows', memory: 'grows' })),
  ...['keys', 'values', 'entries'].map((m): Row => ({ name: `Set.prototype.${m}`, top: NUMS + ' const s = new Set(a);', op: `[...s.${m}()]`, fuel: 'grows', memory: 'grows' })),
  // ---- regular expressions (re2js): each attempt by the characters it scans, results as new strings
  { name: 'RegExp', top: "const s = 'x'.repeat(N);", op: 'new RegExp(s)', fuel: 'grows', memory: 'grows' },
  // Symbol only names [Symbol.iterator]: iterating through it is charged as the generator it returns.
  { name: 'Symbol', top: 'const o = { *[Symbol.iterator]() { for (let i = 0; i < N; i++) yield i; } };', op: '[...o]', fuel: 'grows', memory: 'grows' },
  { name: 'RegExp.prototype.exec', top: "const s = 'x'.repeat(N) + 'a'; const re = /(a)/;", op: 're.exec(s)', fuel: 'grows', memory: 'none' },
  { name: 'RegExp.prototype.test', top: "const s = 'x'.repeat(N) + 'a'; const re = /a/;", op: 're.test(s)', fuel: 'grows', memory: 'none' },
  { name: 'RegExp.prototype.toString', top: "const re = new RegExp('x'.repeat(N));", op: 're.toString()', fuel: 'grows', memory: 'grows' },
  { name: 'String.prototype.match', top: "const s = 'ab'.repeat(N);", op: 's.match(/a/g)', fuel: 'grows', memory: 'grows' },
  { name: 'String.prototype.matchAll', top: "const s = 'ab'.repeat(N);", op: '[...s.matchAll(/a/g)]', fuel: 'grows', memory: 'grows' },
  { name: 'String.prototype.search', top: "const s = 'x'.repeat(N) + 'a'; const re = /a/;", op: 's.search(re)', fuel: 'grows', memory: 'none' },
  { name: 'rt:regexp replace', top: "const s = 'ab'.repeat(N);", op: "s.replace(/a/g, '$&-')", fuel: 'grows', memory: 'grows' },
  { name: 'rt:regexp split', top: "const s = 'ab'.repeat(N);", op: 's.split(/a/)', fuel: 'grows', memory: 'grows' },
  // ---- Intl (host ICU objects): making one builds a formatter (LOCALE_OPTIONS_UNITS), using it is cheap.
  ...['NumberFormat', 'DateTimeFormat', 'Collator', 'PluralRules', 'RelativeTimeFormat', 'ListFormat'].map((k): Row => ({ name: `Intl.${k}`, op: `new Intl.${k}('en')`, fuel: 'constant', memory: 'none', constantUpTo: 31_000 })),
  { name: 'Intl.NumberFormat.prototype.format', top: "const f = new Intl.NumberFormat('de');", op: 'f.format(N)', fuel: 'constant', memory: 'none', constantUpTo: 400 },
  { name: 'Intl.DateTimeFormat.prototype.format', top: "const f = new Intl.DateTimeFormat('de');", op: 'f.format(N)', fuel: 'constant', memory: 'none', constantUpTo: 400 },
  { name: 'Intl.PluralRules.prototype.select', top: "const f = new Intl.PluralRules('en');", op: 'f.select(N)', fuel: 'constant', memory: 'none', constantUpTo: 400 },
  { name: 'Intl.RelativeTimeFormat.prototype.format', top: "const f = new Intl.RelativeTimeFormat('en');", op: "f.format(N, 'day')", fuel: 'constant', memory: 'none', constantUpTo: 400 },
  { name: 'Intl.ListFormat.prototype.format', top: STRS + " const f = new Intl.ListFormat('en');", op: 'f.format(a)', fuel: 'grows', memory: 'grows' },
  { name: 'Intl.Collator.prototype.compare', top: "const s = 'ab'.repeat(N); const t = s + 'c'; const f = new Intl.Collator('en');", op: 'f.compare(s, t)', fuel: 'grows', memory: 'none' },
  { name: 'crypto.randomUUID', op: 'crypto.randomUUID()', fuel: 'constant', memory: 'none' },
  { name: 'rt:request body into the realm', op: 'req.body.length', fuel: 'grows', memory: 'grows', request: (n) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(Array.from({ length: n }, (_, i) => ({ i }))) }) },
];

/** The charge of one request running `op` after `top` with input size n. */
async function charge(row: Row, n: number, op: string): Promise<{ fuel: number; memory: number }> {
  const top = (row.top ?? '').replace(/\bN\b/g, String(n));
  const body = op.replace(/\bN\b/g, String(n));
  const responds = body.includes('c.respond(');
  const inst = accelerate(`const c = require('containerless');\n${top}\nc.listen(function (req) {\n${responds ? body : `const r = (function () { ${body.startsWith('const ') || body.startsWith('let ') || body.startsWith('for ') ? body : `return ${body};`} })();\nc.respond(1);`}\n});`, undefined, {
    fuel: 1e9, memoryBytes: 1e9, instanceMemoryBytes: 1e10,
  }, []);
  // The baseline ('0') runs without the row's request, whose copy into the realm is then measured.
  const r: AccelResult = await inst.handle(raw(op === '0' ? undefined : row.request?.(n)), { timeoutMs: 10_000 });
  if (r.kind === 'abort') throw new Error(`${row.name} (N=${n}) aborted: ${r.reason} ${r.detail ?? ''}`);
  return r.usage!;
}

test('every builtin of the library has a row', () => {
  const named = new Set(rows.map((r) => r.name));
  const missing = builtinInventory().filter((b) => !named.has(b));
  assert.deepEqual(missing, [], `builtins without a row in charges.test.ts: ${missing.join(', ')}`);
});

for (const row of rows) {
  test(`charges: ${row.name}`, async () => {
    if (row.aborts) {
      const inst = accelerate(`const c = require('containerless');\nc.listen(function (req) { const r = ${row.op}; c.respond(1); });`);
      const r = await inst.handle(raw(), { timeoutMs: 1000 });
      assert.ok(abortedWith(r, 'unsupported:builtin', row.aborts), JSON.stringify(r));
      return;
    }
    const [small, large] = row.sizes ?? [50, 5000];
    const base = [await charge(row, small, '0'), await charge(row, large, '0')];
    const s = await charge(row, small, row.op);
    const l = await charge(row, large, row.op);
    const fuel = [s.fuel - base[0]!.fuel, l.fuel - base[1]!.fuel];
    const memory = [s.memory - base[0]!.memory, l.memory - base[1]!.memory];
    const ratio = large / small;
    const shown = `fuel ${fuel.join(' → ')}, memory ${memory.join(' → ')} (N ${small} → ${large})`;
    // A builtin costs at least its call; an operator on small operands may cost nothing beyond its loop.
    if (!row.name.startsWith('rt:')) assert.ok(fuel[0]! >= 1, `${row.name}: charged no fuel: ${shown}`);
    if (row.fuel === 'grows') assert.ok(fuel[1]! >= (ratio / 10) * Math.max(1, fuel[0]!), `${row.name}: fuel does not grow with the input: ${shown}`);
    else assert.ok(fuel[1]! <= fuel[0]! + 4 && fuel[1]! <= (row.constantUpTo ?? 64), `${row.name}: fuel should not depend on the input: ${shown}`);
    if (row.memory === 'grows') assert.ok(memory[1]! >= (ratio / 10) * Math.max(1, memory[0]!) && memory[1]! >= large, `${row.name}: memory does not grow with what it makes: ${shown}`);
    else assert.ok(memory[1]! <= memory[0]! + 256, `${row.name}: memory should not depend on the input: ${shown}`);
  });
}
