// Uses regular expression literals, which the accelerator does not support: every request that
// reaches one must abort cleanly (never answer wrongly); the rest run accelerated.
const containerless = require('containerless');

containerless.listen(function (req) {
  const s = String(req.query.s || '');
  if (req.path === '/plain') {
    containerless.respond({ length: s.length, upper: s.toUpperCase() });
    return;
  }
  const words = s.split(/[^a-z]+/i).filter((w) => w.length > 0);
  containerless.respond({ words: words, digits: /\d/.test(s) });
});
