import {
  describeThrown,
  FunctionLoadError,
  loadFunction,
  platformError,
  type IO,
  type LoadedFunction,
  type OutboundResponse,
  type RequestContext,
} from '../../api/index.ts';
import type { FromRunner, InvokeMessage, LoadMessage, ToRunner } from '../protocol.ts';
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

  const log = (stream: 'stdout' | 'stderr', line: string, id: string | undefined) => send({ type: 'log', id, stream, line });

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
    try {
      loaded = loadFunction(msg.source, {
        io,
        log,
        env: msg.env,
        bindings: rec ? { $__cl: rec.binding } : undefined,
        enter: rec ? (ctx) => rec.enterContext(ctx) : undefined,
      });
    } catch (err) {
      rec?.enter(undefined);
      loading = false;
      const message = err instanceof FunctionLoadError ? err.message : `Uncaught ${describeThrown(err)}`;
      log('stderr', err instanceof Error && err.stack ? err.stack : String(err), undefined);
      send({ type: 'load-error', message });
      return;
    }
    loading = false;
    if (rec && init) {
      rec.enter(undefined);
      // Code a request reaches outside the host's `enter` (its timers, promise callbacks) is found
      // through the request's AsyncLocalStorage context.
      const fn = loaded;
      rec.attach({ current: () => fn.current() });
      send({ type: 'loaded', initArms: rec.end(init).arms });
    } else send({ type: 'loaded' });
  }

  function invoke(msg: InvokeMessage): void {
    if (!loaded) {
      send({ type: 'response', id: msg.id, res: platformError(503, 'no function is loaded in this container') });
      return;
    }
    const path = recorder?.begin(msg.id);
    void loaded.invoke(msg.req, { timeoutMs: msg.timeoutMs, id: msg.id }).then((res) => {
      if (recorder && path) send({ type: 'response', id: msg.id, res, arms: recorder.end(path).arms });
      else send({ type: 'response', id: msg.id, res });
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
  };
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
