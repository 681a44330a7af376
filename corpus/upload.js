// Paper benchmark "upload": posts the request body to a storage backend and responds with its result.
const containerless = require('containerless');

containerless.listen(function (req) {
  const backend = req.headers['x-backend'] || 'http://127.0.0.1:7999';
  if (req.method !== 'POST') {
    containerless.respond({ error: 'use POST' }, { status: 405 });
    return;
  }
  containerless.post({ url: backend + '/upload', body: req.body, headers: { 'x-file-name': req.query.name || 'unnamed' } }, function (result) {
    if (result === undefined) {
      containerless.respond('upload failed', { status: 502 });
      return;
    }
    containerless.respond({ name: req.query.name || 'unnamed', stored: result.stored, bytes: result.bytes, digest: result.digest, kind: result.kind });
  });
});
