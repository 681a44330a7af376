import {
  describeThrown,
  stackText,
  FunctionLoadError,
  limitResponse,
  startFunction,
  platformError,
  truncateLogLine,
  type LogStream,
  type IO,
  type LoadedFunction,
  type OutboundResponse,
  type RequestContext,
} from '../../api/index.ts';
import { LineSplitter } from '../line-splitter.ts';
import { LOAD_ERROR_MAX_BYTES, type FromRunner, type InvokeMessage, type LoadMessage, type ToRunner } from '../protocol.ts';
// The tracer's own recorder (the one definition of how arms are recorded), imported by file so the
// runner bundle does not pull in the tracer's parser.
import { createRecorder, type Recorder } from '../../tracer/recorder.ts';

/**
 * What the runner does with each dispatcher message, independent of the socket (so it can be driven
 * in-process too). One session hosts one function, loaded once into a generic pre-started runner.
 */
export interface RunnerSession {
  handle(msg: ToRunner): void;
  /** For process-wide 'uncaughtException' / 'unhandledRejection': fails the request it belongs to. */
  uncaught(err: unknown, promise?: Promise<unknown>): void;
  /**
   * What the function wrote to process.stdout/stderr: log lines of the request whose code wrote it
   * (a partial line is kept until its newline or the request's response), cut like console lines.
   */
  write(stream: LogStream, chunk: Uint8Array): void;
}

