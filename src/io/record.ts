import type { BodyEncoding, IO, OutboundRequest, OutboundResponse } from '../api/index.ts';

/** One outbound call as it was made and answered (the answer settled: `undefined` for a failed call). */
export interface RecordedCall {
  method: string;
  url: string;
  body: string | undefined;
  bodyEncoding?: BodyEncoding;
  response: OutboundResponse | undefined;
}

/**
 * The I/O of one traced request, with its calls remembered in order (the pre-live check replays them:
 * src/acceleration/prelive-check.ts). `settled()` waits for every answer; the I/O layer never rejects.
 */
export function recordingIO(real: IO): { io: IO; settled(): Promise<RecordedCall[]> } {
  const calls: Array<{ req: OutboundRequest; response: Promise<OutboundResponse | undefined> }> = [];
  return {
    io: {
      request(req, requestId) {
        const response = real.request(req, requestId);
        calls.push({ req, response });
        return response;
      },
    },
    async settled() {
      const out: RecordedCall[] = [];
      for (const { req, response } of calls) {
        const call: RecordedCall = { method: req.method, url: req.url, body: req.body, response: await response.catch(() => undefined) };
        if (req.bodyEncoding !== undefined) call.bodyEncoding = req.bodyEncoding;
        out.push(call);
      }
      return out;
    },
  };
}

/** What a replay's I/O served: calls answered from the log in order, and from the fallback. */
export interface ReplayIO extends IO {
  /** Calls of the log answered so far (fewer than the log holds: the replay left some unmade). */
  readonly used: number;
  /** Calls answered from `fallback` after the replay parted from the log. */
  readonly borrowed: number;
}

const sameCall = (c: RecordedCall, req: OutboundRequest) => c.method === req.method && c.url === req.url && c.body === req.body && c.bodyEncoding === req.bodyEncoding;

/**
 * Serves only recorded answers, in order, to calls that match them (method, url, body and its
 * encoding). Once a call parts from the log, a matching call of `fallback` (the same call another
 * recorded request made) is answered as it was. A call recorded nowhere is never performed:
 * `onUnrecorded` hears of it and the call fails as a network error would.
 */
export function recordedOnlyIO(log: readonly RecordedCall[], onUnrecorded: (req: OutboundRequest) => void, fallback: readonly RecordedCall[] = []): ReplayIO {
  let next = 0;
  let borrowed = 0;
  let diverged = false;
  return {
    get used() {
      return next;
    },
    get borrowed() {
      return borrowed;
    },
    request(req) {
      const logged = diverged ? undefined : log[next];
      if (logged && sameCall(logged, req)) {
        next++;
        return Promise.resolve(logged.response);
      }
      diverged = true;
      const other = fallback.find((c) => sameCall(c, req));
      if (other) {
        borrowed++;
        return Promise.resolve(other.response);
      }
      onUnrecorded(req);
      return Promise.resolve(undefined);
    },
  };
}
