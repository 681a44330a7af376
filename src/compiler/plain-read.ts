/**
 * Reads of a constant key as native member access, guarded: `(rt.po(L) ? L.k : rt.get(L, "k"))`.
 * `rt.get` is one function for every read of the program, so V8's inline cache for its `o[k]` goes
 * megamorphic; a native `L.k` in the compiled function gets an inline cache per site. It is only
 * emitted where it cannot reach the host: `rt.po` holds for plain objects whose prototype is an
 * `Object.prototype` (never arrays, closures, runtime or host objects), and `k` is no name that
 * `Object.prototype` has, so `L.k` is an own data property or undefined, exactly what `rt.get` reads.
 * The validator checks this exact shape (validator.ts, `plainRead`).
 */
import type { Gen } from './emit-context.ts';

/**
 * Names of `Object.prototype`, of this Node and of every Node the project supports: a read of one
 * of them on a plain object would find the inherited (host) value, so they never take the native form.
 */
export const INHERITED_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'constructor', '__proto__', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toString', 'valueOf', 'toLocaleString',
  '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
]);

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

/** `obj[key]` as compiled code: the guarded native form when the key allows it, else `rt.get`. */
export function readMember(g: Gen, obj: string, key: string): string {
  const name = plainKeyName(key);
  if (name === undefined) return `rt.get(${obj}, ${key})`;
  if (isLocalText(obj)) return `(rt.po(${obj}) ? ${obj}.${name} : rt.get(${obj}, ${key}))`;
  const t = g.temp();
  return `(${t} = ${obj}, rt.po(${t}) ? ${t}.${name} : rt.get(${t}, ${key}))`;
}
