/**
 * createInstance: one warm "container" of compiled code. The top level runs once (registering the
 * handler through the runtime's `containerless` object) and its globals live as long as the
 * instance. `handle` runs a request; its outbound calls go through the `io` given, and their
 * callbacks run later as continuations of the same request (each request keeps its own fuel and
 * memory; requests interleave only between continuations). An abort poisons the instance: the
 * caller makes a new one (as if a container had died), and the aborted request runs no more code.
 */
import {
  buildOutbound,
  createFetch,
  makeRequest,
  parseOutboundBody,
  platformError,
  type FnResponse,
  type IO,
  type LogStream,
  type OutboundMethod,
  type OutboundRequest,
  type RawRequest,
} from '../api/index.ts';
import { JSON_UNITS_PER_BYTE, WIDE, WIDE_CHAR_BYTES, fastCharUnits } from './builtins/costs.ts';
import { respondWith, toHostOutbound } from './convert.ts';
import { formatLog, thrownStack } from './log-format.ts';
import { isolateBytesInUse, resolveLimits, wornThreshold, type Limits } from './limits.ts';
import { boundDetail, type AbortReason } from './aborts.ts';
import type { CompiledProgram } from './load.ts';
import { ProcessValue } from './process-env.ts';
import { RequestState, type Usage } from './runtime.ts';
import { clearMicrotasks, drainMicrotasks, waitingOf, type Job, type Owner } from './microtasks.ts';
import { NativeHandler, capabilityOf, isPromise, newPromise, performThen } from './promise.ts';
import { hostError } from './builtins/web-value.ts';
import { makeBuffer } from './builtins/index.ts';
import { RequestLoop, registerLoops } from './timers.ts';
import { AbortError, CoreFunction, CoreObject, ErrorValue, Thrown } from './values.ts';
import { TOP_LEVEL_PROMISE } from '../api/index.ts';
import { STYLE_ERROR, styleOfExports, type EntryHooks, type FunctionIdentity, type StyleEntry } from './styles.ts';

/**
 * `usage`: the fuel units and bytes the request was charged (as of when the result was known; code
 * that runs after `respond` is charged to the request too, but not reported here).
 */
export type AccelResult =
  | { kind: 'response'; response: FnResponse; outbound: OutboundRequest[]; usage?: Usage }
  | { kind: 'abort'; reason: AbortReason; detail: string; loc?: { line: number; column: number }; outbound: OutboundRequest[]; usage?: Usage };

export type { Usage };

export interface InstanceOptions {
  io: IO;
  log(stream: LogStream, line: string, requestId?: string): void;
  limits?: Partial<Limits>;
  /**
   * The function's environment as its container sees it (the runner's base variables, then
   * config.env): what `process.env` starts as in this instance. Absent: empty.
   */
  env?: Readonly<Record<string, string>>;
  /** What a Lambda handler's context shows of the function (as its containers are told). */
  identity?: FunctionIdentity;
}

export interface Instance {
  handle(raw: RawRequest, opts: { timeoutMs: number; id?: string }): Promise<AccelResult>;
  /**
   * True when new requests should go to a new instance: after any request aborted (then `handle`
   * answers new requests with an `internal` abort), or when the instance is `worn` (then it still
   * serves, but the caller should replace it before the next request).
   */
  readonly poisoned: boolean;
  /**
   * What is left of the instance's memory budget (`limits.instanceMemoryBytes`, the function's
   * `memory_mb`) is less than one request may allocate (`wornThreshold`): replace the instance between
   * requests, before the next one runs, rather than let a request abort with `memory` because earlier
   * ones allocated. Allocations are counted cumulatively (never refunded), globals included.
   */
  readonly worn: boolean;
  /**
   * Whether the instance may serve the next request: not poisoned, and not worn or its budget renewed.
   * A worn instance's allocations are mostly garbage by then (a request's temporaries), but which of
   * them its globals kept cannot be seen; everything it kept is part of the isolate's heap in use
   * (`bytesInUse`, by default measured now), so the budget left becomes `memory_mb` minus that, when
   * that leaves more than `wornThreshold`. Without it the instance is replaced, as before, and its top
   * level (a trie, a table) runs again: every ~1,500 requests of a CPU-bound function.
   */
  renew(bytesInUse?: number): boolean;
  /** Bytes charged to the instance (its top level and all its requests), or since a renewal the bytes that renewal counted. */
  readonly memoryUsed: number;
  /** The limits the instance runs with. */
  readonly limits: Readonly<Limits>;
  /**
   * Settles when the top level is done: at once, unless it waits for the host (an awaited fetch or
   * body read), as a container's module evaluation does. Gives the start's error, if any; `handle`
   * waits for it and answers a failed start with the start's abort.
   */
  readonly started: Promise<InstanceStartError | undefined>;
}

