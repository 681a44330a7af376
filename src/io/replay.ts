import type { BodyEncoding, IO, OutboundRequest, OutboundResponse } from '../api/index.ts';

/**
 * Replay on re-execution (DESIGN "I/O: one layer for both modes"). The outbound calls an accelerated
 * attempt made are logged with their (possibly still pending) responses; when the attempt aborts, the
 * container that re-executes the request is served those responses for the same calls (same method,
 * url, body and body encoding) in the same order instead of sending them again, until its first divergence, after
 * which its calls go out for real. An abort therefore repeats no outbound effect.
 */
export interface LoggedCall {
  method: string;
  url: string;
  body: string | undefined;
  bodyEncoding?: BodyEncoding;
  /** The response as it was given (a binary one keeps its `bodyEncoding`). */
  response: Promise<OutboundResponse | undefined>;
}

/**
 * Wraps the I/O of one accelerated instance. The instance serves many requests through one `io`, so
 * the calls are remembered by the request object itself; the runtime reports each request's calls
 * (`AccelResult.outbound`, the same objects it passed to `io.request`), which `logFor` turns into
 * that request's log.
 */
export class CallRecorder {
  private readonly responses = new WeakMap<OutboundRequest, Promise<OutboundResponse | undefined>>();

  constructor(private readonly inner: IO) {}

  readonly io: IO = {
    request: (req, requestId) => {
      const p = this.inner.request(req, requestId);
      this.responses.set(req, p);
      return p;
    },
  };

  /** The log of an attempt's calls, in order; a call this recorder did not see ends the log there. */
  logFor(calls: readonly OutboundRequest[]): LoggedCall[] {
    const log: LoggedCall[] = [];
    for (const c of calls) {
      const response = this.responses.get(c);
      if (!response) break; // never performed here: the re-execution must perform it itself
      const call: LoggedCall = { method: c.method, url: c.url, body: c.body, response };
      if (c.bodyEncoding !== undefined) call.bodyEncoding = c.bodyEncoding;
      log.push(call);
    }
    return log;
  }
}

/** How a re-execution's calls were served, for logs and tests. */
export interface ReplayStats {
  replayed: number;
  performed: number;
}

/** The I/O of one re-execution: logged responses first, real calls from the first divergence on. */
export function replayingIO(log: readonly LoggedCall[], real: IO, stats: ReplayStats = { replayed: 0, performed: 0 }): IO {
  let next = 0;
  let diverged = log.length === 0;
  return {
    request(req) {
      if (!diverged) {
        const logged = log[next];
        if (logged && logged.method === req.method && logged.url === req.url && logged.body === req.body && logged.bodyEncoding === req.bodyEncoding) {
          next++;
          stats.replayed++;
          return logged.response;
        }
        diverged = true;
      }
      stats.performed++;
      return real.request(req);
    },
  };
}
