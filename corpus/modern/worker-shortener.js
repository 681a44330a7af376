// A Cloudflare Worker as people write a link shortener today: a regexp router with named groups,
// `await request.json()` with a 400 on bad JSON, URL validation with `new URL`, a deterministic short
// code (FNV-1a over the URL with Math.imul), and redirects with Response.redirect.
const ROUTES = [
  { method: 'POST', pattern: /^\/links\/?$/, handler: create },
  { method: 'GET', pattern: /^\/(?<code>[0-9a-z]{4,12})$/i, handler: follow },
  { method: 'GET', pattern: /^\/links\/(?<code>[0-9a-z]+)\/stats$/, handler: stats },
];

const KNOWN = new Map([
  ['home', 'https://example.com/'],
  ['docs', 'https://example.com/docs?lang=en'],
  ['Blog2', 'https://blog.example.org/2024/05/hello-world'],
]);

function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const codeFor = (url) => fnv1a(url).toString(36).padStart(7, '0').slice(-7);

class HttpError extends Error {
  constructor(status, message, details = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.details = details;
  }
}

async function create(request) {
  let body;
  try {
    body = await request.json();
  } catch (e) {
    throw new HttpError(400, 'body must be JSON', { cause: e.name });
  }
  const target = typeof body?.url === 'string' ? body.url.trim() : '';
  let url;
  try {
    url = new URL(target);
  } catch {
    throw new HttpError(422, 'not a URL', { url: target });
  }
  if (!['http:', 'https:'].includes(url.protocol)) throw new HttpError(422, `scheme ${url.protocol} not allowed`);
  url.hash = '';
  const code = body.alias && /^[a-z0-9-]{3,20}$/.test(body.alias) ? body.alias : codeFor(url.href);
  return Response.json({ code, url: url.href, host: url.hostname, short: `/${code}` }, { status: 201, headers: { location: `/${code}` } });
}

function follow(_request, { code }) {
  const target = KNOWN.get(code) ?? KNOWN.get(code.toLowerCase());
  if (!target) throw new HttpError(404, `no link ${code}`);
  return Response.redirect(target, 302);
}

function stats(_request, { code }) {
  const hits = [...code].reduce((n, ch) => n + ch.charCodeAt(0), 0) % 97;
  return Response.json({ code, hits, known: KNOWN.has(code) });
}

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    try {
      for (const route of ROUTES) {
        const m = route.pattern.exec(pathname);
        if (m && route.method === request.method) return await route.handler(request, m.groups ?? {});
      }
      throw new HttpError(404, 'no route', { method: request.method, pathname });
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      return Response.json({ error: e.message, ...e.details }, { status: e.status });
    }
  },
};
