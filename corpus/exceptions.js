// Exceptions thrown in one function and caught in another, finally blocks that run on every exit,
// rethrow, non-Error throws, and the messages of built-in TypeErrors.
const containerless = require('containerless');

function parseAmount(v) {
  if (typeof v !== 'string') throw new TypeError('amount must be a string, got ' + typeof v);
  const n = Number(v);
  if (n !== n) throw new Error('not a number: ' + v);
  if (n < 0) throw { code: 'NEGATIVE', value: n };
  return n;
}

function validate(v, trail) {
  try {
    trail.push('try');
    return parseAmount(v);
  } finally {
    trail.push('finally');
  }
}

function outer(v, trail) {
  try {
    return { ok: validate(v, trail) };
  } catch (e) {
    trail.push('caught');
    if (e instanceof TypeError) return { type: e.name, message: e.message };
    if (e instanceof Error) return { error: e.message, name: e.name };
    return { thrown: e };
  }
}

function rethrows(depth) {
  try {
    if (depth === 0) throw new RangeError('bottom');
    return rethrows(depth - 1);
  } catch (e) {
    e.message = e.message + '<' + depth;
    throw e;
  }
}

containerless.listen(function (req) {
  const trail = [];
  const result = outer(req.query.amount, trail);
  let chain;
  try {
    rethrows(Math.min(20, parseInt(req.query.depth, 10) || 0));
  } catch (e) {
    chain = e.name + ': ' + e.message;
  }
  let finallyWins;
  const f = function () {
    try {
      return 'try';
    } finally {
      finallyWins = 'ran';
    }
  };
  let caughtNative = null;
  try {
    const missing = req.query.nothing;
    caughtNative = missing.length;
  } catch (e) {
    caughtNative = e instanceof TypeError ? 'TypeError' : 'other';
  }
  let errString = '';
  try {
    throw new Error('boom');
  } catch ({ message }) {
    errString = message;
  }
  containerless.respond({ result: result, trail: trail, chain: chain, f: f(), finallyWins: finallyWins, caughtNative: caughtNative, errString: errString });
});
