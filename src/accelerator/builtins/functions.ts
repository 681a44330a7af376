// Function.prototype.call/apply/bind for closures and builtin functions. Calls go through host.call,
// so fuel and depth are the core's. A bound function is a BuiltinFunction whose implementation calls
// its target; its name and length are only known when the target is a builtin.
import type { Host } from './host.ts';
import { CLOSURE, ELEMENT } from './costs.ts';
import { BuiltinFunction, chargeArray, isDataObject, newString, unsupported } from './values.ts';

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
export const FUNCTION_METHODS: readonly string[] = ['call', 'apply', 'bind', 'toString'];

/** Node's own function at a builtin's path (`Array.prototype.splice`), through data properties only. */
function nodeFunctionAt(path: string): unknown {
  let o: unknown = globalThis;
  for (const seg of path.split('.')) {
    if ((typeof o !== 'object' && typeof o !== 'function') || o === null) return undefined;
    o = Object.getOwnPropertyDescriptor(o, seg)?.value;
  }
  return o;
}

const NATIVE_SOURCE = /^function ([\w$]*)\(\) \{ \[native code\] \}$/;

/**
 * Function.prototype.toString: a builtin's text as Node prints it (`function Map() { [native code] }`,
 * lodash's isNative test), read from Node's own function at the builtin's path, and only when that
 * is native with the builtin's name (a function Node implements in JavaScript, like `Buffer.from`,
 * prints its source: it aborts). A program's closure aborts: its source text is not kept.
 */
function functionToString(host: Host, fn: unknown): string {
  if (!host.isCallable(fn)) return host.throwError('TypeError', "Function.prototype.toString requires that 'this' be a Function");
  if (!(fn instanceof BuiltinFunction)) return unsupported(host, 'Function.prototype.toString', 'source text of a program function');
  const real = nodeFunctionAt(fn.path);
  const text = typeof real === 'function' ? Function.prototype.toString.call(real) : '';
  const m = NATIVE_SOURCE.exec(text);
  if (m === null || m[1] !== fn.name) return unsupported(host, 'Function.prototype.toString', `of ${fn.path}`);
  host.tick(1 + (text.length >> 4));
  return newString(host, text);
}

export function callFunctionMethod(host: Host, fn: unknown, name: string, args: unknown[]): unknown {
  switch (name) {
    case 'call': return host.call(fn, arg(args, 0), args.slice(1));
    case 'apply': return host.call(fn, arg(args, 0), argList(host, arg(args, 1)));
    case 'bind': return bind(host, fn, args);
    case 'toString': return functionToString(host, fn);
    default: return unsupported(host, `Function.prototype.${name}`);
  }
}

/** Function.prototype's methods as values (`funcProto.toString`, `fn.call`), taking their receiver from the call. */
export const functionProtoMembers: Readonly<Record<string, BuiltinFunction>> = Object.fromEntries(FUNCTION_METHODS.map((name) => [name, new BuiltinFunction({
  name, length: (Function.prototype as unknown as Record<string, { length: number }>)[name]!.length, path: `Function.prototype.${name}`,
  impl: (h, t, args) => (name === 'toString' || h.isCallable(t) ? callFunctionMethod(h, t, name, args) : unsupported(h, `Function.prototype.${name}`, 'receiver not a function')),
})]));

/**
 * `Function.prototype` as a value (lodash: `funcProto.toString`): a builtin function (in Node it is
 * one, returning undefined) whose members are the methods above; its other names abort.
 */
export const FunctionProto = new BuiltinFunction({
  name: '', length: 0, path: 'Function.prototype', real: Function.prototype,
  impl: () => undefined,
  statics: functionProtoMembers,
});

/** `Function`: only its `prototype`; `Function(src)` compiles source text at run time, which aborts. */
export const FunctionFn = new BuiltinFunction({
  name: 'Function', length: 1, path: 'Function', real: Function,
  impl: (h) => unsupported(h, 'Function()', 'source text compiled at run time'),
  construct: (h) => unsupported(h, 'new Function()', 'source text compiled at run time'),
  statics: { prototype: FunctionProto },
});
