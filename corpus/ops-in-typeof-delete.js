// The `in`, `typeof` and `delete` operators on objects, arrays and primitives.
const containerless = require('containerless');

containerless.listen(function (req) {
  const key = String(req.query.key || 'a');
  const obj = { a: 1, b: undefined, c: null, 2: 'two' };
  const arr = [10, 20, 30];
  const before = [key in obj, 'b' in obj, 2 in obj, '2' in obj, 1 in arr, 5 in arr, 'length' in arr];
  const deleted = delete obj[key];
  const deletedMissing = delete obj.nothing;
  const after = key in obj;
  const types = [typeof 1, typeof 'x', typeof true, typeof undefined, typeof null, typeof {}, typeof [], typeof function () {}, typeof undeclaredName, typeof obj.c, typeof obj[key]];
  delete arr[1];
  containerless.respond({
    key: key,
    before: before,
    deleted: deleted,
    deletedMissing: deletedMissing,
    after: after,
    keys: Object.keys(obj),
    types: types,
    arr: arr,
    holes: arr.length + ':' + (1 in arr),
    bodyType: typeof req.body,
  });
});
