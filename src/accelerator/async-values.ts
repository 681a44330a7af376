/**
 * The runtime's hooks for the values of promise.ts, timers.ts and generators.ts: the core runtime
 * (runtime.ts) hands a promise, a timer or a generator object here for method calls, property reads and coercions, and treats it as
 * an ordinary object otherwise (typeof "object"; writes, `in`, spread, JSON of it abort).
 */
import { unsupported } from './builtins/values.ts';
import type { Host } from './host.ts';
import { PromiseValue, callPromiseMethod, getPromiseProperty, hasPromiseMethod } from './promise.ts';
import { TimerValue } from './timers.ts';
import { GeneratorValue, callGeneratorMethod, getGeneratorProperty, hasGeneratorMethod } from './generators.ts';
import { AsyncGeneratorValue, asyncGeneratorRequest, getAsyncGeneratorProperty, hasAsyncGeneratorMethod, type AsyncGeneratorHost } from './async-generators.ts';

export { isPromise } from './promise.ts';

type AsyncValue = PromiseValue | TimerValue | GeneratorValue | AsyncGeneratorValue;

export function isAsyncValue(v: unknown): v is AsyncValue {
  return v instanceof PromiseValue || v instanceof TimerValue || v instanceof GeneratorValue || v instanceof AsyncGeneratorValue;
}

/** `v.key(...args)`; `notAFunction` throws V8's TypeError naming the callee's source text. */
export function asyncMethod(host: AsyncGeneratorHost, v: AsyncValue, key: string, args: unknown[], notAFunction: () => never): unknown {
  if (v instanceof PromiseValue) {
    if (hasPromiseMethod(host, key)) return callPromiseMethod(host, v, key, args);
    return notAFunction();
  }
  if (v instanceof GeneratorValue) {
    if (hasGeneratorMethod(key)) return callGeneratorMethod(host, v, key, args);
    getGeneratorProperty(host, key); // aborts for Generator.prototype's other members
    return notAFunction();
  }
  if (v instanceof AsyncGeneratorValue) {
    if (hasAsyncGeneratorMethod(key)) return asyncGeneratorRequest(host, v, key as 'next' | 'return' | 'throw', args.length > 0 ? args[0] : undefined);
    getAsyncGeneratorProperty(host, key); // aborts for AsyncGenerator.prototype's other members
    return notAFunction();
  }
  // A container's Timeout is ref'd or not; the instance does not model keeping a process alive.
  if ((key === 'ref' || key === 'unref') && args.length === 0) {
    host.tick(1);
    return v;
  }
  return unsupported(host, `${v.kind}.prototype.${key}`);
}

export function asyncRead(host: Host, v: AsyncValue, key: string): unknown {
  if (v instanceof PromiseValue) return getPromiseProperty(host, key);
  if (v instanceof GeneratorValue) return getGeneratorProperty(host, key);
  if (v instanceof AsyncGeneratorValue) return getAsyncGeneratorProperty(host, key);
  return unsupported(host, `${v.kind}.prototype.${key}`);
}

export function asyncToPrimitive(host: Host, v: AsyncValue): string {
  if (v instanceof PromiseValue) return '[object Promise]';
  if (v instanceof GeneratorValue) return '[object Generator]';
  if (v instanceof AsyncGeneratorValue) return '[object AsyncGenerator]';
  // A Timeout converts to its id (Symbol.toPrimitive), which this runtime does not give out.
  return unsupported(host, `${v.kind}[Symbol.toPrimitive]`);
}
