// for...in over objects and arrays: property order (integer keys first, then insertion order),
// deleted keys and keys added during the loop.
const containerless = require('containerless');

containerless.listen(function (req) {
  const body = typeof req.body === 'object' && req.body !== null ? req.body : {};
  const seen = [];
  for (const k in body) seen.push(k + '=' + typeof body[k]);
  const mixed = { b: 1, 10: 'x', a: 2, 2: 'y', '-1': 'z', '01': 'w' };
  const order = [];
  for (const k in mixed) order.push(k);
  const arr = ['p', 'q'];
  const idx = [];
  for (const i in arr) idx.push(typeof i + i);
  const obj = { x: 1, y: 2, z: 3 };
  const visited = [];
  for (const k in obj) {
    if (k === 'x') delete obj.y;
    visited.push(k);
  }
  containerless.respond({ seen: seen, order: order, idx: idx, visited: visited, nested: Object.keys(body).length });
});
