// Recursion whose depth comes from the request: factorial, mutual recursion, tree building and
// a recursive flatten. Tests use depths beyond those traced.
const containerless = require('containerless');

function fact(n) {
  return n <= 1 ? 1 : n * fact(n - 1);
}

function isEven(n) {
  return n === 0 ? true : isOdd(n - 1);
}
function isOdd(n) {
  return n === 0 ? false : isEven(n - 1);
}

function build(depth) {
  if (depth === 0) return { leaf: true };
  return { left: build(depth - 1), right: depth % 2 === 0 ? build(depth - 2 < 0 ? 0 : depth - 2) : null };
}

function count(node) {
  if (node === null) return 0;
  if (node.leaf) return 1;
  return 1 + count(node.left) + count(node.right);
}

function flatten(list) {
  return list.reduce(function (acc, x) { return acc.concat(Array.isArray(x) ? flatten(x) : [x]); }, []);
}

function sumTo(n) {
  if (n === 0) return 0;
  return n + sumTo(n - 1);
}

containerless.listen(function (req) {
  const depth = Math.max(0, Math.min(400, parseInt(req.query.depth, 10) || 0));
  containerless.respond({
    depth: depth,
    fact: String(fact(Math.min(depth, 170))),
    even: isEven(depth),
    nodes: count(build(Math.min(depth, 14))),
    sum: sumTo(depth),
    flat: flatten(Array.isArray(req.body) ? req.body : [1, [2, [3, [4]]]]),
  });
});
