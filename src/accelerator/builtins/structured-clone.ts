// structuredClone of the realm's data: primitives, plain objects, arrays, Dates, Maps and Sets, with
// shared and cyclic references kept as the HTML algorithm keeps them. A symbol throws Node's
// DataCloneError; a function would too, but its message quotes the function's source text, which
// the realm does not keep, so it aborts, as do values Node clones its own way (errors, class
// instances, arrays with holes, web objects).
import type { Host } from './host.ts';
import { ELEMENT_UNITS, LITERAL_PROPERTY, OBJECT_HEADER } from './costs.ts';
import { BuiltinFunction, chargeArray, isDataObject, isOrdinaryPlain, symbolText, throwDomException, unsupported } from './values.ts';
import { MapFn, SetFn, collectionKinds } from './collections.ts';
import { timeValue, newDate } from './date.ts';
import { WebValue, isWebValue, type WebKind } from './web-value.ts';

// collections.ts lists Map's kind first, then Set's.
const mapKind = collectionKinds[0] as unknown as WebKind<Map<unknown, unknown>>;
const setKind = collectionKinds[1] as unknown as WebKind<Set<unknown>>;

function clone(h: Host, v: unknown, seen: Map<object, unknown>): unknown {
  if (typeof v !== 'object' || v === null) {
    if (h.isCallable(v)) return unsupported(h, 'structuredClone', 'a function (Node\'s DataCloneError quotes its source)');
    if (typeof v === 'symbol') return throwDomException(h, 'structuredClone', 'DataCloneError', `${symbolText(h, v)} could not be cloned.`);
    return v;
  }
  const done = seen.get(v);
  if (done !== undefined) return done;
  h.tick(ELEMENT_UNITS);
  if (h.isCallable(v)) return unsupported(h, 'structuredClone', 'a function (Node\'s DataCloneError quotes its source)');
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    chargeArray(h, v.length);
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) return unsupported(h, 'structuredClone', 'an array with holes');
      out.push(clone(h, v[i], seen));
    }
    if (Object.keys(v).length !== v.length) return unsupported(h, 'structuredClone', 'an array with named properties');
    return out;
  }
  if (isWebValue(v)) {
    const t = timeValue(v);
    if (t !== undefined) {
      const d = newDate(h, t);
      seen.set(v, d);
      return d;
    }
    const m = WebValue.state(v, mapKind);
    if (m !== undefined) {
      const entries: unknown[] = [];
      const out = BuiltinFunction.construct(h, MapFn, []);
      seen.set(v, out);
      for (const [k, x] of m) entries.push([clone(h, k, seen), clone(h, x, seen)]);
      for (const e of entries) WebValue.call(h, out as WebValue, 'set', e as unknown[], () => h.abort('internal', 'Map.set'));
      return out;
    }
    const s = WebValue.state(v, setKind);
    if (s !== undefined) {
      const out = BuiltinFunction.construct(h, SetFn, []);
      seen.set(v, out);
      for (const x of [...s]) WebValue.call(h, out as WebValue, 'add', [clone(h, x, seen)], () => h.abort('internal', 'Set.add'));
      return out;
    }
    return unsupported(h, 'structuredClone', `a ${WebValue.kind(v).name}`);
  }
  if (!isDataObject(h, v) || !isOrdinaryPlain(v) || h.isError?.(v) === true || h.isEnv?.(v) === true) {
    return unsupported(h, 'structuredClone', 'an object that is not plain data');
  }
  const out = h.fromHost({}) as Record<string, unknown>;
  seen.set(v, out);
  const keys = Object.keys(v);
  h.alloc(OBJECT_HEADER + LITERAL_PROPERTY * keys.length);
  for (const k of keys) {
    if (k === '__proto__') return unsupported(h, 'structuredClone', 'a __proto__ key');
    out[k] = clone(h, (v as Record<string, unknown>)[k], seen);
  }
  return out;
}

export const structuredCloneFn = new BuiltinFunction({
  name: 'structuredClone', length: 1, path: 'structuredClone',
  impl(h, _t, args) {
    if (args.length === 0) return unsupported(h, 'structuredClone', 'no argument (Node throws ERR_MISSING_ARGS)');
    if (args[1] !== undefined) return unsupported(h, 'structuredClone', 'options');
    return clone(h, args[0], new Map());
  },
});
