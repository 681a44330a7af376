// Default parameters (evaluated per call, may refer to earlier ones), rest parameters and spread
// into calls and array literals.
const containerless = require('containerless');

function greet(name = 'world', punct = name.length > 5 ? '!' : '.') {
  return 'hello ' + name + punct;
}

function total(first, ...rest) {
  return rest.reduce(function (a, b) { return a + b; }, first);
}

const describe = (label, ...values) => label + '(' + values.length + '): ' + values.join('|');

function withOptions({ size = 1, color = 'red' } = {}, [x = 0, y = x + 1] = []) {
  return size + color + x + y;
}

containerless.listen(function (req) {
  const nums = Array.isArray(req.body) ? req.body.filter(function (v) { return typeof v === 'number'; }) : [1, 2, 3];
  const name = req.query.name;
  containerless.respond({
    greetDefault: greet(),
    greet: greet(name),
    greetUndef: greet(undefined, '?'),
    total: total(0, ...nums),
    totalSpread: total(...nums, 100),
    describe: describe('nums', ...nums, ...'ab'),
    merged: [0, ...nums, ...[9, 8]],
    max: Math.max(...nums, -Infinity),
    options: [withOptions(), withOptions({ size: 3 }), withOptions({ color: name }, [5])],
  });
});
