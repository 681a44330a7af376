import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { formatAnyResponse } from './binary.ts';
import { createFetch } from './fetch.ts';
import type { RequestContext } from './host-types.ts';
import { platformError, stackText, uncaughtErrorResponse, type RespondOptions } from './respond.ts';
import { buildOutbound, parseOutboundBody } from './outbound.ts';
import { NO_HANDLER, recognizeStyle } from './styles/recognize.ts';
import type { StyleHost } from './styles/style.ts';
import type { FnResponse, FunctionStyle, IO, LogStream, OutboundMethod, RawRequest } from './types.ts';

export type { RequestContext };

export interface HostOptions {
  io: IO;
  log(stream: LogStream, line: string, requestId: string | undefined): void;
  filename?: string;
  /** Environment seen by the function as process.env additions (config.env); also the Web style's `env`. */
  env?: Record<string, string>;
  /** Extra top-level bindings for instrumented code, e.g. the tracer's recorder. */
  bindings?: Record<string, unknown>;
  /** Runs around every entry into function code on behalf of a request: handler and callbacks. */
  enter?(ctx: RequestContext | undefined): void;
  /** The deployed name and version, for the styles that show them (Lambda's context). */
  functionName?: string;
  functionVersion?: string | number;
  /** The function's memory limit (Lambda's `memoryLimitInMB`); 128 when not given. */
  memoryMb?: number;
  /**
   * Make the platform's `fetch` (through `io`) this process's `globalThis.fetch`, so the function's
   * `fetch` is the global one. Only for a process that is the function's own (the container runner):
   * otherwise the function sees the process's fetch unchanged.
   */
  globalFetch?: boolean;
  /**
   * Give the function the platform's `fetch` (through `io`) in its own scope, leaving the process's
   * global alone: for a function loaded in a process shared with others (the local trace pipeline's
   * oracle and tracing run), so its calls go through `io` as in a container. A scope object, not a
   * parameter, so a function that declares its own `fetch` keeps it.
   */
  fetchInScope?: boolean;
}

export interface LoadedFunction {
  /** The style recognized once the file's top level ran (CONTRACT §1b). */
  readonly style: FunctionStyle;
  invoke(raw: RawRequest, opts: { timeoutMs: number; id?: string }): Promise<FnResponse>;
  /** The request whose code is running now (AsyncLocalStorage), if any. */
  current(): RequestContext | undefined;
  /** Fails a request with a 500, e.g. from an uncaughtException handler. */
  fail(ctx: RequestContext, err: unknown): void;
}

export class FunctionLoadError extends Error {}

/**
 * Where an ES module with top-level `await` leaves its top level's promise (source-esm.ts wraps such
 * a module's body in an async function): on the CommonJS `module` object, which a module's own code
 * cannot name (its `module` is renamed).
 */
export const TOP_LEVEL_PROMISE = '__containerlessTopLevel';

let counter = 0;

/**
 * Looks up a top-level `function main` after the file ran (OpenWhisk finds a single-file action's
 * entry by that name). Appended after a newline so that a last line comment cannot swallow it and
 * every line of the file keeps its number.
 */
const FIND_MAIN = "\n;return typeof main === 'function' ? main : undefined;";

/**
 * Loads a function file (CommonJS) in this process with the `containerless` module of CONTRACT §1,
 * then recognizes its style (CONTRACT §1b, styles/recognize.ts). This process is not a sandbox:
 * callers are the container runner (inside an OS sandbox), the trace-run oracle and benchmarks.
 * Concurrent requests are kept apart with AsyncLocalStorage.
 */
export function loadFunction(source: string, opts: HostOptions): LoadedFunction {
  const started = startFunction(source, opts);
  if (started.topLevel) {
    // Handled, so the rejection is not reported twice.
    started.topLevel.catch(() => undefined);
    throw new FunctionLoadError('the function awaits at its top level: load it with loadFunctionAwaited');
  }
  return started.finish();
}

/**
 * loadFunction for any function, an ES module with top-level `await` too: the top level's promise is
 * awaited before the style is recognized, as Node awaits a module's evaluation before using its
 * exports. A rejection is thrown as the top level's error (reported like any load error).
 */
export async function loadFunctionAwaited(source: string, opts: HostOptions): Promise<LoadedFunction> {
  const started = startFunction(source, opts);
  if (started.topLevel) await started.topLevel;
  return started.finish();
}

/**
 * Runs a function's top level; `finish` recognizes its style once the top level (and its promise, if
 * any) is done. For a caller that must stay synchronous when there is no top-level await (the runner).
 */
