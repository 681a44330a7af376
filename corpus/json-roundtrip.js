// JSON.parse and JSON.stringify on text from the request: duplicate keys, __proto__ as a key,
// escapes, numbers at the edges, replacer arrays and indentation strings.
const containerless = require('containerless');

containerless.listen(function (req) {
  const text = typeof req.body === 'string' ? req.body : '{}';
  let v;
  try {
    v = JSON.parse(text);
  } catch (e) {
    containerless.respond({ error: e.name, message: e.message }, { status: 400 });
    return;
  }
  const indent = String(req.query.indent ?? '');
  const keys = typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.keys(v) : [];
  containerless.respond({
    type: Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v,
    keys: keys,
    again: JSON.stringify(v),
    indented: JSON.stringify(v, null, indent),
    picked: JSON.stringify(v, ['a', 'b', '__proto__']),
    hasProto: keys.indexOf('__proto__') >= 0,
  });
});
