// for...of over arrays, strings and Object.entries, with destructuring heads.
const containerless = require('containerless');

containerless.listen(function (req) {
  const text = String(req.query.text || '');
  const counts = {};
  for (const ch of text) counts[ch] = (counts[ch] || 0) + 1;
  const pairs = [];
  for (const [ch, count] of Object.entries(counts)) {
    if (count > 1) pairs.push(ch + count);
  }
  const list = Array.isArray(req.body) ? req.body : [];
  let total = 0;
  let strings = 0;
  for (const item of list) {
    if (typeof item === 'number') total += item;
    else if (typeof item === 'string') strings++;
    else continue;
  }
  let last;
  for (last of [1, 2, 3]);
  containerless.respond({ distinct: Object.keys(counts).length, repeated: pairs, total: total, strings: strings, last: last });
});
