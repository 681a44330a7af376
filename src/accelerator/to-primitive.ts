// OrdinaryToPrimitive (ECMA-262 §7.1.1.1) for objects whose conversion methods are the function's own
// (a class with toString, an object literal with valueOf): `String(x)`, `${x}`, `x + ''`, `x < y`.
// The methods are called as Node calls them, in the hint's order; a method that is absent from the
// object's own chain is Object.prototype's, whose valueOf returns the object (so it is skipped) and
// whose toString gives "[object Object]".
import type { Runtime } from './runtime.ts';

/** Object.prototype's method stands in: the object's own chain does not define the name. */
export const INHERITED = Symbol('inherited from Object.prototype');

const isObjectValue = (v: unknown): boolean => (typeof v === 'object' && v !== null) || typeof v === 'function';

/**
 * `method(name)` is the value the object's chain holds under name (getters already called), or
 * INHERITED. A result that is an object goes on to the next method, as in the spec.
 */
export function ordinaryToPrimitive(rt: Runtime, o: object, hint: 'string' | 'number' | 'default', method: (name: 'toString' | 'valueOf') => unknown): unknown {
  const order = hint === 'string' ? (['toString', 'valueOf'] as const) : (['valueOf', 'toString'] as const);
  for (const name of order) {
    const f = method(name);
    if (f === INHERITED) {
      if (name === 'toString') return '[object Object]';
      continue;
    }
    if (!rt.isCallable(f)) continue;
    const r = rt.call(f, o, []);
    if (!isObjectValue(r)) return r;
  }
  return rt.throwError('TypeError', 'Cannot convert object to primitive value');
}
