import { startFunction, type LoadedFunction, type RequestContext, type FnResponse, type HostOptions, type IO, type OutboundRequest, type RawRequest } from '../../api/index.ts';

/** What one run of a request produced, in any mode: the basis of every comparison. */
export interface RunOutcome {
  response: FnResponse;
  /** Outbound calls in the order the function made them. */
  outbound: OutboundRequest[];
  /** Console lines of this request (stream-prefixed), for the tracer's "no observable change" check. */
  logs: string[];
}

export interface NodeRunner {
  /** `id` names the request in the host (the tracer's recorder finds a request's path by it). */
  run(raw: RawRequest, id?: string): Promise<RunOutcome>;
  /** The request whose code is running now (the host's AsyncLocalStorage), for the tracer's recorder. */
  current(): RequestContext | undefined;
  /** Console lines written outside any request (the top level). */
  startupLogs: string[];
}

export interface NodeRunnerOptions {
  io: IO;
  timeoutMs?: number;
  /** Extra top-level bindings and entry hook, for instrumented code (see HostOptions). */
  bindings?: HostOptions['bindings'];
  enter?: HostOptions['enter'];
}

let runCounter = 0;

/**
 * Loads a function file in this Node process with `loadFunction` (the oracle when the source is
 * the original; the tracing run when it is instrumented) and attributes outbound calls and log
 * lines to the request that made them, through the host's per-request context.
 */
export function createNodeRunner(source: string, opts: NodeRunnerOptions): NodeRunner {
  const perRequest = new Map<string, RunOutcome>();
  const startupLogs: string[] = [];
  // Filled in once the function has loaded; outbound calls cannot happen before (top level makes none
  // through a request context).
  const host: { current?: () => { id: string } | undefined } = {};
  const io: IO = {
    request(req) {
      const id = host.current?.()?.id;
      const entry = id === undefined ? undefined : perRequest.get(id);
      entry?.outbound.push({ ...req, headers: { ...req.headers } });
      return opts.io.request(req);
    },
  };
  const started = startFunction(source, {
    io,
    log(stream, line, requestId) {
      const entry = requestId === undefined ? undefined : perRequest.get(requestId);
      (entry ? entry.logs : startupLogs).push(`${stream}: ${line}`);
    },
    bindings: opts.bindings,
    enter: opts.enter,
    fetchInScope: true,
  });
  // A module that awaits at its top level is ready once that settles (a rejection fails every run).
  let fn: LoadedFunction | undefined;
  const ready = started.topLevel ? started.topLevel.then(() => (fn = started.finish())) : Promise.resolve((fn = started.finish()));
  ready.catch(() => undefined);
  host.current = () => fn?.current();
  const timeoutMs = opts.timeoutMs ?? 5000;
  return {
    startupLogs,
    current: () => fn?.current(),
    async run(raw, requestId) {
      const id = requestId ?? `run${++runCounter}`;
      const outcome: RunOutcome = { response: { status: 0, headers: {}, body: '' }, outbound: [], logs: [] };
      perRequest.set(id, outcome);
      try {
        outcome.response = await (fn ?? (await ready)).invoke(raw, { timeoutMs, id });
      } finally {
        perRequest.delete(id);
      }
      return outcome;
    },
  };
}
