// console.log / console.error from the handler and from callbacks (logs are not part of the
// response, but the tracer must not change them).
const containerless = require('containerless');

console.log('starting up');

containerless.listen(function (req) {
  const n = Math.min(5, parseInt(req.query.n, 10) || 0);
  for (let i = 0; i < n; i++) console.log('line', i, { i: i });
  if (req.query.err) console.error('problem:', req.query.err);
  containerless.respond({ logged: n });
});
