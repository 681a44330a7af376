import type { FnResponse, IO, LogStream, OutboundRequest, RawRequest } from '../../api/index.ts';
import { createInstance, InstanceStartError, loadCompiled, type AbortReason, type CompiledProgram, type Instance, type Limits } from '../../accelerator/index.ts';

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
  instances: number;
  /** Called with each new instance's top-level logs. */
  startupLogs: string[];
}

/**
 * Runs compiled code the way the platform will: one instance (top level run once, globals kept)
 * until an attempt aborts, then a fresh instance for the next request. Outbound calls are observed
 * at the IO boundary (`outbound`) independently of what the runtime reports (`reported`), so a
 * runtime that misreports its calls (which would break replay on re-execution) is caught too.
 */
export function createAcceleratedRunner(program: CompiledProgram, opts: { io: IO; timeoutMs?: number; limits?: Partial<Limits> }): AcceleratedRunner {
  const timeoutMs = opts.timeoutMs ?? 5000;
  let sink: { outbound: OutboundRequest[]; logs: string[] } | undefined;
  const startupLogs: string[] = [];
  const io: IO = {
    request(req) {
      sink?.outbound.push({ ...req, headers: { ...req.headers } });
      return opts.io.request(req);
    },
  };
  const log = (stream: LogStream, line: string) => (sink ? sink.logs : startupLogs).push(`${stream}: ${line}`);
  const fresh = (): Instance => createInstance(program, { io, log, limits: opts.limits });
  let instance: Instance | undefined;
  const runner: AcceleratedRunner = {
    instances: 0,
    startupLogs,
    async run(raw) {
      const mine = { outbound: [] as OutboundRequest[], logs: [] as string[] };
      if (!instance || instance.poisoned) {
        runner.instances++;
        try {
          instance = fresh();
        } catch (err) {
          // The top level aborted (or threw) in this instance: the platform would serve the
          // request from a container, so it counts as this request's abort.
          if (!(err instanceof InstanceStartError)) throw err;
          instance = undefined;
          const abort: AbortInfo = err.toAbort();
          return { kind: 'abort', abort, outbound: mine.outbound, reported: [], logs: mine.logs };
        }
      }
      sink = mine;
      try {
        const result = await instance.handle(raw, { timeoutMs });
        if (result.kind === 'abort') {
          // The platform would discard the instance; do it even if the runtime forgot to poison it.
          instance = undefined;
          return { kind: 'abort', abort: { reason: result.reason, loc: result.loc, detail: result.detail }, outbound: mine.outbound, reported: result.outbound, logs: mine.logs };
        }
        return { kind: 'response', response: result.response, outbound: mine.outbound, reported: result.outbound, logs: mine.logs };
      } finally {
        sink = undefined;
      }
    },
  };
  return runner;
}

export { loadCompiled };
