import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { makeRequest } from './request.ts';
import { formatResponse, platformError, uncaughtErrorResponse, type RespondOptions } from './respond.ts';
import { buildOutbound, parseOutboundBody } from './outbound.ts';
import type { FnResponse, IO, LogStream, OutboundMethod, RawRequest } from './types.ts';

/** One request in flight inside a loaded function. */
export interface RequestContext {
  id: string;
  done: boolean;
  finish(res: FnResponse): void;
  /** Opaque slot for the tracer (its per-request path). */
  data?: unknown;
}

export interface HostOptions {
  io: IO;
  log(stream: LogStream, line: string, requestId: string | undefined): void;
  filename?: string;
  /** Environment seen by the function as process.env additions (config.env). */
  env?: Record<string, string>;
  /** Extra top-level bindings for instrumented code, e.g. the tracer's recorder. */
  bindings?: Record<string, unknown>;
  /** Runs around every entry into function code on behalf of a request: handler and callbacks. */
  enter?(ctx: RequestContext | undefined): void;
}

export interface LoadedFunction {
  invoke(raw: RawRequest, opts: { timeoutMs: number; id?: string }): Promise<FnResponse>;
  /** The request whose code is running now (AsyncLocalStorage), if any. */
  current(): RequestContext | undefined;
  /** Fails a request with a 500, e.g. from an uncaughtException handler. */
  fail(ctx: RequestContext, err: unknown): void;
}

export class FunctionLoadError extends Error {}

let counter = 0;

/**
 * Loads a function file (CommonJS) in this process with the `containerless` module of CONTRACT §1.
 * This process is not a sandbox: callers are the container runner (inside an OS sandbox), the
 * trace-run oracle and benchmarks. Concurrent requests are kept apart with AsyncLocalStorage.
 */
export function loadFunction(source: string, opts: HostOptions): LoadedFunction {
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
    if (ctx.done) return;
    const msg = err instanceof Error && err.stack ? err.stack : String(err);
    opts.log('stderr', `Uncaught ${msg}`, ctx.id);
    ctx.finish(uncaughtErrorResponse(err));
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
      ctx.finish(formatResponse(value, options));
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

  const mod = { exports: {} as unknown };
  const extra = opts.bindings ?? {};
  const params = ['exports', 'require', 'module', '__filename', '__dirname', 'console', ...Object.keys(extra)];
  let compiled: (...args: unknown[]) => unknown;
  try {
    compiled = vm.compileFunction(source, params, { filename }) as (...args: unknown[]) => unknown;
  } catch (err) {
    throw new FunctionLoadError(`the function does not compile: ${(err as Error).message}`);
  }
  compiled(mod.exports, fnRequire, mod, filename, filename.replace(/\/[^/]*$/, '') || '/', fnConsole, ...Object.values(extra));
  loading = false;
  if (!handler) throw new FunctionLoadError('the function did not call containerless.listen');
  const h = handler;

  return {
    current: () => als.getStore(),
    fail,
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
          const req = makeRequest(raw);
          runIn(ctx, () => h(req));
        } catch (err) {
          fail(ctx, err);
        }
      });
    },
  };
}
