// Several outbound calls in sequence, each continuation depending on the previous answer, with
// get, post, put and delete; responds from the innermost callback.
const containerless = require('containerless');

containerless.listen(function (req) {
  const backend = req.headers['x-backend'] || 'http://127.0.0.1:7999';
  const n = Math.max(1, Math.min(5, parseInt(req.query.n, 10) || 1));
  const item = String(req.query.item || 'thing');
  const seen = [];
  function step(i) {
    if (i === n) {
      containerless.put({ url: backend + '/items/' + item, body: { steps: seen } }, function (put) {
        containerless.delete(backend + '/items/' + item, function (del) {
          containerless.respond({ seen: seen, put: put, deleted: del.deleted });
        });
      });
      return;
    }
    containerless.get(backend + '/status?service=' + item + i, function (st) {
      seen.push(st.service + ':' + (st.up ? 'up' : 'down'));
      step(i + 1);
    });
  }
  step(0);
});
