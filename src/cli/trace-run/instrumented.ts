import type { IO } from '../../api/index.ts';
import { addPaths, emptyTree, type Path, type Skeleton, type TraceTree } from '../../trace/index.ts';
import { createRecorder, instrument, MARKER_BINDING } from '../../tracer/index.ts';
import { createNodeRunner, type RunOutcome } from './oracle.ts';
import type { RawRequest } from '../../api/index.ts';

export interface InstrumentedRunner {
  /** Runs one request instrumented; its path is added to the runner's paths. */
  run(raw: RawRequest): Promise<RunOutcome & { path: Path }>;
  startupLogs: string[];
  skeleton: Skeleton;
  /** The top-level run's path first, then one per request. */
  paths: Path[];
  /** The merged tree of every path recorded so far. */
  tree(): TraceTree;
}

let counter = 0;

/**
 * The tracing run of the local pipeline: the INSTRUMENTED file in this process with the tracer's
 * recorder, through the same host as the oracle so responses, outbound calls and logs of the two can
 * be compared (the tracer must change none of them). Equivalent to the tracer's `traceLocally`, which
 * does not report outbound calls and logs per request.
 */
export function createInstrumentedRunner(source: string, opts: { io: IO; timeoutMs?: number }): InstrumentedRunner {
  const { code, skeleton } = instrument(source);
  const recorder = createRecorder(skeleton);
  const init = recorder.begin();
  recorder.enter(init);
  let runner;
  try {
    runner = createNodeRunner(code, {
      io: opts.io,
      timeoutMs: opts.timeoutMs,
      bindings: { [MARKER_BINDING]: recorder.binding },
      enter: (ctx) => recorder.enterContext(ctx),
    });
  } finally {
    recorder.enter(undefined);
  }
  const node = runner;
  recorder.attach(node);
  const paths: Path[] = [recorder.end(init)];
  return {
    skeleton,
    paths,
    startupLogs: node.startupLogs,
    tree: () => addPaths(emptyTree(skeleton), skeleton, paths),
    async run(raw) {
      const handle = recorder.begin(`instr-${++counter}`);
      // The host names requests itself; the recorder finds this one through the id we pass.
      const outcome = await node.run(raw, handle.requestId);
      const path = recorder.end(handle);
      paths.push(path);
      return { ...outcome, path };
    },
  };
}