/** The top level threw or aborted, or left no handler of a style compiled code runs. */
export class InstanceStartError extends Error {
  constructor(message: string, readonly abort?: AbortError) {
    super(message);
    this.name = 'InstanceStartError';
  }

  /**
   * The abort of the request that needed this instance: the top level's own reason and detail when
   * it aborted, else `internal` with this error's message.
   */
  toAbort(): { reason: AbortReason; detail: string; loc?: { line: number; column: number } } {
    const a = this.abort;
    return a ? { reason: a.reason, detail: boundDetail(`top level: ${a.detail}`), loc: a.loc } : { reason: 'internal', detail: boundDetail(this.message) };
  }
}

interface Pending extends RequestState {
  outbound: OutboundRequest[];
  /** Its timers and immediates (absent for the top level, where timers abort). */
  loop?: RequestLoop;
  settle(r: AccelResult): void;
}

let counter = 0;

/** How many requests' fuel the top level may spend (see createInstance). */
export const TOP_LEVEL_FUEL_FACTOR = 10;
/** As src/sandbox's START_TIMEOUT_MS: a container whose module has not loaded by then is stopped. */
export const TOP_LEVEL_TIMEOUT_MS = 15_000;

/** Abort detail of an outbound response that is bytes (docs/accelerator.md, "Aborts"). */
export const BINARY_RESPONSE = 'binary-body (an outbound response body is not text)';

/** The program's literals may hold characters outside Latin-1 (raw, or as a surrogate's escape). */
function mayBeWide(code: string): boolean {
  return WIDE.test(code) || /\\u[dD]/.test(code);
}

