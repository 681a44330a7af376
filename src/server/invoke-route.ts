import { validateHeaderName, validateHeaderValue, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { parseQuery, type RawRequest } from '../api/index.ts';
import { Dispatcher } from '../dispatcher/index.ts';
import { CONNECTION_HEADERS, HttpError, flatHeaders, readBody, sendError } from './http-util.ts';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Platform errors on /fn carry the mode header too: the request would have run in containers. */
const ERROR_HEADERS: Readonly<Record<string, string>> = { 'x-containerless-mode': Dispatcher.modeHeader('containers') };

/**
 * `ANY /fn/NAME/PATH?QUERY` (CONTRACT §2): the function sees `req.path = /PATH` exactly as sent
 * (percent-encoding kept), `'/'` when empty. Every answer, the platform's errors included once the
 * function exists, carries `x-containerless-mode`.
 */
export async function handleInvoke(
  dispatcher: Dispatcher,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  opts: { maxBodyBytes: number; logger: Logger },
): Promise<void> {
  const rest = url.pathname.slice('/fn/'.length);
  const slash = rest.indexOf('/');
  const name = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '/' : rest.slice(slash) || '/';
  if (!NAME.test(name) || !dispatcher.get(name)) {
    return sendError(res, new HttpError(404, `no such function: ${name}`), ERROR_HEADERS);
  }
  let body: string;
  try {
    body = await readBody(req, opts.maxBodyBytes);
  } catch (err) {
    if (err instanceof HttpError) return sendError(res, err, { ...ERROR_HEADERS, connection: 'close' });
    throw err;
  }
  const raw: RawRequest = { method: req.method ?? 'GET', path, query: parseQuery(url.search), headers: flatHeaders(req), body };
  const inv = await dispatcher.invoke(name, raw);
  if (!inv) return sendError(res, new HttpError(404, `no such function: ${name}`), ERROR_HEADERS);
  const headers: Record<string, string> = {};
  const fnHeaders = inv.response.headers;
  for (const k in fnHeaders) {
    const v = fnHeaders[k]!;
    if (!CONNECTION_HEADERS.has(k) && validHeader(k, v)) headers[k] = v;
  }
  headers['x-containerless-mode'] = Dispatcher.modeHeader(inv.mode);
  headers['x-containerless-request-id'] = inv.requestId;
  if (inv.reexecutedAfterAbort) headers['x-containerless-reexecuted'] = '1';
  headers['content-length'] = String(Buffer.byteLength(inv.response.body));
  res.writeHead(inv.response.status, headers);
  res.end(inv.response.body);
  if (opts.logger.isLevelEnabled('debug')) opts.logger.debug({ fn: name, requestId: inv.requestId, status: inv.response.status, mode: inv.mode }, 'invoke');
}

/** A function's header that Node would refuse to send is dropped rather than failing the response. */
function validHeader(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}
