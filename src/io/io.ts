import { Agent, request } from 'undici';
import type { Logger } from 'pino';
import { encodeBody, type IO, type OutboundRequest, type OutboundResponse } from '../api/index.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { LabelCache, type CounterCell, type HistogramCell } from '../metrics/metrics.ts';
import { EgressPolicy, refusalText, type RefusalReason } from './egress.ts';
import { EgressRefusedError, egressConnector, listeningEndpoint } from './egress-connector.ts';

export interface IOLayerOptions {
  logger: Logger;
  metrics: Metrics;
  /** Upper bound of one outbound call; a function's own timeout_ms lowers it. */
  timeoutMs?: number;
  /** Larger response bodies fail the call (the callback gets `undefined`). */
  maxResponseBytes?: number;
  /**
   * Response bytes being read at once, across every call of every function: a call that would go
   * past it fails (`too-large`), so many concurrent large downloads cannot exhaust the dispatcher.
   */
  maxBytesInFlight?: number;
  /** Connections kept per origin by the undici pool. */
  connectionsPerOrigin?: number;
  /** Where calls may go (egress.ts); absent: the defaults, with no allow entry. */
  egress?: EgressPolicy;
  /** A function's `config.outbound` entries, looked up per call (a redeploy may change them). */
  outboundOf?: (fn: string) => readonly string[] | undefined;
  /** A line for the logs of the function's request (its activation), e.g. why a call was refused. */
  functionLog?: (ctx: CallContext, line: string) => void;
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

export const IO_DEFAULTS = { timeoutMs: 10_000, maxResponseBytes: 10 * 1024 * 1024, maxBytesInFlight: 256 * 1024 * 1024, connectionsPerOrigin: 64 } as const;

type Outcome = 'ok' | 'refused' | 'too-large' | 'timeout' | 'error';
/** The outcomes counted without a reason; `refused` is counted per reason (CallMetrics.refused). */
const OUTCOMES = ['ok', 'too-large', 'timeout', 'error'] as const;

/** The metric children of one function and method, resolved once (prom-client hashes labels on every lookup). */
interface CallMetrics {
  seconds: HistogramCell;
  outcomes: Record<(typeof OUTCOMES)[number], CounterCell>;
  /** outcome="refused" by reason, made on first use (the reasons are a small fixed set). */
  refused: Map<RefusalReason, CounterCell>;
  labels: { function: string; method: string };
}

class TooLarge extends Error {}

/**
 * The deadline of one outbound call, given to undici as its `signal`. undici accepts an AbortSignal
 * or an EventEmitter and uses only `aborted`, `reason` and one 'abort' listener (added with
 * `once`/`on`, removed with `removeListener`/`off`); this is that much of an EventEmitter, with the
 * call's one timer. AbortSignal.timeout (an EventTarget with a weakly held timer) or a full
 * EventEmitter cost more than the rest of the I/O layer's own work per call.
 */
class Deadline {
  aborted = false;
  reason: Error | undefined;
  private listeners: Array<() => void> = [];
  private readonly timer: NodeJS.Timeout;

  constructor(ms: number) {
    this.timer = setTimeout(() => {
      this.aborted = true;
      this.reason = Object.assign(new Error(`outbound call timed out after ${ms} ms`), { name: 'TimeoutError' });
      const ls = this.listeners;
      this.listeners = [];
      for (const l of ls) l();
    }, ms);
  }

  on(event: string, listener: () => void): this {
    if (event === 'abort' && !this.aborted) this.listeners.push(listener);
    return this;
  }

  once(event: string, listener: () => void): this {
    return this.on(event, listener);
  }

  removeListener(event: string, listener: () => void): this {
    if (event === 'abort') this.listeners = this.listeners.filter((l) => l !== listener);
    return this;
  }

