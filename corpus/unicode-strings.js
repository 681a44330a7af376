// Strings beyond ASCII: surrogate pairs, case mapping that changes length, code points vs code
// units, and index arithmetic at the edges.
const containerless = require('containerless');

containerless.listen(function (req) {
  const s = typeof req.body === 'string' ? req.body : String(req.query.s ?? '');
  const i = parseInt(req.query.i, 10) || 0;
  const points = [...s];
  containerless.respond({
    length: s.length,
    points: points.length,
    upper: s.toUpperCase(),
    lower: s.toLowerCase(),
    reversedUnits: s.split('').reverse().join('') === s,
    reversedPoints: points.reverse().join(''),
    codes: [s.charCodeAt(i), s.codePointAt(i), s.charAt(i), s[i], s.at(i)],
    slices: [s.slice(i), s.slice(-i), s.substring(i, -1), s.substr(i, 2), s.slice(i, i + 1)],
    find: [s.indexOf('é'), s.indexOf('', i), s.lastIndexOf('a', i), s.includes('😀')],
    pads: [s.padStart(12, 'ab'), s.padEnd(3, '😀'), 'x'.padStart(i, '')],
    trims: [('\u00a0' + s + '\u2003').trim(), ('\ufeff' + s).trim().length],
    fromCodes: String.fromCharCode(0xd83d, 0xde00, 233) + String.fromCodePoint(0x1f600, 97),
    compare: [s < 'é', s > 'Z', 'ä' < 'z', '😀' > '\uffff'],
    splitLimit: s.split('', i),
    repeat: s.repeat(Math.min(3, Math.abs(i))),
  });
});
