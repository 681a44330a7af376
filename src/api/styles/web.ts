import { bodyBytes, encodeBody } from '../bytes.ts';
import { stackText } from '../respond.ts';
import type { FnResponse, RawRequest } from '../types.ts';
import { describe, queryStringOf, settle, type StyleAdapter, type StyleHost } from './style.ts';

interface WebTarget {
  fetch(request: Request, env: unknown, ctx: unknown): unknown;
}

/**
 * The Web style, Cloudflare Workers' module syntax (CONTRACT §1b): `export default { fetch }`, called
 * as `fetch(request, env, ctx)` with a WHATWG Request and answered with a Response (or a promise of
 * one). `ctx.waitUntil(promise)` lets work go on after the response: the response is sent at once, the
 * promise still runs, and its rejection goes to the function's logs.
 */
export function webStyle(target: WebTarget, host: StyleHost): StyleAdapter {
  return {
    style: 'web',
    start(ctx, raw) {
      const request = webRequest(raw);
      // Each request gets its own copy: a function changing `env` does not change the next request's.
      const env = { ...host.env };
      const execution = Object.freeze({
        waitUntil(promise: unknown) {
          settle(promise, () => {}, (err) => host.log('stderr', `Uncaught (in waitUntil) ${stackText(err)}`, ctx.id));
        },
        passThroughOnException() {},
      });
      const result = host.runIn(ctx, () => target.fetch(request, env, execution));
      const fail = (err: unknown) => host.fail(ctx, err);
      settle(result, (value) => webResponse(value).then((res) => ctx.finish(res), fail), fail);
    },
  };
}

/** The request as a WHATWG Request: `http://HOST/PATH?QUERY`, method, headers, body bytes. */
export function webRequest(raw: RawRequest): Request {
  const qs = queryStringOf(raw);
  const target = `${raw.path}${qs === '' ? '' : `?${qs}`}`;
  const hostHeader = raw.headers['host'];
  let url: URL;
  try {
    url = new URL(target, `http://${hostHeader ?? 'localhost'}`);
  } catch {
    url = new URL(target, 'http://localhost');
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(raw.headers)) {
    try {
      headers.append(k, v);
    } catch {
      // Node's HTTP parser let it through, Headers does not: left out.
    }
  }
  const method = raw.method.toUpperCase();
  const body = method === 'GET' || method === 'HEAD' ? null : (bodyBytes(raw) as unknown as BodyInit);
  return new Request(url, { method: raw.method, headers, body });
}

/** A Response as the platform's response: status, headers (lower-case), body bytes. */
export async function webResponse(value: unknown): Promise<FnResponse> {
  if (!isResponse(value)) throw new TypeError(`the Web function's fetch did not answer with a Response: it gave ${describe(value)}`);
  const headers: Record<string, string> = {};
  value.headers.forEach((v, k) => {
    headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
  });
  const bytes = new Uint8Array(await value.arrayBuffer());
  return { status: value.status, headers, ...encodeBody(bytes, headers['content-type']) };
}

function isResponse(v: unknown): v is Response {
  if (v instanceof Response) return true;
  // A Response from another copy of undici (a bundled polyfill) has the same shape.
  const r = v as Partial<Response> | null;
  return typeof r === 'object' && r !== null && typeof r.status === 'number' && typeof r.arrayBuffer === 'function' && typeof r.headers?.forEach === 'function';
}

