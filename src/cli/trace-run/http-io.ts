import { Agent, request as undiciRequest } from 'undici';
import type { IO, OutboundRequest, OutboundResponse } from '../../api/index.ts';
import { EgressPolicy } from '../../io/egress.ts';
import { egressConnector } from '../../io/egress-connector.ts';

/**
 * Real outbound HTTP for local pipeline runs (undici), under the platform's egress policy
 * (src/io/egress.ts) so that a call the platform would refuse is refused here too:
 * `allowOutbound` is the operator's allow list (`CONTAINERLESS_ALLOW_OUTBOUND` for trace-run).
 * A network error, a refused destination, a bad URL or a timeout resolves `undefined` as the IO
 * interface requires; it never rejects.
 */
export function createHttpIO(opts: { timeoutMs?: number; allowOutbound?: string | readonly string[] } = {}): IO {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const egress = new EgressPolicy({ allow: opts.allowOutbound });
  const agent = new Agent({ connect: egressConnector((dest) => egress.decide(dest)) });
  return {
    async request(req: OutboundRequest): Promise<OutboundResponse | undefined> {
      try {
        const { protocol } = new URL(req.url);
        if (protocol !== 'http:' && protocol !== 'https:') return undefined;
        const res = await undiciRequest(req.url, {
          dispatcher: agent,
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
