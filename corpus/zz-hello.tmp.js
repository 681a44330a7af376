const c = require('containerless');
c.listen(function (req) { c.respond({ a: 1 }); });
