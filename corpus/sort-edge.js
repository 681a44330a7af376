// Array.prototype.sort at its edges: default (string) order of numbers, undefined and holes,
// comparators that return booleans, NaN or strings, and stability of long arrays.
const containerless = require('containerless');

containerless.listen(function (req) {
  const xs = Array.isArray(req.body) ? req.body.slice() : [];
  const mode = String(req.query.mode ?? 'default');
  let out;
  if (mode === 'default') out = xs.slice().sort();
  else if (mode === 'numeric') out = xs.slice().sort((a, b) => a - b);
  else if (mode === 'bool') out = xs.slice().sort((a, b) => a > b);
  else if (mode === 'string') out = xs.slice().sort((a, b) => String(a) < String(b) ? '-1' : '1');
  else if (mode === 'undefined') out = xs.concat([undefined, undefined]).sort();
  else if (mode === 'stable') {
    const tagged = xs.map((x, i) => ({ key: typeof x === 'number' ? x % 3 : 0, i: i }));
    out = tagged.sort((a, b) => a.key - b.key).map((t) => t.i);
  } else out = xs.slice().reverse();
  containerless.respond({ mode: mode, out: out, original: xs, sortedInPlace: xs.sort() === xs });
});
