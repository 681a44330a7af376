import { bodyByteLength } from './bytes.ts';
import { FUNCTION_LIMITS, headerBytes, utf8Over } from './limits.ts';
import { isJsonType } from './request.ts';
import type { OutboundMethod, OutboundRequest, OutboundResponse } from './types.ts';

export class OutboundArgumentError extends TypeError {}

/**
 * A body already serialised as JSON by the caller (the accelerator's JSON.stringify of a runtime
 * value): sent as that text, with the JSON content type, exactly as a non-string body would be. Not
 * reachable from function code (the `containerless` module does not export it).
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/**
 * Normalises the first argument of get/post/put/delete: a URL string, or `{ url, body?, headers? }`.
 * A non-string body is sent as JSON with a JSON content type unless the function set one.
 */
export function buildOutbound(method: OutboundMethod, urlOrOpts: unknown): OutboundRequest {
  let url: unknown;
  let body: unknown;
  let hdrs: unknown;
  if (typeof urlOrOpts === 'string') url = urlOrOpts;
  else if (urlOrOpts !== null && typeof urlOrOpts === 'object') {
    const o = urlOrOpts as Record<string, unknown>;
    url = o.url;
    body = o.body;
    hdrs = o.headers;
  }
  if (typeof url !== 'string') throw new OutboundArgumentError(`containerless.${method.toLowerCase()}: url must be a string`);
  const headers: Record<string, string> = {};
  if (hdrs !== null && typeof hdrs === 'object') {
    for (const k of Object.keys(hdrs)) {
      const v = (hdrs as Record<string, unknown>)[k];
      if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
    }
  }
  const req: OutboundRequest = { method, url, headers };
  if (body !== undefined) {
    if (typeof body === 'string') req.body = body;
    else {
      req.body = body instanceof JsonText ? body.text : (JSON.stringify(body) ?? 'null');
      if (!headers['content-type']) headers['content-type'] = 'application/json';
    }
  }
  checkOutboundSize(`containerless.${method.toLowerCase()}`, req);
  return req;
}

/**
 * A call over the limits of docs/api.md throws, in every mode alike: a body, URL or headers larger
 * than the platform carries between a container and its I/O layer would otherwise be a protocol
 * violation that costs the container.
 */
export function checkOutboundSize(what: string, req: OutboundRequest): void {
  const L = FUNCTION_LIMITS;
  const url = utf8Over(req.url, L.maxOutboundUrlBytes);
  if (url !== undefined) throw new OutboundArgumentError(`${what}: url too long: ${url} bytes (limit ${L.maxOutboundUrlBytes})`);
  const body = req.body === undefined ? undefined : req.bodyEncoding === 'base64' ? bytesOver(req, L.maxOutboundBodyBytes) : utf8Over(req.body, L.maxOutboundBodyBytes);
  if (body !== undefined) throw new OutboundArgumentError(`${what}: body too large: ${body} bytes (limit ${L.maxOutboundBodyBytes})`);
  const hb = headerBytes(req.headers, L.maxOutboundHeaderBytes);
  if (hb > L.maxOutboundHeaderBytes) throw new OutboundArgumentError(`${what}: headers too large: ${hb} bytes (limit ${L.maxOutboundHeaderBytes})`);
}

function bytesOver(req: OutboundRequest, max: number): number | undefined {
  const n = bodyByteLength({ body: req.body ?? '', bodyEncoding: req.bodyEncoding });
  return n > max ? n : undefined;
}

/** CONTRACT §1: the callback's first argument, the body parsed as JSON when it is JSON, else its text. */
export function parseOutboundBody(resp: OutboundResponse): unknown {
  if (isJsonType(resp.headers['content-type'])) {
    try {
      return JSON.parse(resp.body);
    } catch {
      return resp.body;
    }
  }
  return resp.body;
}
