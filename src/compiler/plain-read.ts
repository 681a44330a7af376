/**
 * Reads as native member access, guarded, in three forms.
 *
 * Constant keys: `(L != null && (L.k, rt.po(L)) ? L.k : rt.get(L, "k"))`.
 * `rt.get` is one function for every read of the program, so V8's inline cache for its `o[k]` goes
 * megamorphic; a native `L.k` in the compiled function gets an inline cache per site. Its value is
 * only used where it cannot reach the host: `rt.po` holds for plain objects whose prototype is an
 * `Object.prototype` (never arrays, closures, runtime or host objects), and `k` is no name that
 * `Object.prototype` has, so `L.k` is an own data property or undefined, exactly what `rt.get` reads.
 * The first `L.k`, before the guard, is read and dropped: it is what makes the guard cheap. rt.po
 * asks Object.getPrototypeOf, which TurboFan only folds to a constant when it knows the object's
 * maps; the read's map check tells it (and the second read is the first one, eliminated), whereas
 * without it every guard was a call that also made TurboFan forget what it knew (autocomplete spent
 * about a quarter of its time there). Reading a named property of any value but null and undefined
 * runs no code but the runtime's own getters (ErrorValue's and the builtins' `name`, `length`,
 * `path`, which only return fields): there are no proxies, and `k` is never `__proto__`.
 *
 * Number keys: `(typeof L === "object" && L !== null && typeof K === "number" ? L[K] : rt.get(L, K))`,
 * or `typeof L === "object" && L !== null ? L[3] : rt.get(L, 3)` for an index literal. A number key
 * names an array element, an own property of a plain object or an error, or, through the prototypes,
 * nothing: no object compiled code can hold has an accessor or an exotic property under a number-like
 * name ("0", "1.5", "-1", "NaN", "1e+21"): not arrays, plain objects, the runtime's classes (whose
 * getters have other names), nor Array.prototype, Object.prototype or the classes' prototypes; there
 * are no proxies, host typed arrays or wrapper objects (a realm Uint8Array holds its elements as
 * its own sealed data properties, src/accelerator/builtins/bytes.ts). So the native read gives what `rt.get` gives
 * (src/accelerator/runtime.ts reads number keys of objects the same way), holes and out-of-range
 * reads included, and runs no code. The guard is `typeof`, not `Array.isArray`, on purpose: TurboFan
 * lowers Array.isArray with a runtime call for proxies on the path, and that call (never taken, but
 * possible) made it forget every map and bounds check before it; with it, maze ran about a third slower.
 * `length` is read natively on arrays only (`rt.ia(L) ? L.length : rt.get(L, "length")`); on anything
 * else (strings, plain objects, closures) `rt.get` reads it.
 *
 * Other run-time keys: `(… && typeof K === "number" ? L[K] : rt.pk(L, K) ? L[K] : rt.get(L, K))`.
 * A key computed at run time may be anything: "__proto__", "constructor" or another name of
 * Object.prototype, a symbol, a number-like string. `rt.pk` holds only for a string key that is an
 * own property of an object whose prototype is an `Object.prototype`, and not "__proto__". Runtime
 * objects hold own data properties only, so `L[K]` then reads that own value, which is what `rt.get`
 * reads; every other key (inherited names included) still goes through `rt.get`. Asking for an own
 * property rather than excluding a list of inherited names also keeps the native read from ever
 * seeing a name someone added to the host's Object.prototype.
 *
 * The texts come from src/subset/forms.ts, and the validator admits exactly these shapes
 * (src/subset/native-reads.ts).
 */
import { INHERITED_NAMES, indexRead, keyedRead, lengthRead, namedRead } from '../subset/index.ts';
import type { Gen } from './emit-context.ts';

/** Whether compiled text is a bare local (not a keyword literal such as `null`). */
export function isLocalText(text: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(text) && text !== 'null' && text !== 'true' && text !== 'false';
}

/** The identifier name a member key literal (as emitted by memberKey) stands for, when it may be read natively. */
export function plainKeyName(key: string): string | undefined {
  if (!/^"[A-Za-z_$][\w$]*"$/.test(key)) return undefined;
  const name = key.slice(1, -1);
  return INHERITED_NAMES.has(name) ? undefined : name;
}

const INDEX = /^(?:0|[1-9]\d{0,8})$/;

/** `obj[key]` as compiled code: a guarded native form when the key allows it, else `rt.get`. */
export function readMember(g: Gen, obj: string, key: string): string {
  const name = plainKeyName(key);
  if (name === undefined && key.startsWith('"')) return `rt.get(${obj}, ${key})`;
  const pre: string[] = [];
  if (!isLocalText(obj)) {
    const t = g.temp();
    pre.push(`${t} = ${obj}`);
    obj = t;
  }
  let e: string;
  if (name === 'length') e = lengthRead(obj);
  else if (name !== undefined) e = namedRead(obj, name);
  else {
    // Evaluated after the object, as Node does.
    if (!isLocalText(key) && !INDEX.test(key)) {
      const t = g.temp();
      pre.push(`${t} = ${key}`);
      key = t;
    }
    e = INDEX.test(key) ? indexRead(obj, key) : keyedRead(obj, key);
  }
  return pre.length ? `(${pre.join(', ')}, ${e})` : `(${e})`;
}
