// A Map-based LRU cache in front of a backend, with promisified outbound calls and expiry by Date.
const containerless = require('containerless');

const getJson = (url) => new Promise((resolve) => containerless.get(url, resolve));

class LruCache {
  constructor(limit) {
    this.limit = limit;
    this.entries = new Map();
    this.hits = 0;
    this.misses = 0;
  }
  get(key, now) {
    const entry = this.entries.get(key);
    if (!entry || entry.expires <= now) {
      this.misses++;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits++;
    return entry.value;
  }
  set(key, value, now, ttlMs) {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: now + ttlMs });
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value);
  }
}

const cache = new LruCache(3);
const clock = new Date('2026-01-01T00:00:00Z');

containerless.listen(async (req) => {
  const backend = req.headers['x-backend'] || 'http://127.0.0.1:7999';
  const services = String(req.query.s || 'a').split(',').filter(Boolean).slice(0, 4);
  clock.setUTCSeconds(clock.getUTCSeconds() + Number(req.query.step || 1));
  const now = clock.getTime();
  const results = await Promise.all(services.map(async (s) => {
    const cached = cache.get(s, now);
    if (cached !== undefined) return { s, cached: true, up: cached.up };
    const st = await getJson(`${backend}/status?service=${encodeURIComponent(s)}`);
    cache.set(s, st, now, 5000);
    return { s, cached: false, up: st.up };
  }));
  containerless.respond({ at: clock.toISOString(), results, keys: [...cache.entries.keys()], hits: cache.hits, misses: cache.misses });
});
