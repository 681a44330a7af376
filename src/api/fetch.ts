import { bodyBytes, encodeBody } from './bytes.ts';
import { checkOutboundSize } from './outbound.ts';
import type { IO, OutboundMethod, OutboundRequest, OutboundResponse } from './types.ts';

const METHODS: ReadonlySet<string> = new Set<OutboundMethod>(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Statuses whose response has no body (Fetch standard "null body status"). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
/** Fetch standard: at most 20 redirects are followed. */
const MAX_REDIRECTS = 20;
/** Headers that describe a request body, dropped when a redirect turns the request into a GET. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];

/**
 * The functions' global `fetch` (CONTRACT §1b): a WHATWG fetch whose every call is an outbound call
 * of the platform, made by the I/O layer (so it works with `network: "none"`, under the egress policy,
 * counted, logged and replayed like `get`/`post`). This process never opens a socket for it.
 *
 * Node's own `Request` parses the arguments, so input, init, headers and bodies (string, bytes,
 * URLSearchParams, Blob, FormData, streams) mean exactly what they mean to Node's fetch. Redirects
 * are followed here, one platform call per hop, as `redirect` says. A call the platform refuses, or
 * that fails on the network, rejects with `TypeError('fetch failed')` and a `cause`, as undici does.
 */
export function createFetch(io: IO): typeof globalThis.fetch {
  return async function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const signal = request.signal;
    if (signal.aborted) throw signal.reason;
    const method = request.method.toUpperCase();
    if (!METHODS.has(method)) throw new TypeError(`fetch: the method ${request.method} is not one the platform calls with (${[...METHODS].join(', ')})`);
    if (!/^https?:$/.test(new URL(request.url).protocol)) throw new TypeError('fetch failed', { cause: new Error(`fetch: only http and https URLs can be fetched, not ${request.url}`) });
    const headers: Record<string, string> = {};
    for (const [k, v] of request.headers) headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
    let out: OutboundRequest = { method: method as OutboundMethod, url: request.url, headers };
    if (request.body !== null) {
      const bytes = new Uint8Array(await request.arrayBuffer());
      const encoded = encodeBody(bytes, headers['content-type']);
      out.body = encoded.body;
      if (encoded.bodyEncoding) out.bodyEncoding = encoded.bodyEncoding;
    }
    checkOutboundSize('fetch', out);

    for (let hops = 0; ; hops++) {
      const res = await abortable(io.request(out), signal);
      if (res === undefined) {
        throw new TypeError('fetch failed', { cause: new Error(`the platform did not complete the call to ${out.url}: a network error, or a destination the platform refuses (the function's logs say which)`) });
      }
      const location = res.headers['location'];
      if (!REDIRECTS.has(res.status) || location === undefined || request.redirect === 'manual') return toResponse(res, out, hops > 0);
      if (request.redirect === 'error') throw new TypeError('fetch failed', { cause: new Error(`unexpected redirect to ${location}`) });
      if (hops >= MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error('redirect count exceeded') });
      out = redirected(out, res.status, new URL(location, out.url).href);
      checkOutboundSize('fetch', out);
    }
  };
}

/** The next hop of a redirect (Fetch standard "HTTP-redirect fetch" step 12: 301/302 POST and 303 become GET). */
function redirected(prev: OutboundRequest, status: number, url: string): OutboundRequest {
  if (!/^https?:/.test(url)) throw new TypeError('fetch failed', { cause: new Error(`redirect to a URL that is not http or https: ${url}`) });
  const toGet = ((status === 301 || status === 302) && prev.method === 'POST') || (status === 303 && prev.method !== 'GET' && prev.method !== 'HEAD');
  if (!toGet) return { ...prev, url };
  const headers = { ...prev.headers };
  for (const h of BODY_HEADERS) delete headers[h];
  return { method: 'GET', url, headers };
}

function toResponse(res: OutboundResponse, req: OutboundRequest, wasRedirected: boolean): Response {
  const headers = new Headers();
  for (const [k, v] of Object.entries(res.headers)) {
    try {
      headers.append(k, v);
    } catch {
      // A header Node's Headers refuses (a byte it does not allow) is left out, as a browser would.
    }
  }
  const nullBody = req.method === 'HEAD' || NULL_BODY.has(res.status);
  if (res.status < 200 || res.status > 599) throw new TypeError('fetch failed', { cause: new Error(`the response's status ${res.status} cannot be a Response`) });
  const response = new Response(nullBody ? null : (bodyBytes(res) as unknown as BodyInit), { status: res.status, headers });
  // A constructed Response has an empty url; fetch's has the final one.
  Object.defineProperty(response, 'url', { value: req.url, enumerable: true });
  Object.defineProperty(response, 'redirected', { value: wasRedirected, enumerable: true });
  return response;
}

/** The call's result, or the signal's reason as soon as it aborts (the platform's call itself runs on). */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
