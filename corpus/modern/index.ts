/**
 * The modern corpus: functions written the way people write them today (async/await and promises,
 * classes with private state, generators, regular expressions, Map/Set, dates), in the paper's
 * `containerless` API so that every harness of the older corpus runs them unchanged. Issue 12's
 * goals are measured on it (bench/accel-unseen.ts): the older corpus (../index.ts) is callback style.
 */
import { createHmac } from 'node:crypto';
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
  // Session 11: more of each style, as their users write them today.
  { name: 'worker-shortener', requests: fc.oneof(
    get(fc.constantFrom('/home', '/docs', '/Blog2', '/blog2', '/HOME', '/nope1', '/x', '/links/home/stats', '/links/ab/stats', '/links', '/a/b')),
    fc.record({
      url: fc.oneof(fc.constantFrom('https://example.com/a?b=1#frag', 'http://x.org', ' https://Ex.COM/ ', 'ftp://files.example.com/', 'not a url', 'https://例え.jp/パス', ''), fc.constant(undefined)),
      alias: fc.oneof(fc.constantFrom('my-link', 'ab', 'UPPER', 'ok-123'), fc.constant(undefined)),
    }, { requiredKeys: [] }).map((b): RequestSpec => ({ method: 'POST', path: '/links', body: b })),
    fc.constantFrom<RequestSpec>({ method: 'POST', path: '/links/', body: '{bad json' }, { method: 'POST', path: '/links', body: 'null' }, { method: 'DELETE', path: '/home' }),
  ) },
  { name: 'lambda-webhook', requests: fc.oneof(
    fc.record({
      type: fc.constantFrom('payment.succeeded', 'customer.created', 'invoice.paid'),
      id: fc.oneof(chars('abc123', 1, 6).map((s) => `evt_${s}`), fc.constant(undefined)),
      created: fc.oneof(fc.integer({ min: 0, max: 2_000_000_000 }), fc.constant(undefined)),
      data: fc.record({ amount: fc.integer({ min: 0, max: 99999 }), currency: fc.constantFrom('usd', 'eur', 'jpy'), email: fc.constantFrom('Ann@Example.com', 'bob@ex.org', 'nobody', '') }, { requiredKeys: [] }),
    }, { requiredKeys: ['type'] }).chain((payload) => {
      const body = JSON.stringify(payload);
      const right = createHmac('sha256', 'whsec_test_0123456789').update(body).digest('hex');
      return fc.constantFrom(right, 'skip', 'deadbeef', '').map((sig): RequestSpec => ({ method: 'POST', path: '/', body, headers: { 'content-type': 'application/json', ...(sig ? { 'x-signature': sig } : {}) } }));
    }),
    fc.constantFrom<RequestSpec>({ method: 'POST', path: '/', body: '{nope', query: { sig: 'skip' } }, { method: 'GET', path: '/' }, { method: 'POST', path: '/', body: '"just a string"', query: { sig: 'skip' } }),
  ) },
  { name: 'markdown', requests: fc.oneof(
    post('/', fc.array(fc.constantFrom('# Title', '## Sub *part*', 'Some **bold** and *it* text.', '- one', '- two `code`', '1. first', '2. second', '', 'See [the docs](https://ex.com/d?x=1) now', 'a*b*c and 2 * 3 * 4', '<script>alert("x")</script>', '####### seven', '* star item'), { maxLength: 10 }).map((ls) => ls.join('\n')), q({ format: fc.constantFrom('json', 'html') })),
    get('/', q({ md: fc.constantFrom('# Hi', '**x**', 'Déjà *vu*', '- a\n- b', ''), format: fc.constantFrom('json', 'html') })),
  ) },
  { name: 'openwhisk-search', requests: fc.oneof(
    get('/', q({ q: fc.constantFrom('espresso', 'milk hot', 'CAFÉ', 'creme brulee', 'tea', 'a', 'zzz', 'Milk, espresso & honey', ''), page: intStr(0, 3), size: fc.oneof(intStr(0, 7), fc.constant('x')) })),
    post('/', fc.record({ q: fc.constantFrom('milk', 'gelato') })),
  ) },
  { name: 'worker-csv', requests: fc.oneof(
    fc.record({
      rows: fc.array(fc.record({
        day: fc.constantFrom('2024-01-05', '2024-02-29', '2023-12-31', '2024-13-01', 'bad'),
        region: fc.constantFrom('north', 'south', '"east, inner"', 'West', ''),
        amount: fc.constantFrom('10', '2.5', '-3', '0.1', 'x', '1e3', '99.99'),
      }), { maxLength: 8 }),
      header: fc.constantFrom('day,region,amount', 'Day, Region ,AMOUNT', 'a,b'),
      accept: fc.constantFrom('application/json', 'text/csv', '*/*'),
    }).map(({ rows, header, accept }): RequestSpec => ({ method: 'POST', path: '/', headers: { accept }, body: [header, ...rows.map((r) => `${r.day},${r.region},${r.amount}`)].join('\n') })),
    fc.constantFrom<RequestSpec>({ method: 'GET', path: '/' }, { method: 'POST', path: '/', body: '\n\n' }),
  ) },
  { name: 'lambda-cron', requests: get('/', q({
    cron: fc.constantFrom('*/15 * * * *', '0 9 * * 1-5', '30 2 1 * *', '0 0 * * 0', '5,35 */6 * * *', '0 12 15 6 *', '* * * *', '61 * * * *', '0 9-17/2 * * *', 'x * * * *', ''),
    n: intStr(0, 6),
    from: fc.constantFrom('2024-01-01T00:00:00Z', '2024-02-28T23:50:00Z', '2023-12-31T23:59:30Z', 'soon'),
  })) },
];

/** The name every corpus folder exports (bench/accel-unseen.ts reads a folder's `corpus`). */
export const corpus = modernCorpus;
