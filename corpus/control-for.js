// Classic for loops whose counts come from the request (tests go beyond traced counts), with
// continue, break, several declarations and an empty body.
const containerless = require('containerless');

containerless.listen(function (req) {
  const n = Math.min(5000, Math.max(0, parseInt(req.query.n, 10) || 0));
  let sum = 0;
  let evens = 0;
  for (let i = 0, j = n; i < j; i++, j--) {
    sum += i * j;
  }
  for (let k = 0; k < n; k++) {
    if (k % 2) continue;
    evens++;
    if (evens > 1000) break;
  }
  let p = 1;
  for (; p < n; p *= 2);
  const closures = [];
  for (let k = 0; k < 3; k++) closures.push(function () { return k; });
  var v = 0;
  for (var w = 0; w < 3; w++) v += w;
  containerless.respond({ n: n, sum: sum, evens: evens, pow2: p, captured: closures.map(function (f) { return f(); }), varLeak: w, v: v });
});
