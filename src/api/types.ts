/** A request as it crosses process boundaries: the body is raw text, parsed per CONTRACT §1 by makeRequest. */
export interface RawRequest {
  method: string;
  /** Always starts with '/'. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The raw body text; '' when the request had none. With `bodyEncoding` 'base64', the bytes in base64. */
  body: string;
  /** Set when the body is bytes, not text (src/api/bytes.ts decides): `body` is then base64. */
  bodyEncoding?: BodyEncoding;
  /**
   * The query string as sent, without `?` (duplicates and encoding kept), for the styles that show it
   * (Lambda's `rawQueryString`, a Web `Request`'s URL). Absent: rebuilt from `query`.
   */
  queryString?: string;
}

/** How a function is written (CONTRACT §1b), as recognized once its top level ran. */
export type FunctionStyle = 'paper' | 'web' | 'lambda' | 'openwhisk';

/** How a body crossing a process boundary is written: absent = UTF-8 text, 'base64' = bytes. */
export type BodyEncoding = 'base64';

/** The `req` object a handler sees (CONTRACT §1). */
export interface FnRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

/** What a function answered, identical in every execution mode for the same behaviour. */
export interface FnResponse {
  status: number;
  /**
   * Lower-case names; has content-type, except a Web-style Response made without one (Workers add
   * none either).
   */
  headers: Record<string, string>;
  body: string;
  /** 'base64': `body` holds bytes (a Buffer, Uint8Array or ArrayBuffer given to `respond`, binary bodies of the other styles). */
  bodyEncoding?: BodyEncoding;
}

/** `get`/`post`/`put`/`delete` use the first four; `fetch` may use any of them. */
export type OutboundMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';

/** One outbound call of `get`/`post`/`put`/`delete`, as the I/O layer receives it. */
export interface OutboundRequest {
  method: OutboundMethod;
  url: string;
  headers: Record<string, string>;
  /** Already serialised; absent for no body. */
  body?: string;
  /** 'base64': `body` holds bytes (a `fetch` with a binary body). */
  bodyEncoding?: BodyEncoding;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** 'base64' when the response's bytes are not text (src/api/bytes.ts). */
  bodyEncoding?: BodyEncoding;
}

/**
 * The I/O layer as functions reach it (DESIGN "I/O: one layer for both modes").
 * Resolves `undefined` on a network error or when policy refuses the call; never rejects.
 * `requestId` names the request that made the call, where the caller serves several at once.
 */
export interface IO {
  /** `requestId`: the request making the call, when one IO serves many (an accelerated instance). */
  request(req: OutboundRequest, requestId?: string): Promise<OutboundResponse | undefined>;
}

export type LogStream = 'stdout' | 'stderr';
