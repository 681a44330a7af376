// Built-in TypeError messages caught and reported: they must match Node's text exactly.
const containerless = require('containerless');

function attempt(f) {
  try {
    return 'ok:' + JSON.stringify(f());
  } catch (e) {
    return e.name + ':' + e.message;
  }
}

containerless.listen(function (req) {
  const k = String(req.query.k || 'a');
  const objs = { a: null, b: undefined, c: {}, d: 5, e: 'str' };
  const v = objs[k];
  containerless.respond([
    attempt(function () { return v.prop; }),
    attempt(function () { return v[k]; }),
    attempt(function () { return v(); }),
    attempt(function () { v.prop = 1; return v; }),
    attempt(function () { return JSON.parse('{bad'); }),
    attempt(function () { return new Array(-1); }),
    attempt(function () { return (1.5).toFixed(200); }),
    attempt(function () { return 'x'.repeat(-1); }),
  ]);
});
