// Paper benchmark "banking": deposit / withdraw / balance against a backend, with nested callbacks
// threaded through higher-order helpers.
const containerless = require('containerless');

function withAccount(backend, id, next) {
  containerless.get(backend + '/accounts/' + id, function (acct) {
    if (acct === undefined || typeof acct.balance !== 'number') next(null);
    else next(acct);
  });
}

function transact(backend, kind, id, amount, next) {
  containerless.post({ url: backend + '/accounts/' + id + '/' + kind, body: { amount: amount } }, function (res, meta) {
    next(res, meta.status);
  });
}

function guarded(check, action) {
  return function (args) {
    const problem = check(args);
    if (problem) containerless.respond({ error: problem }, { status: 400 });
    else action(args);
  };
}

const validAmount = function (args) {
  if (typeof args.amount !== 'number' || !(args.amount > 0)) return 'amount must be positive';
  if (args.amount > 10000) return 'amount too large';
  return '';
};

containerless.listen(function (req) {
  const backend = req.headers['x-backend'] || 'http://127.0.0.1:7999';
  const body = typeof req.body === 'object' && req.body !== null ? req.body : {};
  const id = typeof body.account === 'string' ? body.account : 'acct0';
  const args = { id: id, amount: body.amount };
  const actions = {
    '/balance': function () {
      withAccount(backend, id, function (acct) {
        containerless.respond(acct === null ? { error: 'no account' } : { account: id, balance: acct.balance });
      });
    },
    '/deposit': guarded(validAmount, function (a) {
      withAccount(backend, a.id, function (before) {
        transact(backend, 'deposit', a.id, a.amount, function (res, status) {
          containerless.respond({ account: a.id, before: before.balance, after: res.balance, status: status });
        });
      });
    }),
    '/withdraw': guarded(validAmount, function (a) {
      withAccount(backend, a.id, function (before) {
        transact(backend, 'withdraw', a.id, a.amount, function (res, status) {
          if (res.ok) containerless.respond({ account: a.id, before: before.balance, after: res.balance });
          else containerless.respond({ account: a.id, refused: res.error, balance: res.balance }, { status: status });
        });
      });
    }),
    '/transfer': guarded(validAmount, function (a) {
      const to = typeof body.to === 'string' ? body.to : 'acct1';
      transact(backend, 'withdraw', a.id, a.amount, function (out) {
        if (!out.ok) {
          containerless.respond({ refused: out.error }, { status: 409 });
          return;
        }
        transact(backend, 'deposit', to, a.amount, function (inn) {
          containerless.respond({ from: a.id, to: to, fromBalance: out.balance, toBalance: inn.balance });
        });
      });
    }),
  };
  const action = actions[req.path];
  if (action === undefined) containerless.respond({ error: 'unknown operation ' + req.path }, { status: 404 });
  else action(args);
});