export function startFunction(source: string, opts: HostOptions): { topLevel?: Promise<unknown>; finish(): LoadedFunction } {
  const als = new AsyncLocalStorage<RequestContext>();
  const filename = opts.filename ?? '/function/index.js';
  let handler: ((req: unknown) => unknown) | undefined;
  let loading = true;

  const enter = opts.enter;
  function runIn<T>(ctx: RequestContext, fn: () => T): T {
    return als.run(ctx, () => {
      if (!enter) return fn();
      enter(ctx);
      try {
        return fn();
      } finally {
        enter(undefined);
      }
    });
  }

  function fail(ctx: RequestContext, err: unknown): void {
    const msg = stackText(err);
    // After the response, the error still belongs in the logs (an async handler rejecting late).
    opts.log('stderr', `Uncaught ${msg}`, ctx.id);
    if (!ctx.done) ctx.finish(uncaughtErrorResponse(err));
  }

  function outbound(method: OutboundMethod) {
    return (urlOrOpts: unknown, cb?: unknown) => {
      const ctx = als.getStore();
      const req = buildOutbound(method, urlOrOpts);
      void opts.io.request(req).then((resp) => {
        if (typeof cb !== 'function' || !ctx) return;
        const args = resp === undefined ? [undefined] : [parseOutboundBody(resp), { status: resp.status, headers: { ...resp.headers } }];
        try {
          runIn(ctx, () => (cb as (...a: unknown[]) => unknown)(...args));
        } catch (err) {
          fail(ctx, err);
        }
      });
    };
  }

  const api = Object.freeze({
    listen(h: unknown) {
      if (typeof h !== 'function') throw new TypeError('containerless.listen: handler must be a function');
      if (!loading || handler) throw new Error('containerless.listen: called more than once or after start-up');
      handler = h as (req: unknown) => unknown;
    },
    respond(value: unknown, options?: RespondOptions) {
      const ctx = als.getStore();
      if (!ctx || ctx.done) return;
      ctx.finish(formatAnyResponse(value, options));
    },
    get: outbound('GET'),
    post: outbound('POST'),
    put: outbound('PUT'),
    delete: outbound('DELETE'),
  });

  const lineSink = (stream: LogStream) =>
    new Writable({
      write(chunk, _enc, cb) {
        const text = String(chunk).replace(/\n$/, '');
        for (const line of text.split('\n')) opts.log(stream, line, als.getStore()?.id);
        cb();
      },
    });
  const fnConsole = new Console({ stdout: lineSink('stdout'), stderr: lineSink('stderr') });

  const realRequire = createRequire(filename);
  const fnRequire = (id: string) => (id === 'containerless' ? api : realRequire(id));
  if (opts.env) Object.assign(process.env, opts.env);
  if (opts.globalFetch) globalThis.fetch = createFetch(opts.io);

  const mod = { exports: {} as unknown };
  const extra = opts.bindings ?? {};
  const params = ['exports', 'require', 'module', '__filename', '__dirname', 'console', ...Object.keys(extra)];
  let compiled: (...args: unknown[]) => unknown;
  try {
    compiled = vm.compileFunction(source + FIND_MAIN, params, { filename, ...(opts.fetchInScope ? { contextExtensions: [{ fetch: createFetch(opts.io) }] } : {}) }) as (...args: unknown[]) => unknown;
  } catch (err) {
    throw new FunctionLoadError(`the function does not compile: ${(err as Error).message}`);
  }
  const main = compiled(mod.exports, fnRequire, mod, filename, filename.replace(/\/[^/]*$/, '') || '/', fnConsole, ...Object.values(extra));
  const pending = (mod as Record<string, unknown>)[TOP_LEVEL_PROMISE];
  const topLevel = pending instanceof Promise ? pending : undefined;
  return { topLevel, finish: () => finish(main) };

  function finish(main: unknown): LoadedFunction {
    loading = false;

    const host: StyleHost = {
      runIn,
      fail,
      log: opts.log,
      functionName: opts.functionName ?? 'function',
      functionVersion: String(opts.functionVersion ?? 1),
      memoryMb: opts.memoryMb ?? 128,
      env: Object.freeze({ ...opts.env }),
    };
    const adapter = recognizeStyle({ listen: handler, exports: mod.exports, main }, host);
    if (!adapter) throw new FunctionLoadError(NO_HANDLER);

    return {
      style: adapter.style,
      current: () => als.getStore(),
      fail(ctx, err) {
        if (!ctx.done) fail(ctx, err);
      },
      invoke(raw, { timeoutMs, id }) {
        return new Promise<FnResponse>((resolve) => {
          const ctx: RequestContext = {
            id: id ?? `r${++counter}`,
            done: false,
            finish(res) {
              if (ctx.done) return;
              ctx.done = true;
              clearTimeout(timer);
              resolve(res);
            },
          };
          const timer = setTimeout(() => ctx.finish(platformError(504, `function timed out after ${timeoutMs} ms`)), timeoutMs);
          try {
            adapter.start(ctx, raw, { deadline: Date.now() + timeoutMs });
          } catch (err) {
            fail(ctx, err);
          }
        });
      },
    };
  }
}
