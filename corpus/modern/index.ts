/**
 * The modern corpus: functions written the way people write them today (async/await and promises,
 * classes with private state, generators, regular expressions, Map/Set, dates), in the paper's
 * `containerless` API so that every harness of the older corpus runs them unchanged. Issue 12's
 * goals are measured on it (bench/accel-unseen.ts): the older corpus (../index.ts) is callback style.
 */
import fc from 'fast-check';
import { chars, get, intStr, post, q, type CorpusEntry } from '../index.ts';
import type { RequestSpec } from '../../src/cli/trace-run/request-spec.ts';

const isoDay = fc.oneof(
  fc.record({ y: fc.integer({ min: 1999, max: 2031 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
    .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.constantFrom('2024-02-30', 'yesterday', '', '2024-1-1'),
);
const words = fc.array(fc.constantFrom('the', 'cat', 'sat', 'on', 'a', 'mat.', 'Déjà', 'vu!', 'ann@ex.com', 'x2', 'and', "it's", 'cat?'), { maxLength: 14 }).map((w) => w.join(' '));

const logLine = fc.oneof(
  fc.record({
    d: fc.integer({ min: 1, max: 28 }), level: fc.constantFrom('INFO', 'WARN', 'ERROR'), svc: fc.constantFrom('api', 'auth-2', 'web'),
    method: fc.constantFrom('GET', 'POST', 'DELETE'), path: fc.constantFrom('/items', '/items/12', '/items/7/tags', '/', '/health'),
    status: fc.constantFrom(200, 201, 404, 500, 503), ms: fc.integer({ min: 0, max: 400 }),
  }).map((l) => `2024-05-${String(l.d).padStart(2, '0')}T12:00:00Z ${l.level} [${l.svc}] ${l.method} ${l.path} ${l.status} ${l.ms}ms`),
  fc.constantFrom('garbage', '  ', '2024-05-01 INFO [api] GET / 200 1ms'),
);
const logLines = fc.array(logLine, { maxLength: 6 }).map((ls) => ls.join('\n'));

export const modernCorpus: CorpusEntry[] = [
  { name: 'router', requests: fc.oneof(
    get(fc.constantFrom('/items', '/items/', '/items/1', '/items/2', '/items/x', '/other'), q({ tag: chars('ab', 1, 1) })),
    post('/items', fc.record({ name: fc.oneof(chars('abc-1', 1, 6), fc.constant('9bad')), tags: fc.array(chars('ab', 1, 1), { maxLength: 3 }) }, { requiredKeys: [] })),
    fc.constantFrom<RequestSpec>({ method: 'DELETE', path: '/items/1' }, { method: 'DELETE', path: '/items/7' }, { method: 'PUT', path: '/items/1' }),
  ) },
  { name: 'cache', backend: true, requests: get('/', q({ s: fc.array(chars('abc', 1, 2), { maxLength: 4 }).map((a) => a.join(',')), step: intStr(0, 4) })) },
  { name: 'orders', requests: post('/', fc.array(fc.record({
    sku: chars('abc', 1, 3),
    qty: fc.integer({ min: 0, max: 5 }),
    price: fc.oneof(fc.constantFrom('1', '2.5', '10.99', '-3', '0.1', 'x', ' 7 '), intStr(0, 99)),
    code: fc.constantFrom('SAVE10', 'HALF', 'NOPE'),
  }, { requiredKeys: ['sku', 'price'] }), { maxLength: 4 })) },
  { name: 'pipeline', requests: fc.oneof(
    get('/', q({ xs: fc.array(fc.oneof(intStr(-9, 99), fc.constantFrom('x', '1.5', '')), { maxLength: 8 }).map((a) => a.join(',')), w: intStr(0, 5), limit: intStr(-1, 6) })),
    post('/', fc.array(intStr(0, 9), { maxLength: 6 }).map((a) => a.join(' ')), q({ w: intStr(1, 3) })),
  ) },
  { name: 'text', requests: fc.oneof(post('/', words, q({ name: chars('ab', 0, 3), tpl: fc.constantFrom('{{name}}!', 'x {{ other }}', '{{name}} {{name}}') })), get('/', q({ t: words }))) },
  { name: 'aggregate', backend: true, requests: get('/', q({ s: fc.array(chars('abcdef', 1, 2), { maxLength: 5 }).map((a) => a.join(',')) })) },
  { name: 'logs', requests: fc.oneof(post('/', logLines, q({ svc: fc.constantFrom('', 'api', 'auth-2', 'Bad Name', 'api-') })), get('/')) },
  { name: 'dates', requests: get('/', q({ from: isoDay, to: isoDay, add: intStr(-40, 400) })) },
  { name: 'accounts', backend: true, requests: get('/', q({ ids: fc.array(chars('abcd', 1, 2), { maxLength: 4 }).map((a) => a.join(',')), audit: fc.constantFrom('0', '1') })) },
  // The other styles (CONTRACT §1b), written as their platforms' users write them today.
  { name: 'lambda-accounts', backend: true, requests: fc.oneof(
    get(fc.constantFrom('/accounts/alice', '/accounts/bob', '/accounts/c%20d', '/accounts/', '/users/1', '/accounts/alice/deposit')),
    fc.record({
      path: fc.constantFrom('/accounts/alice/deposit', '/accounts/bob/withdraw', '/accounts/zed/withdraw', '/accounts/alice/close'),
      body: fc.oneof(fc.record({ amount: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.constantFrom('12', 'x', null)) }, { requiredKeys: [] }), fc.constant('not json')),
      query: q({ amount: intStr(0, 50) }),
    }).map((r): RequestSpec => ({ method: 'POST', path: r.path, query: r.query, body: r.body })),
  ) },
  { name: 'worker-status', backend: true, requests: fc.oneof(
    get(fc.constantFrom('/status', '/status', '/health', '/nope'), q({ service: fc.array(fc.constantFrom('api', 'DB', 'queue', 'auth', 'search', 'x', ' api'), { maxLength: 4 }).map((a) => a.join(',')) })),
    fc.constant<RequestSpec>({ method: 'POST', path: '/status', query: { service: 'api' } }),
  ) },
  { name: 'openwhisk-cart', requests: fc.oneof(
    post('/', fc.record({
      items: fc.oneof(fc.array(fc.record({ sku: fc.constantFrom('a', 'b', 'c', ''), qty: fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constant('2')), price: fc.oneof(fc.constantFrom('1.5', '10', 'x', 3, 0.1)) }, { requiredKeys: ['sku'] }), { maxLength: 4 }), fc.constant('nope')),
      currency: fc.constantFrom('EUR', 'USD'),
      discount: fc.oneof(intStr(-10, 80), fc.constant('half')),
    }, { requiredKeys: ['items'] })),
    get('/', q({ items: chars('ab', 0, 2) })),
  ) },
  { name: 'catalog', requests: get('/', q({
    under: fc.constantFrom('', 'books', 'books/comics', 'games', 'games/board', 'games/board/dice', 'toys', 'books/'),
    max: fc.oneof(intStr(0, 50), fc.constant('x')),
    size: intStr(0, 4),
  })) },
];

/** The name every corpus folder exports (bench/accel-unseen.ts reads a folder's `corpus`). */
export const corpus = modernCorpus;
