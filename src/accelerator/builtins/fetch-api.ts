// Request and Response (Fetch standard), host-backed like URL and Headers (web-value.ts): Node's
// (undici's) own objects, so statuses, headers, bodies and messages are the containers'. Reading a
// body (text, json) is asynchronous in Node too: the host's promise becomes the realm's through
// Host.awaitHost, which keeps the request waiting as an outbound call does. arrayBuffer() gives a
// realm ArrayBuffer and a body may be bytes (bytes.ts); blob, formData, streams (body) and signals abort.
import type { Host } from './host.ts';
import { charUnits } from './costs.ts';
import { BuiltinFunction, isDataObject, str, unsupported } from './values.ts';
import { WebValue, hostOp, isWebValue, madeString, type WebKind } from './web-value.ts';
import { headersKind, hostHeadersInit } from './headers.ts';
import { urlKinds, withoutNew } from './url.ts';
import { jsonParse, jsonStringify } from './json.ts';
import { binaryOf, makeArrayBuffer } from './bytes.ts';

interface BodyState<T extends Request | Response> {
  body: T;
  headers?: WebValue;
}

/** `r.headers`: the same Headers object each time, sharing the host's (its guard included). */
function headersOf(h: Host, s: BodyState<Request | Response>): WebValue {
  return (s.headers ??= WebValue.make(h, headersKind, { headers: s.body.headers }));
}

/** text(), json() and arrayBuffer(): Node reads the body asynchronously; the realm gets a promise of the result. */
function bodyMethods<T extends Request | Response>(what: string) {
  return {
    arrayBuffer: (h: Host, s: BodyState<T>) => awaitBody(h, `${what}.prototype.arrayBuffer`, () => s.body.arrayBuffer(), (b) => {
      const bytes = new Uint8Array(b as ArrayBuffer);
      h.tick(1 + Math.ceil(bytes.length / 16));
      return makeArrayBuffer(h, bytes);
    }),
    text: (h: Host, s: BodyState<T>) => awaitBody(h, `${what}.prototype.text`, () => s.body.text(), (t) => madeString(h, t as string)),
    json: (h: Host, s: BodyState<T>) => awaitBody(h, `${what}.prototype.json`, () => s.body.text(), (t) => {
      const text = t as string;
      h.tick(charUnits(text.length));
      // Parsed by the library's JSON.parse: the same value, and its SyntaxError message, as Node's.
      return jsonParse(h, text, undefined);
    }),
  };
}

function awaitBody(h: Host, what: string, read: () => Promise<unknown>, convert: (v: unknown) => unknown): unknown {
  if (!h.awaitHost) return unsupported(h, what, 'asynchronous host calls are not available');
  const p = hostOp(h, what, read);
  // The host reads the body's bytes and decodes them: charged with the text when it arrives.
  return h.awaitHost(p, (v) => {
    if (typeof v === 'string') {
      h.tick(charUnits(v.length));
      h.alloc(v.length);
    }
    return convert(v);
  }, what);
}

/** A text body the host keeps as bytes (its UTF-8 encoding, at least a byte per character). */
function chargeBody(h: Host, body: unknown): void {
  if (typeof body !== 'string') return;
  h.tick(charUnits(body.length));
  h.alloc(body.length);
}

const requestKind: WebKind<BodyState<Request>> = {
  name: 'Request',
  real: Request.prototype,
  getters: {
    method: (h: Host, s: BodyState<Request>) => madeString(h, s.body.method),
    url: (h: Host, s: BodyState<Request>) => madeString(h, s.body.url),
    headers: headersOf,
    bodyUsed: (_h: Host, s: BodyState<Request>) => s.body.bodyUsed,
    redirect: (h: Host, s: BodyState<Request>) => madeString(h, s.body.redirect),
  },
  methods: {
    ...bodyMethods<Request>('Request'),
    clone: (h: Host, s: BodyState<Request>) => WebValue.make(h, requestKind, { body: hostOp(h, 'Request.prototype.clone', () => s.body.clone()) }, 256),
  },
};

const responseKind: WebKind<BodyState<Response>> = {
  name: 'Response',
  real: Response.prototype,
  getters: {
    status: (_h: Host, s: BodyState<Response>) => s.body.status,
    statusText: (h: Host, s: BodyState<Response>) => madeString(h, s.body.statusText),
    ok: (_h: Host, s: BodyState<Response>) => s.body.ok,
    type: (h: Host, s: BodyState<Response>) => madeString(h, s.body.type),
    url: (h: Host, s: BodyState<Response>) => madeString(h, s.body.url),
    redirected: (_h: Host, s: BodyState<Response>) => s.body.redirected,
    headers: headersOf,
    bodyUsed: (_h: Host, s: BodyState<Response>) => s.body.bodyUsed,
  },
  methods: {
    ...bodyMethods<Response>('Response'),
    clone: (h: Host, s: BodyState<Response>) => WebValue.make(h, responseKind, { body: hostOp(h, 'Response.prototype.clone', () => s.body.clone()) }, 256),
  },
};

/** A body as Node takes it: text, URLSearchParams, or nothing; bytes and streams abort. */
function hostBody(h: Host, b: unknown, what: string): BodyInit | null | undefined {
  if (b === undefined || b === null) return b;
  if (typeof b === 'string') return b;
  if (isWebValue(b)) {
    const p = WebValue.state(b, urlKinds.URLSearchParams);
    if (p) return p.params;
    // Bytes (an ArrayBuffer, a Uint8Array or a Buffer): a copy, which Node takes without a content type.
    const bytes = binaryOf(b);
    if (bytes) {
      h.tick(1 + Math.ceil(bytes.length / 16));
      h.alloc(bytes.length);
      return bytes as unknown as BodyInit;
    }
    return unsupported(h, what, `a ${WebValue.kind(b).name} body`);
  }
  if (typeof b === 'object') return unsupported(h, what, 'a body that is not text');
  return str(h, b);
}

