/**
 * The corpus: every function file in this folder with a fast-check arbitrary of its requests.
 * Requests are `RequestSpec`s (the TRAIN/TEST file format of `containerless trace-run`), always
 * JSON-serialisable. Functions with `backend: true` make outbound calls to the loopback mock
 * backend whose base URL they read from the `x-backend` request header; harnesses add that header.
 */
import fc from 'fast-check';
import type { RequestSpec } from '../src/cli/trace-run/request-spec.ts';

export interface CorpusEntry {
  /** File name without `.js`. */
  name: string;
  requests: fc.Arbitrary<RequestSpec>;
  /** Makes outbound calls to the mock backend (`x-backend` header). */
  backend?: boolean;
  /** CPU-bound: used by bench/trace-cpu.ts. */
  cpu?: boolean;
}

export const chars = (alphabet: string, minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet.split('')), minLength, maxLength });
export const intStr = (min: number, max: number) => fc.integer({ min, max }).map(String);
const awkwardNumbers = fc.constantFrom('0', '-0', '1.5', '-7.25', 'abc', '', ' 12 ', '1e3', '0x1f', '3.14abc', 'Infinity', '-Infinity', '255', '1e21', '0.1', '9007199254740993');
const numberish = fc.oneof(intStr(-1000, 1000), awkwardNumbers);
const jsonScalar = fc.oneof(fc.integer({ min: -1000, max: 1000 }), chars('abcxyz ', 0, 6), fc.boolean(), fc.constant(null));
const smallJson = fc.oneof(
  jsonScalar,
  fc.array(jsonScalar, { maxLength: 5 }),
  fc.dictionary(chars('abcdefg', 1, 4), jsonScalar, { maxKeys: 4 }),
);
/** A query object whose keys are each present or absent (never present with `undefined`). */
export const q = (query: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<Record<string, string>> =>
  fc.record(query, { requiredKeys: [] }).map((r) => Object.fromEntries(Object.entries(r).filter((e): e is [string, string] => e[1] !== undefined)));
export const get = (path: fc.Arbitrary<string> | string, query: fc.Arbitrary<Record<string, string>> = fc.constant({})) =>
  fc.record({ path: typeof path === 'string' ? fc.constant(path) : path, query }).map((r): RequestSpec => ({ method: 'GET', path: r.path, query: r.query }));
export const post = (path: string, body: fc.Arbitrary<unknown>, query: fc.Arbitrary<Record<string, string>> = fc.constant({})) =>
  fc.record({ body, query }).map((r): RequestSpec => ({ method: 'POST', path, query: r.query, body: r.body }));

const username = chars('abcde', 0, 5);
const login = fc.oneof(
  fc.record({ u: username, pass: fc.constantFrom('right', 'reversed', 'wrong') }).map(({ u, pass }): RequestSpec => ({
    method: 'POST', path: '/login',
    body: { username: u, password: pass === 'right' ? `${u}-pw` : pass === 'reversed' ? u.split('').reverse().join('') : 'nope' },
  })),
  fc.constantFrom<RequestSpec>({ method: 'POST', path: '/login', body: { password: 'x' } }, { method: 'POST', path: '/login', body: 'text' }, { path: '/other' }),
);

const orders = fc.array(
  fc.record({
    id: fc.integer({ min: 1, max: 999 }),
    customer: fc.constantFrom('ann', 'bob', 'cy', 'dee', 'eve'),
    items: fc.array(fc.record({ sku: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6'), qty: fc.integer({ min: 0, max: 9 }), price: fc.integer({ min: 1, max: 9999 }).map((c) => c / 100) }), { maxLength: 6 }),
  }),
  { maxLength: 25 },
);

const people = fc.array(fc.record({ name: fc.constantFrom('ann', 'bob', 'cy', 'Dee', 'eve'), age: fc.integer({ min: 0, max: 99 }) }), { maxLength: 12 });
const numbers = fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 30 });
const fileNames = fc.constantFrom('index.html', 'about.txt', 'data/users.json', 'data/config.json', 'notes/todo.md', 'missing.txt', 'data/', '', 'constructor', 'toString');

const numberText = fc.oneof(
  fc.double().map(String),
  fc.integer({ min: -1e6, max: 1e6 }).map((n) => String(n / 1000)),
  awkwardNumbers,
  fc.constantFrom('0.000001234', '123456789012345678901', '1e-7', '-1e-7', '0.5', '1.5', '2.5', '-2.5', '1.005', '1.45', '8.345', '0x10', '0b11', '0o17', '  7  ', '1_000', '.5', '5.', '+3', '--3', '1e', 'NaN'),
);
const unicodeText = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', 'é', 'ß', 'İ', 'ﬁ', 'Σ', 'ς', '\u0301', '😀', '\ud83d', '\u00a0', 'ǅ'), maxLength: 8 });
const propertyKey = fc.constantFrom('0', '01', '1', '10', '2', 'a', 'b', 'z', '-1', '4294967294', '4294967296', '1.5', 'length');
// `__proto__` as an own JSON key is legal and nasty; rarely, so that the rest gets tested too.
const bodyKey = fc.oneof({ weight: 60, arbitrary: propertyKey }, { weight: 1, arbitrary: fc.constant('__proto__') });
const jsonTexts = fc.oneof(
  fc.json({ maxDepth: 2 }),
  fc.constantFrom('{"a":1,"a":2}', '{"__proto__":{"x":1},"a":2}', '"\\u00e9\\ud83d\\ude00\\ud800"', '[1e400]', '[-0]', '[0.1e-6, 1E+2, 5e-324]', '{"b":1,"a":[],"1":null}', '1e21', '[]', '{"a":', ' 12 ', '"\\/"', '{"a":{"b":{"a":1}}}', 'tru', '[1,]'),
);

export const corpus: CorpusEntry[] = [
  { name: 'login', backend: true, requests: login },
  { name: 'upload', backend: true, requests: fc.oneof(post('/', smallJson, q({ name: chars('abc.', 1, 6) })), fc.record({ text: chars('hello ', 0, 20) }).map((r): RequestSpec => ({ method: 'POST', path: '/', body: r.text === '' ? 'empty' : r.text })), get('/')) },
  { name: 'status', backend: true, requests: fc.oneof(post('/', fc.record({ service: fc.oneof(chars('abcdef', 0, 5), fc.integer({ min: 0, max: 99 })) })), post('/', fc.oneof(chars('abcdef', 1, 5), numbers, fc.constant(null), fc.boolean(), fc.integer())), get('/')) },
  { name: 'banking', backend: true, requests: fc.record({ path: fc.constantFrom('/balance', '/deposit', '/withdraw', '/transfer', '/audit'), account: chars('abcxyz', 1, 4), to: chars('abc', 1, 3), amount: fc.oneof(fc.integer({ min: -5, max: 1200 }), fc.constant(20000), fc.constant('12')) }).map((r): RequestSpec => ({ method: 'POST', path: r.path, body: { account: r.account, amount: r.amount, to: r.to } })) },
  { name: 'autocomplete', cpu: true, requests: get('/', q({ q: chars('abdeiklmnoprstuv', 0, 4), limit: fc.oneof(intStr(-5, 80), fc.constant('x')) })) },
  { name: 'maze', cpu: true, requests: get('/', q({ r0: intStr(-2, 42), c0: intStr(0, 39), r1: intStr(0, 39), c1: intStr(0, 45) })) },
  { name: 'fileserver', requests: fc.oneof(fileNames.map((f) => `/files/${f}`), fileNames.map((f) => `/size/${f}`), fc.constantFrom('/list/', '/list/data/', '/list/x', '/stats', '/nowhere', '/')).map((path): RequestSpec => ({ path })) },
  { name: 'json-transform', cpu: true, requests: fc.oneof(post('/', fc.record({ orders }), q({ flat: fc.constantFrom('0', '1') })), post('/', smallJson)) },
  { name: 'ops-arith', requests: get('/', q({ a: numberish, b: numberish })) },
  { name: 'ops-equality', requests: get('/', q({ i: intStr(0, 20), v: fc.constantFrom('0', '', '1', 'true', 'x', ' ') })) },
  { name: 'ops-bitwise', requests: get('/', q({ x: fc.oneof(intStr(-70000, 70000), fc.constantFrom('2147483647', '-2147483648', '4294967296', '99999999999')), y: intStr(-40, 40) })) },
  { name: 'ops-in-typeof-delete', requests: fc.oneof(get('/', q({ key: fc.constantFrom('a', 'b', 'c', '2', 'z', 'length') })), post('/', smallJson, q({ key: fc.constantFrom('a', 'c') }))) },
  { name: 'ops-optional-nullish', requests: fc.oneof(post('/', fc.record({ profile: fc.oneof(fc.constant(null), fc.record({ name: chars('ab', 0, 3), address: fc.oneof(fc.constant(null), fc.record({ city: chars('xyz', 0, 3) }, { requiredKeys: [] })), tags: fc.array(chars('t', 1, 2), { maxLength: 2 }), count: fc.integer({ min: 0, max: 3 }), theme: fc.constantFrom('dark', '') }, { requiredKeys: [] })) }, { requiredKeys: [] })), get('/')) },
  { name: 'ops-logic-compare', requests: get('/', q({ a: numberish, b: numberish })) },
  { name: 'control-switch', requests: fc.record({ v: fc.constantFrom('0', '1', '10', '20', '5', 'x', '', '-7'), method: fc.constantFrom('GET', 'POST') }).map((r): RequestSpec => ({ method: r.method, path: '/', query: { v: r.v } })) },
  { name: 'control-for', requests: get('/', q({ n: fc.oneof(intStr(0, 60), intStr(-3, 3000)) })) },
  { name: 'control-forof', requests: post('/', fc.oneof(fc.array(jsonScalar, { maxLength: 10 }), fc.constant({})), q({ text: chars('aabbcz', 0, 12) })) },
  { name: 'control-forin', requests: post('/', fc.oneof(fc.dictionary(fc.oneof(chars('abc', 1, 3), intStr(0, 20)), jsonScalar, { maxKeys: 6 }), fc.array(jsonScalar, { maxLength: 3 }), fc.constant('text'))) },
  { name: 'control-while-do', requests: get('/', q({ n: fc.oneof(intStr(-5, 100), intStr(100, 999999)) })) },
  { name: 'control-labels', requests: get('/', q({ size: intStr(0, 40), target: intStr(-1, 400) })) },
  { name: 'decl-scopes', requests: get('/', q({ x: chars('abcdef', 0, 7) })) },
  { name: 'closures-shared', requests: get('/', q({ steps: intStr(0, 120), start: numberish })) },
  { name: 'recursion', requests: fc.oneof(get('/', q({ depth: intStr(0, 30) })), post('/', fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 })), { maxLength: 3 })), { maxLength: 5 }), q({ depth: intStr(0, 12) }))) },
  { name: 'params-default-rest', requests: fc.oneof(get('/', q({ name: chars('abcdefgh', 0, 8) })), post('/', numbers, q({ name: chars('ab', 1, 8) }))) },
  { name: 'destructuring', requests: fc.oneof(post('/', fc.record({ user: fc.record({ name: chars('ab', 1, 3), roles: fc.array(chars('rw', 1, 1), { maxLength: 2 }) }, { requiredKeys: [] }), id: fc.integer({ min: 0, max: 9 }), list: fc.array(jsonScalar, { maxLength: 6 }), extra: jsonScalar }, { requiredKeys: [] }), q({ s: chars('xyz', 0, 5) })), get('/', q({ s: chars('xyz', 0, 5) }))) },
  { name: 'template-literals', requests: get('/', q({ name: chars('abc', 0, 5), n: numberish })) },
  { name: 'literals-props', requests: get('/', q({ key: fc.oneof(chars('kxy', 1, 3), fc.constantFrom('1', '3', 'method', 'shorthand', 'added')), value: chars('vw', 0, 3) })) },
  { name: 'exceptions', requests: get('/', q({ amount: fc.oneof(numberish, fc.constant('-5')), depth: intStr(0, 25) })) },
  { name: 'uncaught-errors', requests: get('/', q({ kind: fc.constantFrom('throw', 'type', 'range', 'string', 'number', 'object', 'call', 'undef', 'none'), n: intStr(0, 9) })) },
  { name: 'error-messages', requests: get('/', q({ k: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'z') })) },
  { name: 'string-methods', requests: get('/', q({ s: chars('ab,; ', 0, 10), sep: fc.constantFrom(',', ';', ' ', 'ab', '') })) },
  { name: 'array-hof', requests: post('/', fc.oneof(numbers, fc.array(jsonScalar, { maxLength: 6 })), q({ t: intStr(-10, 10) })) },
  { name: 'array-sort', requests: post('/', people) },
  { name: 'object-methods', requests: post('/', fc.oneof(fc.dictionary(fc.oneof(chars('colrsize', 1, 5), intStr(0, 12)), jsonScalar, { maxKeys: 5 }), fc.constant([]))) },
  { name: 'json-methods', requests: fc.oneof(post('/', smallJson, q({ indent: intStr(0, 5) })), fc.constantFrom('{"a":', '[1,2', 'null', '"str"', '12', 'true', '{}').map((b): RequestSpec => ({ method: 'POST', path: '/', body: b }))) },
  { name: 'math-number', requests: get('/', q({ x: fc.oneof(numberish, intStr(-99, 99).map((s) => `${s}.5`), fc.constantFrom('2.675', '-2.5', '0.000001', '1234.5678')) })) },
  { name: 'date-guarded', requests: get('/', q({ n: intStr(0, 500) })) },
  { name: 'booking', requests: get('/', q({ start: fc.oneof(fc.tuple(intStr(1999, 2031), intStr(1, 12), intStr(1, 28)).map(([y, m, d]) => `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`), fc.constantFrom('2026-02-30', 'tomorrow', '', '2024-02-29')), nights: fc.oneof(intStr(-1, 20), fc.constantFrom('2.5', 'x')) })) },
  { name: 'global-counter', requests: get(fc.constantFrom('/', '/a', '/b'), q({ add: intStr(-5, 5) })) },
  { name: 'higher-order', requests: get('/', q({ ops: fc.array(fc.constantFrom('inc', 'dbl', 'neg', 'sq', 'nope'), { maxLength: 4 }).map((a) => a.join(',')), x: intStr(-9, 9) })) },
  { name: 'outbound-sequence', backend: true, requests: get('/', q({ n: intStr(0, 6), item: chars('abc', 1, 4) })) },
  { name: 'outbound-errors', backend: true, requests: get('/', q({ what: fc.constantFrom('missing', 'text', 'down', 'echo', 'other'), q: chars('ab', 0, 3) })) },
  { name: 'respond-variants', requests: get(fc.constantFrom('/string', '/number', '/bool', '/null', '/undefined', '/array', '/object', '/twice', '/status', '/badstatus', '/other'), q({ n: numberish })) },
  { name: 'cipher', requests: get('/', q({ text: chars('abcXYZ z!', 0, 14), k: intStr(-30, 30) })) },
  { name: 'primes', cpu: true, requests: get('/', q({ n: fc.oneof(intStr(0, 300), intStr(300, 5000)) })) },
  { name: 'quicksort', requests: post('/', numbers) },
  { name: 'matrix', requests: get('/', q({ n: intStr(0, 6), seed: intStr(-3, 9) })) },
  { name: 'rest-crud', requests: fc.oneof(
    post('/items', fc.oneof(fc.record({ name: chars('abc', 1, 4), tags: fc.array(chars('t', 1, 2), { maxLength: 4 }) }), fc.constant({}))),
    fc.record({ method: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH'), id: fc.oneof(intStr(1, 5), fc.constant('')), name: chars('xy', 1, 3) }).map((r): RequestSpec => ({ method: r.method, path: `/items/${r.id}`, ...(r.method === 'PUT' ? { body: { name: r.name } } : {}) })),
    fc.constant<RequestSpec>({ path: '/other' }),
  ) },
  { name: 'uses-regex', requests: get(fc.constantFrom('/plain', '/words'), q({ s: chars('ab1 ,', 0, 8) })) },
  { name: 'logging', requests: get('/', q({ n: intStr(0, 5), err: chars('e', 0, 2) })) },
  { name: 'roman', requests: fc.oneof(get('/', q({ n: intStr(-2, 4001) })), get('/', fc.record({ roman: fc.oneof(chars('IVXLCDM', 1, 8), chars('ivxq', 1, 4)) }))) },
  { name: 'number-format', requests: get('/', q({ x: numberText, d: intStr(0, 22), r: intStr(1, 37) })) },
  { name: 'unicode-strings', requests: fc.oneof(get('/', q({ s: unicodeText, i: intStr(-4, 12) })), post('/', unicodeText.filter((s) => s !== ''), q({ i: intStr(-2, 6) }))) },
  { name: 'property-order', requests: post('/', fc.dictionary(bodyKey, jsonScalar, { maxKeys: 7 }), q({ remove: propertyKey })) },
  { name: 'sort-edge', requests: post('/', fc.array(fc.oneof(fc.integer({ min: -20, max: 120 }), chars('aB1 ', 0, 3), fc.constant(null), fc.boolean()), { maxLength: 40 }), q({ mode: fc.constantFrom('default', 'numeric', 'bool', 'string', 'undefined', 'stable', 'reverse') })) },
  { name: 'coercion', requests: get('/', q({ i: intStr(0, 20), j: intStr(0, 20) })) },
  { name: 'json-roundtrip', requests: post('/', jsonTexts.filter((t) => t !== ''), q({ indent: fc.constantFrom('', '2', '  ', '\t', 'abcdefghijklm', '11') })) },
  { name: 'audit-log', backend: true, requests: get(fc.constantFrom('/after', '/forget', '/throw', '/'), q({ user: chars('abcdef', 1, 4) })) },
  { name: 'class-service', requests: get('/', q({ items: fc.array(fc.tuple(fc.constantFrom('apple', 'pear', 'melon', 'kiwi', 'grape'), fc.constantFrom('', ':1', ':3', ':0', ':x', ':2.5')).map(([s, n]) => s + n), { maxLength: 5 }).map((a) => a.join(',')), drop: fc.constantFrom('apple', 'melon', 'none'), discount: fc.constantFrom('half', 'five', 'none'), sale: fc.constantFrom('1') })) },
  { name: 'class-hierarchy', requests: get('/', q({ shapes: fc.array(fc.oneof(fc.tuple(fc.constantFrom('rect', 'square', 'circle', 'shape', 'hex'), intStr(-2, 9), intStr(0, 9)).map(([k, a, b]) => `${k}:${a}:${b}`), fc.constantFrom('rect:1.5:2', 'circle:x')), { minLength: 1, maxLength: 4 }).map((a) => a.join(',')) })) },
  { name: 'proto-constructor', requests: get('/', q({ nums: fc.array(fc.oneof(intStr(-5, 20), fc.constantFrom('x', '1.5')), { maxLength: 5 }).map((a) => a.join(',')), start: intStr(-3, 5), max: intStr(0, 30) })) },
  { name: 'brackets', requests: fc.oneof(get('/', q({ text: chars('()[]{}a', 0, 16) })), post('/', chars('(){}x', 0, 12).map((s) => (s === '' ? '()' : s)))) },
  { name: 'async-dashboard', backend: true, requests: fc.oneof(
    get('/', q({ services: fc.array(chars('abcdefgh', 1, 5), { minLength: 0, maxLength: 4 }).map((a) => a.join(',')) })),
    get('/login', q({ user: chars('abc', 0, 3), pass: fc.constantFrom('abc-pw', 'cba', 'x', '') })),
  ) },
  { name: 'generator-pipeline', requests: get('/', q({ text: chars('abAB ,.', 0, 24), min: intStr(0, 3), limit: intStr(-1, 8) })) },
  { name: 'async-retry', requests: get('/', q({ jobs: fc.array(chars('abcxyz', 1, 4), { minLength: 1, maxLength: 5 }).map((a) => a.join(',')), failures: intStr(0, 4), max: intStr(0, 5), strict: fc.constantFrom('yes', 'no') })) },
];

/** The request arbitrary of a corpus function by name. */
export function corpusEntry(name: string): CorpusEntry {
  const e = corpus.find((c) => c.name === name);
  if (!e) throw new Error(`no corpus function ${name}`);
  return e;
}
