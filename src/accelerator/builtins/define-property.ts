// Object.defineProperty for what CommonJS made of ES modules writes (`__esModule`, esbuild's
// `__export` getters) and what older code uses to hide a property: a new writable data property of a
// plain object, or a new accessor whose get/set are the program's functions (the core turns the
// object into an accessor object, Host.defineOwn). Read-only data properties (but `__esModule`),
// redefining an existing property, accessors under number-like names and targets of other kinds
// abort (their rules are many and observable). Object.getOwnPropertyDescriptor reads them back.
import type { Host } from './host.ts';
import { NEW_PROPERTY, PROPERTY_UNITS } from './costs.ts';
import { typedArrayDescriptor } from './typed-arrays.ts';
import { chargeObject, hasOwn, isDataObject, isOrdinaryPlain, toPropertyKey, unsupported } from './values.ts';

const DATA_FIELDS = new Set(['value', 'writable', 'enumerable', 'configurable']);
const ACCESSOR_FIELDS = new Set(['get', 'set', 'enumerable', 'configurable']);

const isNumberLike = (key: string): boolean => key !== '' && String(Number(key)) === key;

function plainTarget(host: Host, o: unknown): o is Record<string, unknown> {
  return typeof o === 'object' && o !== null && !Array.isArray(o) && isDataObject(host, o) && isOrdinaryPlain(o) && !host.isError?.(o) && !host.isEnv?.(o);
}

export function defineProperty(host: Host, args: unknown[]): unknown {
  const [o, k, d] = [args[0], args[1], args[2]];
  const accessorTarget = host.isAccessorObject?.(o) === true;
  if (!accessorTarget && !plainTarget(host, o)) return unsupported(host, 'Object.defineProperty', 'a target that is not a plain object');
  const target = o as Record<string, unknown>;
  if (!isDataObject(host, d) || Array.isArray(d)) return unsupported(host, 'Object.defineProperty', 'a descriptor that is not a plain object');
  const accessor = hasOwn(d, 'get') || hasOwn(d, 'set');
  for (const f of Object.keys(d)) {
    if (!(accessor ? ACCESSOR_FIELDS : DATA_FIELDS).has(f)) return unsupported(host, 'Object.defineProperty', `descriptor.${f}${accessor ? ' with get or set' : ''}`);
  }
  if (typeof k === 'symbol') return defineSymbol(host, target, k, d, accessor || accessorTarget);
  const key = typeof k === 'string' ? k : typeof k === 'number' ? String(k) : toPropertyKey(host, k);
  if (key === '__proto__' || hasOwn(target, key)) return unsupported(host, 'Object.defineProperty', 'an existing property');
  if (!Object.isExtensible(target)) return unsupported(host, 'Object.defineProperty', 'a frozen object');
  if (accessor) {
    // Compiled code reads number-like keys of any object natively: never an accessor there.
    if (isNumberLike(key)) return unsupported(host, 'Object.defineProperty', `an accessor under a number-like name (${key})`);
    if (!host.defineOwn) return unsupported(host, 'Object.defineProperty', 'an accessor');
    host.defineOwn(target, key, { accessor: true, get: d.get, set: d.set, enumerable: d.enumerable === true, configurable: d.configurable === true });
    return target;
  }
  // A read-only property would need every write path to check it (strict code throws): only the
  // interop flag, which nothing writes again, may be one.
  if (d.writable !== true && key !== '__esModule') return unsupported(host, 'Object.defineProperty', 'a read-only property');
  const desc = { value: d.value, writable: d.writable === true, enumerable: d.enumerable === true, configurable: d.configurable === true };
  if (accessorTarget) {
    host.defineOwn!(target, key, { accessor: false, ...desc });
    return target;
  }
  host.tick(PROPERTY_UNITS);
  host.alloc(NEW_PROPERTY);
  Object.defineProperty(target, key, desc);
  return target;
}

/**
 * A new writable, configurable data property of a plain object under a symbol the program may use as
 * a key (the core checks which, Host.symbolHasOwn), enumerable or not: the symbol paths (symbols.ts)
 * write and delete it as Node does. Anything else under a symbol key aborts.
 */
function defineSymbol(host: Host, target: Record<string, unknown>, k: symbol, d: Record<string, unknown>, accessor: boolean): unknown {
  if (!host.symbolHasOwn) return host.abort('unsupported:value', 'symbol-key');
  if (host.symbolHasOwn(target, k)) return unsupported(host, 'Object.defineProperty', 'an existing property');
  if (accessor) return unsupported(host, 'Object.defineProperty', 'an accessor or an accessor object under a symbol key');
  if (d.writable !== true || d.configurable !== true) return unsupported(host, 'Object.defineProperty', 'a read-only or non-configurable property under a symbol key');
  if (!Object.isExtensible(target)) return unsupported(host, 'Object.defineProperty', 'a frozen object');
  host.tick(PROPERTY_UNITS);
  host.alloc(NEW_PROPERTY);
  Object.defineProperty(target, k, { value: d.value, writable: true, enumerable: d.enumerable === true, configurable: true });
  return target;
}

/** Object.getOwnPropertyDescriptor of a plain object's or an accessor object's own property. */
export function getOwnPropertyDescriptor(host: Host, args: unknown[]): unknown {
  const [o, k] = [args[0], args[1]];
  const typed = typedArrayDescriptor(o, k);
  if (typed !== undefined) {
    chargeObject(host, 4);
    return typed;
  }
  if (typeof k === 'symbol' && host.symbolHasOwn && !(host.isAccessorObject?.(o) === true) && plainTarget(host, o)) {
    // A plain object's own property under a symbol it may hold (the core checks the symbol).
    if (!host.symbolHasOwn(o, k)) return undefined;
    const p = Object.getOwnPropertyDescriptor(o, k)!;
    chargeObject(host, 4);
    return { value: p.value as unknown, writable: p.writable === true, enumerable: p.enumerable === true, configurable: p.configurable === true };
  }
  const key = typeof k === 'string' ? k : typeof k === 'number' ? String(k) : toPropertyKey(host, k);
  host.tick(PROPERTY_UNITS);
  if (host.isAccessorObject?.(o) === true) {
    const d = host.describeOwn!(o as object, key);
    if (d === undefined) return undefined;
    chargeObject(host, 4);
    return d.accessor ? { get: d.get, set: d.set, enumerable: d.enumerable, configurable: d.configurable } : { value: d.value, writable: d.writable, enumerable: d.enumerable, configurable: d.configurable };
  }
  if (!plainTarget(host, o)) return unsupported(host, 'Object.getOwnPropertyDescriptor', 'an object that is not plain');
  const p = Object.getOwnPropertyDescriptor(o, key);
  if (p === undefined) return undefined;
  chargeObject(host, 4);
  // Plain objects hold data properties only.
  return { value: p.value as unknown, writable: p.writable === true, enumerable: p.enumerable === true, configurable: p.configurable === true };
}
