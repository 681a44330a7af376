// Higher-order functions: compose, curry, pipelines of arrows, functions stored in objects and
// arrays, callbacks invoked later.
const containerless = require('containerless');

const compose = (...fns) => (x) => fns.reduceRight((acc, f) => f(acc), x);
const curry = (f) => (a) => (b) => (c) => f(a, b, c);
const twice = (f) => (x) => f(f(x));
const ops = {
  inc: (x) => x + 1,
  dbl: (x) => x * 2,
  neg: (x) => -x,
  sq: function (x) { return x * x; },
};

function runLater(tasks) {
  const results = [];
  const queue = tasks.slice();
  while (queue.length > 0) {
    const t = queue.shift();
    results.push(t());
  }
  return results;
}

containerless.listen(function (req) {
  const names = String(req.query.ops || 'inc').split(',').filter((n) => ops.hasOwnProperty(n));
  const x = Number(req.query.x) || 0;
  const pipeline = compose(...names.map((n) => ops[n]));
  const add3 = curry(function (a, b, c) { return a + b + c; });
  const tasks = names.map(function (n, i) { return function () { return n + i; }; });
  containerless.respond({
    names: names,
    composed: pipeline(x),
    twice: twice(pipeline)(x),
    curried: add3(x)(1)(2),
    later: runLater(tasks),
    applied: [ops.inc, ops.sq].map((f) => f(x)),
  });
});
