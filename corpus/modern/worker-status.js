// A Cloudflare Workers module as people write one today: `fetch(request, env, ctx)`, URL and
// URLSearchParams, Headers, fetch to a backend in parallel, Response.json, and ctx.waitUntil.
const SERVICES = ['api', 'db', 'queue', 'auth', 'search'];

const pick = (params) => {
  const asked = params.getAll('service').flatMap((s) => s.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean);
  const known = asked.filter((s) => SERVICES.includes(s));
  return { known: [...new Set(known)], unknown: asked.filter((s) => !SERVICES.includes(s)) };
};

async function probe(backend, service) {
  const res = await fetch(`${backend}/status?service=${encodeURIComponent(service)}`);
  if (!res.ok) return { service, up: false, error: res.status };
  const { up, latency_ms: latency, version } = await res.json();
  return { service, up, latency, version };
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const backend = request.headers.get('x-backend');
    if (url.pathname === '/health') return new Response('ok\n', { headers: { 'content-type': 'text/plain' } });
    if (url.pathname !== '/status') return Response.json({ error: 'not found', path: url.pathname }, { status: 404 });
    if (request.method !== 'GET') return new Response(null, { status: 405, headers: { allow: 'GET' } });
    const { known, unknown } = pick(url.searchParams);
    if (known.length === 0) return Response.json({ error: 'name at least one service', unknown }, { status: 400 });
    const results = await Promise.all(known.map((s) => probe(backend, s)));
    const down = results.filter((r) => !r.up).map((r) => r.service);
    const slowest = results.reduce((a, b) => ((b.latency ?? 0) > (a.latency ?? 0) ? b : a));
    ctx.waitUntil(Promise.resolve(results.length));
    const headers = new Headers({ 'cache-control': 'no-store' });
    if (down.length) headers.set('x-down', down.join(','));
    return Response.json({ ok: down.length === 0, results, slowest: slowest.service, unknown }, { status: down.length ? 503 : 200, headers });
  },
};
