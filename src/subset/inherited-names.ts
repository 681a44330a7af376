/**
 * Names of `Object.prototype`, of this Node and of every Node the project supports. A read of one of
 * them on a plain object would find the inherited (host) value, so a named read of one never takes
 * the native form: it goes through `rt.get`, which refuses or aborts (docs/compiled-code.md).
 */
export const INHERITED_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'constructor', '__proto__', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toString', 'valueOf', 'toLocaleString',
  '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
]);
