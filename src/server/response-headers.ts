import { validateHeaderName, validateHeaderValue } from 'node:http';

/**
 * Headers a function never sets (RFC 9110 §7.6.1, RFC 9112 §6): the message's framing belongs to the
 * server (it sets content-length itself), the hop-by-hop ones to the connection.
 */
const NEVER_FROM_FUNCTION = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
]);
/** The platform's own headers (CONTRACT §2): set by the server after filtering, never by a function. */
const PLATFORM_PREFIX = 'x-containerless-';

/**
 * The headers of a function's response that may reach the client, with lower-case names. It is the
 * one filter every mode's response passes through (invoke-route.ts), and it assumes nothing of the
 * function's object: names are compared case-insensitively; framing, hop-by-hop, the names a
 * `Connection` header lists and every `x-containerless-*` are dropped; so are names and values Node
 * would refuse (a CR or LF in a value, characters outside a token in a name). Names differing only in
 * case give one header: the last of them in the object's key order, as `respond` does.
 */
export function functionHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let listed: Set<string> | undefined;
  for (const k in headers) {
    const v = headers[k];
    if (typeof v !== 'string') continue;
    const name = k.toLowerCase();
    if (name === 'connection') {
      // `Connection: close, x-secret` makes x-secret hop-by-hop as well (RFC 9110 §7.6.1).
      for (const token of v.split(',')) {
        const t = token.trim().toLowerCase();
        if (t) (listed ??= new Set()).add(t);
      }
      continue;
    }
    if (NEVER_FROM_FUNCTION.has(name) || name.startsWith(PLATFORM_PREFIX) || !validHeader(name, v)) continue;
    out[name] = v;
  }
  if (listed) for (const name of listed) delete out[name];
  return out;
}

/** A header Node would refuse to send is dropped rather than failing the response. */
function validHeader(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}
