// JSON.stringify and JSON.parse with Node's exact output, written against runtime values: toJSON and
// replacers are called through the host, closures are skipped like functions, and an ErrorValue is an
// object with no enumerable properties ("{}"). Strings and numbers are formatted by V8 itself, and a
// cycle's TypeError is made by V8 on a mirror of the cycle, so its multi-line message is Node's.
import type { Host } from './host.ts';
import { toPropertyKey } from './values.ts';
import { WebValue, isWebValue } from './web-value.ts';
import { ARRAY_HEADER, ELEMENT, JSON_UNITS_PER_BYTE, NEW_PROPERTY, OBJECT_HEADER, charUnits, fastCharUnits } from './costs.ts';
import { bytesState } from './bytes.ts';
import {
  BuiltinFunction, Namespace, chargeString, refuseExotic, hasOwn, isBuiltinValue, isDataObject, isOrdinaryPlain, native, str, toIntegerOrInfinity, unsupported,
} from './values.ts';

/** Fuel for n bytes of JSON text made or read by V8. */
const jsonUnits = (n: number): number => 1 + n * JSON_UNITS_PER_BYTE;

const MAX_DEPTH = 2000;

interface State {
  host: Host;
  replacer: unknown; // a callable or undefined
  list: string[] | undefined;
  gap: string;
  indent: string;
  stack: object[];
  keys: string[]; // keys[i]: the key under which stack[i + 1] was reached from stack[i]
}

const quote = (s: string): string => JSON.stringify(s);

/** quote(s), charged for the escapes beyond the plain length the caller charged. */
function quoteCharged(host: Host, s: string): string {
  const q = quote(s);
  if (q.length > s.length + 2) chargeString(host, q.length - s.length - 2);
  return q;
}

/**
 * Stands for Object.prototype, which a property list naming `__proto__` reaches from a plain object:
 * Node serializes it as an object whose only listed key with a value is its own `__proto__` (null).
 * It is only ever serialized, never handed to user code or returned.
 */
const OBJECT_PROTOTYPE: object = Object.freeze(Object.create(null) as object);
const objectProtoNames: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Get(holder, key) for a key of a property list (or an own key): own data properties of runtime
 * objects; inherited members of Object.prototype are functions (skipped as undefined), except
 * `__proto__`, which is Object.prototype itself. Anything else inherited aborts.
 */
function get(st: State, holder: object, key: string): unknown {
  if (holder === OBJECT_PROTOTYPE) return key === '__proto__' ? null : undefined;
  if (isWebValue(holder)) return WebValue.read(st.host, holder, key);
  if (hasOwn(holder, key)) return (holder as Record<string, unknown>)[key];
  if (holder instanceof Namespace) {
    // Math and JSON: their statics are own (non-enumerable) properties, which a list names too.
    if (Namespace.hasStatic(holder, key)) return Namespace.get(st.host, holder, key);
    if (key === '__proto__') return OBJECT_PROTOTYPE;
    if (objectProtoNames.has(key)) return undefined;
    return Namespace.get(st.host, holder, key);
  }
  if (!isOrdinaryPlain(holder)) return unsupported(st.host, 'JSON.stringify', 'inherited property of a non-plain object');
  if (key === '__proto__') return Object.getPrototypeOf(holder) === null ? undefined : OBJECT_PROTOTYPE;
  return undefined;
}

function cycleError(st: State, start: number, lastKey: string): never {
  const chain = st.stack.slice(start);
  const keys = [...st.keys.slice(start), lastKey];
  if (!chain.every((o) => Array.isArray(o) || (isDataObject(st.host, o) && isOrdinaryPlain(o)))) {
    return unsupported(st.host, 'JSON.stringify', 'cycle through a non-plain object');
  }
  const mirrors: Record<string, unknown>[] = chain.map((o) => (Array.isArray(o) ? ([] as unknown as Record<string, unknown>) : {}));
  mirrors.forEach((m, i) => {
    const next = mirrors[(i + 1) % mirrors.length];
    if (Array.isArray(m)) {
      const idx = Number(keys[i]);
      while (m.length < idx) m.push(null);
    }
    m[keys[i]] = next;
  });
  native(st.host, 'JSON.stringify', () => JSON.stringify(mirrors[0]));
  return st.host.abort('internal', 'JSON cycle mirror did not throw');
}

