// Paper benchmark "login": forwards credentials to an auth backend and answers with its verdict.
const containerless = require('containerless');

containerless.listen(function (req) {
  const backend = req.headers['x-backend'] || 'http://127.0.0.1:7999';
  if (req.path === '/login') {
    const body = req.body;
    if (typeof body !== 'object' || body === null || typeof body.username !== 'string') {
      containerless.respond({ error: 'username required' }, { status: 400 });
      return;
    }
    containerless.post({ url: backend + '/login', body: { username: body.username, password: body.password } }, function (resp, meta) {
      if (resp === undefined) {
        containerless.respond('No response.', { status: 502 });
      } else if (resp.ok) {
        containerless.respond({ welcome: resp.user, token: resp.token });
      } else {
        containerless.respond({ denied: body.username, reason: resp.error, status: meta.status }, { status: 403 });
      }
    });
  } else {
    containerless.respond('Unknown command.');
  }
});
