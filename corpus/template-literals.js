// Template literals: interpolation of every kind of value, nesting and multi-line text.
const containerless = require('containerless');

containerless.listen(function (req) {
  const name = req.query.name || 'guest';
  const n = Number(req.query.n);
  const items = ['a', 'b'];
  const nested = `outer ${`inner ${name.toUpperCase()}`} end`;
  const text = `Hello, ${name}! n=${n} half=${n / 2} null=${null} undef=${undefined} arr=${items} obj=${{ a: 1 }} bool=${n > 3}`;
  const multi = `line one
  line two ${items.length}`;
  containerless.respond(`${text}\n${nested}\n${multi}\n${'$'}{not interpolated}`);
});
