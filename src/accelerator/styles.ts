/**
 * The function styles of CONTRACT §1b in compiled code. The adapters are the containers' own
 * (src/api/styles): the same code builds the event or parameters and maps the handler's result to
 * the response, so an accelerated answer is byte-identical by construction. This file only moves
 * values across: the event into the program's realm, the handler's result out of it, and Lambda's
 * `context` and `callback` in as runtime functions.
 *
 * The program's own failure (a throw, a rejection, `callback(err)`) crosses to the adapter as a
 * `RealmThrow` and is answered as the containers answer it: the same 500, and the log's stack with one
 * stand-in frame (log-format.ts). What the adapters themselves fail on (a result that is no response)
 * aborts instead (`unsupported:value`, detail `style-error`), since their message describes host values.
 */
import {
  lambdaStyle,
  openwhiskStyle,
  webStyle,
  type FnResponse,
  type FunctionStyle,
  type RawRequest,
  type RequestContext,
  type StyleAdapter,
  type StyleHost,
} from '../api/index.ts';
import type { Runtime } from './runtime.ts';
import { thrownStack } from './log-format.ts';
import { toHostJson } from './convert.ts';
import { Closure, CoreFunction, ErrorValue, Thrown } from './values.ts';
import { NativeHandler, isPromise, performThen } from './promise.ts';
import { isWebValue, responseOf, wrapRequest } from './builtins/index.ts';

/** What a Lambda context shows of the deployed function (as its container's runner is told). */
export interface FunctionIdentity {
  name: string;
  version: string;
  memoryMb: number;
}

export const STYLE_ERROR = 'style-error (the containers log its stack)';

/** What the instance gives a style's request: its answer, and a wait on host work (a Web body). */
export interface EntryHooks {
  finish(res: FnResponse): void;
  /** Keeps the request waiting until the returned function is called. */
  hold(): () => void;
  /** Answers the request as an uncaught throw of runtime value `value` (its 500 and log). */
  uncaught(value: unknown): void;
  /** Aborts the request from outside its code (host work that failed after it returned). */
  abortLater(detail: string): void;
}

/** A style's entry into compiled code, found from what the top level left in `module.exports`. */
export interface StyleEntry {
  readonly style: FunctionStyle;
  /** Runs one request (inside the instance's `run`): answers through `hooks.finish`, or aborts. */
  start(id: string, raw: RawRequest, deadline: number, hooks: EntryHooks): void;
}

/**
 * The style of the program's exports, in the containers' order (src/api/styles/recognize.ts): a Web
 * `default.fetch` is recognized but not run here (it needs Request and Response in the sandbox), so
 * it is reported for the caller to refuse; `handler` is Lambda; `main`, or `module.exports` itself a
 * function, OpenWhisk. (A top-level `function main` that nothing exports is exported by the runnable
 * text the platform derives, src/platform/source-prep.ts.)
 */
export function styleOfExports(rt: Runtime, identity: FunctionIdentity, env: Readonly<Record<string, string>>, log: StyleHost['log']): StyleEntry | undefined {
  const exp = rt.module?.exports;
  const obj = typeof exp === 'object' && exp !== null && rt.isPlain(exp) ? (exp as Record<string, unknown>) : undefined;
  const def = obj && Object.hasOwn(obj, 'default') ? obj.default : undefined;
  const host = styleHost(rt, identity, env, log);
  if (typeof def === 'object' && def !== null) {
    const fetch = rt.get(def, 'fetch');
    if (fetch instanceof Closure) return webEntry(rt, def, fetch, host);
    if (rt.isCallable(fetch)) return undefined;
  }
  const own = (k: string) => (obj && Object.hasOwn(obj, k) ? obj[k] : undefined);
  const handler = own('handler');
  if (handler instanceof Closure) return entry(lambdaStyle(asHostFunction(rt, handler) as Parameters<typeof lambdaStyle>[0], host));
  const main = own('main') ?? exp;
  if (main instanceof Closure) return entry(openwhiskStyle(asHostFunction(rt, main) as (p: unknown) => unknown, host));
  return undefined;
}

