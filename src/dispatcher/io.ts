import { Agent, request } from 'undici';
import type { Logger } from 'pino';
import type { IO, OutboundRequest, OutboundResponse } from '../api/index.ts';
import type { Metrics } from './metrics.ts';

export interface IOLayerOptions {
  logger: Logger;
  metrics: Metrics;
  /** Upper bound of one outbound call; a function's own timeout_ms lowers it. */
  timeoutMs?: number;
  /** Larger response bodies fail the call (the callback gets `undefined`). */
  maxResponseBytes?: number;
  /** Connections kept per origin by the undici pool. */
  connectionsPerOrigin?: number;
}

/** What one function may do through the I/O layer. */
export interface IOPolicy {
  function: string;
  timeoutMs: number;
}

/** Who made a call, for logs, metrics and (in a later release) replay on re-execution. */
export interface CallContext {
  function: string;
  requestId?: string;
  mode: string;
}

export const IO_DEFAULTS = { timeoutMs: 10_000, maxResponseBytes: 10 * 1024 * 1024, connectionsPerOrigin: 64 } as const;

/**
 * The dispatcher's I/O layer (DESIGN "I/O: one layer for both modes"): every `get`/`post`/`put`/`delete`
 * of every function, in every execution mode, is performed by `perform`. Functions never open sockets for
 * these calls, so `network: "none"` containers can still use the API. Only http: and https: URLs are
 * allowed; a refused or failed call resolves `undefined`, which is what the function's callback gets.
 */
export class IOLayer {
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(private readonly opts: IOLayerOptions) {
    this.timeoutMs = opts.timeoutMs ?? IO_DEFAULTS.timeoutMs;
    this.maxBytes = opts.maxResponseBytes ?? IO_DEFAULTS.maxResponseBytes;
    this.agent = new Agent({ connections: opts.connectionsPerOrigin ?? IO_DEFAULTS.connectionsPerOrigin, keepAliveTimeout: 10_000 });
  }

  /** The `IO` a container or accelerated instance of one function is given. */
  forFunction(policy: IOPolicy, mode = 'containers'): IO {
    return { request: (req) => this.perform(req, policy, { function: policy.function, mode }) };
  }

  /** The `IO` of one request: its calls are logged with the request id (and, later, replayed by it). */
  forRequest(policy: IOPolicy, requestId: string, mode = 'containers'): IO {
    return { request: (req) => this.perform(req, policy, { function: policy.function, requestId, mode }) };
  }

  async perform(req: OutboundRequest, policy: IOPolicy, ctx: CallContext): Promise<OutboundResponse | undefined> {
    const t0 = performance.now();
    const log = this.opts.logger;
    const timeout = Math.min(this.timeoutMs, policy.timeoutMs);
    let outcome = 'ok';
    let status: number | undefined;
    try {
      const url = new URL(req.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        outcome = 'refused';
        return undefined;
      }
      const res = await request(url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        dispatcher: this.agent,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: AbortSignal.timeout(timeout),
      });
      status = res.statusCode;
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > this.maxBytes) {
          res.body.destroy();
          outcome = 'too-large';
          return undefined;
        }
        chunks.push(chunk as Buffer);
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      }
      return { status: res.statusCode, headers, body: Buffer.concat(chunks).toString('utf8') };
    } catch (err) {
      outcome = (err as Error).name === 'TimeoutError' || (err as { code?: string }).code === 'UND_ERR_HEADERS_TIMEOUT' ? 'timeout' : 'error';
      log.debug({ fn: ctx.function, err: (err as Error).message }, 'outbound call failed');
      return undefined;
    } finally {
      const seconds = (performance.now() - t0) / 1000;
      this.opts.metrics.outbound.inc({ function: ctx.function, method: req.method, outcome });
      this.opts.metrics.outboundSeconds.observe({ function: ctx.function, method: req.method }, seconds);
      log.info({ fn: ctx.function, requestId: ctx.requestId, mode: ctx.mode, method: req.method, url: req.url, status, outcome, ms: Math.round(seconds * 1000) }, 'outbound');
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
