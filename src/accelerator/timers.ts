/**
 * Timers within a request (docs/accelerator.md, "Promises and timers"): `setTimeout`,
 * `setInterval`, `setImmediate`, their `clear…`, and `queueMicrotask`. Each request has its own
 * loop (RequestLoop) that orders its callbacks as Node's event loop does for code running in an I/O
 * callback (the handler and outbound callbacks are): immediates queued there run in the same
 * iteration's check phase, before any timer; timers run in the timers phase in the order of their
 * due time, then of their creation. Callbacks wait real time (host timers, one armed at a time), so
 * they are charged against the request's deadline like everything else: a request still waiting when
 * its deadline passes is answered 504, as a container's would be.
 *
 * When a request ends (answered or aborted) its pending timers are dropped: a container would keep
 * running them after the response, but their effects there are only logs and state a later request
 * might see, and an instance never runs code for a request it no longer accounts for (the same rule
 * as outbound callbacks that arrive after the response).
 */
import type { Host } from './host.ts';
import { CLOSURE, ELEMENT, OBJECT_HEADER } from './builtins/costs.ts';
import { BuiltinFunction, unsupported } from './builtins/values.ts';
import { enqueueJob } from './microtasks.ts';

/** The longest delay Node accepts without a TimeoutOverflowWarning (which goes to stderr). */
const TIMEOUT_MAX = 2 ** 31 - 1;
const ENTRY_BYTES = OBJECT_HEADER + 6 * ELEMENT;

interface Entry {
  kind: 'timeout' | 'immediate';
  cb: unknown;
  args: unknown[];
  due: number;
  seq: number;
  /** setInterval's period; 0 for one-shot timers. */
  repeat: number;
  cleared: boolean;
  loop: RequestLoop;
}

/** A `Timeout` or `Immediate` object as compiled code holds it: opaque, only for clear…(). */
export class TimerValue {
  readonly #entry: Entry;
  constructor(entry: Entry) {
    this.#entry = entry;
  }
  static entry(t: TimerValue): Entry {
    return t.#entry;
  }
  get kind(): string {
    return this.#entry.kind === 'timeout' ? 'Timeout' : 'Immediate';
  }
}

export function isTimer(v: unknown): v is TimerValue {
  return v instanceof TimerValue;
}

/**
 * One request's timers and immediates. `run` runs a callback as a continuation of the request (with
 * its microtasks drained after it); `ended` tells that the request is over (nothing more runs).
 */
export class RequestLoop {
  private timers: Entry[] = [];
  private immediates: Entry[] = [];
  private seq = 0;
  /**
   * The time timers are set from, as libuv's loop time: read when a callback batch starts, not at
   * each setTimeout, so that timers one callback sets keep their order however long it runs.
   */
  private now = Date.now();
  private hostTimer: ReturnType<typeof setTimeout> | null = null;
  private hostImmediate: ReturnType<typeof setImmediate> | null = null;

  constructor(
    private readonly host: Host,
    private readonly run: (body: () => void) => void,
    private readonly ended: () => boolean,
  ) {}

  /** A poll-phase callback (the handler, an outbound callback) starts: the loop's time is now. */
  enterPoll(): void {
    this.now = Date.now();
  }

  /** Callbacks still to run: the request is waiting for them. */
  get size(): number {
    return this.timers.length + this.immediates.length;
  }

  add(kind: Entry['kind'], cb: unknown, args: unknown[], delay: number, repeat: boolean): Entry {
    const e: Entry = { kind, cb, args, due: this.now + delay, seq: this.seq++, repeat: repeat ? delay : 0, cleared: false, loop: this };
    if (kind === 'immediate') this.immediates.push(e);
    else this.insertTimer(e);
    return e;
  }

  private insertTimer(e: Entry): void {
    let i = this.timers.length;
    while (i > 0 && (this.timers[i - 1].due > e.due || (this.timers[i - 1].due === e.due && this.timers[i - 1].seq > e.seq))) i--;
    this.timers.splice(i, 0, e);
  }

  clear(e: Entry): void {
    if (e.cleared) return;
    e.cleared = true;
    const list = e.kind === 'immediate' ? this.immediates : this.timers;
    const i = list.indexOf(e);
    if (i >= 0) list.splice(i, 1);
  }

  /**
   * After a callback of the poll phase (the handler, an outbound callback): immediates it queued run
   * next, then timers as they fall due.
   */
  afterPoll(): void {
    this.disarm();
    if (this.ended()) return this.dispose();
    if (this.immediates.length > 0) this.hostImmediate = setImmediate(() => this.iteration(true));
    else this.armTimer();
  }

  /** Drops everything pending (the request ended). */
  dispose(): void {
    this.disarm();
    for (const e of this.timers) e.cleared = true;
    for (const e of this.immediates) e.cleared = true;
    this.timers = [];
    this.immediates = [];
  }

  private disarm(): void {
    if (this.hostTimer) clearTimeout(this.hostTimer);
    if (this.hostImmediate) clearImmediate(this.hostImmediate);
    this.hostTimer = null;
    this.hostImmediate = null;
  }

