import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { MODE_HEADER } from '../acceleration/index.ts';
import type { Metrics } from '../metrics/index.ts';
import type { Dispatcher } from '../platform/index.ts';
import type { Store } from '../store/index.ts';
import { handleApi } from './api-routes.ts';
import { authorized, isLoopback } from './auth.ts';
import { HttpError, requestUrl, sendError, sendJson } from './http-util.ts';
import { handleInvoke } from './invoke-route.ts';

export interface HttpOptions {
  dispatcher: Dispatcher;
  store: Store;
  metrics: Metrics;
  logger: Logger;
  token?: string;
  /** Invocation bodies over this get 413. */
  maxBodyBytes: number;
  /** Function sources over this get 413. */
  maxSourceBytes: number;
}

export const HTTP_DEFAULTS = { maxBodyBytes: 1024 * 1024, maxSourceBytes: 5 * 1024 * 1024 } as const;

export class ListenRefused extends Error {}

/**
 * The platform's HTTP face: `/fn/…` invocations, `/api/…` management (token-checked), `/healthz`
 * and `/metrics`. Errors of the platform are JSON `{ error }` (CONTRACT §2).
 */
export function createHttpServer(o: HttpOptions): Server {
  const server = createServer((req, res) => {
    // Not an async function: an invocation answered synchronously (handleInvoke) pays no promise.
    let done: void | Promise<void>;
    try {
      done = handle(o, req, res);
    } catch (err) {
      failed(o, req, res, err);
      return;
    }
    if (done) done.catch((err: unknown) => failed(o, req, res, err));
  });
  // Invocations may legitimately take the function's full timeout; keep Node's defaults from
  // cutting them, but still bound slow-loris headers.
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 65_000;
  return server;
}

function failed(o: HttpOptions, req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (err instanceof HttpError) {
    // Every answer under /fn carries the mode header (a platform error: the container path's).
    const headers: Record<string, string> = req.url?.startsWith('/fn/') ? { 'x-containerless-mode': MODE_HEADER.containers } : {};
    if (err.status === 413) headers.connection = 'close';
    if (!res.headersSent) sendError(res, err, headers);
    else res.destroy();
    return;
  }
  o.logger.error({ err: (err as Error).stack, url: req.url }, 'request failed');
  if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
  else res.destroy();
}

function handle(o: HttpOptions, req: IncomingMessage, res: ServerResponse): void | Promise<void> {
  const url = requestUrl(req.url);
  const p = url.pathname;
  if (p.startsWith('/fn/')) return handleInvoke(o.dispatcher, req, res, url, { maxBodyBytes: o.maxBodyBytes, logger: o.logger });
  return handleOther(o, req, res, url, p);
}

async function handleOther(o: HttpOptions, req: IncomingMessage, res: ServerResponse, url: URL, p: string): Promise<void> {
  if (p === '/api' || p.startsWith('/api/')) {
    if (!authorized(req, o.token)) {
      return sendError(res, new HttpError(401, 'unauthorized: this server requires Authorization: Bearer TOKEN'), { 'www-authenticate': 'Bearer' });
    }
    const t0 = performance.now();
    await handleApi({ dispatcher: o.dispatcher, store: o.store, maxSourceBytes: o.maxSourceBytes }, req, res, url);
    o.logger.info({ method: req.method, path: p, status: res.statusCode, ms: Math.round(performance.now() - t0) }, 'api');
    return;
  }
  if (p === '/healthz') return sendJson(res, 200, { status: 'ok', sandbox: o.dispatcher.driverName });
  if (p === '/metrics') {
    const text = await o.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': o.metrics.registry.contentType });
    return void res.end(text);
  }
  throw new HttpError(404, `not found: ${p} (functions are under /fn/NAME, the API under /api)`);
}

/** Listens, enforcing CONTRACT §3: no token, no non-loopback address. */
export async function listen(server: Server, host: string, port: number, token: string | undefined): Promise<AddressInfo> {
  if (!token && !isLoopback(host)) {
    throw new ListenRefused(`refusing to listen on ${host} without a token: set --token or CONTAINERLESS_TOKEN, or use a loopback address`);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}