export function createRunnerSession(send: (msg: FromRunner) => void): RunnerSession {
  let loaded: LoadedFunction | undefined;
  let loading = false;
  let recorder: Recorder | undefined;
  const pendingIo = new Map<number, (res: OutboundResponse | undefined) => void>();
  let nextIoId = 1;

  // The function's outbound calls leave through the dispatcher: this process never opens a socket for them.
  const io: IO = {
    request(req) {
      const ioId = nextIoId++;
      const id = loaded?.current()?.id;
      return new Promise((resolve) => {
        pendingIo.set(ioId, resolve);
        send({ type: 'io', id, ioId, req });
      });
    },
  };

  // Every message stays within the limits the dispatcher checks (src/api/limits.ts): a line over them
  // would cost the container, so long log lines are cut here and big responses become the 502.
  const log = (stream: LogStream, line: string, id: string | undefined) => send({ type: 'log', id, stream, line: truncateLogLine(line) });
  const respond = (id: string, res: Parameters<typeof limitResponse>[0], arms?: number[]) =>
    send(arms ? { type: 'response', id, res: limitResponse(res), arms } : { type: 'response', id, res: limitResponse(res) });

  /** Partial lines written to process.stdout/stderr, per stream and request ('' outside requests). */
  const writers = new Map<string, LineSplitter>();
  const writerKey = (stream: LogStream, id: string | undefined) => `${stream}:${id ?? ''}`;
  function writeOutput(stream: LogStream, chunk: Uint8Array): void {
    // Code still running for a request that has answered writes outside any request: its partial
    // lines must not wait in a buffer nobody ends.
    const ctx = loaded?.current();
    const id = ctx && !ctx.done ? ctx.id : undefined;
    const key = writerKey(stream, id);
    let w = writers.get(key);
    if (!w) writers.set(key, (w = new LineSplitter((line) => log(stream, line, id))));
    w.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  function endOutput(id: string): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const key = writerKey(stream, id);
      writers.get(key)?.end();
      writers.delete(key);
    }
  }

  function load(msg: LoadMessage): void {
    if (loaded || loading) {
      send({ type: 'load-error', message: 'this runner already has a function loaded' });
      return;
    }
    loading = true;
    const rec = msg.traced ? createRecorder({ armCount: msg.traced.armCount }) : undefined;
    recorder = rec;
    // The top-level run records into a path of its own, reported as `initArms`.
    const init = rec?.begin();
    rec?.enter(init);
    const failed = (err: unknown): void => {
      rec?.enter(undefined);
      loading = false;
      const message = err instanceof FunctionLoadError ? err.message : `Uncaught ${describeThrown(err)}`;
      log('stderr', stackText(err), undefined);
      send({ type: 'load-error', message: truncateLogLine(message, LOAD_ERROR_MAX_BYTES - 64) });
    };
    let started: ReturnType<typeof startFunction>;
    try {
      started = startFunction(msg.source, {
        io,
        log,
        env: msg.env,
        functionName: msg.name,
        functionVersion: msg.version,
        memoryMb: containerMemoryMb(),
        // The runner's process is the function's: its global fetch is the platform's.
        globalFetch: true,
        bindings: rec ? { $__cl: rec.binding } : undefined,
        enter: rec ? (ctx) => rec.enterContext(ctx) : undefined,
      });
    } catch (err) {
      failed(err);
      return;
    }
    const finish = (): void => {
      let fn: LoadedFunction;
      try {
        fn = started.finish();
      } catch (err) {
        failed(err);
        return;
      }
      loaded = fn;
      loading = false;
      if (rec && init) {
        rec.enter(undefined);
        // Code a request reaches outside the host's `enter` (its timers, promise callbacks) is found
        // through the request's AsyncLocalStorage context.
        rec.attach({ current: () => fn.current() });
        send({ type: 'loaded', initArms: rec.end(init).arms });
      } else send({ type: 'loaded' });
    };
    // An ES module's top-level `await`: loaded once its promise settles; the code it runs until then
    // (in promise jobs, with no request current) still belongs to the top level's path.
    if (started.topLevel) started.topLevel.then(finish, failed);
    else finish();
  }

  function invoke(msg: InvokeMessage): void {
    if (!loaded) {
      respond(msg.id, platformError(503, 'no function is loaded in this container'));
      return;
    }
    const path = recorder?.begin(msg.id);
    void loaded.invoke(msg.req, { timeoutMs: msg.timeoutMs, id: msg.id }).then((res) => {
      endOutput(msg.id);
      if (recorder && path) respond(msg.id, res, recorder.end(path).arms);
      else respond(msg.id, res);
    });
  }

  return {
    handle(msg) {
      switch (msg.type) {
        case 'load':
          load(msg);
          break;
        case 'invoke':
          invoke(msg);
          break;
        case 'io-result': {
          const resolve = pendingIo.get(msg.ioId);
          pendingIo.delete(msg.ioId);
          resolve?.(msg.res ?? undefined);
          break;
        }
        default:
          log('stderr', `runner: unknown message type ${JSON.stringify((msg as { type?: unknown }).type)}`, undefined);
      }
    },
    uncaught(err, promise) {
      const ctx = loaded?.current() ?? (promise ? contextOfPromise(promise) : undefined);
      if (ctx && !ctx.done && loaded) {
        loaded.fail(ctx, err);
        return;
      }
      const text = err instanceof Error && err.stack ? err.stack : describeThrown(err);
      log('stderr', `Uncaught ${text}`, ctx?.id);
    },
    write: writeOutput,
  };
}

/** The container's memory limit (its cgroup's), when there is one; else undefined (the host's default). */
function containerMemoryMb(): number | undefined {
  const bytes = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  // Without a limit Node reports 0 or the cgroup's "max" (about 2^64).
  return bytes !== undefined && bytes > 0 && bytes < 2 ** 50 ? Math.floor(bytes / (1024 * 1024)) : undefined;
}

/**
 * Node usually still has the failing request's AsyncLocalStorage context when 'unhandledRejection'
 * runs; when it does not, the rejected promise itself carries the store it was created in (the
 * async_hooks implementation keeps it in an own symbol property). Best effort, duck-typed.
 */
function contextOfPromise(promise: Promise<unknown>): RequestContext | undefined {
  for (const sym of Object.getOwnPropertySymbols(promise)) {
    if (sym.description !== 'kResourceStore') continue;
    const v = (promise as unknown as Record<symbol, unknown>)[sym] as Partial<RequestContext> | undefined;
    if (v && typeof v.id === 'string' && typeof v.finish === 'function' && typeof v.done === 'boolean') return v as RequestContext;
  }
  return undefined;
}
