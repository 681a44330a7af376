// Object.defineProperty for what CommonJS made of ES modules writes (`__esModule`) and what older
// code uses to hide a property: a new writable data property of a plain object. Accessors, read-only
// properties (but `__esModule`), redefining an existing property, and targets of other kinds abort
// (their rules are many and observable).
import type { Host } from './host.ts';
import { NEW_PROPERTY, PROPERTY_UNITS } from './costs.ts';
import { hasOwn, isDataObject, isOrdinaryPlain, str, unsupported } from './values.ts';

const FIELDS = new Set(['value', 'writable', 'enumerable', 'configurable']);

export function defineProperty(host: Host, args: unknown[]): unknown {
  const [o, k, d] = [args[0], args[1], args[2]];
  if (typeof o !== 'object' || o === null || Array.isArray(o) || !isDataObject(host, o) || !isOrdinaryPlain(o) || host.isError?.(o) || host.isEnv?.(o)) {
    return unsupported(host, 'Object.defineProperty', 'a target that is not a plain object');
  }
  if (!isDataObject(host, d) || Array.isArray(d)) return unsupported(host, 'Object.defineProperty', 'a descriptor that is not a plain object');
  for (const f of Object.keys(d)) if (!FIELDS.has(f)) return unsupported(host, 'Object.defineProperty', `descriptor.${f}`);
  const key = typeof k === 'string' ? k : typeof k === 'number' ? String(k) : str(host, k);
  if (key === '__proto__' || hasOwn(o, key)) return unsupported(host, 'Object.defineProperty', 'an existing property');
  if (!Object.isExtensible(o)) return unsupported(host, 'Object.defineProperty', 'a frozen object');
  // A read-only property would need every write path to check it (strict code throws): only the
  // interop flag, which nothing writes again, may be one.
  if (d.writable !== true && key !== '__esModule') return unsupported(host, 'Object.defineProperty', 'a read-only property');
  host.tick(PROPERTY_UNITS);
  host.alloc(NEW_PROPERTY);
  Object.defineProperty(o, key, { value: d.value, writable: d.writable === true, enumerable: d.enumerable === true, configurable: d.configurable === true });
  return o;
}
