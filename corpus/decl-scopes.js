// var hoisting, let/const block scoping, shadowing and function declaration hoisting.
const containerless = require('containerless');

function hoisted() {
  const before = typeof later;
  var later = 1;
  return [before, later, helper()];
  function helper() { return 'hoisted fn'; }
}

containerless.listen(function (req) {
  const x = String(req.query.x || 'outer');
  let shadow = x;
  {
    let shadow = 'inner';
    shadow += '!';
  }
  var counter = 0;
  if (x.length > 3) {
    var counter = x.length;
  }
  const fns = [];
  for (var i = 0; i < 3; i++) fns.push(function () { return i; });
  const lets = [];
  for (let j = 0; j < 3; j++) lets.push(() => j);
  let uninit;
  containerless.respond({ shadow: shadow, counter: counter, hoisted: hoisted(), vars: fns.map((f) => f()), lets: lets.map((f) => f()), uninit: uninit === undefined });
});
