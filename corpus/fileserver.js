// Paper benchmark "file server": a path-to-handler table over an in-memory file tree.
const containerless = require('containerless');

const files = {
  'index.html': '<h1>Welcome</h1>',
  'about.txt': 'Containerless corpus file server',
  'data/users.json': '[{"id":1,"name":"ada"},{"id":2,"name":"lin"}]',
  'data/config.json': '{"debug":false,"level":3}',
  'notes/todo.md': '- write tests\n- ship',
};

function contentType(name) {
  const dot = name.lastIndexOf('.');
  const ext = dot < 0 ? '' : name.slice(dot + 1);
  switch (ext) {
    case 'html': return 'text/html';
    case 'json': return 'application/json';
    case 'md':
    case 'txt': return 'text/plain';
    default: return 'application/octet-stream';
  }
}

function list(prefix) {
  return Object.keys(files).filter(function (name) { return name.startsWith(prefix); }).sort();
}

const routes = [
  { prefix: '/files/', handler: function (rest) {
    if (!files.hasOwnProperty(rest)) return { status: 404, body: { error: 'no such file', name: rest } };
    return { status: 200, body: files[rest], headers: { 'x-type': contentType(rest) } };
  } },
  { prefix: '/list/', handler: function (rest) { return { status: 200, body: list(rest) }; } },
  { prefix: '/size/', handler: function (rest) {
    const f = files[rest];
    return typeof f === 'string' ? { status: 200, body: { name: rest, size: f.length } } : { status: 404, body: { error: 'no such file' } };
  } },
  { prefix: '/stats', handler: function () {
    let total = 0;
    for (const name in files) total += files[name].length;
    return { status: 200, body: { files: Object.keys(files).length, bytes: total } };
  } },
];

containerless.listen(function (req) {
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i];
    if (req.path.startsWith(route.prefix)) {
      const out = route.handler(req.path.slice(route.prefix.length));
      containerless.respond(out.body, { status: out.status, headers: out.headers });
      return;
    }
  }
  containerless.respond({ error: 'no route', path: req.path }, { status: 404 });
});
