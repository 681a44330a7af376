// while and do...while loops: Collatz steps and digit sums, counts depending on the request.
const containerless = require('containerless');

function collatz(n) {
  let steps = 0;
  while (n !== 1 && steps < 10000) {
    n = n % 2 === 0 ? n / 2 : 3 * n + 1;
    steps++;
  }
  return steps;
}

function digits(n) {
  const out = [];
  do {
    out.unshift(n % 10);
    n = Math.floor(n / 10);
  } while (n > 0);
  return out;
}

containerless.listen(function (req) {
  const n = Math.max(1, Math.min(1000000, parseInt(req.query.n, 10) || 1));
  let guard = 0;
  do guard++; while (false);
  let halvings = 0;
  let m = n;
  while (m > 1) {
    m >>= 1;
    halvings++;
  }
  containerless.respond({ n: n, collatz: collatz(n), digits: digits(n), halvings: halvings, guard: guard });
});
