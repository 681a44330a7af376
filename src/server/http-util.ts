import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error the HTTP layer answers with `{ error, …extra }` (CONTRACT §2: platform errors are JSON). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * The request's target as a URL: origin-form (`/path?query`, taken literally, so `//x/api` is not
 * read as host `x`) or absolute-form. Anything else, or a percent-encoding that is malformed or not
 * UTF-8 in the path or the query, is a 400: the platform decodes names and query strings, and a
 * silent U+FFFD or a URIError (a 500) would both be wrong.
 */
export function requestUrl(target: string | undefined): URL {
  let url: URL;
  try {
    url = new URL(target?.startsWith('/') ? `http://localhost${target}` : (target ?? ''));
  } catch {
    throw new HttpError(400, `bad request target ${JSON.stringify(target)}: expected /path?query`);
  }
  // A function's own path and query reach it as sent (CONTRACT §1: the path is not decoded, and the
  // query is parsed as URLSearchParams does, leniently): only /fn's name segment is decoded, by
  // decodeSegment. The platform's own routes are decoded, so their encoding must be valid.
  if (url.pathname.startsWith('/fn/')) return url;
  for (const [part, text] of [['path', url.pathname], ['query string', url.search]] as const) {
    if (!text.includes('%')) continue;
    try {
      decodeURIComponent(text);
    } catch {
      throw new HttpError(400, `bad percent-encoding in the request ${part}: each % must start an escape (%XX) of UTF-8 bytes`);
    }
  }
  return url;
}

/** Decodes one path segment (the caller has checked the encoding with `requestUrl`). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'bad percent-encoding in the request path: each % must start an escape (%XX) of UTF-8 bytes');
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendError(res: ServerResponse, err: HttpError, headers: Record<string, string> = {}): void {
  sendJson(res, err.status, { error: err.message, ...err.extra }, headers);
}

/**
 * Reads a request body up to `limit` bytes. Over the limit it throws a 413 before reading more; the
 * caller answers and closes the connection, so a client streaming gigabytes is cut off early.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const body = readBodyNow(req, limit);
  return typeof body === 'string' ? Promise.resolve(body) : body;
}

/**
 * As `readBody`, but '' at once for a request that has no body by its framing (see readBodyBytesNow).
 * The text is the bytes decoded as UTF-8 (for JSON and sources).
 */
export function readBodyNow(req: IncomingMessage, limit: number): string | Promise<string> {
  const body = readBodyBytesNow(req, limit);
  return Buffer.isBuffer(body) ? '' : body.then((b) => (b.length === 0 ? '' : b.toString('utf8')));
}

const NO_BYTES = Buffer.alloc(0);

/**
 * A request's body as bytes, up to `limit` (413 over it). An empty buffer at once for a request that
 * has no body by its framing (neither Content-Length nor Transfer-Encoding, or Content-Length 0:
 * RFC 9112 §6.3), as a GET usually has: nothing is waited for. Events rather than `for await`: an
 * async iterator per request costs more than reading the small bodies invocations usually have.
 */
export function readBodyBytesNow(req: IncomingMessage, limit: number): Buffer | Promise<Buffer> {
  const h = req.headers;
  const length = h['content-length'];
  if (h['transfer-encoding'] === undefined && (length === undefined || length === '0')) return NO_BYTES;
  const declared = Number(length);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new HttpError(413, `body too large: over ${limit} bytes`));
  // Anonymous listeners and a settled flag rather than named ones removed at the end: under tsx
  // every named closure costs a defineProperty of its name, per request.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        settled = true;
        req.pause();
        reject(new HttpError(413, `body too large: over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 0 ? NO_BYTES : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on('error', (err: Error) => {
      if (settled) return;
      settled = true;
      reject(new HttpError(400, `request body not received: ${err.message}`));
    });
    // The client went away before the body ended ('close' after 'end' finds it settled): its fault,
    // not the platform's (no one reads the answer).
    req.on('close', () => {
      if (settled) return;
      settled = true;
      reject(new HttpError(400, 'request aborted before its body ended'));
    });
  });
}

/** Node's headers as CONTRACT §1 `req.headers`: lower-case names, repeated values joined. */
export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  const h = req.headers;
  for (const k in h) {
    const v = h[k];
    if (v !== undefined) out[k] = typeof v === 'string' ? v : v.join(', ');
  }
  return out;
}

/** Headers a function may not set: they belong to the HTTP connection, which the server owns. */
export const CONNECTION_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer']);
