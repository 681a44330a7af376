// Outbound answers that are not the happy path: 404s, text bodies, network errors (undefined).
const containerless = require('containerless');

containerless.listen(function (req) {
  const backend = req.headers['x-backend'] || 'http://127.0.0.1:7999';
  const what = req.query.what;
  if (what === 'missing') {
    containerless.get(backend + '/no/such/thing', function (body, meta) {
      containerless.respond({ status: meta.status, body: body }, { status: 502 });
    });
  } else if (what === 'text') {
    containerless.get(backend + '/text?q=' + (req.query.q || ''), function (body, meta) {
      containerless.respond(typeof body + ':' + body + ':' + meta.headers['content-type']);
    });
  } else if (what === 'down') {
    // Port 1 on loopback: nothing listens there, so the callback gets undefined.
    containerless.get('http://127.0.0.1:1/', function (body, meta) {
      containerless.respond({ body: body === undefined ? 'undefined' : body, meta: meta === undefined });
    });
  } else if (what === 'echo') {
    containerless.post({ url: backend + '/echo', body: String(req.query.q || ''), headers: { 'content-type': 'text/plain' } }, function (body) {
      containerless.respond(body);
    });
  } else {
    containerless.respond({ error: 'what?' }, { status: 400 });
  }
});
