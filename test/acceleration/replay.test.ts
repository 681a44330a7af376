import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accelPlatform, call, deploy, fnInfo, mode, untilAccelerated } from './helpers.ts';

type TestContext = { after(fn: () => unknown): void };

/** A loopback backend that counts the POSTs it receives and answers each with its running count. */
async function countingBackend(t: TestContext) {
  const posts: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method === 'POST') posts.push(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ n: posts.length, method: req.method }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posts };
}

// The POST happens first; only its callback branches on the amount. Training sends small amounts, so
// a big one POSTs in the accelerated attempt and aborts in the callback, after the POST went out: the
// untraced branch stores a string into `checks`, a local the traced code keeps numeric (checked there).
const source = (backend: string) => `const c = require('containerless');
c.listen(function (req) {
  const amount = Number(req.query.amount);
  c.post({ url: '${backend}/pay', body: { amount: amount } }, function (resp) {
    let checks = 0;
    checks = checks + 1;
    if (amount > 100) {
      checks = checks + ' and an audit';
      c.get('${backend}/audit?n=' + resp.n, function (audit) {
        c.respond('big #' + resp.n + ' audited by ' + audit.method + ' (' + checks + ')');
      });
    } else {
      c.respond('small #' + resp.n);
    }
  });
});`;

test('replay: an aborted accelerated attempt that already POSTed leads to exactly one POST', async (t) => {
  const backend = await countingBackend(t);
  const p = await accelPlatform(t, {}, { allowOutbound: [new URL(backend.url).host] });
  await deploy(p, 'pay', source(backend.url));
  for (let i = 0; i < 3; i++) assert.match((await call(p, '/fn/pay/?amount=5')).text, /^small #\d+$/);
  await untilAccelerated(p, '/fn/pay/?amount=7');

  const before = backend.posts.length;
  const r = await call(p, '/fn/pay/?amount=500');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('x-containerless-reexecuted'), '1', 'the attempt aborted and was re-executed');
  assert.equal(backend.posts.length, before + 1, `exactly one POST for the request (saw ${backend.posts.length - before})`);
  assert.deepEqual(JSON.parse(backend.posts.at(-1)!), { amount: 500 });
  // The re-execution was served the logged response of the attempt's POST, so it numbers the same POST;
  // its GET (after the divergence) went out for real.
  assert.equal(r.text, `big #${before + 1} audited by GET (1 and an audit)`);
  const info = await fnInfo(p, 'pay');
  assert.ok(info.stats.aborts['unknown-path'] >= 1);

  // Learned: the next big payment is accelerated and POSTs once.
  const learned = await untilAccelerated(p, '/fn/pay/?amount=900');
  const n = backend.posts.length;
  assert.equal(learned.text, `big #${n} audited by GET (1 and an audit)`);
  const last = await call(p, '/fn/pay/?amount=901');
  assert.equal(mode(last), 'accelerated');
  assert.equal(backend.posts.length, n + 1);
});
