import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The demo's stand-in for a real backend, on loopback: `POST /login` answers `{ ok }` (ok when the
 * body has password "secret"), `GET /status` a list of services. The login and status examples call it.
 */
export async function startDemoBackend(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      let answer: unknown;
      if (req.url === '/login' && req.method === 'POST') {
        let password: unknown;
        try {
          password = (JSON.parse(body) as { password?: unknown }).password;
        } catch {}
        answer = { ok: password === 'secret' };
      } else if (req.url === '/status') {
        answer = { services: [{ name: 'db', up: true }, { name: 'cache', up: true }, { name: 'queue', up: Math.random() > 0.1 }] };
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end('{"error":"not found"}');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
