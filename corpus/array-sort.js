// sort with comparators (numeric, multi-key, stable), default string sort, and the mutating
// Array methods: push, pop, shift, unshift, splice, reverse, concat, slice, join, fill.
const containerless = require('containerless');

containerless.listen(function (req) {
  const people = Array.isArray(req.body) ? req.body.filter(function (p) { return typeof p === 'object' && p !== null; }) : [];
  const byAge = people.slice().sort(function (a, b) { return (a.age || 0) - (b.age || 0); });
  const byNameThenAge = people.slice().sort(function (a, b) {
    const an = String(a.name);
    const bn = String(b.name);
    if (an < bn) return -1;
    if (an > bn) return 1;
    return (b.age || 0) - (a.age || 0);
  });
  const nums = people.map(function (p) { return p.age || 0; });
  const defaultSorted = nums.slice().sort();
  const stack = [1, 2, 3];
  stack.push(4, 5);
  const popped = stack.pop();
  const shifted = stack.shift();
  stack.unshift(0);
  const removed = stack.splice(1, 2, 'a', 'b', 'c');
  const rev = stack.slice().reverse();
  containerless.respond({
    byAge: byAge.map(function (p) { return p.name; }),
    byNameThenAge: byNameThenAge.map(function (p) { return p.name + '/' + p.age; }),
    defaultSorted: defaultSorted,
    desc: nums.slice().sort((a, b) => b - a),
    stack: stack,
    popped: popped,
    shifted: shifted,
    removed: removed,
    rev: rev,
    joined: [stack.join(), stack.join(' - '), [null, undefined, 1].join('/')],
    concat: [1].concat([2, [3]], 4),
    filled: new Array(3).fill(0),
    lastIndex: nums.lastIndexOf(nums[0]),
  });
});
