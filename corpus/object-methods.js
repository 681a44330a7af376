// Object.keys / values / entries / assign / fromEntries, hasOwnProperty and JSON output order.
const containerless = require('containerless');

containerless.listen(function (req) {
  const body = typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? req.body : {};
  const defaults = { color: 'blue', size: 2, 9: 'nine' };
  const merged = Object.assign({}, defaults, body, { stamp: 'v1' });
  const inverted = {};
  for (const [k, v] of Object.entries(merged)) inverted[String(v)] = k;
  const upper = Object.fromEntries(Object.entries(body).map(function (e) { return [e[0].toUpperCase(), e[1]]; }));
  containerless.respond({
    keys: Object.keys(merged),
    values: Object.values(defaults),
    entries: Object.entries(defaults),
    merged: merged,
    inverted: inverted,
    upper: upper,
    has: [merged.hasOwnProperty('color'), merged.hasOwnProperty('missing'), body.hasOwnProperty('color')],
    spread: { ...defaults, ...body, size: 3 },
    count: Object.keys(body).length,
  });
});
