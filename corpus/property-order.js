// Property order: integer-like keys first in ascending order, then strings in insertion order,
// through delete and re-add, Object.assign, spread, JSON and for-in.
const containerless = require('containerless');

containerless.listen(function (req) {
  const body = typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? req.body : {};
  const o = {};
  for (const k of Object.keys(body)) o[k] = body[k];
  const removeKey = String(req.query.remove ?? '');
  delete o[removeKey];
  o[removeKey] = 'readded';
  o['4294967294'] = 'max index';
  o['4294967295'] = 'not an index';
  o['-0'] = 'minus zero';
  o['1.0'] = 'float';
  o[7] = 'seven';
  const forIn = [];
  for (const k in o) forIn.push(k);
  const copy = Object.assign({ z: 1, 3: 3 }, o);
  const spread = { ...o, a: 'last?' };
  containerless.respond({ keys: Object.keys(o), forIn: forIn, json: JSON.stringify(o), copy: Object.keys(copy), spread: Object.keys(spread), entries: Object.entries(o).length, values: Object.values(o).slice(0, 3) });
});
