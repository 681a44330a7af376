// A status page that calls a backend with `get` and summarises its answer.
const containerless = require('containerless');
const backend = process.env.BACKEND || 'http://127.0.0.1:7999';

containerless.listen(function (req) {
  containerless.get(backend + '/status', function (resp, meta) {
    if (resp === undefined) {
      containerless.respond({ up: false }, { status: 503 });
      return;
    }
    const services = resp.services || [];
    let down = 0;
    for (let i = 0; i < services.length; i++) if (!services[i].up) down++;
    containerless.respond({ up: down === 0, services: services.length, down: down, backend_status: meta.status });
  });
});
