/**
 * Runtime values out to the host, for `respond` and outbound calls (console.log: log-format.ts).
 * JSON-bound values go through the builtins library's JSON.stringify (Node's exact semantics on
 * runtime values: closures skipped, ErrorValue as its own enumerable properties, toJSON honoured or
 * aborted) and come back as host data, so src/api's formatResponse/buildOutbound produce
 * byte-identical output.
 */
import { isUserObject } from './classes.ts';
import { BuiltinFunction, binaryOf, jsonStringify } from './builtins/index.ts';
import { fastCharUnits } from './builtins/costs.ts';
import { JsonText, formatBinaryResponse, formatResponse, type FnResponse, type RespondOptions } from '../api/index.ts';
import type { Runtime } from './runtime.ts';
import { Closure, CoreFunction, CoreObject, ErrorValue } from './values.ts';

const NOTHING_AS_JSON = Object.freeze({ toJSON: () => undefined });
const A_FUNCTION = () => undefined;

/** A host value with the same JSON.stringify output (and typeof class) as runtime value v. */
export function toHostJson(rt: Runtime, v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof Closure || v instanceof BuiltinFunction || v instanceof CoreFunction) return A_FUNCTION;
  if (v instanceof CoreObject) return rt.abort('unsupported:value', 'json-of-api-object');
  const s = jsonStringify(rt, v, undefined, undefined);
  if (s === undefined) return NOTHING_AS_JSON;
  const parsed = JSON.parse(s) as unknown;
  // An object whose toJSON gave a primitive must stay an object for formatResponse (JSON type).
  if (typeof parsed !== 'object' || parsed === null) return { toJSON: () => parsed };
  return parsed;
}

/**
 * respond(value, options) as src/api's formatResponse. For objects, formatResponse's body is
 * JSON.stringify(value) with the JSON content type; the builtins library computes that string on the
 * runtime value directly, so it is put in place of the body of a stand-in object's response.
 */
export function respondWith(rt: Runtime, value: unknown, options: unknown): FnResponse {
  const opts = toHostOptions(rt, options) as RespondOptions | undefined;
  if (typeof value !== 'object' || value === null || value instanceof Closure || value instanceof BuiltinFunction || value instanceof CoreFunction) {
    // The body leaves the realm: encoded and written by the dispatcher (objects: charged by JSON.stringify).
    if (typeof value === 'string') rt.tick(fastCharUnits(value.length));
    return formatResponse(toHostJson(rt, value), opts);
  }
  if (value instanceof CoreObject) return rt.abort('unsupported:value', 'json-of-api-object');
  // Bytes (a Buffer, a Uint8Array, an ArrayBuffer) are sent as they are, as src/api's respond sends them.
  const bytes = binaryOf(value);
  if (bytes) {
    rt.tick(fastCharUnits(bytes.length));
    return formatBinaryResponse(bytes, opts);
  }
  const s = jsonStringify(rt, value, undefined, undefined);
  const res = formatResponse(STAND_IN, opts);
  res.body = s === undefined ? 'undefined' : s;
  return res;
}
const STAND_IN = Object.freeze({});

/** `String(v)` for header values; undefined and null stay (formatResponse and buildOutbound skip them). */
function headerValues(rt: Runtime, h: unknown): unknown {
  if (typeof h !== 'object' || h === null) return h;
  if (Array.isArray(h) || !rt.isPlain(h)) return rt.abort('unsupported:value', 'headers-object');
  const out: Record<string, unknown> = {};
  const keys = Object.keys(h);
  rt.tick(1 + keys.length);
  for (const k of keys) {
    const v = (h as Record<string, unknown>)[k];
    out[k] = v === undefined || v === null ? v : rt.stringOf(v);
  }
  return out;
}

/** respond's options: status as given (formatResponse validates it), header values as strings. */
export function toHostOptions(rt: Runtime, o: unknown): unknown {
  if (typeof o !== 'object' || o === null) return o;
  // Node reads an instance's or accessor object's `status` and `headers` through its prototypes and getters.
  if (isUserObject(o)) return rt.abort('unsupported:value', 'options-object-with-prototype-or-getters');
  if (Array.isArray(o) || !rt.isPlain(o)) return undefined;
  const r = o as Record<string, unknown>;
  return { status: r.status, headers: headerValues(rt, r.headers) };
}

/** The first argument of get/post/put/delete. */
export function toHostOutbound(rt: Runtime, v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (isUserObject(v)) return rt.abort('unsupported:value', 'options-object-with-prototype-or-getters');
  if (Array.isArray(v) || !(rt.isPlain(v) || v instanceof ErrorValue)) return {};
  const r = v as Record<string, unknown>;
  const out: Record<string, unknown> = { url: r.url };
  if (r.body !== undefined) out.body = typeof r.body === 'string' ? r.body : toHostBody(rt, r.body);
  if (r.headers !== undefined) out.headers = headerValues(rt, r.headers);
  return out;
}

/**
 * An outbound call's non-string body: for an object, the library's JSON.stringify text itself
 * (buildOutbound sends a JsonText as is, with the JSON content type). It is what toHostJson's parsed
 * copy gave, since JSON.stringify(JSON.parse(s)) is s for any s that JSON.stringify made; this skips
 * the parse and the second stringify.
 */
function toHostBody(rt: Runtime, v: unknown): unknown {
  if (typeof v !== 'object' || v === null || v instanceof Closure || v instanceof BuiltinFunction || v instanceof CoreFunction || v instanceof CoreObject) return toHostJson(rt, v);
  return new JsonText(jsonStringify(rt, v, undefined, undefined) ?? 'null');
}
