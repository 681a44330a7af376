// Every kind of value respond() accepts, status and header options, and "only the first call counts".
const containerless = require('containerless');

containerless.listen(function (req) {
  switch (req.path) {
    case '/string': return containerless.respond('text');
    case '/number': return containerless.respond(Number(req.query.n));
    case '/bool': return containerless.respond(req.query.n === '1');
    case '/null': return containerless.respond(null);
    case '/undefined': return containerless.respond(undefined);
    case '/array': return containerless.respond([1, 'two', null, [3]]);
    case '/object': return containerless.respond({ n: req.query.n }, { status: 201, headers: { 'X-Custom': 'yes', 'X-Num': 5 } });
    case '/twice':
      containerless.respond('first');
      containerless.respond('second');
      return;
    case '/status': return containerless.respond('teapot', { status: 418 });
    case '/badstatus': return containerless.respond('ignored status', { status: 42 });
    default: return containerless.respond({ path: req.path, method: req.method, query: req.query }, { status: 404 });
  }
});
