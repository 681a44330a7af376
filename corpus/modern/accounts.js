// A service class with async methods using this: private state, a subclass whose async methods call
// super's, an async object-literal helper and a generator method over what was loaded.
const containerless = require('containerless');

class AccountClient {
  #backend;
  #calls = 0;
  constructor(backend) {
    this.#backend = backend;
    this.cache = {};
  }
  get calls() {
    return this.#calls;
  }
  async fetchJson(path) {
    this.#calls++;
    return await new Promise((resolve) => containerless.get(`${this.#backend}${path}`, resolve));
  }
  async balance(id) {
    if (id in this.cache) return this.cache[id];
    const acct = await this.fetchJson(`/accounts/${encodeURIComponent(id)}`);
    this.cache[id] = acct.balance;
    return acct.balance;
  }
  *entries() {
    for (const id of Object.keys(this.cache)) yield [id, this.cache[id]];
  }
}

class AuditedClient extends AccountClient {
  constructor(backend) {
    super(backend);
    this.log = [];
  }
  async balance(id) {
    const b = await super.balance(id);
    this.log.push(`${id}:${b}`);
    return b;
  }
}

const report = {
  currency: 'EUR',
  async summarise(client, ids) {
    const balances = await Promise.all(ids.map((id) => client.balance(id)));
    const total = balances.reduce((a, b) => a + b, 0);
    return { total: `${total} ${this.currency}`, max: Math.max(...balances, 0) };
  },
};

containerless.listen(async (req) => {
  const backend = req.headers['x-backend'] || 'http://127.0.0.1:7999';
  const ids = String(req.query.ids ?? 'a').split(',').filter(Boolean).slice(0, 5);
  const client = req.query.audit === '1' ? new AuditedClient(backend) : new AccountClient(backend);
  try {
    const summary = await report.summarise(client, ids);
    const again = ids.length > 0 ? await client.balance(ids[0]) : null;
    containerless.respond({ ...summary, again, calls: client.calls, entries: [...client.entries()], log: client.log ?? null });
  } catch (e) {
    containerless.respond({ error: String(e && e.message) });
  }
});