function serializeProperty(st: State, holder: object, key: string, value: unknown): string | undefined {
  const { host } = st;
  host.tick(1);
  if (value !== null && typeof value === 'object' && !isBuiltinValue(value) && !host.isCallable(value)) {
    // Plain objects' and arrays' prototypes have no toJSON, nor has Error.prototype, so their own
    // counts alone. Closures and builtins are not looked into: the core keeps no user property named
    // toJSON on a closure.
    // Instances of classes and constructors (Host.isBranded) find theirs along their prototypes.
    if (host.isBranded?.(value) === true && host.toJSONOf) {
      const toJSON = host.toJSONOf(value);
      if (host.isCallable(toJSON)) value = host.call(toJSON, value, [key]);
    } else if (hasOwn(value, 'toJSON')) {
      const toJSON = (value as Record<string, unknown>).toJSON;
      if (host.isCallable(toJSON)) value = host.call(toJSON, value, [key]);
    } else if (isWebValue(value) && WebValue.props(value)?.has('toJSON') === true) {
      // A toJSON a program added to a RegExp.
      const toJSON = WebValue.props(value)!.get('toJSON');
      if (host.isCallable(toJSON)) value = host.call(toJSON, value, [key]);
    }
  }
  // A web object's toJSON is its class's (URL's gives the href): called as Node calls it, before the replacer.
  if (isWebValue(value)) {
    const j = WebValue.toJSON(host, value);
    if (j !== undefined) value = j;
  }
  if (st.replacer !== undefined) value = host.call(st.replacer, holder, [key, value]);
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean': return value ? 'true' : 'false';
    case 'string':
      // Quoted before it is charged for escapes beyond the plain length (at most 6 per character).
      host.tick(jsonUnits(value.length));
      chargeString(host, value.length + 2);
      return quoteCharged(host, value);
    case 'number': chargeString(host, 24); return JSON.stringify(value);
    case 'undefined': return undefined;
    default: break;
  }
  if (host.isCallable(value) || value instanceof BuiltinFunction) return undefined;
  refuseExotic(host, value, 'JSON.stringify'); // Array.prototype: an array in Node
  if (value instanceof Namespace && st.list === undefined) return '{}'; // Math, JSON: no enumerable properties
  if (isWebValue(value) && WebValue.kind(value).setElement) {
    // A Uint8Array serialises as its index keys; a Buffer as its toJSON() (`{ type, data }`). A replacer
    // function would see the view itself as the holder (and, for a Buffer, run after toJSON): not modelled.
    const view = bytesState(value);
    if (!view || st.replacer !== undefined) return unsupported(host, 'JSON.stringify', `a ${WebValue.kind(value).name}`);
    const toJSON = WebValue.kind(value).methods.toJSON;
    host.tick(1 + view.length);
    value = toJSON ? toJSON(host, view, [], value) : host.fromHost(Object.fromEntries(Array.from(view.host, (b, i) => [String(i), b])));
  }
  // Headers, URLSearchParams: no own enumerable properties; a RegExp has those a program added, and
  // a property list reads its getters (`source`) as Node's Get does.
  if (isWebValue(value) && WebValue.props(value) === undefined && st.list === undefined) return '{}';
  if (!Array.isArray(value) && !isWebValue(value) && !isDataObject(host, value) && value !== OBJECT_PROTOTYPE && !(value instanceof Namespace) && host.isInstance?.(value) !== true) {
    return unsupported(host, 'JSON.stringify', 'object of the core runtime');
  }
  const obj = value as object;
  const at = st.stack.indexOf(obj);
  if (at >= 0) return cycleError(st, at, key);
  if (st.stack.length >= MAX_DEPTH) return host.abort('stack', 'JSON.stringify nesting');
  if (st.stack.length > 0) st.keys.push(key);
  st.stack.push(obj);
  const stepback = st.indent;
  st.indent += st.gap;
  try {
    const parts: string[] = [];
    if (Array.isArray(obj)) {
      const len = obj.length;
      for (let i = 0; i < len; i++) {
        const k = String(i);
        const v = i < obj.length && (obj[i] !== undefined || hasOwn(obj, k)) ? obj[i] : undefined; // a hole is undefined
        parts.push(serializeProperty(st, obj, k, v) ?? 'null');
      }
    } else {
      const keys = st.list ?? (isWebValue(obj) ? [...WebValue.props(obj)!.keys()] : Object.keys(obj));
      host.tick(1 + keys.length);
      for (const k of keys) {
        const s = serializeProperty(st, obj, k, get(st, obj, k));
        if (s !== undefined) {
          host.tick(jsonUnits(k.length));
          chargeString(host, k.length + 3 + s.length); // the key, and the member's text copied once
          parts.push(quoteCharged(host, k) + (st.gap ? ': ' : ':') + s);
        }
      }
    }
    const [open, close] = Array.isArray(obj) ? ['[', ']'] : ['{', '}'];
    let out: string;
    if (parts.length === 0) out = open + close;
    else if (st.gap === '') out = open + parts.join(',') + close;
    else out = `${open}\n${st.indent}${parts.join(`,\n${st.indent}`)}\n${stepback}${close}`;
    // Each level copies its members' text into one flat string.
    host.tick(fastCharUnits(out.length));
    chargeString(host, out.length);
    return out;
  } finally {
    st.indent = stepback;
    st.stack.pop();
    if (st.stack.length > 0) st.keys.pop();
  }
}

