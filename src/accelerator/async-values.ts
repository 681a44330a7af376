/**
 * The runtime's hooks for the values of promise.ts and timers.ts: the core runtime (runtime.ts)
 * hands a promise or a timer here for method calls, property reads and coercions, and treats it as
 * an ordinary object otherwise (typeof "object"; writes, `in`, spread, JSON of it abort).
 */
import { unsupported } from './builtins/values.ts';
import type { Host } from './host.ts';
import { PromiseValue, callPromiseMethod, getPromiseProperty, hasPromiseMethod, type PromiseHost } from './promise.ts';
import { TimerValue } from './timers.ts';

export { isPromise } from './promise.ts';

export function isAsyncValue(v: unknown): v is PromiseValue | TimerValue {
  return v instanceof PromiseValue || v instanceof TimerValue;
}

/** `v.key(...args)`; `notAFunction` throws V8's TypeError naming the callee's source text. */
export function asyncMethod(host: PromiseHost, v: PromiseValue | TimerValue, key: string, args: unknown[], notAFunction: () => never): unknown {
  if (v instanceof PromiseValue) {
    if (hasPromiseMethod(host, key)) return callPromiseMethod(host, v, key, args);
    return notAFunction();
  }
  // A container's Timeout is ref'd or not; the instance does not model keeping a process alive.
  if ((key === 'ref' || key === 'unref') && args.length === 0) {
    host.tick(1);
    return v;
  }
  return unsupported(host, `${v.kind}.prototype.${key}`);
}

export function asyncRead(host: Host, v: PromiseValue | TimerValue, key: string): unknown {
  if (v instanceof PromiseValue) return getPromiseProperty(host, key);
  return unsupported(host, `${v.kind}.prototype.${key}`);
}

export function asyncToPrimitive(host: Host, v: PromiseValue | TimerValue): string {
  if (v instanceof PromiseValue) return '[object Promise]';
  // A Timeout converts to its id (Symbol.toPrimitive), which this runtime does not give out.
  return unsupported(host, `${v.kind}[Symbol.toPrimitive]`);
}
