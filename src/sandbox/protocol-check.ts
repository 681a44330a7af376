import { bodyByteLength } from '../api/bytes.ts';
import { FUNCTION_LIMITS, headerBytes, utf8Over } from '../api/limits.ts';
import { LOAD_ERROR_MAX_BYTES } from './protocol.ts';

/** What the dispatcher knows when it checks a runner's message. */
export interface CheckContext {
  /** Arms of the loaded function's instrumented source; 0 when it is not traced (no `arms` allowed). */
  armCount: number;
}

/** OutboundMethod (src/api/types.ts): `get`/`post`/`put`/`delete`, and what `fetch` adds. */
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);
/**
 * Base64 as Buffer#toString('base64') writes it (with the length a multiple of 4): what a runner sends
 * for a binary body. A plain character class: a grouped pattern overflows V8's stack on megabytes.
 */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Request ids are the dispatcher's own (dispatcher.ts), far shorter than this. */
const MAX_ID_CHARS = 256;

/**
 * Checks that a parsed runner message has the shape the protocol defines (docs/sandbox.md,
 * "Protocol"): the runner in the container is the platform's code, but the function shares its
 * process and can write to the socket, so nothing it sends is trusted. Returns what is wrong, or
 * undefined. Sizes are checked against the limits the runner itself enforces before sending, so a
 * message over them did not come from the runner. Unknown extra fields are ignored.
 */
export function checkFromRunner(m: unknown, ctx: CheckContext): string | undefined {
  if (!isObject(m)) return 'not a JSON object';
  switch (m.type) {
    case 'ready':
      if (!Number.isInteger(m.protocol) || !Number.isInteger(m.pid) || !shortString(m.node)) return 'ready: protocol, pid or node malformed';
      return undefined;
    case 'loaded':
      return m.initArms === undefined ? undefined : checkArms(m.initArms, ctx, 'loaded.initArms');
    case 'load-error':
      if (typeof m.message !== 'string') return 'load-error: message is not a string';
      if (utf8Over(m.message, LOAD_ERROR_MAX_BYTES) !== undefined) return 'load-error: message too long';
      return undefined;
    case 'response':
      return checkId(m.id, 'response.id') ?? checkResponse(m.res) ?? (m.arms === undefined ? undefined : checkArms(m.arms, ctx, 'response.arms'));
    case 'io':
      if (m.id !== undefined) {
        const bad = checkId(m.id, 'io.id');
        if (bad) return bad;
      }
      if (!Number.isSafeInteger(m.ioId)) return 'io: ioId is not an integer';
      return checkOutbound(m.req);
    case 'log':
      if (m.id !== undefined) {
        const bad = checkId(m.id, 'log.id');
        if (bad) return bad;
      }
      if (m.stream !== 'stdout' && m.stream !== 'stderr') return 'log: stream is neither stdout nor stderr';
      if (typeof m.line !== 'string') return 'log: line is not a string';
      // Over-long lines are cut by the log sink, not refused: they cost nothing more than their line.
      return undefined;
    default:
      return `unknown message type ${JSON.stringify(typeof m.type === 'string' ? m.type.slice(0, 40) : m.type)}`;
  }
}

function checkResponse(r: unknown): string | undefined {
  if (!isObject(r)) return 'response.res is not an object';
  if (!Number.isInteger(r.status) || (r.status as number) < 100 || (r.status as number) > 599) return 'response.res.status is not an integer from 100 to 599';
  const L = FUNCTION_LIMITS;
  const bad = checkBody(r.body, r.bodyEncoding, L.maxResponseBytes, 'response.res', 'response limit');
  if (bad !== undefined) return bad;
  return checkHeaders(r.headers, L.maxResponseHeaderBytes, 'response.res.headers');
}

function checkOutbound(q: unknown): string | undefined {
  if (!isObject(q)) return 'io.req is not an object';
  if (typeof q.method !== 'string' || !METHODS.has(q.method)) return 'io.req.method is not GET, POST, PUT, DELETE, PATCH, HEAD or OPTIONS';
  const L = FUNCTION_LIMITS;
  if (typeof q.url !== 'string' || utf8Over(q.url, L.maxOutboundUrlBytes) !== undefined) return 'io.req.url is not a string within the limit';
  if (q.body === undefined) return q.bodyEncoding === undefined ? checkHeaders(q.headers, L.maxOutboundHeaderBytes, 'io.req.headers') : 'io.req.bodyEncoding without a body';
  const bad = checkBody(q.body, q.bodyEncoding, L.maxOutboundBodyBytes, 'io.req', 'outbound body limit');
  if (bad !== undefined) return bad;
  return checkHeaders(q.headers, L.maxOutboundHeaderBytes, 'io.req.headers');
}

/** A body as it crosses the protocol (src/api/bytes.ts): text, or bytes in base64; within `max` bytes either way. */
function checkBody(body: unknown, encoding: unknown, max: number, what: string, limit: string): string | undefined {
  if (typeof body !== 'string') return `${what}.body is not a string`;
  if (encoding === undefined) return utf8Over(body, max) === undefined ? undefined : `${what}.body over the ${limit}`;
  if (encoding !== 'base64') return `${what}.bodyEncoding is not "base64"`;
  // Length first: the pattern is not run over a body that is too large anyway.
  if ((body.length / 4) * 3 > max + 2) return `${what}.body over the ${limit}`;
  if (body.length % 4 !== 0 || !BASE64.test(body)) return `${what}.body is not base64`;
  return bodyByteLength({ body, bodyEncoding: 'base64' }) > max ? `${what}.body over the ${limit}` : undefined;
}

function checkHeaders(h: unknown, max: number, what: string): string | undefined {
  if (!isObject(h)) return `${what} is not an object`;
  for (const k in h) if (typeof h[k] !== 'string') return `${what} has a value that is not a string`;
  if (headerBytes(h as Record<string, string>, max) > max) return `${what} over the limit`;
  return undefined;
}

function checkId(id: unknown, what: string): string | undefined {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_CHARS ? undefined : `${what} is not a request id`;
}

function checkArms(a: unknown, ctx: CheckContext, what: string): string | undefined {
  if (!Array.isArray(a)) return `${what} is not an array`;
  if (a.length > ctx.armCount) return `${what} has more arms than the function`;
  for (const x of a) if (!Number.isInteger(x) || x < 0 || x >= ctx.armCount) return `${what} names an arm the function does not have`;
  return undefined;
}

function shortString(v: unknown): boolean {
  return typeof v === 'string' && v.length <= 256;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
