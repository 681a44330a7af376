// String.prototype methods on primitive strings, `String(x)` and String's statics.
// Each method coerces its arguments with the host in the order the spec gives (user toString/valueOf
// closures run in Node's order), then lets V8 compute on primitives: the result is Node's by
// construction. Methods whose meaning depends on things we cannot see (locale, regexes) abort.
import type { Host } from './host.ts';
import {
  BuiltinFunction, chargeArray, chargeString, defaultLocaleIsEnUS, describeValue, isObject, native, str, toIntegerOrInfinity, toLength, unsupported,
} from './values.ts';

type StringMethod = (host: Host, s: string, args: unknown[]) => unknown;
/** ES2024 string methods (in Node 20), not in the TypeScript lib this project targets. */
type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };

const arg = (args: unknown[], i: number): unknown => (i < args.length ? args[i] : undefined);

/** The searches' cost: proportional to the text scanned. */
const scan = (host: Host, s: string): void => host.tick(1 + (s.length >> 4));

function result(host: Host, r: string): string {
  chargeString(host, r.length);
  return r;
}

/** localeCompare is exact only for printable ASCII under the en-US default locale (see values.ts). */
const asciiPrintable = /^[\x20-\x7e]*$/;

// IsRegExp and the @@split/@@replace lookups of the spec find nothing on runtime values: there are no
// regexes or symbols among them, and no prototype of theirs has those symbols.

function replaceImpl(host: Host, s: string, args: unknown[], all: boolean): string {
  const what = all ? 'String.prototype.replaceAll' : 'String.prototype.replace';
  const searchValue = arg(args, 0);
  let replaceValue = arg(args, 1);
  const search = str(host, searchValue);
  const functional = host.isCallable(replaceValue);
  if (!functional) replaceValue = str(host, replaceValue);
  scan(host, s);
  if (!functional) {
    // GetSubstitution with no captures: V8 on primitives gives exactly Node's result. Charge an upper
    // bound first: each `$` pattern ($&, $`, $') expands to at most the whole string.
    const replacement = replaceValue as string;
    let matches = 0;
    if (all) {
      for (let p = s.indexOf(search); p !== -1; p = p + Math.max(1, search.length) > s.length ? -1 : s.indexOf(search, p + Math.max(1, search.length))) {
        matches++;
        host.tick(1);
      }
    } else {
      matches = s.includes(search) ? 1 : 0;
    }
    if (matches === 0) return s;
    const dollars = replacement.split('$').length - 1;
    chargeString(host, s.length + matches * (replacement.length + dollars * s.length));
    return native(host, what, () => (all ? s.replaceAll(search, replacement) : s.replace(search, replacement)));
  }
  const positions: number[] = [];
  const advance = Math.max(1, search.length);
  let p = s.indexOf(search, 0);
  while (p !== -1) {
    positions.push(p);
    if (!all) break;
    host.tick(1);
    // StringIndexOf finds nothing past the end, where String.prototype.indexOf would clamp.
    p = p + advance > s.length ? -1 : s.indexOf(search, p + advance);
  }
  if (positions.length === 0) return s;
  let out = '';
  let end = 0;
  for (const pos of positions) {
    const rep = str(host, host.call(replaceValue, undefined, [search, pos, s]));
    const piece = s.slice(end, pos) + rep;
    chargeString(host, piece.length);
    out += piece;
    end = pos + search.length;
  }
  if (end < s.length) out += s.slice(end);
  return out;
}