function entry(adapter: StyleAdapter, holds = false): StyleEntry {
  return {
    style: adapter.style,
    start(id, raw, deadline, hooks) {
      // The Web adapter reads the Response's body on the host, after the function returned: the
      // request waits for it.
      const release = holds ? hooks.hold() : () => {};
      const ctx: RequestContext = {
        id,
        done: false,
        finish(res) {
          if (ctx.done) return;
          ctx.done = true;
          hooks.finish(res);
          release();
        },
      };
      requests.set(ctx, { hooks, release });
      try {
        adapter.start(ctx, raw, { deadline });
      } catch (e) {
        // A handler's own throw leaves the adapter, as the containers' invoke catches it.
        if (!(e instanceof RealmThrow)) throw e;
        hooks.uncaught(e.value);
        release();
      }
    },
  };
}

/** Each request's hooks and hold, for the host's `fail` (during the start or after it). */
const requests = new WeakMap<RequestContext, { hooks: EntryHooks; release: () => void }>();

/** A value the program threw, carried through the adapters to the host's `fail`. */
class RealmThrow {
  constructor(readonly value: unknown) {}
}

/**
 * A Workers module: `fetch(request, env, ctx)` gets the Request as a runtime value wrapping the
 * adapter's own, and its Response is unwrapped for the adapter to send. `ctx.waitUntil` keeps a
 * promise running after the response (a rejection is logged, as the containers log it).
 */
function webEntry(rt: Runtime, def: object, fetch: Closure, host: StyleHost): StyleEntry {
  const target = {
    fetch(request: Request, env: unknown) {
      const execution = rt.fromHost({}) as Record<string, unknown>;
      rt.put(execution, 'waitUntil', new CoreFunction('waitUntil', (args) => {
        if (isPromise(args[0])) performThen(rt, args[0], new NativeHandler(() => undefined), new NativeHandler((reason) => logLines(rt, host, 'Uncaught (in waitUntil) ' + thrownStack(rt, reason))), undefined);
        return undefined;
      }));
      rt.put(execution, 'passThroughOnException', new CoreFunction('passThroughOnException', () => undefined));
      Object.freeze(execution); // as the containers' adapter freezes it (src/api/styles/web.ts)
      let result: unknown;
      try {
        result = rt.call(fetch, def, [wrapRequest(rt, request), rt.fromHost(env), execution]);
      } catch (e) {
        if (e instanceof Thrown) throw new RealmThrow(e.value);
        throw e;
      }
      return styleResult(rt, result);
    },
  };
  return entry(webStyle(target as Parameters<typeof webStyle>[0], host), true);
}

/** A multi-line log entry as the instance writes console output: line by line, under the running request. */
function logLines(rt: Runtime, host: StyleHost, text: string): void {
  for (const line of text.split('\n')) host.log('stderr', line, rt.cur?.id);
}

function styleHost(rt: Runtime, identity: FunctionIdentity, env: Readonly<Record<string, string>>, log: StyleHost['log']): StyleHost {
  return {
    // The instance already runs the adapter inside the request's `run`.
    runIn: (_ctx, fn) => fn(),
    // Inside the request's code, an abort; after it (a Web body the host failed to read), through
    // the instance.
    fail: (ctx, err) => {
      const c = requests.get(ctx);
      if (err instanceof RealmThrow && c) return c.hooks.uncaught(err.value);
      if (rt.cur) return rt.abort('unsupported:value', STYLE_ERROR);
      c?.hooks.abortLater(STYLE_ERROR);
      c?.release();
    },
    log,
    functionName: identity.name,
    functionVersion: identity.version,
    memoryMb: identity.memoryMb,
    env,
  };
}

/**
 * A host function that calls closure `c` with its host arguments brought into the realm and gives
 * back its result as host data the adapters read as they read a container's. Its `length` is the
 * closure's: Lambda tells callback handlers by it.
 */
