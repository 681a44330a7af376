import { loadFunction, type FnResponse, type HostOptions, type IO, type RawRequest } from '../api/index.ts';
import { addPaths, emptyTree, type Path, type Skeleton, type TraceTree } from '../trace/index.ts';
import { instrument } from './instrument.ts';
import { MARKER_BINDING } from './analyze.ts';
import { createRecorder } from './recorder.ts';

export interface TraceLocallyOptions {
  timeoutMs?: number;
  log?: HostOptions['log'];
  filename?: string;
}

export interface TraceLocallyResult {
  tree: TraceTree;
  /** In the order of the requests, batches flattened. */
  responses: FnResponse[];
  /** The top-level run's path first, then one per request in the order of `responses`. */
  paths: Path[];
  skeleton: Skeleton;
}

let runCounter = 0;

/**
 * Runs a function file instrumented in this process: the top level under a path of its own, then the
 * requests in order; an element that is an array is a batch whose requests run concurrently.
 * Returns the merged trace tree of all those paths.
 */
export async function traceLocally(
  source: string,
  requests: ReadonlyArray<RawRequest | readonly RawRequest[]>,
  io: IO,
  opts: TraceLocallyOptions = {},
): Promise<TraceLocallyResult> {
  const { code, skeleton } = instrument(source);
  const recorder = createRecorder(skeleton);
  const init = recorder.begin();
  recorder.enter(init);
  let fn;
  try {
    fn = loadFunction(code, {
      io,
      log: opts.log ?? (() => {}),
      filename: opts.filename,
      bindings: { [MARKER_BINDING]: recorder.binding },
      enter: (ctx) => recorder.enterContext(ctx),
    });
  } finally {
    recorder.enter(undefined);
  }
  recorder.attach(fn);
  const paths: Path[] = [recorder.end(init)];
  const responses: FnResponse[] = [];
  const run = async (raw: RawRequest): Promise<[FnResponse, Path]> => {
    const id = `trace-${++runCounter}`;
    const handle = recorder.begin(id);
    const response = await fn.invoke(raw, { timeoutMs: opts.timeoutMs ?? 10_000, id });
    return [response, recorder.end(handle)];
  };
  for (const item of requests) {
    const batch = isBatch(item) ? item : [item];
    for (const [response, path] of await Promise.all(batch.map(run))) {
      responses.push(response);
      paths.push(path);
    }
  }
  return { tree: addPaths(emptyTree(skeleton), skeleton, paths), responses, paths, skeleton };
}

function isBatch(item: RawRequest | readonly RawRequest[]): item is readonly RawRequest[] {
  return Array.isArray(item);
}
