// Roman numerals both ways, with lookup tables, while loops and validation.
const containerless = require('containerless');

const table = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
const values = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

function toRoman(n) {
  let out = '';
  for (const [v, s] of table) {
    while (n >= v) {
      out += s;
      n -= v;
    }
  }
  return out;
}

function fromRoman(s) {
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const v = values[s[i]];
    if (v === undefined) return null;
    const next = i + 1 < s.length ? values[s[i + 1]] : 0;
    total += next > v ? -v : v;
  }
  return total;
}

containerless.listen(function (req) {
  if (req.query.roman !== undefined) {
    const r = String(req.query.roman).toUpperCase();
    const n = fromRoman(r);
    containerless.respond({ roman: r, value: n, canonical: n !== null && n > 0 && n < 4000 && toRoman(n) === r });
    return;
  }
  const n = parseInt(req.query.n, 10);
  if (!(n > 0 && n < 4000)) {
    containerless.respond({ error: 'n must be in 1..3999' }, { status: 400 });
    return;
  }
  containerless.respond({ n: n, roman: toRoman(n) });
});
