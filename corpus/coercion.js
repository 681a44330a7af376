// Implicit conversions: ToPrimitive of arrays and objects, == across types, relational
// comparison, unary plus, and string concatenation of everything.
const containerless = require('containerless');

const values = [[], [0], [1, 2], [[]], [null], [undefined], {}, '', ' ', '0', '1,2', 'a', 0, -0, 1, NaN, Infinity, null, undefined, true, false];

function show(v) {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return v === 0 && 1 / v < 0 ? '-0' : String(v);
  return JSON.stringify(v);
}

containerless.listen(function (req) {
  const i = Math.abs(parseInt(req.query.i, 10) || 0) % values.length;
  const j = Math.abs(parseInt(req.query.j, 10) || 0) % values.length;
  const a = values[i];
  const b = values[j];
  containerless.respond({
    a: show(a),
    b: show(b),
    plus: show(a + b),
    minus: show(a - b),
    times: show(a * b),
    loose: a == b,
    strict: a === b,
    lt: a < b,
    ge: a >= b,
    unary: [show(+a), show(-a), show(~a), show(!a)],
    str: String(a) + '|' + `${b}`,
    tern: a ? 'truthy' : 'falsy',
  });
});
