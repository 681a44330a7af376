// Echoes the request back as JSON: method, path, query and the (parsed) body.
const containerless = require('containerless');

containerless.listen(function (req) {
  containerless.respond({ method: req.method, path: req.path, query: req.query, body: req.body });
});
