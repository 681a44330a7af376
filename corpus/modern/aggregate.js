// Async fan-out to a backend with Promise.all, allSettled and a timeout race, grouped with Map.
const containerless = require('containerless');

const getJson = (url) => new Promise((resolve) => containerless.get(url, resolve));
const delay = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms));

async function statusOf(backend, service) {
  const st = await getJson(`${backend}/status?service=${service}`);
  if (!st.up) throw new Error(`${service} is down`);
  return st;
}

containerless.listen(async (req) => {
  const backend = req.headers['x-backend'] || 'http://127.0.0.1:7999';
  const names = String(req.query.s ?? 'a,b').split(',').filter(Boolean).slice(0, 5);
  const settled = await Promise.allSettled(names.map((n) => statusOf(backend, n)));
  const byState = new Map([['up', []], ['down', []]]);
  settled.forEach((r, i) => byState.get(r.status === 'fulfilled' ? 'up' : 'down').push(names[i]));
  const first = await Promise.race([delay(1, 'timer'), Promise.resolve('now')]);
  let all;
  try {
    all = (await Promise.all(names.map((n) => statusOf(backend, n)))).length;
  } catch (e) {
    all = e.message;
  }
  containerless.respond({ up: byState.get('up'), down: byState.get('down'), first, all });
});
