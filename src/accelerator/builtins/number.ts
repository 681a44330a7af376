// Number and Boolean: `Number(x)`, Number's statics and constants, the methods of primitive numbers
// and booleans, and the global parseInt/parseFloat/isNaN/isFinite and URI functions. Arguments are
// converted with the host first (in spec order); V8 then formats or parses primitives, so digits,
// exponents and RangeError messages are Node's. Locale-dependent formatting aborts.
import type { Host } from './host.ts';
import { NUMBER_LOCALE_OPTIONS_UNITS, charUnits } from './costs.ts';
import { localeArgs } from './locale-args.ts';
import { BuiltinFunction, chargeString, defaultLocaleIsEnUS, native, newString, str, toIntegerOrInfinity, unsupported } from './values.ts';

/** A number's text: a new string (at most a few hundred characters: toFixed(100), toString(2)). */
function made(h: Host, s: string): string {
  chargeString(h, s.length);
  return s;
}

const arg = (args: unknown[], i: number): unknown => (i < args.length ? args[i] : undefined);

type PrimMethod<T> = (host: Host, x: T, args: unknown[]) => unknown;

export const numberMethods: Record<string, PrimMethod<number>> = {
  toString(h: Host, x: number, a: unknown[]) {
    const r = arg(a, 0);
    const radix = r === undefined ? 10 : toIntegerOrInfinity(h, r);
    return made(h, native(h, 'Number.prototype.toString', () => x.toString(radix)));
  },
  toFixed(h, x, a) {
    const f = toIntegerOrInfinity(h, arg(a, 0));
    return made(h, native(h, 'Number.prototype.toFixed', () => x.toFixed(f)));
  },
  toPrecision(h, x, a) {
    const p = arg(a, 0);
    if (p === undefined) return made(h, String(x));
    const n = toIntegerOrInfinity(h, p);
    return made(h, native(h, 'Number.prototype.toPrecision', () => x.toPrecision(n)));
  },
  toExponential(h, x, a) {
    const d = arg(a, 0);
    // undefined and 0 differ here ("as many digits as needed" vs none), so keep undefined.
    const f = d === undefined ? undefined : toIntegerOrInfinity(h, d);
    return made(h, native(h, 'Number.prototype.toExponential', () => x.toExponential(f)));
  },
  // The default locale is en-US (see values.ts); with locales or options, the host's method on copies
  // of them (locale-args.ts), charged as the new ICU formatter V8 builds for each such call.
  toLocaleString(h: Host, x: number, a: unknown[]) {
    const what = 'Number.prototype.toLocaleString';
    if (!defaultLocaleIsEnUS) return unsupported(h, what, 'the default locale is not en-US');
    if (arg(a, 0) === undefined && arg(a, 1) === undefined) return newString(h, x.toLocaleString()); // Infinity is '∞'
    const { locales, options } = localeArgs(h, what, arg(a, 0), arg(a, 1));
    h.tick(NUMBER_LOCALE_OPTIONS_UNITS);
    return newString(h, native(h, what, () => x.toLocaleString(locales, options as Intl.NumberFormatOptions)));
  },
  valueOf: (_h: Host, x: number) => x,
};

export const booleanMethods: Record<string, PrimMethod<boolean>> = {
  toString: (_h: Host, b: boolean) => (b ? 'true' : 'false'), // V8's own constant strings
  valueOf: (_h: Host, b: boolean) => b,
};

const fn = (name: string, length: number, path: string, impl: (host: Host, args: unknown[]) => unknown) =>
  new BuiltinFunction({ name, length, path, impl: (h, _t, args) => impl(h, args) });

export const parseIntFn = fn('parseInt', 2, 'parseInt', (h, a) => {
  const s = str(h, arg(a, 0)); // spec: ToString(string) before ToInt32(radix)
  const radix = h.toNumber(arg(a, 1)) | 0;
  h.tick(charUnits(s.length));
  return parseInt(s, radix);
});

export const parseFloatFn = fn('parseFloat', 1, 'parseFloat', (h, a) => {
  const s = str(h, arg(a, 0));
  h.tick(charUnits(s.length));
  return parseFloat(s);
});

export const isNaNFn = fn('isNaN', 1, 'isNaN', (h, a) => Number.isNaN(h.toNumber(arg(a, 0))));
export const isFiniteFn = fn('isFinite', 1, 'isFinite', (h, a) => Number.isFinite(h.toNumber(arg(a, 0))));

export const NumberFn = new BuiltinFunction({
  name: 'Number', length: 1, path: 'Number', real: Number,
  impl: (h, _t, a) => (a.length === 0 ? 0 : h.toNumber(a[0])),
  statics: {
    // These never convert their argument, so V8's versions see only the runtime value itself.
    isInteger: fn('isInteger', 1, 'Number.isInteger', (_h, a) => Number.isInteger(arg(a, 0))),
    isFinite: fn('isFinite', 1, 'Number.isFinite', (_h, a) => Number.isFinite(arg(a, 0))),
    isNaN: fn('isNaN', 1, 'Number.isNaN', (_h, a) => Number.isNaN(arg(a, 0))),
    isSafeInteger: fn('isSafeInteger', 1, 'Number.isSafeInteger', (_h, a) => Number.isSafeInteger(arg(a, 0))),
    // The same function objects as the globals, as in Node (`Number.parseInt === parseInt`).
    parseInt: parseIntFn,
    parseFloat: parseFloatFn,
    MAX_SAFE_INTEGER: Number.MAX_SAFE_INTEGER,
    MIN_SAFE_INTEGER: Number.MIN_SAFE_INTEGER,
    MAX_VALUE: Number.MAX_VALUE,
    MIN_VALUE: Number.MIN_VALUE,
    EPSILON: Number.EPSILON,
    POSITIVE_INFINITY: Infinity,
    NEGATIVE_INFINITY: -Infinity,
    NaN,
  },
});

export const BooleanFn = new BuiltinFunction({
  name: 'Boolean', length: 1, path: 'Boolean', real: Boolean,
  // ToBoolean: every runtime object is truthy.
  impl: (_h, _t, a) => !!arg(a, 0),
});

/** URI functions: V8 on the converted string; its URIError becomes the realm's (values.ts `native`). */
const uri = (name: string, f: (s: string) => string) => fn(name, 1, name, (h, a) => {
  const s = str(h, arg(a, 0));
  h.tick(charUnits(s.length));
  const r = native(h, name, () => f(s));
  h.tick(charUnits(r.length));
  return newString(h, r);
});

export const uriFunctions: Record<string, BuiltinFunction> = {
  encodeURIComponent: uri('encodeURIComponent', encodeURIComponent),
  decodeURIComponent: uri('decodeURIComponent', decodeURIComponent),
  encodeURI: uri('encodeURI', encodeURI),
  decodeURI: uri('decodeURI', decodeURI),
};

export function callNumberMethod(host: Host, x: number, name: string, args: unknown[]): unknown {
  const m = Object.prototype.hasOwnProperty.call(numberMethods, name) ? numberMethods[name] : undefined;
  return m ? m(host, x, args) : unsupported(host, `Number.prototype.${name}`);
}
