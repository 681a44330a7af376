import type { RequestContext } from '../host-types.ts';
import type { FnResponse, FunctionStyle, LogStream, RawRequest } from '../types.ts';

/** What the host gives a style adapter: how to run function code for a request and how to fail it. */
export interface StyleHost {
  /** Runs function code on behalf of a request (its AsyncLocalStorage context, the tracer's hooks). */
  runIn<T>(ctx: RequestContext, fn: () => T): T;
  /** A throw or rejection of the function: 500 with the stack in the logs (only the log once answered). */
  fail(ctx: RequestContext, err: unknown): void;
  log(stream: LogStream, line: string, requestId: string | undefined): void;
  /** What the function was deployed as, for the styles that show it (Lambda's context). */
  readonly functionName: string;
  readonly functionVersion: string;
  readonly memoryMb: number;
  /** config.env, as the Web style's `env`. */
  readonly env: Readonly<Record<string, string>>;
}

/** One request's facts an adapter may need beyond the request itself. */
export interface StartInfo {
  /** Epoch milliseconds at which the request times out. */
  deadline: number;
}

/** A recognized style: starts each request and answers it through `ctx.finish` or `host.fail`. */
export interface StyleAdapter {
  readonly style: FunctionStyle;
  start(ctx: RequestContext, raw: RawRequest, info: StartInfo): void;
}

/** Calls `ok` with the value, or with what its promise resolves to; `bad` with a throw or rejection. */
export function settle(value: unknown, ok: (v: unknown) => void, bad: (err: unknown) => void): void {
  if (!isThenable(value)) return ok(value);
  try {
    value.then(ok, bad);
  } catch (err) {
    bad(err);
  }
}

/** Answers the request with the function's result as a response; a result that is none is the function's error. */
export function finishWith(host: StyleHost, ctx: RequestContext, toResponse: () => FnResponse): void {
  let res: FnResponse;
  try {
    res = toResponse();
  } catch (err) {
    return host.fail(ctx, err);
  }
  ctx.finish(res);
}

export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Response headers of a style's result: lower-case names, string values, null/undefined left out. */
export function lowerHeaders(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isPlainObject(h)) return out;
  for (const k of Object.keys(h)) {
    const v = h[k];
    if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  }
  return out;
}

/** The query string of a request as sent, or rebuilt from its parsed parameters. */
export function queryStringOf(raw: RawRequest): string {
  return raw.queryString ?? new URLSearchParams(raw.query).toString();
}

/** A status a style's result gave: an integer from 100 to 599, else an error naming what was wrong. */
export function checkStatus(v: unknown, what: string): number {
  const n = typeof v === 'string' && /^\d{3}$/.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599) return n;
  throw new TypeError(`${what} is not an HTTP status (an integer from 100 to 599): ${describe(v)}`);
}

export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (typeof v === 'function') return 'a function';
  if (v === null || typeof v !== 'object') return String(v);
  return Array.isArray(v) ? 'an array' : `an object (${Object.prototype.toString.call(v)})`;
}

