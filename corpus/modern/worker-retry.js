// A Cloudflare Worker as people write an aggregator today: fetches to a backend in parallel with
// `Promise.allSettled` over `map(async …)`, a retry helper with a timer-based backoff, a timeout race
// with `Promise.race`, and `for await` over the settled results.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function withRetry(fn, { tries = 3, base = 2 } = {}) {
  let lastError;
  for (let attempt = 1; attempt <= tries; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      lastError = e;
      if (attempt < tries) await sleep(base * 2 ** (attempt - 1));
    }
  }
  throw new Error(`gave up after ${tries} tries: ${lastError.message}`, { cause: lastError });
}

function timeout(ms, what) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms));
}

async function account(backend, id, flaky) {
  return withRetry(async (attempt) => {
    if (flaky && attempt < 2) throw new Error(`transient failure for ${id}`);
    const res = await fetch(`${backend}/accounts/${encodeURIComponent(id)}`);
    if (!res.ok) throw new Error(`HTTP ${res.status} for ${id}`);
    return res.json();
  });
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const backend = request.headers.get('x-backend');
    const ids = (url.searchParams.get('ids') ?? '').split(',').map((s) => s.trim()).filter(Boolean).slice(0, 4);
    const flaky = url.searchParams.has('flaky');
    if (!ids.length) return Response.json({ error: 'ids=a,b,…' }, { status: 400 });
    const settled = await Promise.allSettled(ids.map((id) => Promise.race([account(backend, id, flaky), timeout(5000, id)])));
    const out = { total: 0, accounts: [], errors: [] };
    for await (const [i, r] of settled.map((r, i) => [i, r])) {
      if (r.status === 'fulfilled') {
        out.accounts.push({ id: ids[i], balance: r.value.balance });
        out.total += r.value.balance;
      } else out.errors.push({ id: ids[i], error: r.reason.message });
    }
    return Response.json(out, { headers: { 'x-count': String(out.accounts.length) } });
  },
};
