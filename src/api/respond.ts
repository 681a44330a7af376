import type { FnResponse } from './types.ts';

export const TEXT = 'text/plain; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';

export interface RespondOptions {
  status?: unknown;
  headers?: unknown;
}

/**
 * CONTRACT §1 `respond(value, options?)`. Shared by the container runner and the accelerator so the
 * two modes cannot format a response differently. JSON.stringify is used as-is: accelerated values are
 * plain objects and arrays, so it gives Node's output, including property order.
 */
export function formatResponse(value: unknown, options?: RespondOptions): FnResponse {
  let body: string;
  let type: string;
  if (typeof value === 'string') {
    body = value;
    type = TEXT;
  } else if (value === undefined) {
    body = 'undefined';
    type = TEXT;
  } else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    body = String(value);
    type = TEXT;
  } else if (typeof value === 'function' || typeof value === 'symbol') {
    body = String(JSON.stringify(value));
    type = JSON_TYPE;
  } else {
    const s = JSON.stringify(value);
    body = s === undefined ? 'undefined' : s;
    type = JSON_TYPE;
  }
  const headers: Record<string, string> = { 'content-type': type };
  let status = 200;
  if (options && typeof options === 'object') {
    const st = options.status;
    if (typeof st === 'number' && Number.isInteger(st) && st >= 100 && st <= 599) status = st;
    const h = options.headers;
    if (h && typeof h === 'object') {
      for (const k of Object.keys(h)) {
        const v = (h as Record<string, unknown>)[k];
        if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
      }
    }
  }
  return { status, headers, body };
}

/** The body of a 500 for an uncaught error: the same text in every mode. */
export function uncaughtErrorResponse(err: unknown): FnResponse {
  return platformError(500, `Uncaught ${describeThrown(err)}`);
}

/** What the logs show of a throw: its stack when it has one. */
export function stackText(err: unknown): string {
  return err instanceof Error && err.stack ? err.stack : String(err);
}

export function describeThrown(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  try {
    return String(err);
  } catch {
    return 'exception';
  }
}

/** Platform-made errors are JSON `{ "error": "…" }` (CONTRACT §2). */
export function platformError(status: number, message: string): FnResponse {
  return { status, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify({ error: message }) };
}
