// The Containerless paper's example: forwards /login to an authentication backend with `post`.
// The backend's URL comes from the function's env (config.env.BACKEND); `containerless demo` starts
// a small loopback backend for it. Outbound calls go through the platform, so this works with
// network "none".
const containerless = require('containerless');
const backend = process.env.BACKEND || 'http://127.0.0.1:7999';

containerless.listen(function (req) {
  if (req.path === '/login') {
    containerless.post({ url: backend + '/login', body: req.body }, function (resp) {
      containerless.respond(resp === undefined ? 'No response.' : resp.ok);
    });
  } else {
    containerless.respond('Unknown command.');
  }
});
