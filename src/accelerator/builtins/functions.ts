// Function.prototype.call/apply/bind for closures and builtin functions. Calls go through host.call,
// so fuel and depth are the core's. A bound function is a BuiltinFunction whose implementation calls
// its target; its name and length are only known when the target is a builtin.
import type { Host } from './host.ts';
import { CLOSURE, ELEMENT } from './costs.ts';
import { BuiltinFunction, chargeArray, isDataObject, unsupported } from './values.ts';

const arg = (args: unknown[], i: number): unknown => (i < args.length ? args[i] : undefined);

/** CreateListFromArrayLike for apply's argument list. */
function argList(host: Host, v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) {
    host.tick(1 + v.length);
    chargeArray(host, v.length);
    // CreateListFromArrayLike reads every index (a hole is undefined).
    return Array.from({ length: v.length }, (_, i) => (Object.prototype.hasOwnProperty.call(v, i) ? v[i] : undefined));
  }
  if (typeof v !== 'object' && typeof v !== 'function') host.throwError('TypeError', 'CreateListFromArrayLike called on non-object');
  if (isDataObject(host, v)) return unsupported(host, 'Function.prototype.apply', 'array-like object');
  return unsupported(host, 'Function.prototype.apply', 'function as argument list');
}

function bind(host: Host, target: unknown, args: unknown[]): BuiltinFunction {
  const boundThis = arg(args, 0);
  const boundArgs = args.slice(1);
  host.alloc(CLOSURE + ELEMENT * boundArgs.length);
  const known = target instanceof BuiltinFunction;
  return new BuiltinFunction({
    name: known ? `bound ${target.name}` : 'bound',
    length: known ? Math.max(0, target.length - boundArgs.length) : 0,
    path: known ? `bound ${target.path}` : 'bound function',
    opaque: !known,
    impl: (h, _t, callArgs) => h.call(target, boundThis, [...boundArgs, ...callArgs]),
  });
}

/** The Function.prototype methods implemented here. */
export const FUNCTION_METHODS: readonly string[] = ['call', 'apply', 'bind'];

export function callFunctionMethod(host: Host, fn: unknown, name: string, args: unknown[]): unknown {
  switch (name) {
    case 'call': return host.call(fn, arg(args, 0), args.slice(1));
    case 'apply': return host.call(fn, arg(args, 0), argList(host, arg(args, 1)));
    case 'bind': return bind(host, fn, args);
    default: return unsupported(host, `Function.prototype.${name}`);
  }
}