export const stringMethods: Record<string, StringMethod> = {
  charAt: (host, s, a) => s.charAt(toIntegerOrInfinity(host, arg(a, 0))),
  charCodeAt: (host, s, a) => s.charCodeAt(toIntegerOrInfinity(host, arg(a, 0))),
  codePointAt: (host, s, a) => s.codePointAt(toIntegerOrInfinity(host, arg(a, 0))),
  at: (host, s, a) => s.at(toIntegerOrInfinity(host, arg(a, 0))),
  indexOf(host, s, a) {
    const search = str(host, arg(a, 0));
    const pos = toIntegerOrInfinity(host, arg(a, 1));
    scan(host, s);
    return s.indexOf(search, pos);
  },
  lastIndexOf(host, s, a) {
    const search = str(host, arg(a, 0));
    // ToNumber, not ToIntegerOrInfinity: NaN means "from the end".
    const pos = host.toNumber(arg(a, 1));
    scan(host, s);
    return s.lastIndexOf(search, pos);
  },
  includes(host, s, a) {
    const search = str(host, arg(a, 0));
    const pos = toIntegerOrInfinity(host, arg(a, 1));
    scan(host, s);
    return s.includes(search, pos);
  },
  startsWith(host, s, a) {
    const search = str(host, arg(a, 0));
    const pos = toIntegerOrInfinity(host, arg(a, 1));
    return s.startsWith(search, pos);
  },
  endsWith(host, s, a) {
    const search = str(host, arg(a, 0));
    const end = arg(a, 1) === undefined ? s.length : toIntegerOrInfinity(host, arg(a, 1));
    return s.endsWith(search, end);
  },
  slice(host, s, a) {
    const start = toIntegerOrInfinity(host, arg(a, 0));
    const end = arg(a, 1) === undefined ? s.length : toIntegerOrInfinity(host, arg(a, 1));
    return result(host, s.slice(start, end));
  },
  substring(host, s, a) {
    const start = toIntegerOrInfinity(host, arg(a, 0));
    const end = arg(a, 1) === undefined ? s.length : toIntegerOrInfinity(host, arg(a, 1));
    return result(host, s.substring(start, end));
  },
  substr(host, s, a) {
    const start = toIntegerOrInfinity(host, arg(a, 0));
    const len = arg(a, 1) === undefined ? s.length : toIntegerOrInfinity(host, arg(a, 1));
    return result(host, s.substr(start, len));
  },
  toUpperCase: (host, s) => { scan(host, s); return result(host, s.toUpperCase()); },
  toLowerCase: (host, s) => { scan(host, s); return result(host, s.toLowerCase()); },
  trim: (host, s) => { scan(host, s); return result(host, s.trim()); },
  trimStart: (host, s) => { scan(host, s); return result(host, s.trimStart()); },
  trimEnd: (host, s) => { scan(host, s); return result(host, s.trimEnd()); },
  padStart: (host, s, a) => pad(host, s, a, true),
  padEnd: (host, s, a) => pad(host, s, a, false),
  repeat(host, s, a) {
    const count = arg(a, 0);
    const n = toIntegerOrInfinity(host, count);
    if (n < 0 || n === Infinity) {
      // V8's message prints the argument as given: let V8 throw for a primitive (converting it again
      // runs no user code); for an object, print it as V8 does or abort.
      if (isObject(count)) host.throwError('RangeError', `Invalid count value: ${describeValue(host, count, 'String.prototype.repeat')}`);
      return native(host, 'String.prototype.repeat', () => s.repeat(count as number));
    }
    // Charge before building: the memory budget stops huge strings before V8 would.
    chargeString(host, s.length * n);
    host.tick(1 + ((s.length * n) >> 4));
    return native(host, 'String.prototype.repeat', () => s.repeat(n));
  },
  split(host, s, a) {
    const sepArg = arg(a, 0);
    const limArg = arg(a, 1);
    // Spec order: ToUint32(limit) before ToString(separator).
    const lim = limArg === undefined ? 2 ** 32 - 1 : host.toNumber(limArg) >>> 0;
    if (sepArg === undefined) {
      chargeArray(host, 1);
      return lim === 0 ? [] : [result(host, s)];
    }
    const sep = str(host, sepArg);
    scan(host, s);
    const parts = s.split(sep, lim);
    chargeArray(host, parts.length);
    chargeString(host, s.length);
    host.tick(parts.length);
    return parts;
  },
  concat(host, s, a) {
    let out = s;
    for (const x of a) {
      const piece = str(host, x);
      chargeString(host, piece.length);
      out += piece;
    }
    return out;
  },
  replace: (host, s, a) => replaceImpl(host, s, a, false),
  replaceAll: (host, s, a) => replaceImpl(host, s, a, true),
  localeCompare(host, s, a) {
    const that = str(host, arg(a, 0));
    if (arg(a, 1) !== undefined || arg(a, 2) !== undefined) unsupported(host, 'String.prototype.localeCompare', 'locales or options');
    if (s === that) return 0;
    if (!defaultLocaleIsEnUS || !asciiPrintable.test(s) || !asciiPrintable.test(that)) {
      return unsupported(host, 'String.prototype.localeCompare', 'non-ASCII or non-en-US');
    }
    host.tick(1 + ((s.length + that.length) >> 4));
    return s.localeCompare(that);
  },
  isWellFormed: (host, s) => { scan(host, s); return (s as unknown as WellFormed).isWellFormed(); },
  toWellFormed: (host, s) => { scan(host, s); return result(host, (s as unknown as WellFormed).toWellFormed()); },
  // With no locale argument these use the default locale, en-US, whose case mapping is the root one.
  toLocaleUpperCase: (host, s, a) => localeCase(host, s, a, true),
  toLocaleLowerCase: (host, s, a) => localeCase(host, s, a, false),
  toString: (_host: Host, s: string) => s,
  valueOf: (_host: Host, s: string) => s,
};