export function createInstance(program: CompiledProgram, opts: InstanceOptions): Instance {
  const limits = resolveLimits(program.limits, opts.limits);
  // Everything runs with `rt` as the runtime: the per-request state lives on it (fast-ops.ts).
  const rt = program.realm.newRuntime(limits);
  // Strings are charged at one byte per character until one may hold a character outside Latin-1.
  if (mayBeWide(program.code) || Object.entries(opts.env ?? {}).some(([k, v]) => WIDE.test(k) || WIDE.test(v))) rt.charBytes = WIDE_CHAR_BYTES;
  const worn = wornThreshold(limits);
  let handler: unknown;
  let starting = true;
  let poisoned = false;

  function outbound(method: OutboundMethod): CoreFunction {
    return new CoreFunction(method.toLowerCase(), (args) => {
      // A top-level call's callback never runs, as in a container (src/api): nothing waits for it.
      const r = rt.cur === init ? null : (rt.cur as Pending | null);
      let req: OutboundRequest;
      try {
        req = buildOutbound(method, toHostOutbound(rt, args[0]));
      } catch (e) {
        if (e instanceof AbortError) throw e;
        // OutboundArgumentError is a TypeError in Node too: the function sees it.
        return rt.throwError('TypeError', (e as Error).message);
      }
      // The body leaves the realm (the string, or the JSON text the library made and charged).
      if (req.body !== undefined) rt.tick(fastCharUnits(req.body.length));
      const cb = args[1];
      if (r && r.outbound) r.outbound.push(req);
      if (r) r.pending++;
      void opts.io.request(req, r?.id ?? init.id).then(
        // fromHost copies the headers into the program's realm: no copy of them here first.
        (resp) =>
          resp?.bodyEncoding !== undefined
            ? abortWaiting(r, BINARY_RESPONSE)
            : continueWith(r, cb, resp === undefined ? [undefined] : [parseOutboundBody(resp), { status: resp.status, headers: resp.headers }], resp?.body.length ?? 0),
        () => continueWith(r, cb, [undefined], 0),
      );
      return undefined;
    });
  }

  /** Runs a callback of request r as its continuation; `bytes`: the response body parsed for it. */
  function continueWith(r: Pending | null, cb: unknown, hostArgs: unknown[], bytes: number): void {
    if (!r || !r.settle) return; // top-level calls: the response is not awaited by anyone
    r.pending--;
    if (r.done || r.aborted) return;
    if (rt.isCallable(cb)) {
      r.loop?.enterPoll();
      run(r, () => {
        // The body was parsed (JSON) on this event loop for this request, as a request's body is.
        rt.tick(1 + bytes * JSON_UNITS_PER_BYTE);
        return rt.call(cb, undefined, hostArgs.map((a) => (a === undefined ? a : rt.fromHost(a))));
      });
      r.loop?.afterPoll();
    }
    answerIfIdle(r);
  }

  /** Nothing the request waits for is left and it has not answered: Node would wait for the timeout. */
  function answerIfIdle(r: Pending): void {
    if (r.done || r.pending !== 0 || (r.loop?.size ?? 0) !== 0) return;
    if (r === init) return checkStart();
    // Waiting on a promise: another request may settle it (a promise shared through a global), which
    // would resume this one in a container; the instance cannot tell, so it does not guess a 504.
    if (waitingOf(r) > 0) abortRequest(r, new AbortError('unsupported:value', 'waiting-on-a-promise (nothing of this request is left to settle it)'));
    else finish(r, { kind: 'response', response: platformError(504, r.timeoutText), outbound: r.outbound });
  }

  /**
   * Runs a microtask job while request r's code runs. A job of another request (a reaction it
   * registered on a promise r settled: a promise shared between requests) is that request's
   * continuation, which Node runs in its context; the instance does not switch requests inside a
   * drain, so that request aborts (and is re-executed in a container) instead. Jobs of the top level
   * run as r's.
   */
  function execJob(r: Pending, owner: Owner, job: Job): void {
    const o = owner as Pending | null;
    if (o === null || o === r || !o.settle) return job();
    if (!o.done && !o.aborted) abortRequest(o, new AbortError('unsupported:value', 'promise-across-requests (a reaction of this request was settled by another)'));
  }

  /**
   * Request r's outbound call came back with something compiled code does not run on (a binary body):
   * the request aborts where its callback would have run, and is re-executed in a container, which
   * is served this very response by replay.
   */
  function abortWaiting(r: Pending | null, detail: string): void {
    if (!r || !r.settle) return; // top-level calls: the response is not awaited by anyone
    r.pending--;
    if (r.done || r.aborted) return;
    run(r, () => rt.abort('unsupported:value', detail));
  }

  const api = new CoreObject('containerless', [
    new CoreFunction('listen', (args) => {
      const h = args[0];
      if (!rt.isCallable(h)) return rt.throwError('TypeError', 'containerless.listen: handler must be a function');
      if (!starting || handler) return rt.throwError('Error', 'containerless.listen: called more than once or after start-up');
      handler = h;
      return undefined;
    }),
    new CoreFunction('respond', (args) => {
      const r = rt.cur as Pending | null;
      if (!r || !r.settle || r.done || r === init) return undefined;
      const response = respondWith(rt, args[0], args[1]);
      finish(r, { kind: 'response', response, outbound: r.outbound });
      return undefined;
    }),
    outbound('GET'),
    outbound('POST'),
    outbound('PUT'),
    outbound('DELETE'),
  ]);
  const logTo = (stream: LogStream) =>
    new CoreFunction(stream === 'stdout' ? 'log' : 'error', (args) => {
      rt.tick(1 + args.length);
      // One log line per text line, as the container's console writes reach its log.
      for (const line of formatLog(rt, args).split('\n')) opts.log(stream, line, rt.cur?.id);
      return undefined;
    });
  const consoleObj = new CoreObject('console', [logTo('stdout'), logTo('stderr'), renamed(logTo('stdout'), 'info'), renamed(logTo('stderr'), 'warn')]);
  function renamed(f: CoreFunction, name: string): CoreFunction {
    return new CoreFunction(name, CoreFunction.impl(f));
  }
  rt.api = api;
  rt.console = consoleObj;
  // Per instance, like a warm container's: writes persist until the instance is replaced.
  rt.process = new ProcessValue(opts.env ?? {});
  rt.awaitHost = awaitHost;
  rt.fetchHost = fetchHost;

  /**
   * Host.awaitHost: a host promise (a body read, a fetch) as the realm's. The request waits for it as
   * for an outbound call; when it settles, the realm's promise settles as the request's continuation.
   */
  function awaitHost(p: Promise<unknown>, convert: (v: unknown) => unknown, what: string): unknown {
    const r = rt.cur as Pending | null;
    if (!r || !r.settle) return rt.abort('unsupported:value', `${what} (outside a request)`);
    const promise = newPromise(rt);
    const cap = capabilityOf(rt, promise);
    r.pending++;
    p.then(
      // A conversion that throws (json() of a body that is not JSON) rejects the promise, as Node's
      // body mixin does; an abort still ends the request.
      (v) => hostSettled(r, () => {
        let value: unknown;
        try {
          value = convert(v);
        } catch (e) {
          if (!(e instanceof Thrown)) throw e;
          cap.reject(e.value);
          return;
        }
        cap.resolve(value);
      }),
      (e) => hostSettled(r, () => cap.reject(hostError(rt, e, what))),
    );
    return promise;
  }

  function hostSettled(r: Pending, body: () => void): void {
    r.pending--;
    if (r.done || r.aborted) return;
    r.loop?.enterPoll();
    run(r, body);
    r.loop?.afterPoll();
    answerIfIdle(r);
  }

  /** Host.fetchHost: src/api's fetch, whose calls are this request's outbound calls. */
  function fetchHost(input: RequestInfo, init: RequestInit | undefined): Promise<Response> {
    const r = rt.cur as Pending | null;
    if (!r || !r.settle) return rt.abort('unsupported:value', 'fetch (outside a request)');
    return createFetch({
      request(req) {
        r.outbound.push(req);
        return opts.io.request(req, r.id);
      },
    })(input, init);
  }

  function finish(r: Pending, result: AccelResult): void {
    if (r.done) return;
    r.done = true;
    r.loop?.dispose();
    result.usage = r.usage; // the request's own object, brought up to date when it leaves the runtime
    r.settle(result);
  }

  /**
   * Runs function code for request r, then its microtasks (microtasks.ts), as Node runs a callback
   * and then drains its queue; turns exceptions into the request's outcome.
   */
  function run(r: Pending, body: () => unknown): void {
    rt.enter(r);
    try {
      try {
        body();
      } catch (e) {
        if (!(e instanceof Thrown) || r.aborted) throw e;
        uncaught(r, e.value);
      }
      if (!r.aborted) drainMicrotasks(rt, (o, job) => execJob(r, o, job), (v) => uncaught(r, v), (v) => uncaught(r, v));
    } catch (e) {
      clearMicrotasks(rt);
      abortRequest(r, rt.asAbort(e));
    } finally {
      rt.leave();
    }
  }

  /**
   * A throw no code caught, or a rejection no code handled: the container's 'uncaughtException' and
   * 'unhandledRejection' handlers log it and answer 500 (only log once the request has answered).
   */
  function uncaught(r: Pending, value: unknown): void {
    if (r === init) return settleStart(new InstanceStartError(`the top level threw: ${safeDescribe(value)}`));
    // The response reads name and message now; the log shows the stack (src/api's stackText).
    const text = describe(value);
    for (const line of `Uncaught ${thrownStack(rt, value)}`.split('\n')) opts.log('stderr', line, r.id);
    finish(r, { kind: 'response', response: platformError(500, `Uncaught ${text}`), outbound: r.outbound });
  }

  /** describeThrown of src/api for runtime values: `name: message` for errors, String(v) otherwise. */
  function describe(v: unknown): string {
    if (v instanceof ErrorValue) return `${rt.toString(rt.get(v, 'name'))}: ${rt.toString(rt.get(v, 'message'))}`;
    return rt.stringOf(v);
  }

  function abortRequest(r: Pending, a: AbortError): void {
    poisoned = true;
    if (r === init) return settleStart(new InstanceStartError(`the top level aborted: ${a.reason} (${a.detail})`, a));
    r.aborted = a;
    finish(r, { kind: 'abort', reason: a.reason, loc: a.loc, detail: a.detail, outbound: r.outbound });
  }

  registerLoops(rt, () => (rt.cur as Pending | null)?.loop ?? null);

  // The top level, once (with its microtasks: a rejection nothing handles fails the start-up).
  // The top level runs once per instance, as a container's module loads once: it may build tables
  // a library keeps (Unicode ranges, lookup maps) that a request never pays for again, so it gets
  // TOP_LEVEL_FUEL_FACTOR requests' fuel. Memory stays a request's: the instance budget bounds the rest.
  const init = new RequestState({ ...limits, fuel: limits.fuel * TOP_LEVEL_FUEL_FACTOR }, 'init') as Pending;
  init.outbound = [];
  // The top level may wait for the host (an awaited fetch or body read) as a request does; it has no
  // response: its end is the start's (checkStart, settleStart).
  init.settle = () => undefined;
  // Timers the top level sets run on its own loop; a module awaiting one (`await sleep(…)`) waits
  // for it, as Node's evaluation does. One still pending when the top level ends would run between
  // requests in a container: the start fails then (checkStart).
  init.loop = new RequestLoop(
    rt,
    (body) => {
      run(init, body);
      answerIfIdle(init);
    },
    () => startOutcome !== undefined,
  );
  /** Whether the top level's code has ended: at once for a script, when its promise settles for a module that awaits. */
  let topLevelEnded = false;
  /** Until the first run and its microtasks are over, the start's outcome is decided below. */
  let firstRun = true;
  let evaluationFailed: { reason: unknown } | undefined;
  rt.enter(init);
  try {
    // CommonJS's module object, for the styles that export their handler (`exports` is its first
    // value). Not charged: a container's module objects are not the function's allocations either.
    rt.exports = program.realm.newObject();
    rt.module = program.realm.newObject();
    rt.module.exports = rt.exports;
    program.main(rt);
    const evaluation = (rt.module as Record<string, unknown>)[TOP_LEVEL_PROMISE];
    if (isPromise(evaluation)) {
      performThen(
        rt,
        evaluation,
        new NativeHandler(() => {
          topLevelEnded = true;
          if (!firstRun) checkStart();
        }),
        // The module's evaluation failed: so does the start, as the container's load does.
        new NativeHandler((reason) => {
          if (firstRun) evaluationFailed = { reason };
          else uncaught(init, reason);
        }),
        undefined,
      );
    } else topLevelEnded = true;
    drainMicrotasks(rt, (_o, job) => job(), (v) => {
      throw new Thrown(v);
    }, (v) => {
      throw new Thrown(v);
    });
    if (evaluationFailed) throw new Thrown(evaluationFailed.reason);
  } catch (e) {
    clearMicrotasks(rt);
    init.loop.dispose();
    rt.leave();
    if (e instanceof Thrown) throw new InstanceStartError(`the top level threw: ${safeDescribe(e.value)}`);
    const a = rt.asAbort(e);
    throw new InstanceStartError(`the top level aborted: ${a.reason} (${a.detail})`, a);
  }
  rt.leave();
  let h: unknown;
  let entry: StyleEntry | undefined;
  /** Undefined while the top level waits for the host; then the start's outcome. */
  let startOutcome: { error?: InstanceStartError } | undefined;
  let startSettled: (error: InstanceStartError | undefined) => void = () => undefined;
  const started = new Promise<InstanceStartError | undefined>((resolve) => {
    startSettled = resolve;
  });
  // A container whose module has not loaded by then is stopped (src/sandbox's start timeout).
  const startTimer = setTimeout(() => settleStart(startAborted('unsupported:value', `top-level-timeout (it did not end within ${TOP_LEVEL_TIMEOUT_MS} ms, when a container is stopped)`)), TOP_LEVEL_TIMEOUT_MS);
  startTimer.unref?.();
  firstRun = false;
  checkStart();
  // The container's runner loads the module in an I/O callback: what it set runs from the check phase on.
  init.loop.afterPoll();

  /**
   * The top level may be over: its code has ended and no host wait is left. A timer still pending
   * then would run between requests, which compiled code does not model.
   */
  function checkStart(): void {
    if (startOutcome || init.pending > 0) return;
    const timers = init.loop?.size ?? 0;
    if (!topLevelEnded) {
      // Awaiting a promise nothing is left to settle: Node's module evaluation would never finish.
      if (timers === 0) settleStart(startAborted('unsupported:value', 'waiting-on-a-promise (nothing of the top level is left to settle it)'));
      return;
    }
    if (timers > 0) return settleStart(startAborted('unsupported:builtin', 'setTimeout at the top level (a timer left when it ends would run between requests)'));
    try {
      endStart();
    } catch (e) {
      return settleStart(e instanceof InstanceStartError ? e : new InstanceStartError((e as Error).message));
    }
    settleStart(undefined);
  }

  /** The top level is done: what it left is the handler (or a style's exports). */
  function endStart(): void {
    starting = false;
    h = handler;
    if (h) return;
    const found = styleOfExports(rt, opts.identity ?? { name: 'function', version: '1', memoryMb: 128 }, opts.env ?? {}, opts.log);
    if (!found) throw new InstanceStartError('the function did not call containerless.listen and exports no handler compiled code can run (a Web fetch, a Lambda handler or an OpenWhisk main)');
    entry = found;
  }

  function startAborted(reason: AbortReason, detail: string): InstanceStartError {
    return new InstanceStartError(`the top level aborted: ${reason} (${detail})`, new AbortError(reason, detail));
  }

  /** The start's outcome, once: a failed start poisons the instance. */
  function settleStart(error: InstanceStartError | undefined): void {
    if (startOutcome) return;
    clearTimeout(startTimer);
    init.loop?.dispose();
    if (error) poisoned = true;
    startOutcome = { error };
    startSettled(error);
  }

  /** What a style's adapter may do for request r (styles.ts). */
  function entryHooks(r: Pending): EntryHooks {
    return {
      finish: (response) => finish(r, { kind: 'response', response, outbound: r.outbound }),
      hold() {
        r.pending++;
        let held = true;
        return () => {
          if (!held) return;
          held = false;
          r.pending--;
          answerIfIdle(r);
        };
      },
      uncaught: (value) => {
        const answer = () => {
          try {
            uncaught(r, value);
          } catch (e) {
            // Its name, message or toString threw: what the containers do then is not modelled.
            if (e instanceof Thrown) rt.abort('unsupported:value', STYLE_ERROR);
            throw e;
          }
        };
        if (rt.cur === r) answer();
        else if (!r.done && !r.aborted) run(r, answer);
      },
      abortLater: (detail) => {
        if (!r.done && !r.aborted) run(r, () => rt.abort('unsupported:value', detail));
      },
    };
  }

  /**
   * An async handler's promise: src/api's paper adapter calls its `then` at once, and a rejection is
   * the request's 500 (only logged once it has answered), as an uncaught throw is.
   */
  function handlerResult(r: Pending, v: unknown): void {
    if (isPromise(v)) performThen(rt, v, new NativeHandler(() => undefined), new NativeHandler((reason) => uncaught(r, reason)), undefined);
    else if (typeof v === 'object' && v !== null && rt.isCallable(rt.get(v, 'then'))) rt.abort('unsupported:value', 'thenable returned by the handler');
  }

  function safeDescribe(v: unknown): string {
    try {
      return describe(v);
    } catch {
      return 'a value';
    }
  }

  return {
    get poisoned() {
      return poisoned || rt.instanceMemory < worn;
    },
    get worn() {
      return rt.instanceMemory < worn;
    },
    get memoryUsed() {
      return limits.instanceMemoryBytes - rt.instanceMemory;
    },
    renew(bytesInUse?: number) {
      if (poisoned) return false;
      if (rt.instanceMemory >= worn) return true;
      const left = limits.instanceMemoryBytes - (bytesInUse ?? isolateBytesInUse());
      if (left <= worn) return false;
      rt.instanceMemory = left;
      return true;
    },
    limits,
    started,
    handle,
  };

  function handle(raw: RawRequest, o: { timeoutMs: number; id?: string }): Promise<AccelResult> {
    if (!startOutcome) return started.then(() => handle(raw, o));
    const e = startOutcome.error;
    if (e) return Promise.resolve({ kind: 'abort', ...e.toAbort(), outbound: [] });
    return Promise.resolve(handleNow(raw, o));
  }

  function handleNow(raw: RawRequest, { timeoutMs, id }: { timeoutMs: number; id?: string }): AccelResult | Promise<AccelResult> {
    const r = new RequestState(limits, id ?? `a${++counter}`) as Pending;
    r.outbound = [];
    r.timeoutText = `function timed out after ${timeoutMs} ms`;
    const loop = new RequestLoop(rt, (body) => {
      run(r, body);
      answerIfIdle(r);
    }, () => r.done || r.aborted !== null);
    r.loop = loop;
    // Until the request waits, its result is only kept; `settle` is replaced by a promise's resolve
    // (and the timeout armed) only if the first run ends with callbacks pending.
    let now: AccelResult | undefined;
    r.settle = (res) => {
      now = res;
    };
    if (poisoned) {
      finish(r, { kind: 'abort', reason: 'internal', detail: 'instance is poisoned', outbound: r.outbound });
      return now!;
    }
    run(r, () => {
      // The body is parsed (JSON) on this event loop for this request; fromHost then copies every part
      // into the program's realm, charged as made there: query and headers need no copy first.
      rt.tick(1 + raw.body.length * JSON_UNITS_PER_BYTE);
      // The other styles' adapters carry bytes themselves (a Lambda event's base64 body, a Web
      // Request's bytes on the host); the paper style's `req.body` is a Buffer of them, as in src/api.
      if (entry) return entry.start(r.id, raw, Date.now() + timeoutMs, entryHooks(r));
      const binary = raw.bodyEncoding === 'base64';
      const req = rt.fromHost(makeRequest(binary ? { ...raw, body: '' } : raw, true)) as Record<string, unknown>;
      if (binary) req.body = makeBuffer(rt, Buffer.from(raw.body, 'base64'));
      handlerResult(r, rt.call(h, undefined, [req]));
    });
    loop.afterPoll();
    // Nothing pending and no response: Node would wait for the timeout; the answer is already known.
    answerIfIdle(r);
    if (r.done) return now!;
    return new Promise<AccelResult>((resolve) => {
      // The timer only matters for a request that waits on callbacks.
      const timer = setTimeout(() => finish(r, { kind: 'response', response: platformError(504, r.timeoutText), outbound: r.outbound }), timeoutMs);
      r.settle = (res) => {
        clearTimeout(timer);
        resolve(res);
      };
    });
  }
}