/**
 * True when V8's own JSON.stringify on `v` gives exactly what the general path would: a tree (no
 * cycle) of primitives, arrays and plain `{}` objects with no own toJSON, within the depth limit.
 * Then nothing user-defined runs and no key is read through a prototype, and the output is V8's
 * anyway. Spends fuel per value, like the general path, and counts the output's length without
 * escapes (`budget.bytes`) so that it is paid for before V8 makes it: a value shared many times over
 * is written out as many times.
 */
function plainTree(host: Host, v: unknown, ancestors: object[], budget: { n: number; bytes: number }): boolean {
  if (typeof v === 'string') {
    budget.bytes += v.length + 3;
    if ((budget.n += 1 + (v.length >> 6)) >= 64) { host.tick(budget.n); budget.n = 0; }
    return true;
  }
  if (v === null || typeof v !== 'object') {
    budget.bytes += 24;
    return typeof v !== 'function';
  }
  if (ancestors.length >= MAX_DEPTH || ancestors.includes(v)) return false;
  if (++budget.n >= 64) { host.tick(budget.n); budget.n = 0; }
  budget.bytes += 2;
  if (Array.isArray(v)) {
    if (hasOwn(v, 'toJSON')) return false;
    ancestors.push(v);
    for (let i = 0; i < v.length; i++) if (!plainTree(host, v[i], ancestors, budget)) return false;
    ancestors.pop();
    return true;
  }
  if (isBuiltinValue(v) || host.isCallable(v) || !isOrdinaryPlain(v) || hasOwn(v, 'toJSON')) return false;
  ancestors.push(v);
  for (const k of Object.keys(v)) {
    budget.bytes += k.length + 4;
    if (!plainTree(host, (v as Record<string, unknown>)[k], ancestors, budget)) return false;
  }
  ancestors.pop();
  return true;
}

