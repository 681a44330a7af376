// Math functions, Number methods and number-to-string formatting; parseInt and parseFloat.
const containerless = require('containerless');

containerless.listen(function (req) {
  const raw = String(req.query.x || '0');
  const x = parseFloat(raw);
  const i = parseInt(raw, 10);
  const y = Number(raw);
  containerless.respond({
    parsed: [String(x), String(i), String(y), String(parseInt(raw, 16)), String(parseInt('0x1f')), String(parseFloat('3.14abc')), String(parseInt(''))],
    rounding: [Math.floor(x), Math.ceil(x), Math.round(x), Math.trunc(x), Math.sign(x)].map(String),
    math: [Math.abs(x), Math.sqrt(Math.abs(x)), Math.pow(x, 2), Math.max(x, i, 3), Math.min(x, 1), Math.hypot(3, 4)].map(String),
    trig: [Math.PI.toFixed(5), Math.E.toFixed(3), Math.sin(0), Math.cos(0)].map(String),
    logs: [Math.log(1), Math.log2(8), Math.log10(1000), Math.exp(0)].map(String),
    fixed: Number.isFinite(x) && Math.abs(x) < 1e15 ? [x.toFixed(2), x.toFixed(0), x.toPrecision(3)] : [],
    checks: [Number.isInteger(x), Number.isNaN(x), isNaN(raw), Number.isFinite(x), isFinite(raw), Number.isSafeInteger(i)],
    consts: [Number.MAX_SAFE_INTEGER, Number.EPSILON > 0, Number.MIN_SAFE_INTEGER].map(String),
    format: [0.1 + 0.2, 1e21, 1e-7, 123456789012345680000, -0, 2 ** 53 + 1, 1 / 3, 100, 1.5e300 * 1e10].map(String),
    toStr: [(255).toString(16), (255).toString(2), (-7.5).toString(), String(x * 1000)],
    numberOf: [Number(''), Number(' 12 '), Number('1e3'), Number('0b101'), Number(null), Number(undefined), Number(true), Number('12px')].map(String),
  });
});
