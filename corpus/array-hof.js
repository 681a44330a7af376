// Higher-order Array methods with callbacks that use the index and array arguments.
const containerless = require('containerless');

containerless.listen(function (req) {
  const xs = Array.isArray(req.body) ? req.body.filter(function (v) { return typeof v === 'number'; }) : [];
  const threshold = Number(req.query.t) || 0;
  let visits = 0;
  xs.forEach(function (x, i, all) { visits += all.length - i; });
  containerless.respond({
    doubled: xs.map(function (x) { return x * 2; }),
    indexed: xs.map((x, i) => x + ':' + i),
    above: xs.filter((x) => x > threshold),
    sum: xs.reduce((a, b) => a + b, 0),
    product: xs.reduce((a, b) => a * b, 1),
    rightConcat: xs.reduceRight((acc, x) => acc + String(x), ''),
    first: xs.find((x) => x > threshold),
    firstIndex: xs.findIndex((x) => x > threshold),
    some: xs.some((x) => x < 0),
    every: xs.every((x) => Number.isInteger(x)),
    visits: visits,
    flatMapped: xs.flatMap((x) => [x, -x]).slice(0, 6),
    includes: xs.includes(threshold),
    indexOf: xs.indexOf(threshold),
    chained: xs.filter((x) => x % 2 === 0).map((x) => x / 2).reduce((a, b) => a + b, 0),
  });
});
