// The common String methods on request text.
const containerless = require('containerless');

containerless.listen(function (req) {
  const s = String(req.query.s || '');
  const sep = String(req.query.sep || ',');
  containerless.respond({
    length: s.length,
    upper: s.toUpperCase(),
    lower: s.toLowerCase(),
    trimmed: '  ' + s + ' \t'.trim() + '|' + ('  ' + s + '  ').trim() + '|' + ('  ' + s).trimStart() + '|' + (s + '  ').trimEnd(),
    slice: [s.slice(1), s.slice(-2), s.slice(1, -1), s.substring(2, 0), s.substring(1, 3)],
    index: [s.indexOf(sep), s.lastIndexOf(sep), s.indexOf('a', 2), s.includes(sep), s.startsWith('a'), s.endsWith(sep)],
    chars: [s.charAt(0), s.charCodeAt(0), s.at(-1), s[1]],
    split: s.split(sep),
    splitLimit: s.split(sep, 2),
    splitEmpty: s.split(''),
    join: s.split(sep).join('+'),
    pad: [s.padStart(8, '*'), s.padEnd(8, '-'), String(7).padStart(3, '0')],
    repeat: s.repeat(2),
    replace: [s.replace(sep, ';'), s.replaceAll(sep, ';')],
    concat: s.concat('!', 1, null),
    fromCode: String.fromCharCode(72, 105),
    cmp: [s < 'm', s > sep],
  });
});
