/**
 * An accelerator worker (runs in a worker_thread started by accel-workers.ts): holds the compiled
 * programs and warm instances of many functions and runs their requests. It is the hard backstop of
 * DESIGN invariant 3: the thread has a heap limit and a heartbeat, so code whose fuel or memory
 * accounting is wrong can cost this worker (its requests are re-executed in containers), never the
 * dispatcher. Outbound calls and logs go to the dispatcher, which performs and records them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createInstance, InstanceStartError, loadCompiled, type AbortReason, type AccelResult, type CompiledProgram, type Instance } from '../accelerator/index.ts';
import type { LogStream, OutboundRequest, OutboundResponse } from '../api/index.ts';
import { StagedLog } from './staged-log.ts';
import { STATUS, type FromWorker, type LoadSpec, type ToWorker } from './accel-messages.ts';
import { currentThreadId } from './thread-cpu.ts';

const port = parentPort!;
const { status: statusBuffer, epoch, beatMs } = workerData as { status: SharedArrayBuffer; epoch: number; beatMs: number };
const status = new Int32Array(statusBuffer);

// The dispatcher reads this: a beat that stops advancing while this thread keeps the CPU means it is
// stuck in code (the dispatcher reads the thread's CPU time by its id).
Atomics.store(status, STATUS.tid, currentThreadId());
const beat = () => Atomics.store(status, STATUS.heartbeat, Date.now() - epoch);
beat();
setInterval(beat, beatMs).unref();

interface Fn {
  key: string;
  spec: LoadSpec;
  program?: CompiledProgram;
  instance?: Instance;
  /** Why the program or its first instance failed to load. */
  error?: string;
}

const fns = new Map<string, Fn>();
/** Outbound calls waiting for the dispatcher, by call id. */
const calls = new Map<number, (res: OutboundResponse | undefined) => void>();
/** Log lines of requests in flight, by request id (capped as an activation's): sent with the result. */
const requestLogs = new Map<string, StagedLog>();
let callSeq = 0;

const send = (m: FromWorker) => port.postMessage(m);

function newInstance(fn: Fn, program: CompiledProgram): Instance {
  return createInstance(program, {
    env: fn.spec.env,
    limits: fn.spec.limits,
    identity: fn.spec.identity,
    io: {
      request(req: OutboundRequest, requestId?: string) {
        const cid = ++callSeq;
        send({ t: 'io', key: fn.key, cid, id: requestId, req });
        return new Promise<OutboundResponse | undefined>((resolve) => calls.set(cid, resolve));
      },
    },
    log(stream: LogStream, line: string, requestId?: string) {
      const lines = requestId !== undefined ? requestLogs.get(requestId) : undefined;
      if (lines) lines.add(stream, line);
      else send({ t: 'log', key: fn.key, stream, line });
    },
  });
}

/** Loads the program and starts its first instance; a top level that waits for the host is awaited. */
async function load(key: string, spec: LoadSpec): Promise<string | undefined> {
  const fn: Fn = { key, spec };
  fns.set(key, fn);
  try {
    fn.program = loadCompiled(spec.code, { limits: spec.limits });
    fn.instance = newInstance(fn, fn.program);
    const failed = await fn.instance.started;
    if (failed) throw failed;
  } catch (err) {
    fn.error = (err as Error).message;
  }
  return fn.error;
}

function abort(reason: AbortReason, detail: string): AccelResult {
  return { kind: 'abort', reason, detail, outbound: [] };
}

/** The function's warm instance, or a fresh one after an abort poisoned the last. */
function instanceOf(fn: Fn): Instance | AccelResult {
  if (!fn.program) return abort('internal', `top level: ${fn.error ?? 'not loaded'}`);
  if (fn.instance?.renew()) return fn.instance;
  fn.instance = undefined;
  try {
    return (fn.instance = newInstance(fn, fn.program));
  } catch (err) {
    if (err instanceof InstanceStartError) return { kind: 'abort', ...err.toAbort(), outbound: [] };
    return abort('internal', `top level: ${(err as Error).message}`);
  }
}

function answer(id: string, result: AccelResult): void {
  const logs = requestLogs.get(id)?.entries ?? [];
  requestLogs.delete(id);
  // The dispatcher keeps its own list of the request's calls (it performed them): not sent back.
  send({ t: 'res', id, result: { ...result, outbound: [] }, logs });
}

async function run(key: string, id: string, raw: Parameters<Instance['handle']>[0], timeoutMs: number): Promise<void> {
  const fn = fns.get(key);
  if (!fn) return answer(id, abort('internal', 'the function is not loaded in this worker'));
  const inst = instanceOf(fn);
  if (!('handle' in inst)) return answer(id, inst);
  requestLogs.set(id, new StagedLog());
  let result: AccelResult;
  try {
    result = await inst.handle(raw, { timeoutMs, id });
  } catch (err) {
    result = abort('internal', (err as Error).message);
  }
  answer(id, result);
  // An abort or wear retired the instance: its replacement's top level runs now, between requests,
  // not at the start of the next one.
  if (inst.poisoned) setImmediate(() => fns.get(key) === fn && fn.instance === inst && instanceOf(fn));
}

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'req':
      Atomics.store(status, STATUS.running, m.slot);
      void run(m.key, m.id, m.raw, m.timeoutMs);
      break;
    case 'io-res': {
      // The callback runs in the microtask after this handler: it belongs to this slot's function.
      Atomics.store(status, STATUS.running, m.slot);
      const resolve = calls.get(m.cid);
      calls.delete(m.cid);
      resolve?.(m.res ?? undefined);
      break;
    }
    case 'load': {
      Atomics.store(status, STATUS.running, m.slot);
      void load(m.key, m.spec).then((error) => send(error === undefined ? { t: 'loaded', key: m.key } : { t: 'loaded', key: m.key, error }));
      break;
    }
    case 'unload':
      fns.delete(m.key);
      break;
  }
});

send({ t: 'ready' });
