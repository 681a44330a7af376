// JSON.parse of text in the body and JSON.stringify with indentation, nested values, undefined,
// non-finite numbers and negative zero.
const containerless = require('containerless');

containerless.listen(function (req) {
  const text = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    containerless.respond({ error: e.name }, { status: 400 });
    return;
  }
  const indent = Math.min(4, Math.max(0, parseInt(req.query.indent, 10) || 0));
  containerless.respond({
    type: Array.isArray(parsed) ? 'array' : parsed === null ? 'null' : typeof parsed,
    roundTrip: JSON.stringify(parsed),
    pretty: JSON.stringify(parsed, null, indent),
    specials: JSON.stringify([undefined, NaN, Infinity, -0, 1e21, 1e-7, 0.1 + 0.2, function () {}]),
    objSpecials: JSON.stringify({ u: undefined, n: null, f: function () {}, nested: { deep: [1, 'two'] } }),
    strings: JSON.stringify('quote " backslash \\ newline \n tab \t unicode \u00e9 \u0001'),
    top: [JSON.stringify(undefined) === undefined, JSON.stringify(null), JSON.stringify(true)],
  });
});
