// A paper-style function written as people write Node today: an async handler, a regular-expression
// router, a class, a Map and `fetch`. Runs in containers; what does not accelerate yet is listed by
// `containerless deploy` ("acceleration_blockers" in `GET /api/functions/NAME`).
const { listen, respond } = require('containerless');
const backend = process.env.BACKEND || 'http://127.0.0.1:7999';

class WordCounter {
  constructor(text) {
    this.counts = new Map();
    for (const word of text.toLowerCase().match(/[a-z']+/g) || []) this.counts.set(word, (this.counts.get(word) || 0) + 1);
  }
  top(n) {
    return [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
  }
}

const routes = [
  [/^\/services\/([a-z]+)$/, async (m) => {
    const res = await fetch(`${backend}/status`);
    const { services } = await res.json();
    const service = services.find((s) => s.name === m[1]);
    return service ? { status: 200, body: { name: service.name, up: service.up } } : { status: 404, body: { error: `no service ${m[1]}` } };
  }],
  [/^\/words\/(\d+)$/, async (m, req) => ({ status: 200, body: { top: new WordCounter(String(req.body)).top(Number(m[1])) } })],
];

listen(async (req) => {
  for (const [pattern, route] of routes) {
    const m = pattern.exec(req.path);
    if (m) {
      const { status, body } = await route(m, req);
      return respond(body, { status });
    }
  }
  respond({ error: `no route for ${req.path}` }, { status: 404 });
});
