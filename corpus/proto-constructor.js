// Constructor functions with prototype methods, as older code writes them: `new`, prototype
// inheritance through call, `arguments`, `this` in callbacks and `instanceof`.
const containerless = require('containerless');

function Counter(name, start) {
  this.name = name;
  this.value = start || 0;
}
Counter.prototype.add = function () {
  for (let i = 0; i < arguments.length; i++) this.value += Number(arguments[i]) || 0;
  return this;
};
Counter.prototype.report = function () {
  return this.name + '=' + this.value;
};

function BoundedCounter(name, start, max) {
  Counter.call(this, name, start);
  this.max = max;
}
BoundedCounter.prototype = new Counter('proto');
BoundedCounter.prototype.add = function () {
  for (let i = 0; i < arguments.length; i++) this.value = Math.min(this.max, this.value + (Number(arguments[i]) || 0));
  return this;
};

function Tally() {
  this.counts = {};
}
Tally.prototype.count = function (words) {
  const self = this;
  words.forEach(function (w) {
    self.counts[w] = (self.counts[w] || 0) + 1;
  });
  words.forEach((w) => {
    this.last = w;
  });
  return this;
};

containerless.listen(function (req) {
  const nums = (req.query.nums || '').split(',').filter(function (s) { return s !== ''; });
  const c = new Counter('c', Number(req.query.start) || 0);
  c.add.apply(c, nums);
  const b = new BoundedCounter('b', 0, Number(req.query.max) || 10);
  b.add(nums[0], nums[1], nums[2]);
  const t = new Tally().count(nums);
  containerless.respond({
    c: c.report(),
    b: b.report(),
    isCounter: b instanceof Counter,
    isBounded: c instanceof BoundedCounter,
    counts: t.counts,
    last: t.last === undefined ? null : t.last,
  });
});
