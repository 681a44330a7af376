import type { FnRequest, RawRequest } from './types.ts';

function isJsonType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const t = contentType.split(';')[0]!.trim().toLowerCase();
  return t === 'application/json' || t.endsWith('+json');
}

/** CONTRACT §1: JSON body parsed when the request is JSON, the text otherwise, `{}` when there is none. */
export function parseRequestBody(body: string, contentType: string | undefined): unknown {
  if (body === '') return {};
  if (isJsonType(contentType)) {
    try {
      return JSON.parse(body);
    } catch {
      return body;
    }
  }
  return body;
}

export function makeRequest(raw: RawRequest, shared = false): FnRequest {
  return {
    method: raw.method,
    path: raw.path === '' ? '/' : raw.path,
    // `shared`: raw's own query and headers, for a caller that copies them anyway (the accelerator).
    query: shared ? raw.query : { ...raw.query },
    headers: shared ? raw.headers : { ...raw.headers },
    body: parseRequestBody(raw.body, raw.headers['content-type']),
  };
}

/** Query string to the `req.query` object: last value wins (CONTRACT §1). */
export function parseQuery(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search)) out[k] = v;
  return out;
}

export { isJsonType };
