// A Cloudflare Worker as people write a session endpoint today: cookies parsed from the Cookie
// header, a signed-looking session in base64 JSON (btoa/atob), several Set-Cookie headers appended,
// closures created in a loop, try/finally ordering, and a redirect with headers.
const parseCookies = (header) =>
  Object.fromEntries(
    (header ?? '')
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const eq = part.indexOf('=');
        return eq < 0 ? [part, ''] : [part.slice(0, eq), decodeURIComponent(part.slice(eq + 1))];
      }),
  );

const encode = (obj) => btoa(JSON.stringify(obj)).replace(/=+$/, '');
function decode(text) {
  try {
    return JSON.parse(atob(text));
  } catch {
    return null;
  }
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const cookies = parseCookies(request.headers.get('cookie'));
    const session = cookies.sid ? decode(cookies.sid) : null;
    const trail = [];
    const steps = [];
    for (let i = 0; i < 3; i++) steps.push(() => `step${i}:${session?.user ?? 'anon'}`);
    try {
      trail.push('try');
      if (url.pathname === '/login') {
        const user = url.searchParams.get('user')?.trim();
        if (!user) return Response.json({ error: 'user required' }, { status: 400 });
        const headers = new Headers({ location: '/me' });
        headers.append('set-cookie', `sid=${encodeURIComponent(encode({ user, n: user.length }))}; Path=/; HttpOnly`);
        headers.append('set-cookie', `theme=${cookies.theme ?? 'light'}; Path=/`);
        return new Response(null, { status: 302, headers });
      }
      if (url.pathname === '/logout') {
        return new Response('bye\n', { headers: { 'set-cookie': 'sid=; Max-Age=0; Path=/', 'content-type': 'text/plain' } });
      }
      if (!session) return Response.json({ error: 'not signed in', cookies: Object.keys(cookies).sort() }, { status: 401 });
      return Response.json({ user: session.user, n: session.n, theme: cookies.theme ?? null, steps: steps.map((f) => f()), trail });
    } finally {
      trail.push('finally');
    }
  },
};
