// Global state kept across requests by a warm instance: a request counter and a running total.
// With re-execution semantics this is per instance, as in a container (CONTRACT §1).
const containerless = require('containerless');

let requests = 0;
let total = 0;
const seenPaths = {};

containerless.listen(function (req) {
  requests++;
  const add = Number(req.query.add) || 0;
  total += add;
  seenPaths[req.path] = (seenPaths[req.path] || 0) + 1;
  containerless.respond({ requests: requests, total: total, thisPath: seenPaths[req.path], distinctPaths: Object.keys(seenPaths).length });
});
