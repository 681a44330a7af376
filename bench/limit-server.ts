/**
 * The limit adapter: one function file served by a minimal node:http server that runs it in this
 * process with src/api's `loadFunction` (the in-process `containerless` API), no sandbox, no
 * dispatcher, no store, no metrics. Nothing on this machine can serve the same JavaScript function
 * faster than plain Node does, so bench/accel-compare.ts reports accelerated mode as a fraction of
 * this "limit" (issue 4, "Benchmarks").
 *
 *   npx tsx bench/limit-server.ts FILE [--port 0] [--timeout-ms 10000]
 *
 * prints `listening http://127.0.0.1:PORT` on stdout once ready. Requests look like the platform's:
 * `ANY /fn/NAME/PATH?QUERY` runs the function with `req.path = /PATH` (NAME is ignored); any other
 * URL runs it with its own path, so both URL shapes work. Answers carry
 * `x-containerless-mode: limit`. Outbound calls go out over a keep-alive undici pool, as the
 * platform's I/O layer does, so both pay the same for the backend. This is NOT a sandbox: it is a
 * benchmark baseline only, and it listens on 127.0.0.1.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { loadFunction, parseQuery, type IO, type RawRequest } from '../src/api/index.ts';

/** Same cap as the platform's request body limit (413 above it). */
const MAX_BODY = 1024 * 1024;
/** Headers that belong to the HTTP connection, which this server owns (as the platform does). */
const CONNECTION_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer']);

export interface LimitServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Outbound calls through one keep-alive pool; a network error resolves `undefined` (CONTRACT §1). */
function httpIO(agent: Agent, timeoutMs: number): IO {
  return {
    async request(req) {
      try {
        const res = await request(req.url, { method: req.method, headers: req.headers, body: req.body, dispatcher: agent, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
        const body = await res.body.text();
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
        return { status: res.statusCode, headers, body };
      } catch {
        return undefined;
      }
    },
  };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Loads `source` once (its globals live as long as the server, like a warm container) and serves it. */
export async function startLimitServer(source: string, opts: { port?: number; timeoutMs?: number } = {}): Promise<LimitServer> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const agent = new Agent({ connections: 64, keepAliveTimeout: 10_000 });
  // Function logs are dropped: the platform batches them to its store, which a baseline must not pay for twice.
  const fn = loadFunction(source, { io: httpIO(agent, timeoutMs), log: () => {} });
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const m = /^\/fn\/[^/]+(\/.*)?$/.exec(url.pathname);
      const path = m ? m[1] || '/' : url.pathname;
      const body = await readBody(req);
      if (body === undefined) {
        res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
        return res.end('{"error":"request body too large"}');
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const raw: RawRequest = { method: req.method ?? 'GET', path, query: parseQuery(url.search), headers, body };
      const out = await fn.invoke(raw, { timeoutMs });
      const h: Record<string, string> = {};
      for (const [k, v] of Object.entries(out.headers)) if (!CONNECTION_HEADERS.has(k)) h[k] = v;
      h['x-containerless-mode'] = 'limit';
      h['content-length'] = String(Buffer.byteLength(out.body));
      res.writeHead(out.status, h);
      res.end(out.body);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(err) }));
    });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await agent.close();
    },
  };
}

// Run as a script: serve FILE until SIGTERM/SIGINT.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { port: { type: 'string', default: '0' }, 'timeout-ms': { type: 'string', default: '10000' } } });
  const file = positionals[0];
  if (!file) {
    process.stderr.write('usage: npx tsx bench/limit-server.ts FILE [--port 0] [--timeout-ms 10000]\n');
    process.exit(2);
  }
  const s = await startLimitServer(readFileSync(file, 'utf8'), { port: Number(values.port), timeoutMs: Number(values['timeout-ms']) });
  process.stdout.write(`listening ${s.url}\n`);
  const stop = () => void s.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
