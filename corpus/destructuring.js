// Array and object destructuring: nesting, defaults, renames, holes, rest elements and swaps.
const containerless = require('containerless');

containerless.listen(function (req) {
  const body = typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? req.body : {};
  const { user: { name = 'anon', roles = [] } = {}, id: userId = -1, ...others } = body;
  const [first, , third = 'none', ...tail] = Array.isArray(body.list) ? body.list : [];
  let a = 1;
  let b = 2;
  [a, b] = [b, a];
  let p, q;
  ({ p, q = 'dq' } = { p: 'pp' });
  const pairs = [[1, 'one'], [2, 'two']].map(function ([n, word]) { return word + n; });
  const { length } = String(req.query.s || '');
  containerless.respond({ name: name, roles: roles, userId: userId, others: Object.keys(others), first: first, third: third, tail: tail, swapped: [a, b], pq: [p, q], pairs: pairs, length: length });
});