  private armTimer(): void {
    if (this.timers.length === 0) return;
    this.hostTimer = setTimeout(() => this.iteration(false), Math.max(0, this.timers[0].due - Date.now()));
  }

  /** One turn of Node's loop for this request: timers (unless it starts at check), then check. */
  private iteration(checkFirst: boolean): void {
    this.hostTimer = null;
    this.hostImmediate = null;
    this.now = Date.now();
    if (!checkFirst) this.timersPhase();
    this.checkPhase();
    if (this.ended()) return this.dispose();
    if (this.immediates.length > 0) this.hostImmediate = setImmediate(() => this.iteration(false));
    else this.armTimer();
  }

  private timersPhase(): void {
    const now = this.now;
    while (this.timers.length > 0 && this.timers[0].due <= now && !this.ended()) {
      const e = this.timers.shift()!;
      if (e.repeat > 0) {
        e.due = now + e.repeat;
        e.seq = this.seq++;
        this.insertTimer(e);
      } else e.cleared = true;
      this.run(() => void this.host.call(e.cb, undefined, e.args));
    }
  }

  private checkPhase(): void {
    const batch = this.immediates;
    this.immediates = [];
    for (let i = 0; i < batch.length; i++) {
      if (this.ended()) {
        // Not run: keep them for dispose, which the caller does next.
        this.immediates = batch.slice(i).concat(this.immediates);
        return;
      }
      const e = batch[i];
      if (e.cleared) continue;
      e.cleared = true;
      this.run(() => void this.host.call(e.cb, undefined, e.args));
    }
  }
}

// ---- the globals --------------------------------------------------------------------------------

/** How the builtins reach the running request's loop: the instance registers it per runtime. */
const loops = new WeakMap<object, () => RequestLoop | null>();

export function registerLoops(host: Host, current: () => RequestLoop | null): void {
  loops.set(host, current);
}

function loopOf(host: Host, what: string): RequestLoop {
  const loop = loops.get(host)?.();
  if (!loop) return unsupported(host, what, 'outside a request');
  return loop;
}

function callback(host: Host, v: unknown, what: string): unknown {
  // Node's ERR_INVALID_ARG_TYPE message renders the value in ways this runtime does not reproduce.
  if (!host.isCallable(v)) return unsupported(host, what, 'callback that is not a function');
  return v;
}

function delayOf(host: Host, v: unknown, what: string): number {
  const n = v === undefined ? 1 : host.toNumber(v);
  if (n > TIMEOUT_MAX) return unsupported(host, what, 'delay beyond TIMEOUT_MAX (Node warns on stderr)');
  return n >= 1 ? n : 1;
}

function schedule(host: Host, kind: Entry['kind'], what: string, args: unknown[], repeat: boolean): TimerValue {
  const cb = callback(host, args[0], what);
  const delay = kind === 'immediate' ? 0 : delayOf(host, args[1], what);
  const rest = args.slice(kind === 'immediate' ? 1 : 2);
  host.alloc(ENTRY_BYTES + ELEMENT * rest.length);
  return new TimerValue(loopOf(host, what).add(kind, cb, rest, delay, repeat));
}

function clear(host: Host, kind: Entry['kind'], what: string, t: unknown): undefined {
  if (!(t instanceof TimerValue)) {
    // Node ignores what is not a timer of the right kind (ids it never gave out included).
    if (typeof t === 'object' && t !== null) return unsupported(host, what, 'an object that is not a timer');
    return undefined;
  }
  const e = TimerValue.entry(t);
  if (e.kind !== kind) return unsupported(host, what, `a ${e.kind === 'timeout' ? 'Timeout' : 'Immediate'}`);
  e.loop.clear(e);
  return undefined;
}

const fn = (name: string, length: number, impl: (h: Host, args: unknown[]) => unknown) =>
  new BuiltinFunction({ name, length, path: name, impl: (h, _t, args) => impl(h, args) });

export const timerGlobals: Record<string, BuiltinFunction> = {
  setTimeout: fn('setTimeout', 5, (h, a) => schedule(h, 'timeout', 'setTimeout', a, false)),
  setInterval: fn('setInterval', 5, (h, a) => schedule(h, 'timeout', 'setInterval', a, true)),
  setImmediate: fn('setImmediate', 4, (h, a) => schedule(h, 'immediate', 'setImmediate', a, false)),
  clearTimeout: fn('clearTimeout', 1, (h, a) => clear(h, 'timeout', 'clearTimeout', a[0])),
  clearInterval: fn('clearInterval', 1, (h, a) => clear(h, 'timeout', 'clearInterval', a[0])),
  clearImmediate: fn('clearImmediate', 1, (h, a) => clear(h, 'immediate', 'clearImmediate', a[0])),
  queueMicrotask: fn('queueMicrotask', 1, (h, a) => {
    const cb = callback(h, a[0], 'queueMicrotask');
    h.alloc(CLOSURE);
    enqueueJob(h, () => void h.call(cb, undefined, []));
    return undefined;
  }),
};
