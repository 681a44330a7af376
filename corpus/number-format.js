// Number to string and string to number in all their forms, on values from the request: the
// shortest round-trip formatting, exponents, toFixed/toPrecision/toString(radix) rounding.
const containerless = require('containerless');

function safe(f) {
  try {
    return f();
  } catch (e) {
    return e.name + ': ' + e.message;
  }
}

containerless.listen(function (req) {
  const raw = String(req.query.x ?? '0');
  const x = Number(raw);
  const digits = Math.max(0, Math.min(20, parseInt(req.query.d, 10) || 0));
  const radix = Math.max(2, Math.min(36, parseInt(req.query.r, 10) || 10));
  containerless.respond({
    raw: raw,
    str: String(x),
    plus: '' + x,
    tmpl: `${x}`,
    json: JSON.stringify({ x: x, arr: [x, -x, x / 3] }),
    neg: String(-x),
    third: String(x / 3),
    times: String(x * 1e10) + '|' + String(x * 1e-10),
    fixed: safe(() => x.toFixed(digits)),
    precision: safe(() => x.toPrecision(digits + 1)),
    radix: safe(() => x.toString(radix)),
    intRadix: safe(() => Math.trunc(x).toString(radix)),
    parsedInt: [parseInt(raw), parseInt(raw, radix), parseFloat(raw)].map(String),
    rounds: [Math.round(x), Math.floor(x), Math.ceil(x), Math.trunc(x)].map(String),
    isInt: [Number.isInteger(x), Number.isSafeInteger(x), x === Math.floor(x), x % 1],
    cmp: [x > 0, x < 0, x === 0, x === 0 && 1 / x < 0],
  });
});
