import { makeRequest } from '../request.ts';
import { settle, type StyleAdapter, type StyleHost } from './style.ts';

/**
 * The paper's style (CONTRACT §1): `listen(handler)`, `handler(req)`, answered by `respond`. The
 * handler may be async: a rejection before `respond` is a 500, as a throw is. A binary body (one that
 * is neither text nor JSON: RawRequest `bodyEncoding: 'base64'`) is a Buffer in `req.body`.
 */
export function paperStyle(handler: (req: unknown) => unknown, host: StyleHost): StyleAdapter {
  return {
    style: 'paper',
    start(ctx, raw) {
      const req = makeRequest(raw);
      if (raw.bodyEncoding === 'base64') req.body = Buffer.from(raw.body, 'base64');
      const result = host.runIn(ctx, () => handler(req));
      settle(result, () => {}, (err) => host.fail(ctx, err));
    },
  };
}

