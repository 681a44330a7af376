// Logical operators return operands, not booleans; comparisons of strings, numbers and mixed values.
const containerless = require('containerless');

containerless.listen(function (req) {
  const a = req.query.a;
  const b = req.query.b;
  const na = Number(a);
  const nb = Number(b);
  containerless.respond({
    andOr: [a && b, a || b, !a, !!b, (a && 'yes') || 'no'],
    strCmp: [a < b, a > b, a <= b, a >= b],
    numCmp: [na < nb, na > nb, na <= nb, na >= nb],
    mixedCmp: [a < nb, na > b, null >= 0, undefined >= 0, null == 0],
    ternary: na > nb ? 'first' : na < nb ? 'second' : 'tie',
    comma: (na, nb, 'last'),
    voided: void 0 === undefined,
  });
});
