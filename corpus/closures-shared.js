// Closures sharing and mutating the same variables: a bank of counters, a memoiser and a
// function that returns several closures over one binding.
const containerless = require('containerless');

function makeCounter(start) {
  let count = start;
  return {
    inc: function () { count++; return count; },
    add: (n) => (count += n),
    get: () => count,
  };
}

function memo(fn) {
  const cache = {};
  let misses = 0;
  const wrapped = function (n) {
    const key = 'k' + n;
    if (!(key in cache)) {
      misses++;
      cache[key] = fn(n);
    }
    return cache[key];
  };
  return { run: wrapped, misses: function () { return misses; } };
}

containerless.listen(function (req) {
  const steps = Math.min(200, Math.max(0, parseInt(req.query.steps, 10) || 0));
  const c = makeCounter(Number(req.query.start) || 0);
  const other = makeCounter(100);
  for (let i = 0; i < steps; i++) {
    if (i % 3 === 0) c.add(2);
    else c.inc();
    other.inc();
  }
  let fibCalls = 0;
  const fib = memo(function (n) {
    fibCalls++;
    return n < 2 ? n : fib.run(n - 1) + fib.run(n - 2);
  });
  const target = Math.min(70, steps);
  const log = [];
  const push = (s) => { log.push(s); return log.length; };
  const pushTwice = (s) => push(s) + push(s.toUpperCase());
  containerless.respond({ count: c.get(), other: other.get(), fib: fib.run(target), fibCalls: fibCalls, misses: fib.misses(), pushed: pushTwice('ab'), log: log });
});
