// Arithmetic operators on numbers and on the strings a request carries: + - * / % ** and unary ops,
// with JavaScript's coercions (string concatenation, NaN, Infinity, -0).
const containerless = require('containerless');

containerless.listen(function (req) {
  const a = req.query.a;
  const b = req.query.b;
  const x = Number(a);
  const y = Number(b);
  let n = x;
  n += 1;
  n -= 2;
  n *= 3;
  n /= 4;
  let m = y;
  m **= 2;
  m %= 7;
  let i = 0;
  i++;
  ++i;
  i--;
  containerless.respond({
    concat: a + b,
    mixed: a + 1,
    sum: x + y,
    diff: x - y,
    prod: x * y,
    quot: String(x / y),
    rem: String(x % y),
    negRem: String(-x % 3),
    pow: String(x ** 2),
    powNeg: String(2 ** -y),
    unary: [String(-x), String(+a), String(-(x - x))],
    compound: [String(n), String(m), i],
    strNum: String('3' * '4') + ('10' - 2) + ('5' / 2),
    bools: true + 1 + (false * 3),
    nulls: String(null + 1) + String(undefined + 1),
    objectPlus: [] + {} + [1, 2] + String({ a: 1 }),
  });
});
