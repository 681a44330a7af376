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
  { name: 'paper-validate', requests: fc.oneof(
    post('/', fc.record({
      customer: fc.oneof(fc.constantFrom('ann_1', 'bo', 'Zed', 'carla99'), fc.integer({ min: 0, max: 9 })),
      priority: fc.constantFrom('low', 'high', 'urgent'),
      lines: fc.oneof(fc.array(fc.record({ sku: fc.constantFrom('ABC-123', 'abc-123', 'XYZ-999', 'Q-1'), qty: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.constant(1.5), fc.constant('2')) }, { requiredKeys: ['sku'] }), { maxLength: 6 }), fc.constant('none')),
      note: fc.oneof(fc.constant('rush'), fc.constant(null)),
      extra: fc.constant(true),
    }, { requiredKeys: ['customer', 'lines'] })),
    fc.constantFrom<RequestSpec>({ method: 'GET', path: '/' }, { method: 'POST', path: '/', body: 'text' }, { method: 'POST', path: '/', body: [1, 2] }),
  ) },
  { name: 'lambda-jwt', requests: fc.record({
    path: fc.constantFrom('/items', '/admin/users'),
    claims: fc.record({ sub: chars('abc', 1, 4), scope: fc.constantFrom('read', 'read admin', '  admin  ', ''), name: fc.constantFrom('Ann Lee', 'Zoë', 'Bo'), exp: fc.constantFrom(1_600_000_000, 1_800_000_000), nbf: fc.constantFrom(1_500_000_000, 1_900_000_000) }, { requiredKeys: ['sub'] }),
    alg: fc.constantFrom('HS256', 'HS256', 'none'),
    how: fc.constantFrom('good', 'good', 'bad-sig', 'no-bearer', 'two-parts', 'garbage'),
  }).map(({ path, claims, alg, how }): RequestSpec => {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const head = enc({ alg, typ: 'JWT' });
    const body = enc(claims);
    const sig = createHmac('sha256', 'dev-secret-not-for-prod').update(`${head}.${body}`).digest('base64url');
    const token = how === 'bad-sig' ? `${head}.${body}.${sig.slice(1)}x` : how === 'two-parts' ? `${head}.${body}` : how === 'garbage' ? '%%%.@@@.!!!' : `${head}.${body}.${sig}`;
    return { path, headers: { authorization: how === 'no-bearer' ? token : `Bearer ${token}` } };
  }) },
  { name: 'worker-retry', backend: true, requests: get('/', q({
    ids: fc.array(fc.constantFrom('alice', 'bob', 'c d', 'zed', 'x/y'), { maxLength: 5 }).map((a) => a.join(',')),
    flaky: fc.constant('1'),
  })) },
  { name: 'openwhisk-ledger', requests: fc.oneof(
    post('/', fc.record({
      owner: chars('abc', 1, 4),
      ops: fc.oneof(fc.array(fc.record({ kind: fc.constantFrom('credit', 'debit', 'refund'), amount: fc.oneof(fc.integer({ min: -5, max: 500 }), fc.constantFrom('12.5', 'x', 0.1)), memo: fc.constantFrom('rent', 'pay', undefined) }, { requiredKeys: ['kind'] }), { maxLength: 6 }), fc.constant('nope')),
    }, { requiredKeys: ['ops'] })),
    get('/', q({ owner: chars('ab', 1, 3) })),
  ) },
  { name: 'worker-i18n', requests: fc.record({
    query: q({ locale: fc.constantFrom('de-DE', 'ja-JP', 'fr-FR', 'en-US'), n: fc.constantFrom('0', '1', '2', '3', 'x') }),
    lang: fc.constantFrom('de-CH,de;q=0.9,en;q=0.8', 'fr', 'es-ES,es;q=0.9', 'ja;q=0.5,en-GB;q=0.9', ''),
  }).map(({ query, lang }): RequestSpec => ({ path: '/', query, headers: lang ? { 'accept-language': lang } : {} })) },
  { name: 'paper-calc', requests: get('/', q({ q: fc.oneof(
    fc.constantFrom('1 + 2 * 3', '2 ** 3 ** 2', '(1 + 2) * -3', '2^10', 'sqrt(16) + abs(-2.5)', 'max(1, 7, 3) % 4', 'round(pi, 3)', '1 / 0', '0 / 0', '-(-(2))', '1e3 + .5', '1 +', 'foo(1)', 'tau * e', '3 $ 4', '   ', '((2)', 'min()', '2 3', 'round(2.675, 2)', '0.1 + 0.2'),
    fc.tuple(fc.integer({ min: -99, max: 99 }), fc.constantFrom('+', '-', '*', '/', '%', '**'), fc.integer({ min: -9, max: 9 })).map(([a, op, b]) => `${a} ${op} ${b}`),
  ) })) },
  { name: 'lambda-inventory', requests: fc.record({
    items: fc.oneof(fc.array(fc.record({
      sku: chars('abc', 1, 3),
      qty: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constantFrom('4', 'x')),
      where: fc.record({ warehouse: fc.constantFrom('north', 'south', 'east'), bin: fc.constantFrom('A1', 'B2', '') }, { requiredKeys: [] }),
      tags: fc.array(fc.constantFrom('fragile', 'cold', 'bulk'), { maxLength: 2 }),
    }, { requiredKeys: ['sku'] }), { maxLength: 6 }), fc.constant('none')),
    pretty: fc.constantFrom('0', '1'),
  }).map(({ items, pretty }): RequestSpec => ({ method: 'POST', path: '/', query: { pretty }, body: { items } })) },
  { name: 'worker-session', requests: fc.oneof(
    get(fc.constantFrom('/login', '/logout', '/me'), q({ user: fc.constantFrom('ann', ' bo ', '', 'zoë') })),
    fc.record({
      sid: fc.oneof(fc.constantFrom('ann', 'zed').map((user) => encodeURIComponent(Buffer.from(JSON.stringify({ user, n: user.length })).toString('base64').replace(/=+$/, ''))), fc.constantFrom('garbage!', '')),
      theme: fc.constantFrom('dark', 'light', undefined),
    }).map(({ sid, theme }): RequestSpec => ({ path: '/me', headers: { cookie: [sid !== '' ? `sid=${sid}` : '', theme ? `theme=${theme}` : '', 'other=1'].filter(Boolean).join('; ') } })),
  ) },
];

/** The name every corpus folder exports (bench/accel-unseen.ts reads a folder's `corpus`). */
export const corpus = modernCorpus;
