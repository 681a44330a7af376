import { loadFunction, type FnResponse, type IO, type OutboundRequest, type RawRequest } from '../../src/api/index.ts';
import { createRecorder, instrument, MARKER_BINDING } from '../../src/tracer/index.ts';
import type { Path } from '../../src/trace/index.ts';

export const raw = (path: string, over: Partial<RawRequest> = {}): RawRequest => ({ method: 'GET', path, query: {}, headers: {}, body: '', ...over });

/** A backend whose answers depend only on the request; a `delay=N` query makes it slow, for interleaving. */
export function fakeIO(calls: OutboundRequest[]): IO {
  return {
    async request(req) {
      calls.push(req);
      const delay = Number(/delay=(\d+)/.exec(req.url)?.[1] ?? 0);
      await new Promise((r) => setTimeout(r, delay));
      if (req.url.includes('fail')) return undefined;
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: req.url, body: req.body ?? null }) };
    },
  };
}

export interface Observed {
  responses: FnResponse[];
  calls: OutboundRequest[];
  logs: string[];
  paths: Path[];
}

/**
 * Columns move in instrumented code (lines do not), and the host's own frames differ with an `enter`
 * hook: compare the function file's stack frames, by line only.
 */
const normaliseLog = (text: string) =>
  text.split('\n').filter((l) => !/^\s+at /.test(l) || l.includes('/function/index.js')).map((l) => l.replace(/:(\d+):\d+\)?$/, ':$1')).join('\n');

/**
 * Runs `source` (instrumented when asked) and the requests: each inner array is a batch run
 * concurrently. Request ids are fixed so logs compare across runs.
 */
export async function observe(source: string, batches: RawRequest[][], instrumented: boolean): Promise<Observed> {
  const calls: OutboundRequest[] = [];
  const logs: string[] = [];
  const log = (stream: string, line: string, id: string | undefined) => logs.push(`${stream} ${id ?? '-'} ${normaliseLog(line)}`);
  const paths: Path[] = [];
  let code = source;
  let rec: ReturnType<typeof createRecorder> | undefined;
  const bindings: Record<string, unknown> = {};
  if (instrumented) {
    const inst = instrument(source);
    code = inst.code;
    rec = createRecorder(inst.skeleton);
    bindings[MARKER_BINDING] = rec.binding;
  }
  const init = rec?.begin();
  rec?.enter(init);
  const fn = loadFunction(code, { io: fakeIO(calls), log, bindings, enter: rec && ((ctx) => rec.enterContext(ctx)) });
  rec?.enter(undefined);
  if (rec && init) {
    rec.attach(fn);
    paths.push(rec.end(init));
  }
  const responses: FnResponse[] = [];
  let n = 0;
  for (const batch of batches) {
    const results = await Promise.all(batch.map(async (req) => {
      const id = `q${++n}`;
      const h = rec?.begin(id);
      const res = await fn.invoke(req, { timeoutMs: 2000, id });
      return { res, path: h && rec!.end(h) };
    }));
    for (const r of results) {
      responses.push(r.res);
      if (r.path) paths.push(r.path);
    }
  }
  return { responses, calls, logs, paths };
}
