// Uncaught exceptions become a 500 whose body names the error exactly as Node does.
const containerless = require('containerless');

containerless.listen(function (req) {
  const kind = req.query.kind;
  if (kind === 'throw') throw new Error('deliberate failure ' + req.query.n);
  if (kind === 'type') {
    const obj = null;
    return obj.field;
  }
  if (kind === 'range') throw new RangeError('out of range');
  if (kind === 'string') throw 'a plain string';
  if (kind === 'number') throw 42;
  if (kind === 'object') throw { code: 7 };
  if (kind === 'call') {
    const notFn = req.query;
    notFn.run();
  }
  if (kind === 'undef') {
    const u = undefined;
    return u.x;
  }
  containerless.respond('fine ' + kind);
});