function asHostFunction(rt: Runtime, c: Closure): (...args: unknown[]) => unknown {
  const f = (...args: unknown[]) => {
    let result: unknown;
    try {
      result = rt.call(c, undefined, args.map((a) => intoRealm(rt, a)));
    } catch (e) {
      if (e instanceof Thrown) throw new RealmThrow(e.value);
      throw e;
    }
    return styleResult(rt, result);
  };
  Object.defineProperty(f, 'length', { value: c.length });
  return f;
}

/** The functions of Lambda's adapter whose first argument, when given, is the request's error. */
const ERROR_FIRST: ReadonlySet<string> = new Set(['callback', 'fail', 'done']);

/** Host data into the realm; the host functions of Lambda's context become runtime functions. */
function intoRealm(rt: Runtime, v: unknown): unknown {
  if (typeof v === 'function') return new CoreFunction(v.name, (args) => {
    // Lambda's `callback(err)`, `context.fail(err)`, `context.done(err)`: the error is the program's.
    const failing = ERROR_FIRST.has(v.name) && args[0] !== undefined && args[0] !== null;
    const r = (v as (...a: unknown[]) => unknown)(...args.map((a, i) => (failing && i === 0 ? new RealmThrow(a) : styleResult(rt, a))));
    return typeof r === 'number' || r === undefined ? r : rt.abort('unsupported:value', 'context-result');
  });
  if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.values(v).some((x) => typeof x === 'function')) return rt.fromHost(v);
  // Key by key, in the host object's order (Object.keys of the context is the container's).
  const o = rt.fromHost({}) as Record<string, unknown>;
  for (const [k, x] of Object.entries(v)) rt.put(o, k, intoRealm(rt, x));
  return o;
}

/**
 * A handler's result (or a value given to a callback) as host data with what the adapters observe
 * of it: a plain object's own keys (`'statusCode' in result` holds for an own undefined too), its
 * `headers` values and `cookies` as the strings `String(v)` makes, and every other value as the
 * host value JSON.stringify renders the same. Promises and objects of other kinds abort for now.
 */
function styleResult(rt: Runtime, v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (isPromise(v)) return thenable(rt, v);
  if (isWebValue(v)) return responseOf(v) ?? rt.abort('unsupported:value', 'style-result (a web object that is no Response)');
  if (v instanceof ErrorValue) return rt.abort('unsupported:value', STYLE_ERROR);
  if (Array.isArray(v) || rt.isCallable(v)) return toHostJson(rt, v);
  if (!rt.isPlain(v)) return rt.abort('unsupported:value', 'style-result (not a plain object)');
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(o);
  rt.tick(1 + keys.length);
  for (const k of keys) {
    const x = o[k];
    if (k === 'then' && rt.isCallable(x)) return rt.abort('unsupported:value', 'style-result (a promise)');
    if (k === 'headers' && typeof x === 'object' && x !== null && !Array.isArray(x) && rt.isPlain(x)) out[k] = stringValues(rt, x as Record<string, unknown>);
    else if (k === 'cookies' && Array.isArray(x)) out[k] = x.map((c) => rt.stringOf(c));
    else out[k] = typeof x === 'object' && x !== null ? toHostJson(rt, x) : x;
  }
  return out;
}

/**
 * A realm promise as a host thenable the adapters settle on: its value crosses as a result does; a
 * rejection is the program's failure (RealmThrow), answered as the containers answer it.
 */
function thenable(rt: Runtime, p: import('./promise.ts').PromiseValue): PromiseLike<unknown> {
  return {
    then(ok, bad) {
      performThen(rt, p, new NativeHandler((v) => ok?.(styleResult(rt, v))), new NativeHandler((reason) => bad?.(new RealmThrow(reason))), undefined);
      return undefined as unknown as PromiseLike<never>;
    },
  };
}

function stringValues(rt: Runtime, h: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(h);
  rt.tick(1 + keys.length);
  for (const k of keys) {
    const x = h[k];
    out[k] = x === undefined || x === null ? x : rt.stringOf(x);
  }
  return out;
}
