// A Cloudflare Workers module, unchanged: `fetch(request, env, ctx)` gets a WHATWG Request and
// answers with a Response. Web globals (URL, Response.json, TextEncoder, crypto.subtle) are Node's.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/hash' && request.method === 'POST') {
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(await request.text()));
      const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
      return Response.json({ sha256: hex });
    }
    const greeting = env.GREETING || 'Hello';
    return new Response(`${greeting} from ${url.pathname}${url.search}\n`, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
  },
};
