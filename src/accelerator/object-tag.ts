// Object.prototype.toString's builtin tag (`[object Array]`, `[object Arguments]`, …), which older
// libraries use to tell values apart (`Object.prototype.toString.call(v) === '[object Object]'`).
// Only the tags Node gives for certain are answered: a function (Node tells async and generator
// functions apart), a promise and the other core objects abort.
import type { Runtime } from './runtime.ts';
import * as cls from './classes.ts';
import { ErrorValue } from './values.ts';
import { isEnv, ProcessValue } from './process-env.ts';
import { BuiltinFunction, Namespace, TYPED_ARRAY_NAMES } from './builtins/index.ts';
import { WebValue, isWebValue } from './builtins/web-value.ts';
import { isAsyncGenerator } from './async-generators.ts';
import { isPromise } from './async-values.ts';

/** Web kinds whose name is Node's tag (checked against Node in test/accelerator/prototypes.test.ts). */
const WEB_TAGS = new Set(['Date', 'RegExp', 'Map', 'Set', 'WeakMap', 'WeakSet', 'URL', 'URLSearchParams', 'Headers', 'Request', 'Response', 'Uint8Array',
  'ArrayBuffer', 'DataView', ...TYPED_ARRAY_NAMES, 'TextEncoder', 'TextDecoder', 'Intl.NumberFormat', 'Intl.DateTimeFormat', 'Intl.Collator', 'Intl.PluralRules', 'Intl.RelativeTimeFormat', 'Intl.ListFormat']);
/** Namespaces by path: Math, JSON and Intl carry their own tags; Object.prototype is an ordinary object, Array.prototype an array. */
const NAMESPACE_TAGS = new Map([['Math', 'Math'], ['JSON', 'JSON'], ['Intl', 'Intl'], ['Object.prototype', 'Object'], ['Array.prototype', 'Array'], ['Symbol.prototype', 'Symbol']]);

export function objectTag(rt: Runtime, v: unknown): string {
  rt.tick(1);
  if (v === undefined) return 'Undefined';
  if (v === null) return 'Null';
  switch (typeof v) {
    case 'string': return 'String';
    case 'number': return 'Number';
    case 'boolean': return 'Boolean';
    default: break;
  }
  if (Array.isArray(v)) return 'Array';
  // DOMException.prototype's Symbol.toStringTag is 'DOMException'.
  if (v instanceof ErrorValue) return ErrorValue.domSlots(v) ? 'DOMException' : 'Error';
  if (cls.isArguments(v)) return 'Arguments';
  if (typeof v === 'object' && (rt.isPlain(v as object) || isEnv(v) || cls.isUserObject(v))) return 'Object';
  if (v instanceof BuiltinFunction) return 'Function';
  if (v instanceof Namespace && NAMESPACE_TAGS.has(v.path)) return NAMESPACE_TAGS.get(v.path)!;
  if (isWebValue(v) && WEB_TAGS.has(WebValue.kind(v).name)) return WebValue.kind(v).name;
  if (v instanceof ProcessValue) return 'process';
  if (isAsyncGenerator(v)) return 'AsyncGenerator';
  if (isPromise(v)) return 'Promise';
  return rt.abort('unsupported:builtin', 'Object.prototype.toString (of a function, a promise or a core object)');
}
