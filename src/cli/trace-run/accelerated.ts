import type { FnResponse, IO, OutboundRequest, RawRequest } from '../../api/index.ts';
import type { AbortReason, Limits } from '../../accelerator/index.ts';
import { InlineRunner, type Binding } from '../../acceleration/index.ts';

/** Why an accelerated attempt gave up (the runtime's reason, location and detail). */
export interface AbortInfo {
  reason: AbortReason;
  loc?: { line: number; column: number };
  detail: string;
}

export type AcceleratedOutcome =
  | { kind: 'response'; response: FnResponse; outbound: OutboundRequest[]; reported: OutboundRequest[]; logs: string[] }
  | { kind: 'abort'; abort: AbortInfo; outbound: OutboundRequest[]; reported: OutboundRequest[]; logs: string[] };

export interface AcceleratedRunner {
  run(raw: RawRequest): Promise<AcceleratedOutcome>;
  /** Instances made so far: 1 plus one per abort (the platform discards a poisoned instance). */
  readonly instances: number;
  /** Called with each new instance's top-level logs. */
  startupLogs: string[];
}

const KEY = 'trace-run';

/**
 * Runs compiled code with the platform's own runner (acceleration's InlineRunner: load validates and
 * runs the top level once; a poisoned or worn instance is replaced before the next request). Outbound
 * calls are observed at the IO boundary (`outbound`) independently of what the runtime reports
 * (`reported`), so a runtime that misreports its calls (which would break replay on re-execution) is
 * caught too. Resolves the load error instead when the code does not load.
 */
export async function createAcceleratedRunner(code: string, opts: { io: IO; timeoutMs?: number; limits?: Partial<Limits> }): Promise<AcceleratedRunner | { error: string }> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  let sink: OutboundRequest[] | undefined;
  const startupLogs: string[] = [];
  const binding: Binding = {
    io: {
      request(req, requestId) {
        sink?.push({ ...req, headers: { ...req.headers } });
        return opts.io.request(req, requestId);
      },
    },
    log: (stream, line) => startupLogs.push(`${stream}: ${line}`),
  };
  const inline = new InlineRunner();
  const error = await inline.load(KEY, { code, env: {}, limits: opts.limits }, binding);
  if (error !== undefined) return { error };
  let seq = 0;
  return {
    get instances() {
      return inline.instancesMade;
    },
    startupLogs,
    async run(raw) {
      const outbound: OutboundRequest[] = [];
      sink = outbound;
      try {
        const { result, logs } = await inline.handle(KEY, raw, { timeoutMs, id: `t${++seq}` });
        const lines = logs.map(([stream, line]) => `${stream}: ${line}`);
        if (result.kind === 'abort') return { kind: 'abort', abort: { reason: result.reason, loc: result.loc, detail: result.detail }, outbound, reported: result.outbound, logs: lines };
        return { kind: 'response', response: result.response, outbound, reported: result.outbound, logs: lines };
      } finally {
        sink = undefined;
      }
    },
  };
}
