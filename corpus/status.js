// Paper benchmark "status": typeof guards on an untrusted body, then a status lookup on a backend.
const containerless = require('containerless');

function describe(value) {
  if (typeof value === 'string') return 'string of ' + value.length;
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array of ' + value.length;
  if (typeof value === 'object') return 'object with ' + Object.keys(value).length + ' keys';
  return typeof value;
}

containerless.listen(function (req) {
  const backend = req.headers['x-backend'] || 'http://127.0.0.1:7999';
  const body = req.body;
  let service = 'default';
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    if (typeof body.service === 'string' && body.service.length > 0) service = body.service;
    else if (typeof body.service === 'number') service = 'svc' + body.service;
  } else if (typeof body === 'string' && body.length > 0) {
    service = body;
  }
  containerless.get(backend + '/status?service=' + service, function (st) {
    if (typeof st !== 'object' || st === undefined) {
      containerless.respond({ service: service, up: false, body: describe(body) });
      return;
    }
    containerless.respond({ service: st.service, up: st.up === true, slow: st.latency_ms > 100, version: st.version, body: describe(body) });
  });
});
