// Object and array literals: computed keys, shorthand, methods, numeric keys; property reads,
// writes and deletes with dynamic keys; JSON output order.
const containerless = require('containerless');

containerless.listen(function (req) {
  const key = String(req.query.key || 'k');
  const value = req.query.value;
  const obj = { [key]: value, ['fixed' + 1]: 1, shorthand: key, 3: 'three', 1: 'one', method() { return 'm'; } };
  obj.added = true;
  obj[key + '2'] = obj[key];
  const arr = [1, , 3];
  arr[5] = 6;
  arr.length = 7;
  const nested = { a: { b: { c: [1, { d: 'deep' }] } } };
  nested.a.b.c[1].d += '!';
  nested.a['x-y'] = 'dash';
  delete obj.fixed1;
  const sparse = [];
  sparse[2] = 'z';
  containerless.respond({ obj: obj, method: obj.method(), keys: Object.keys(obj), arr: arr, arrLen: arr.length, nested: nested, sparse: sparse, missing: obj.nothing, strIndex: key[0], strLen: key.length });
});
