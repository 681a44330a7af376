import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the mock backend received. */
export interface BackendCall {
  method: string;
  url: string;
  body: string;
}

export interface MockBackend {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  calls: BackendCall[];
  close(): Promise<void>;
}

/** A small stable hash so every answer depends only on the request (no state between calls). */
function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function field(v: unknown, key: string): unknown {
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
}

type Reply = { status: number; type: 'json' | 'text'; body: unknown };
const json = (body: unknown, status = 200): Reply => ({ status, type: 'json', body });

/**
 * Deterministic endpoints for the corpus. Answers are a pure function of the request, so the oracle
 * and the accelerated run of the same request get the same answer in either order; banking is
 * therefore "stateless": an account's balance is derived from its id.
 */
function route(method: string, path: string, query: URLSearchParams, body: string): Reply {
  const data = parseJson(body);
  if (method === 'POST' && path === '/login') {
    const user = field(data, 'username');
    const pass = field(data, 'password');
    if (typeof user !== 'string' || typeof pass !== 'string') return json({ ok: false, error: 'missing credentials' }, 400);
    const ok = pass === `${user}-pw` || (user.length > 0 && pass === user.split('').reverse().join(''));
    return json(ok ? { ok: true, user, token: `t${hash(user).toString(16)}` } : { ok: false, error: 'bad password' }, ok ? 200 : 401);
  }
  if (method === 'POST' && path === '/upload') {
    return json({ stored: true, bytes: Buffer.byteLength(body), digest: hash(body).toString(16), kind: data === undefined ? 'text' : Array.isArray(data) ? 'array' : typeof data });
  }
  if (method === 'GET' && path === '/status') {
    const service = query.get('service') ?? 'default';
    const h = hash(service);
    return json({ service, up: h % 5 !== 0, latency_ms: h % 250, version: `1.${h % 7}` });
  }
  const acct = /^\/accounts\/([^/]+)(?:\/(deposit|withdraw))?$/.exec(path);
  if (acct) {
    const id = decodeURIComponent(acct[1]!);
    const base = hash(id) % 1000;
    const amount = Number(field(data, 'amount'));
    if (!acct[2] && method === 'GET') return json({ id, balance: base });
    if (acct[2] && method === 'POST') {
      if (!Number.isFinite(amount) || amount < 0) return json({ id, ok: false, error: 'bad amount' }, 400);
      if (acct[2] === 'deposit') return json({ id, ok: true, balance: base + amount });
      return base >= amount ? json({ id, ok: true, balance: base - amount }) : json({ id, ok: false, error: 'insufficient funds', balance: base }, 409);
    }
  }
  if (method === 'GET' && path === '/words') return json(['alpha', 'beta', 'gamma', 'delta', 'epsilon']);
  if (path === '/text') return { status: 200, type: 'text', body: `plain ${method} ${query.get('q') ?? ''}` };
  if (path === '/echo') return json({ method, query: Object.fromEntries(query), body: data === undefined ? body : data });
  if (method === 'DELETE' && path.startsWith('/items/')) return json({ deleted: path.slice(7) });
  if (method === 'PUT' && path.startsWith('/items/')) return json({ put: path.slice(7), body: data === undefined ? body : data });
  return json({ error: 'not found' }, 404);
}

/** Starts the corpus's mock backend on 127.0.0.1 (an ephemeral port unless one is given). */
export async function startMockBackend(port = 0): Promise<MockBackend> {
  const calls: BackendCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      calls.push({ method, url: u.pathname + u.search, body });
      const reply = route(method, u.pathname, u.searchParams, body);
      const text = reply.type === 'json' ? JSON.stringify(reply.body) : String(reply.body);
      res.writeHead(reply.status, { 'content-type': reply.type === 'json' ? 'application/json' : 'text/plain; charset=utf-8' });
      res.end(text);
    });
  });
  // Idle sockets stay open longer than undici's client-side keep-alive (4 s), so the server never
  // closes a socket the client is about to reuse; close() drops them all anyway.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