/** Headers init as Node takes it: a Headers, pairs or a record (values as strings). */
const INIT_KEYS: Record<string, ReadonlySet<string>> = {
  Response: new Set(['status', 'statusText', 'headers']),
  Request: new Set(['method', 'headers', 'body', 'redirect']),
};

/** An init dictionary: the members we carry over; any other member Node reads aborts. */
function hostInit(h: Host, v: unknown, what: 'Response' | 'Request'): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isDataObject(h, v)) return unsupported(h, `new ${what}`, 'an init that is not a plain object');
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    if (!INIT_KEYS[what]!.has(k)) {
      if (k in (what === 'Request' ? Request.prototype : { status: 1 })) return unsupported(h, `new ${what}`, `init.${k}`);
      continue;
    }
    const x = v[k];
    if (k === 'headers') out.headers = hostHeadersInit(h, x, `new ${what}`);
    else if (k === 'body') out.body = hostBody(h, x, `new ${what}`);
    else if (k === 'status') out.status = typeof x === 'number' ? x : h.toNumber(x);
    else out[k] = x === undefined ? undefined : str(h, x);
  }
  return out;
}

export function wrapResponse(h: Host, res: Response): WebValue {
  return WebValue.make(h, responseKind, { body: res }, 256);
}

export function wrapRequest(h: Host, req: Request): WebValue {
  return WebValue.make(h, requestKind, { body: req }, 256);
}

/** The host Response a value wraps, or undefined. */
export function responseOf(v: unknown): Response | undefined {
  return isWebValue(v) ? WebValue.state(v, responseKind)?.body : undefined;
}

export const ResponseFn = new BuiltinFunction({
  name: 'Response', length: 0, path: 'Response', real: Response,
  impl: (h) => withoutNew(h, Response),
  construct(h, args) {
    const body = hostBody(h, args[0], 'new Response');
    const init = hostInit(h, args[1], 'Response');
    chargeBody(h, body);
    return wrapResponse(h, hostOp(h, 'new Response', () => new Response(body, init as ResponseInit)));
  },
  statics: {
    json: new BuiltinFunction({
      name: 'json', length: 1, path: 'Response.json',
      impl(h, _t, args) {
        // The library's JSON text, parsed back: Node's Response.json stringifies it to the same text.
        const text = jsonStringify(h, args[0], undefined, undefined);
        const data = text === undefined ? undefined : (JSON.parse(text) as unknown);
        const init = hostInit(h, args[1], 'Response');
        return wrapResponse(h, hostOp(h, 'Response.json', () => Response.json(data, init as ResponseInit)));
      },
    }),
    redirect: new BuiltinFunction({
      name: 'redirect', length: 1, path: 'Response.redirect',
      impl(h, _t, args) {
        const url = isWebValue(args[0]) && WebValue.state(args[0], urlKinds.URL) ? WebValue.state(args[0], urlKinds.URL)!.url.href : str(h, args[0]);
        const status = args.length > 1 && args[1] !== undefined ? h.toNumber(args[1]) : undefined;
        h.tick(charUnits(url.length));
        h.alloc(2 * url.length);
        return wrapResponse(h, hostOp(h, 'Response.redirect', () => Response.redirect(url, status)));
      },
    }),
  },
});

/** `new Request(input, init)` and `fetch(input, init)` read their arguments alike. */
function requestArgs(h: Host, args: unknown[], what: string): { input: Request | string; init: Record<string, unknown> | undefined } {
  const a = args[0];
  const input = isWebValue(a) ? (WebValue.state(a, requestKind)?.body ?? WebValue.state(a, urlKinds.URL)?.url.href ?? unsupported(h, what, `input is a ${WebValue.kind(a).name}`)) : str(h, a);
  const init = hostInit(h, args[1], 'Request');
  chargeBody(h, init?.body);
  if (typeof input === 'string') h.tick(charUnits(input.length));
  return { input, init };
}

export const RequestFn = new BuiltinFunction({
  name: 'Request', length: 1, path: 'Request', real: Request,
  impl: (h) => withoutNew(h, Request),
  construct(h, args) {
    const { input, init } = requestArgs(h, args, 'new Request');
    return wrapRequest(h, hostOp(h, 'new Request', () => new Request(input as RequestInfo, init as RequestInit)));
  },
});

export const fetchKinds = { Request: requestKind, Response: responseKind };

/**
 * The global `fetch`: the platform's (src/api/fetch.ts, through Host.fetchHost), so its calls are the
 * request's outbound calls, under the egress policy and replayed on re-execution; the Response it
 * resolves to is Node's, wrapped.
 */
export const fetchFn = new BuiltinFunction({
  name: 'fetch', length: 1, path: 'fetch', real: fetch,
  impl(h, _t, args) {
    if (!h.fetchHost || !h.awaitHost) return unsupported(h, 'fetch', 'no outbound calls here');
    const { input, init } = requestArgs(h, args, 'fetch');
    const p = hostOp(h, 'fetch', () => h.fetchHost!(input as RequestInfo, init as RequestInit | undefined));
    return h.awaitHost(p, (res) => wrapResponse(h, res as Response), 'fetch');
  },
});
