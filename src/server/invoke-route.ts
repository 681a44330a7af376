import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { encodeBody, parseQuery, type RawRequest } from '../api/index.ts';
import { Dispatcher, type Invocation } from '../platform/index.ts';
import { HttpError, decodeSegment, flatHeaders, readBodyBytesNow, sendError } from './http-util.ts';
import { functionHeaders } from './response-headers.ts';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Platform errors on /fn carry the mode header too: the request would have run in containers. */
const ERROR_HEADERS: Readonly<Record<string, string>> = { 'x-containerless-mode': Dispatcher.modeHeader('containers') };

/**
 * `ANY /fn/NAME/PATH?QUERY` (CONTRACT §2): the function sees `req.path = /PATH` exactly as sent
 * (percent-encoding kept), `'/'` when empty. Every answer, the platform's errors included once the
 * function exists, carries `x-containerless-mode`.
 */
export function handleInvoke(
  dispatcher: Dispatcher,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  opts: { maxBodyBytes: number; logger: Logger },
): void | Promise<void> {
  const rest = url.pathname.slice('/fn/'.length);
  const slash = rest.indexOf('/');
  const name = decodeSegment(slash < 0 ? rest : rest.slice(0, slash));
  const path = slash < 0 ? '/' : rest.slice(slash) || '/';
  if (!NAME.test(name) || !dispatcher.get(name)) {
    return sendError(res, new HttpError(404, `no such function: ${name}`), ERROR_HEADERS);
  }
  // A request without a body by its framing is not waited for (readBodyBytesNow).
  const body = readBodyBytesNow(req, opts.maxBodyBytes);
  if (Buffer.isBuffer(body)) return run(dispatcher, req, res, url, name, path, body, opts.logger);
  return body.then(
    (bytes) => run(dispatcher, req, res, url, name, path, bytes, opts.logger),
    (err: unknown) => {
      if (err instanceof HttpError) return sendError(res, err, { ...ERROR_HEADERS, connection: 'close' });
      throw err;
    },
  );
}

async function run(dispatcher: Dispatcher, req: IncomingMessage, res: ServerResponse, url: URL, name: string, path: string, bytes: Buffer, logger: Logger): Promise<void> {
  const t0 = performance.now();
  const headers = flatHeaders(req);
  const raw: RawRequest = { method: req.method ?? 'GET', path, query: parseQuery(url.search), headers, body: '' };
  // As sent: Lambda's rawQueryString and the Web style's URL keep repeated keys and their encoding.
  if (url.search.length > 1) raw.queryString = url.search.slice(1);
  // Bodies are bytes (CONTRACT §1b): text stays text, anything else crosses as base64 (api/bytes.ts).
  if (bytes.length > 0) {
    const enc = encodeBody(bytes, headers['content-type']);
    raw.body = enc.body;
    if (enc.bodyEncoding !== undefined) raw.bodyEncoding = enc.bodyEncoding;
  }
  send(res, name, await dispatcher.invoke(name, raw), logger, t0);
}

function send(res: ServerResponse, name: string, inv: Invocation | undefined, logger: Logger, t0: number): void {
  if (!inv) return sendError(res, new HttpError(404, `no such function: ${name}`), ERROR_HEADERS);
  // The function's headers, filtered; the platform's own are set after, so nothing can override them.
  const headers = functionHeaders(inv.response.headers);
  headers['x-containerless-mode'] = Dispatcher.modeHeader(inv.mode);
  headers['x-containerless-request-id'] = inv.requestId;
  if (inv.reexecutedAfterAbort) headers['x-containerless-reexecuted'] = '1';
  const status = inv.response.status;
  // 204 and 304 have no body (Node sends none); a length would describe one.
  const r = inv.response;
  const body: string | Buffer = r.bodyEncoding === 'base64' ? Buffer.from(r.body, 'base64') : r.body;
  if (status !== 204 && status !== 304) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  res.writeHead(status, headers);
  res.end(body);
  if (logger.isLevelEnabled('debug')) logger.debug({ fn: name, requestId: inv.requestId, status, mode: inv.mode, ms: Math.round((performance.now() - t0) * 100) / 100 }, 'invoke');
}
