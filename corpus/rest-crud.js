// A REST-style in-memory store kept in globals: method and path dispatch, ids, validation.
// State is per warm instance, as in a container.
const containerless = require('containerless');

const store = {};
let nextId = 1;

function reply(status, body) {
  containerless.respond(body, { status: status });
}

const handlers = {
  GET: function (id) {
    if (id === '') return reply(200, Object.keys(store).map((k) => store[k]));
    return store.hasOwnProperty(id) ? reply(200, store[id]) : reply(404, { error: 'no item ' + id });
  },
  POST: function (_id, body) {
    if (typeof body !== 'object' || body === null || typeof body.name !== 'string') return reply(400, { error: 'name required' });
    const item = { id: String(nextId++), name: body.name, tags: Array.isArray(body.tags) ? body.tags.slice(0, 3) : [] };
    store[item.id] = item;
    return reply(201, item);
  },
  PUT: function (id, body) {
    if (!store.hasOwnProperty(id)) return reply(404, { error: 'no item ' + id });
    Object.assign(store[id], typeof body === 'object' && body !== null ? { name: String(body.name) } : {});
    return reply(200, store[id]);
  },
  DELETE: function (id) {
    const existed = store.hasOwnProperty(id);
    delete store[id];
    return reply(existed ? 200 : 404, { deleted: existed });
  },
};

containerless.listen(function (req) {
  const parts = req.path.split('/').filter((p) => p !== '');
  if (parts[0] !== 'items') return reply(404, { error: 'unknown resource' });
  const handler = handlers[req.method];
  if (handler === undefined) return reply(405, { error: 'method not allowed' });
  handler(parts[1] || '', req.body);
});
