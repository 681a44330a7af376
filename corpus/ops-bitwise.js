// Bitwise and shift operators, with ToInt32/ToUint32 wrap-around.
const containerless = require('containerless');

containerless.listen(function (req) {
  const x = parseInt(req.query.x, 10) || 0;
  const y = parseInt(req.query.y, 10) || 0;
  let flags = 0;
  flags |= 1 << (Math.abs(y) % 31);
  flags ^= 0xff;
  flags &= ~2;
  let s = x;
  s <<= 3;
  s >>= 1;
  s >>>= 0;
  containerless.respond({
    and: x & y,
    or: x | y,
    xor: x ^ y,
    not: ~x,
    shl: x << (y & 7),
    sar: x >> (y & 7),
    shr: x >>> (y & 7),
    wrap: (x * 65536 * 65536 + 5) | 0,
    big: 4294967295 | 0,
    unsigned: -1 >>> 0,
    flags: flags,
    compound: s,
    float: 7.9 | 0,
    parity: (x & 1) === 0 ? 'even' : 'odd',
  });
});
