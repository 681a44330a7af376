// Outbound calls that outlive the response: respond first, then record an audit entry; a
// fire-and-forget call without a callback; and a callback that throws after an outbound call.
const containerless = require('containerless');

containerless.listen(function (req) {
  const backend = req.headers['x-backend'] || 'http://127.0.0.1:7999';
  const user = String(req.query.user || 'anon');
  if (req.path === '/after') {
    containerless.respond({ ok: true, user: user });
    containerless.post({ url: backend + '/upload', body: { audit: user, at: 'after-respond' } }, function () {});
  } else if (req.path === '/forget') {
    containerless.get(backend + '/status?service=' + user);
    containerless.respond('sent and forgot');
  } else if (req.path === '/throw') {
    containerless.get(backend + '/status?service=' + user, function (st) {
      if (st.up) throw new Error('service ' + st.service + ' is up, which this function cannot bear');
      containerless.respond('down: ' + st.service);
    });
  } else {
    containerless.get(backend + '/status?service=' + user, function (st) {
      containerless.respond(st.service);
      containerless.delete(backend + '/items/' + user, function () {});
    });
  }
});
