// A regular-expression router with named groups over a class-based in-memory store, async handlers.
const containerless = require('containerless');

class NotFound extends Error {
  constructor(what) {
    super(`${what} not found`);
    this.status = 404;
  }
}

class Store {
  #items = new Map();
  #next = 1;
  get size() {
    return this.#items.size;
  }
  add(name, tags = []) {
    const id = String(this.#next++);
    const item = { id, name, tags: [...new Set(tags)].sort() };
    this.#items.set(id, item);
    return item;
  }
  find(id) {
    const item = this.#items.get(id);
    if (!item) throw new NotFound(`item ${id}`);
    return item;
  }
  remove(id) {
    this.find(id);
    this.#items.delete(id);
    return { deleted: id, left: this.size };
  }
  list({ tag } = {}) {
    const all = [...this.#items.values()];
    return tag ? all.filter((i) => i.tags.includes(tag)) : all;
  }
}

const store = new Store();
const routes = [
  ['GET', /^\/items\/?$/, async (req) => store.list(req.query)],
  ['GET', /^\/items\/(?<id>\d+)$/, async (req, { id }) => store.find(id)],
  ['POST', /^\/items\/?$/, async (req) => {
    const { name, tags } = req.body ?? {};
    if (typeof name !== 'string' || !/^[a-z][a-z0-9-]{0,15}$/i.test(name)) return [400, { error: 'bad name' }];
    return [201, store.add(name, Array.isArray(tags) ? tags.map(String) : [])];
  }],
  ['DELETE', /^\/items\/(?<id>\d+)$/, async (req, { id }) => store.remove(id)],
];

containerless.listen(async (req) => {
  try {
    for (const [method, pattern, handler] of routes) {
      const m = pattern.exec(req.path);
      if (m && method === req.method) {
        const out = await handler(req, m.groups ?? {});
        const [status, body] = Array.isArray(out) && typeof out[0] === 'number' ? out : [200, out];
        return containerless.respond(body, { status });
      }
    }
    containerless.respond({ error: `no route for ${req.method} ${req.path}` }, { status: 404 });
  } catch (e) {
    containerless.respond({ error: e.message }, { status: e.status ?? 500 });
  }
});