function localeCase(host: Host, s: string, a: unknown[], upper: boolean): string {
  const what = upper ? 'String.prototype.toLocaleUpperCase' : 'String.prototype.toLocaleLowerCase';
  if (arg(a, 0) !== undefined || !defaultLocaleIsEnUS) return unsupported(host, what, 'locale argument or default locale');
  scan(host, s);
  return result(host, upper ? s.toLocaleUpperCase() : s.toLocaleLowerCase());
}

function pad(host: Host, s: string, a: unknown[], start: boolean): string {
  const max = toLength(host, arg(a, 0));
  if (max <= s.length) return s;
  // The filler is only converted when padding happens (spec StringPad).
  const fill = arg(a, 1) === undefined ? ' ' : str(host, arg(a, 1));
  if (fill === '') return s;
  chargeString(host, max);
  host.tick(1 + (max >> 4));
  return native(host, start ? 'String.prototype.padStart' : 'String.prototype.padEnd', () => (start ? s.padStart(max, fill) : s.padEnd(max, fill)));
}

export function callStringMethod(host: Host, s: string, name: string, args: unknown[]): unknown {
  const m = Object.prototype.hasOwnProperty.call(stringMethods, name) ? stringMethods[name] : undefined;
  if (!m) return unsupported(host, `String.prototype.${name}`);
  return m(host, s, args);
}

const fromCharCode = new BuiltinFunction({
  name: 'fromCharCode', length: 1, path: 'String.fromCharCode',
  impl(host, _t, args) {
    const codes = args.map((x) => host.toNumber(x) & 0xffff);
    chargeString(host, codes.length);
    host.tick(codes.length);
    let out = '';
    for (const c of codes) out += String.fromCharCode(c);
    return out;
  },
});

const fromCodePoint = new BuiltinFunction({
  name: 'fromCodePoint', length: 1, path: 'String.fromCodePoint',
  impl(host, _t, args) {
    // Spec: each argument is converted and checked before the next one is converted.
    let out = '';
    for (const x of args) {
      const n = host.toNumber(x);
      if (!(Number.isInteger(n) && n >= 0 && n <= 0x10ffff) && isObject(x)) {
        return unsupported(host, 'String.fromCodePoint', 'error message for an object argument');
      }
      // V8's RangeError prints a primitive argument as given; converting it again runs no user code.
      out += native(host, 'String.fromCodePoint', () => String.fromCodePoint(isObject(x) ? n : (x as number)));
    }
    chargeString(host, out.length);
    host.tick(args.length);
    return out;
  },
});

export const StringFn = new BuiltinFunction({
  name: 'String', length: 1, path: 'String', real: String,
  impl: (host, _t, args) => (args.length === 0 ? '' : str(host, args[0])),
  // `new String(x)` makes a wrapper object, which is not a runtime value.
  statics: { fromCharCode, fromCodePoint },
});
