// `require('querystring')`: Node's own functions run on primitives the realm hands over (they are
// pure string code), so every answer is Node's; what crosses back is a string, or for parse a
// null-prototype object of strings and arrays of strings, made and charged here.
// Arguments the realm cannot hand over as primitives (objects with accessors, nested objects, a
// custom decodeURIComponent/encodeURIComponent) abort.
import * as nodeQs from 'node:querystring';
import type { Host } from './host.ts';
import { charUnits } from './costs.ts';
import { BuiltinFunction, Namespace, chargeArray, chargeObject, chargeString, isDataObject, native, unsupported } from './values.ts';

type Prim = string | number | boolean | bigint | undefined | null;
const isPrim = (v: unknown): v is Prim => v === null || v === undefined || ['string', 'number', 'boolean', 'bigint'].includes(typeof v);

/** A separator or `eq` argument: Node reads falsy as its default and converts the rest with String(). */
function sepArg(h: Host, v: unknown, what: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  return unsupported(h, what, 'a separator that is not a string');
}

function optionsArg(h: Host, v: unknown, what: string, allowed: readonly string[]): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isDataObject(h, v)) return unsupported(h, what, 'options that are not a plain object');
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const d = Object.getOwnPropertyDescriptor(v, k);
    if (!d || !('value' in d)) return unsupported(h, what, 'options with accessors');
    if (!allowed.includes(k)) return unsupported(h, what, `option ${k.slice(0, 40)}`);
    if (!isPrim(d.value)) return unsupported(h, what, `option ${k} that is not a primitive`);
    out[k] = d.value;
  }
  return out;
}

/** Node's parse builds its result on a prototype that itself has a null prototype; the realm's
 * null-prototype object reads, prints and serialises the same way. */
function parse(h: Host, args: unknown[]): Record<string, unknown> {
  const [qs, sep, eq, options] = args;
  const s = sepArg(h, sep, 'querystring.parse');
  const e = sepArg(h, eq, 'querystring.parse');
  const o = optionsArg(h, options, 'querystring.parse', ['maxKeys']);
  const input = typeof qs === 'string' ? qs : '';
  h.tick(1 + charUnits(input.length));
  const r = native(h, 'querystring.parse', () => nodeQs.parse(input, s, e, o as nodeQs.ParseOptions | undefined));
  const keys = Object.keys(r);
  chargeObject(h, keys.length);
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of keys) {
    if (k === '__proto__') return unsupported(h, 'querystring.parse', 'a key __proto__');
    chargeString(h, k.length);
    const v = r[k]!;
    if (Array.isArray(v)) {
      chargeArray(h, v.length);
      for (const x of v) chargeString(h, x.length);
      out[k] = [...v];
    } else {
      chargeString(h, v.length);
      out[k] = v;
    }
  }
  return out;
}

/** Copies the realm object's data as Node's stringify will read it: primitives and arrays of them. */
function stringifyInput(h: Host, v: unknown): Record<string, unknown> | undefined {
  if (v === null || v === undefined || typeof v !== 'object') return undefined; // Node returns ''
  if (Array.isArray(v) || !isDataObject(h, v)) return unsupported(h, 'querystring.stringify', 'an object that is not plain');
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(v)) {
    const d = Object.getOwnPropertyDescriptor(v, k);
    if (!d || !('value' in d)) return unsupported(h, 'querystring.stringify', 'an object with accessors');
    const x: unknown = d.value;
    if (Array.isArray(x)) {
      if (!x.every(isPrim) || x.length !== Object.keys(x).length) return unsupported(h, 'querystring.stringify', 'an array of non-primitives or with holes');
      h.tick(1 + x.length);
      out[k] = [...x];
    } else if (isPrim(x)) out[k] = x;
    else return unsupported(h, 'querystring.stringify', 'a value that is an object');
  }
  return out;
}

function stringify(h: Host, args: unknown[]): string {
  const [obj, sep, eq, options] = args;
  const s = sepArg(h, sep, 'querystring.stringify');
  const e = sepArg(h, eq, 'querystring.stringify');
  const o = optionsArg(h, options, 'querystring.stringify', []);
  const input = stringifyInput(h, obj);
  if (input === undefined) return '';
  h.tick(1 + Object.keys(input).length);
  const r = native(h, 'querystring.stringify', () => nodeQs.stringify(input as nodeQs.ParsedUrlQueryInput, s, e, o));
  h.tick(charUnits(r.length));
  chargeString(h, r.length);
  return r;
}

function escape(h: Host, args: unknown[]): string {
  const v = args[0];
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return unsupported(h, 'querystring.escape', 'a value that is not a string, number or boolean');
  const r = native(h, 'querystring.escape', () => nodeQs.escape(String(v)));
  h.tick(1 + charUnits(r.length));
  chargeString(h, r.length);
  return r;
}

function unescape(h: Host, args: unknown[]): string {
  const [v, spaces] = args;
  if (typeof v !== 'string') return unsupported(h, 'querystring.unescape', 'a value that is not a string');
  if (!isPrim(spaces)) return unsupported(h, 'querystring.unescape', 'decodeSpaces that is an object');
  h.tick(1 + charUnits(v.length));
  const r = native(h, 'querystring.unescape', () => (nodeQs.unescape as (s: string, d?: unknown) => string)(v, spaces));
  chargeString(h, r.length);
  return r;
}

const parseFn = new BuiltinFunction({ name: 'parse', length: 4, path: 'querystring.parse', impl: (h, _t, a) => parse(h, a) });
const stringifyFn = new BuiltinFunction({ name: 'stringify', length: 4, path: 'querystring.stringify', impl: (h, _t, a) => stringify(h, a) });

export const QuerystringModule = new Namespace('querystring', {
  parse: parseFn,
  decode: parseFn,
  stringify: stringifyFn,
  encode: stringifyFn,
  escape: new BuiltinFunction({ name: 'qsEscape', length: 1, path: 'querystring.escape', impl: (h, _t, a) => escape(h, a) }),
  unescape: new BuiltinFunction({ name: 'qsUnescape', length: 2, path: 'querystring.unescape', impl: (h, _t, a) => unescape(h, a) }),
}, nodeQs);
