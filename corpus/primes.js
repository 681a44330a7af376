// Sieve of Eratosthenes up to a bound from the request (CPU-bound loop with array writes).
const containerless = require('containerless');

function sieve(n) {
  const composite = [];
  for (let i = 0; i <= n; i++) composite.push(false);
  const primes = [];
  for (let i = 2; i <= n; i++) {
    if (composite[i]) continue;
    primes.push(i);
    for (let j = i * i; j <= n; j += i) composite[j] = true;
  }
  return primes;
}

containerless.listen(function (req) {
  const n = Math.max(0, Math.min(20000, parseInt(req.query.n, 10) || 100));
  const ps = sieve(n);
  containerless.respond({ n: n, count: ps.length, last: ps[ps.length - 1] ?? null, firstTen: ps.slice(0, 10), twin: ps.filter((p, i) => i > 0 && p - ps[i - 1] === 2).length });
});
