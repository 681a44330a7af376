import { request as undiciRequest } from 'undici';
import type { IO, OutboundRequest, OutboundResponse } from '../../api/index.ts';

/**
 * Real outbound HTTP for local pipeline runs (undici). A network error, a bad URL or a timeout
 * resolves `undefined` as the IO interface requires; it never rejects.
 */
export function createHttpIO(opts: { timeoutMs?: number } = {}): IO {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    async request(req: OutboundRequest): Promise<OutboundResponse | undefined> {
      try {
        const res = await undiciRequest(req.url, {
          method: req.method,
          headers: req.headers,
          body: req.body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const body = await res.body.text();
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
        }
        return { status: res.statusCode, headers, body };
      } catch {
        return undefined;
      }
    },
  };
}

/** The outbound calls of one run, in the order the function made them. */
export interface RecordingIO extends IO {
  calls: OutboundRequest[];
}

/** Wraps an IO to keep the sequence of calls a function makes (compared between oracle and accelerated). */
export function recordingIO(inner: IO): RecordingIO {
  const calls: OutboundRequest[] = [];
  return {
    calls,
    request(req) {
      calls.push({ ...req, headers: { ...req.headers } });
      return inner.request(req);
    },
  };
}