export function jsonStringify(host: Host, value: unknown, replacer: unknown, space: unknown): string | undefined {
  let fn: unknown;
  let list: string[] | undefined;
  if (host.isCallable(replacer)) fn = replacer;
  else if (Array.isArray(replacer)) {
    list = [];
    const len = replacer.length;
    for (let i = 0; i < len; i++) {
      host.tick(1);
      const v = i < replacer.length ? replacer[i] : undefined;
      const item = typeof v === 'string' ? v : typeof v === 'number' ? toPropertyKey(host, v) : undefined;
      if (item !== undefined && !list.includes(item)) list.push(item);
    }
  }
  let gap = '';
  if (typeof space === 'number') gap = ' '.repeat(Math.max(0, Math.min(10, toIntegerOrInfinity(host, space))));
  else if (typeof space === 'string') gap = space.slice(0, 10);
  if (fn === undefined && list === undefined) {
    const budget = { n: 0, bytes: 0 };
    if (plainTree(host, value, [], budget)) {
      // Indentation adds at most a gap per nesting level to each line; escapes are charged after.
      const bound = budget.bytes * (gap === '' ? 1 : 1 + gap.length);
      host.tick(budget.n + jsonUnits(bound));
      chargeString(host, bound);
      const out = native(host, 'JSON.stringify', () => JSON.stringify(value, null, gap) as string | undefined);
      if (out !== undefined && out.length > bound) {
        host.tick(jsonUnits(out.length - bound));
        chargeString(host, out.length - bound);
      }
      return out;
    }
  }
  const st: State = { host, replacer: fn, list, gap, indent: '', stack: [], keys: [] };
  const wrapper = { '': value };
  return serializeProperty(st, wrapper, '', value);
}

function internalize(host: Host, reviver: unknown, holder: Record<string, unknown>, name: string, depth: number): unknown {
  if (depth > MAX_DEPTH) return host.abort('stack', 'JSON.parse reviver nesting');
  host.tick(1);
  const val = hasOwn(holder, name) ? holder[name] : undefined;
  if (Array.isArray(val)) {
    const len = val.length;
    for (let i = 0; i < len; i++) {
      const k = String(i);
      const v = internalize(host, reviver, val as unknown as Record<string, unknown>, k, depth + 1);
      // Deleting an element would leave a hole, which runtime arrays cannot hold.
      if (v === undefined) return unsupported(host, 'JSON.parse', 'reviver removed an array element');
      Reflect.defineProperty(val, k, { value: v, writable: true, enumerable: true, configurable: true });
    }
  } else if (isDataObject(host, val)) {
    for (const k of Object.keys(val)) {
      if (k === '__proto__') return unsupported(host, 'JSON.parse', '__proto__');
      const v = internalize(host, reviver, val, k, depth + 1);
      if (v === undefined) Reflect.deleteProperty(val, k);
      else Reflect.defineProperty(val, k, { value: v, writable: true, enumerable: true, configurable: true });
    }
  }
  return host.call(reviver, holder, [name, val]);
}

/**
 * An upper bound of what V8's JSON.parse allocates for s (the host's own values, copied into the
 * realm by fromHost, which charges the copy): every `{` an object, every `[` an array, every `,` and
 * `:` a property or element, every character a character of a string. Counted before parsing, so
 * that a text of empty objects cannot make V8 allocate many times what its length was charged.
 */
function parsedBytesBound(host: Host, s: string): number {
  host.tick(charUnits(s.length));
  let objects = 0;
  let arrays = 0;
  let members = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x7b) objects++;
    else if (c === 0x5b) arrays++;
    else if (c === 0x2c || c === 0x3a) members++;
  }
  return s.length + objects * OBJECT_HEADER + arrays * ARRAY_HEADER + members * Math.max(NEW_PROPERTY, ELEMENT);
}

export function jsonParse(host: Host, text: unknown, reviver: unknown): unknown {
  const s = str(host, text);
  host.alloc(parsedBytesBound(host, s));
  host.tick(jsonUnits(s.length));
  const raw = native(host, 'JSON.parse', () => JSON.parse(s) as unknown);
  const val = host.fromHost(raw);
  if (!host.isCallable(reviver)) return val;
  return internalize(host, reviver, { '': val }, '', 0);
}

const arg = (args: unknown[], i: number): unknown => (i < args.length ? args[i] : undefined);

export const JSONNs = new Namespace('JSON', {
  stringify: new BuiltinFunction({
    name: 'stringify', length: 3, path: 'JSON.stringify',
    impl: (h, _t, a) => jsonStringify(h, arg(a, 0), arg(a, 1), arg(a, 2)),
  }),
  parse: new BuiltinFunction({
    name: 'parse', length: 2, path: 'JSON.parse',
    impl: (h, _t, a) => jsonParse(h, arg(a, 0), arg(a, 1)),
  }),
}, JSON);
