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

/**
 * Serves only recorded answers, in order, to calls that match them (method, url, body and its
 * encoding). A call that was not recorded is never performed: `onUnrecorded` hears of it and the
 * call fails as a network error would.
 */
export function recordedOnlyIO(log: readonly RecordedCall[], onUnrecorded: (req: OutboundRequest) => void): IO {
  let next = 0;
  let diverged = false;
  return {
    request(req) {
      const logged = diverged ? undefined : log[next];
      if (logged && logged.method === req.method && logged.url === req.url && logged.body === req.body && logged.bodyEncoding === req.bodyEncoding) {
        next++;
        return Promise.resolve(logged.response);
      }
      diverged = true;
      onUnrecorded(req);
      return Promise.resolve(undefined);
    },
  };
}
