// Loose and strict equality and relational comparison across a table of awkward values.
const containerless = require('containerless');

const samples = [0, -0, 1, '0', '', '1', 'abc', null, undefined, true, false, NaN, [], [0], '  1  '];

function label(v) {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number' && v !== v) return 'NaN';
  return typeof v === 'string' ? '"' + v + '"' : JSON.stringify(v);
}

containerless.listen(function (req) {
  const i = Math.abs(parseInt(req.query.i, 10) || 0) % samples.length;
  const a = samples[i];
  const row = [];
  for (let j = 0; j < samples.length; j++) {
    const b = samples[j];
    row.push(label(b) + ':' + (a == b ? 'L' : '-') + (a === b ? 'S' : '-') + (a != b ? 'n' : '-') + (a !== b ? 'N' : '-') + (a < b ? '<' : '') + (a >= b ? '>=' : ''));
  }
  const q = req.query.v;
  containerless.respond({
    value: label(a),
    row: row.join(' '),
    queryLoose: [q == 0, q == '', q == null, q == undefined, q == true, q === undefined],
    strings: ['a' < 'b', 'B' < 'a', '10' < '9', 10 < 9, '10' < 9],
  });
});