  off(event: string, listener: () => void): this {
    return this.removeListener(event, listener);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

/** Longest URL quoted in a function's log line about its call. */
const MAX_LOGGED_URL = 300;

/**
 * The dispatcher's I/O layer (DESIGN "I/O: one layer for both modes"): every `get`/`post`/`put`/`delete`
 * and `fetch` (which may also PATCH, HEAD and OPTIONS) of every function, in every execution mode, is
 * performed by `perform`; bodies are bytes both ways (api/bytes.ts). Functions never open sockets for
 * these calls, so `network: "none"` containers can still use the API. Only http: and https: URLs are
 * allowed, and every connection goes through the egress policy (egress.ts, checked in the connector
 * after DNS); a refused or failed call resolves `undefined`, which is what the function's callback gets.
 */
export class IOLayer {
  readonly egress: EgressPolicy;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  /** Response bytes read by calls in flight (released when the call ends), and the bound on it. */
  private readonly inFlight: ByteBudget;
  private readonly callMetrics: LabelCache<CallMetrics>;
  /**
   * One undici agent per distinct allow list: a pooled connection is only ever reused by calls
   * under the policy that let it be made. Functions without `config.outbound` share the first.
   */
  private readonly agents = new Map<string, Agent>();
  private readonly fnAgents = new Map<string, { outbound: readonly string[] | undefined; agent: Agent }>();

  constructor(private readonly opts: IOLayerOptions) {
    this.timeoutMs = opts.timeoutMs ?? IO_DEFAULTS.timeoutMs;
    this.maxBytes = opts.maxResponseBytes ?? IO_DEFAULTS.maxResponseBytes;
    this.inFlight = { used: 0, max: opts.maxBytesInFlight ?? IO_DEFAULTS.maxBytesInFlight };
    this.egress = opts.egress ?? new EgressPolicy();
    const m = opts.metrics;
    this.callMetrics = new LabelCache((fn, method) => {
      const outcomes = {} as CallMetrics['outcomes'];
      for (const o of OUTCOMES) outcomes[o] = m.counted.outbound.cell({ function: fn, method, outcome: o });
      return { seconds: m.counted.outboundSeconds.cell({ function: fn, method }), outcomes, refused: new Map(), labels: { function: fn, method } };
    });
  }

  /** The platform's own listening address and port (after listen): never a destination unless named exactly. */
  setPlatformAddress(address: string, port: number): void {
    this.egress.setPlatform(listeningEndpoint(address, port));
  }

  /** The agent of a function's calls: its allow list is the operator's plus its granted `config.outbound`. */
  private agentFor(fn: string): Agent {
    const outbound = this.opts.outboundOf?.(fn);
    const known = this.fnAgents.get(fn);
    if (known && known.outbound === outbound) return known.agent;
    const entries = this.egress.entriesFor(outbound);
    const granted = entries.length - this.egress.allow.length;
    if (outbound && granted < outbound.length) {
      this.opts.logger.warn({ fn, outbound }, 'config.outbound entries the operator no longer allows or grants are ignored');
    }
    const key = entries.map((e) => e.text).join(',');
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new Agent({
        connections: this.opts.connectionsPerOrigin ?? IO_DEFAULTS.connectionsPerOrigin,
        keepAliveTimeout: 10_000,
        connect: egressConnector((dest) => this.egress.decide(dest, entries)),
      });
      this.agents.set(key, agent);
    }
    this.fnAgents.set(fn, { outbound, agent });
    return agent;
  }

  /** The `IO` a container or accelerated instance of one function is given. */
  forFunction(policy: IOPolicy, mode = 'containers'): IO {
    // An accelerated instance serves many requests through one IO: it names the request per call.
    return { request: (req, requestId) => this.perform(req, policy, requestId === undefined ? { function: policy.function, mode } : { function: policy.function, requestId, mode }) };
  }

  /** The `IO` of one request: its calls are logged with the request id (and, later, replayed by it). */
  forRequest(policy: IOPolicy, requestId: string, mode = 'containers'): IO {
    return { request: (req) => this.perform(req, policy, { function: policy.function, requestId, mode }) };
  }

  async perform(req: OutboundRequest, policy: IOPolicy, ctx: CallContext): Promise<OutboundResponse | undefined> {
    const t0 = performance.now();
    const log = this.opts.logger;
    const timeout = Math.min(this.timeoutMs, policy.timeoutMs);
    let outcome: Outcome = 'ok';
    let refusal: RefusalReason | undefined;
    let status: number | undefined;
    // The whole call (connect, headers, body) is bounded by one timer.
    let deadline: Deadline | undefined;
    const read = { bytes: 0 };
    try {
      const url = req.url;
      // undici parses the URL again; the common spellings need no parse of their own here.
      if (!url.startsWith('http://') && !url.startsWith('https://')) {
        const { protocol } = new URL(url);
        if (protocol !== 'http:' && protocol !== 'https:') {
          outcome = 'refused';
          refusal = 'scheme';
          this.refused(req, ctx, refusalText('scheme'));
          return undefined;
        }
      }
      const signal = (deadline = new Deadline(timeout));
      const res = await request(url, {
        method: req.method,
        headers: req.headers,
        // Bodies are bytes (api/bytes.ts): a binary one crosses from the function as base64.
        body: req.bodyEncoding === 'base64' && req.body !== undefined ? Buffer.from(req.body, 'base64') : req.body,
        dispatcher: this.agentFor(ctx.function),
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: signal as unknown as NonNullable<Parameters<typeof request>[1]>['signal'],
      });
      status = res.statusCode;
      const bytes = await readLimited(res.body, this.maxBytes, this.inFlight, read);
      const headers: Record<string, string> = {};
      const h = res.headers;
      // undici gives lower-case names.
      for (const k in h) {
        const v = h[k];
        if (v !== undefined) headers[k] = typeof v === 'string' ? v : v.join(', ');
      }
      // Text stays text; other bytes go back to the function as base64, never a lossy UTF-8 decoding.
      const enc = encodeBody(bytes, headers['content-type']);
      const out: OutboundResponse = { status: res.statusCode, headers, body: enc.body };
      if (enc.bodyEncoding !== undefined) out.bodyEncoding = enc.bodyEncoding;
      return out;
    } catch (err) {
      if (err instanceof TooLarge) outcome = 'too-large';
      else if (err instanceof EgressRefusedError) {
        outcome = 'refused';
        refusal = err.reason;
        this.refused(req, ctx, refusalText(err.reason, err.address, err.port));
        return undefined;
      } else outcome = deadline?.aborted || (err as { code?: string }).code === 'UND_ERR_HEADERS_TIMEOUT' || (err as { code?: string }).code === 'UND_ERR_BODY_TIMEOUT' ? 'timeout' : 'error';
      log.debug({ fn: ctx.function, err: (err as Error).message }, 'outbound call failed');
      return undefined;
    } finally {
      this.inFlight.used -= read.bytes;
      deadline?.clear();
      const seconds = (performance.now() - t0) / 1000;
      const cm = this.callMetrics.get(ctx.function, req.method);
      if (refusal !== undefined) this.refusedCell(cm, refusal).inc();
      else cm.outcomes[outcome as Exclude<Outcome, 'refused'>].inc();
      cm.seconds.observe(seconds);
      if (log.isLevelEnabled('info')) {
        log.info({ fn: ctx.function, requestId: ctx.requestId, mode: ctx.mode, method: req.method, url: req.url, status, outcome, reason: refusal, ms: Math.round(seconds * 1e5) / 100 }, 'outbound');
      }
    }
  }

  private refusedCell(cm: CallMetrics, reason: RefusalReason): CounterCell {
    let cell = cm.refused.get(reason);
    if (!cell) cm.refused.set(reason, (cell = this.opts.metrics.counted.outbound.cell({ ...cm.labels, outcome: 'refused', reason })));
    return cell;
  }

  /** The function learns only that the call failed; its own logs say why (never the function's response). */
  private refused(req: OutboundRequest, ctx: CallContext, why: string): void {
    const url = req.url.length > MAX_LOGGED_URL ? `${req.url.slice(0, MAX_LOGGED_URL)}…` : req.url;
    this.opts.functionLog?.(ctx, `outbound ${req.method} ${url} refused: ${why}`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.close()));
  }
}

interface ByteBudget {
  used: number;
  max: number;
}

const NO_BYTES = Buffer.alloc(0);

/**
 * The body's bytes, failing with TooLarge past `max` bytes or when the bytes all calls are
 * reading would pass the shared budget (the stream is destroyed, so the connection is not kept for
 * a body nobody reads). `read.bytes` is what this call took of the budget: the caller gives it back.
 * Events rather than `for await`: an async iterator per call costs more than the read itself for
 * the small bodies functions exchange.
 */
function readLimited(body: NodeJS.ReadableStream & { destroy(err?: Error): void }, max: number, budget: ByteBudget, read: { bytes: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      budget.used += chunk.length;
      read.bytes += chunk.length;
      if (size > max || budget.used > budget.max) {
        body.destroy();
        reject(new TooLarge());
        return;
      }
      chunks.push(chunk);
    });
    body.on('end', () => resolve(chunks.length === 0 ? NO_BYTES : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    body.on('error', reject);
  });
}
