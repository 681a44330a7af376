// The builtins library: Node's standard library for compiled function code, with Node's exact
// semantics for everything it accepts and an `unsupported:builtin` abort (the detail names what) for
// everything else.
// It owns BuiltinFunction and Namespace (builtins as values), the global bindings it knows, and the
// methods of strings, numbers, booleans, arrays, plain objects and functions. The core runtime
// implements Host and calls these exports; see docs/pipeline-interfaces.md ("Builtins library") and
// coverage.md beside this file (what is exact, what aborts, how work is charged).
export type { ErrorName, Host } from './host.ts';
export { BuiltinFunction, Namespace, isBuiltinValue, refuseExotic, symbolText, typeofBuiltin } from './values.ts';
export { WebValue, isWebValue } from './web-value.ts';
export { responseOf, wrapRequest } from './fetch-api.ts';
export { GlobalObject, getGlobal, getStatic, setStatic, callMethod, callBuiltin, construct, builtinInventory } from './globals.ts';
export { arrayJoin } from './array.ts';
export { TYPED_ARRAY_NAMES } from './typed-arrays.ts';
export { binaryOf } from './bytes.ts';
export { makeBuffer } from './node-buffer.ts';
export { builtinModule } from './modules.ts';
export { jsonStringify, jsonParse } from './json.ts';
export { makeRegExp, isMatchArray, regexpState } from './regexp.ts';
