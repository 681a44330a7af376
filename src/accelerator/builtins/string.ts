// String.prototype methods on primitive strings, `String(x)` and String's statics.
// Each method coerces its arguments with the host in the order the spec gives (user toString/valueOf
// closures run in Node's order), then lets V8 compute on primitives: the result is Node's by
// construction. Methods whose meaning depends on things we cannot see (locale, regexes) abort.
import type { Host } from './host.ts';
import { CONS_NODE, MATCH_UNITS, REPLACE_MATCH_UNITS, charUnits, fastCharUnits, ropeUnits, searchUnits } from './costs.ts';
import { clampPosition, searchBackward, searchForward } from './search.ts';
import { regexpState } from './regexp.ts';
import * as rx from './regexp-string.ts';
import {
  BuiltinFunction, chargeArray, chargeString, defaultLocaleIsEnUS, describeValue, isObject, native, newString, str, toIntegerOrInfinity,
  symbolText, toLength, unsupported,
} from './values.ts';

type StringMethod = (host: Host, s: string, args: unknown[]) => unknown;
/** ES2024 string methods (in Node 20), not in the TypeScript lib this project targets. */
type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };

const arg = (args: unknown[], i: number): unknown => (i < args.length ? args[i] : undefined);

/** A string copied out of another (slice, substring, …): copied in bulk, charged by its length. */
function result(host: Host, r: string): string {
  host.tick(fastCharUnits(r.length));
  chargeString(host, r.length);
  return r;
}

/** Work on every character of s, one at a time (case mapping, trimming, well-formedness). */
const perChar = (host: Host, s: string): void => host.tick(charUnits(s.length));

/** localeCompare is exact only for printable ASCII under the en-US default locale (see values.ts). */
const asciiPrintable = /^[\x20-\x7e]*$/;

// IsRegExp and the @@split/@@replace lookups of the spec find something only on a RegExp (regexp.ts):
// no other runtime value has symbols, and no prototype of theirs has those symbols.

/**
 * How many times `search` occurs in s, left to right, not overlapping (stopping at `max`), found with
 * V8's indexOf; the scan is paid for first (the whole string, as split and replace scan it), the
 * matches in blocks as they are found, so a string with very many matches stops where the fuel does.
 */
function countMatches(host: Host, s: string, search: string, max: number, unitsPerMatch: number): number {
  host.tick(search.length === 1 ? fastCharUnits(s.length) : searchUnits(s.length + search.length));
  const advance = Math.max(1, search.length);
  let n = 0;
  // StringIndexOf finds nothing past the end, where String.prototype.indexOf would clamp.
  for (let p = s.indexOf(search); p !== -1 && n < max; p = p + advance > s.length ? -1 : s.indexOf(search, p + advance)) {
    if ((n & 255) === 0) host.tick(256 * unitsPerMatch);
    n++;
  }
  return n;
}

/** The positions of the first `max` matches (for a replacement function, called with each). */
function matchPositions(host: Host, s: string, search: string, max: number): number[] {
  const positions: number[] = [];
  const advance = Math.max(1, search.length);
  let p = searchForward(host, s, search, 0);
  while (p !== -1 && positions.length < max) {
    host.tick(REPLACE_MATCH_UNITS);
    positions.push(p);
    p = p + advance > s.length ? -1 : searchForward(host, s, search, p + advance);
  }
  return positions;
}

function replaceImpl(host: Host, s: string, args: unknown[], all: boolean): string {
  const what = all ? 'String.prototype.replaceAll' : 'String.prototype.replace';
  const searchValue = arg(args, 0);
  const re = regexpState(searchValue);
  if (re) {
    if (all && !re.flags.includes('g')) host.throwError('TypeError', 'String.prototype.replaceAll called with a non-global RegExp argument');
    return rx.replace(host, re, s, arg(args, 1));
  }
  let replaceValue = arg(args, 1);
  const search = str(host, searchValue);
  const functional = host.isCallable(replaceValue);
  if (!functional) replaceValue = str(host, replaceValue);
  const max = all ? Infinity : 1;
  if (!functional) {
    // GetSubstitution with no captures: V8 on primitives gives exactly Node's result. Charge an upper
    // bound first: each `$` pattern ($&, $`, $') expands to at most the whole string; V8 scans the
    // string again and copies it.
    const matches = all ? countMatches(host, s, search, max, REPLACE_MATCH_UNITS) : searchForward(host, s, search, 0) === -1 ? 0 : 1;
    if (matches === 0) return s;
    const replacement = replaceValue as string;
    const dollars = replacement.split('$').length - 1;
    const bound = s.length + matches * (replacement.length + dollars * s.length);
    chargeString(host, bound);
    host.tick(searchUnits(s.length) + fastCharUnits(bound));
    return native(host, what, () => (all ? s.replaceAll(search, replacement) : s.replace(search, replacement)));
  }
  const positions = matchPositions(host, s, search, max);
  if (positions.length === 0) return s;
  let out = '';
  let end = 0;
  for (const pos of positions) {
    const rep = str(host, host.call(replaceValue, undefined, [search, pos, s]));
    const piece = s.slice(end, pos) + rep;
    host.tick(fastCharUnits(piece.length));
    chargeString(host, piece.length);
    host.alloc(2 * CONS_NODE);
    out += piece;
    end = pos + search.length;
  }
  if (end < s.length) {
    chargeString(host, s.length - end);
    out += s.slice(end);
  }
  host.tick(ropeUnits(out.length));
  return out;
}

function splitImpl(host: Host, s: string, sep: string, lim: number): string[] {
  if (lim === 0) return [];
  // Parts: the separators found plus one (up to the limit); code units for an empty separator.
  const parts = sep === '' ? Math.min(lim, s.length) : Math.min(lim, countMatches(host, s, sep, lim, MATCH_UNITS) + 1);
  if (sep === '') host.tick(1 + MATCH_UNITS * parts);
  chargeArray(host, parts);
  // Each part is a new string (a copy or a slice of s): their characters are at most s's.
  host.alloc(parts * CONS_NODE);
  chargeString(host, s.length);
  return s.split(sep, lim);
}

export const stringMethods: Record<string, StringMethod> = {
  charAt: (host, s, a) => result(host, s.charAt(toIntegerOrInfinity(host, arg(a, 0)))),
  charCodeAt: (host, s, a) => s.charCodeAt(toIntegerOrInfinity(host, arg(a, 0))),
  codePointAt: (host, s, a) => s.codePointAt(toIntegerOrInfinity(host, arg(a, 0))),
  at(host, s, a) {
    const r = s.at(toIntegerOrInfinity(host, arg(a, 0)));
    return r === undefined ? r : result(host, r);
  },
  indexOf(host, s, a) {
    const search = str(host, arg(a, 0));
    const pos = toIntegerOrInfinity(host, arg(a, 1));
    return searchForward(host, s, search, clampPosition(pos, s.length));
  },
  lastIndexOf(host, s, a) {
    const search = str(host, arg(a, 0));
    // ToNumber, not ToIntegerOrInfinity: NaN means "from the end".
    const n = host.toNumber(arg(a, 1));
    const pos = n !== n ? Infinity : toIntegerOrInfinity(host, n);
    return searchBackward(host, s, search, clampPosition(pos, s.length));
  },
  includes(host, s, a) {
    const search = str(host, arg(a, 0));
    const pos = toIntegerOrInfinity(host, arg(a, 1));
    return searchForward(host, s, search, clampPosition(pos, s.length)) >= 0;
  },
  startsWith(host, s, a) {
    const search = str(host, arg(a, 0));
    const pos = toIntegerOrInfinity(host, arg(a, 1));
    host.tick(fastCharUnits(search.length));
    return s.startsWith(search, pos);
  },
  endsWith(host, s, a) {
    const search = str(host, arg(a, 0));
    const end = arg(a, 1) === undefined ? s.length : toIntegerOrInfinity(host, arg(a, 1));
    host.tick(fastCharUnits(search.length));
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
  toUpperCase: (host, s) => { perChar(host, s); return newString(host, s.toUpperCase()); },
  toLowerCase: (host, s) => { perChar(host, s); return newString(host, s.toLowerCase()); },
  trim: (host, s) => trimmed(host, s, s.trim()),
  trimStart: (host, s) => trimmed(host, s, s.trimStart()),
  trimEnd: (host, s) => trimmed(host, s, s.trimEnd()),
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
    // Charge before building: the memory budget stops huge strings before V8 would. V8 builds a rope
    // by doubling; its flat copy is what a later use makes.
    chargeString(host, s.length * n);
    host.alloc(CONS_NODE * Math.ceil(Math.log2(n + 1)));
    host.tick(charUnits(s.length * n)); // flattening a doubled rope walks it character by character
    return native(host, 'String.prototype.repeat', () => s.repeat(n));
  },
  split(host, s, a) {
    const sepArg = arg(a, 0);
    const limArg = arg(a, 1);
    const re = regexpState(sepArg);
    if (re) return rx.split(host, re, s, limArg === undefined ? 2 ** 32 - 1 : host.toNumber(limArg) >>> 0);
    // Spec order: ToUint32(limit) before ToString(separator).
    const lim = limArg === undefined ? 2 ** 32 - 1 : host.toNumber(limArg) >>> 0;
    if (sepArg === undefined) {
      chargeArray(host, 1);
      return lim === 0 ? [] : [s];
    }
    return splitImpl(host, s, str(host, sepArg), lim);
  },
  concat(host, s, a) {
    let out = s;
    let n = s.length;
    for (const x of a) {
      const piece = str(host, x);
      host.alloc(CONS_NODE);
      n += piece.length;
      out += piece;
    }
    // The result by its full length, as a concatenation (the core's add) is charged.
    if (a.length > 0) {
      chargeString(host, n);
      host.tick(ropeUnits(n));
    }
    return out;
  },
  replace: (host, s, a) => replaceImpl(host, s, a, false),
  match: (host, s, a) => rx.match(host, regexpState(arg(a, 0)) ?? rx.fromArgument(host, arg(a, 0), ''), s),
  matchAll(host, s, a) {
    const re = regexpState(arg(a, 0));
    if (re && !re.flags.includes('g')) host.throwError('TypeError', 'String.prototype.matchAll called with a non-global RegExp argument');
    return rx.matchAll(host, re ?? rx.fromArgument(host, arg(a, 0), 'g'), s);
  },
  search: (host, s, a) => rx.search(host, regexpState(arg(a, 0)) ?? rx.fromArgument(host, arg(a, 0), ''), s),
  replaceAll: (host, s, a) => replaceImpl(host, s, a, true),
  localeCompare(host, s, a) {
    const that = str(host, arg(a, 0));
    if (arg(a, 1) !== undefined || arg(a, 2) !== undefined) unsupported(host, 'String.prototype.localeCompare', 'locales or options');
    host.tick(fastCharUnits(Math.min(s.length, that.length)));
    if (s === that) return 0;
    if (!defaultLocaleIsEnUS || !asciiPrintable.test(s) || !asciiPrintable.test(that)) {
      return unsupported(host, 'String.prototype.localeCompare', 'non-ASCII or non-en-US');
    }
    host.tick(charUnits(s.length + that.length));
    return s.localeCompare(that);
  },
  normalize(host, s, a) {
    const form = arg(a, 0) === undefined ? 'NFC' : str(host, arg(a, 0));
    if (form !== 'NFC' && form !== 'NFD' && form !== 'NFKC' && form !== 'NFKD') host.throwError('RangeError', 'The normalization form should be one of NFC, NFD, NFKC, NFKD.');
    // ICU's tables: the containers run the same Node, so the same Unicode version.
    perChar(host, s);
    return newString(host, s.normalize(form));
  },
  isWellFormed: (host, s) => { host.tick(fastCharUnits(s.length)); return (s as unknown as WellFormed).isWellFormed(); },
  toWellFormed: (host, s) => { perChar(host, s); return newString(host, (s as unknown as WellFormed).toWellFormed()); },
  // With no locale argument these use the default locale, en-US, whose case mapping is the root one.
  toLocaleUpperCase: (host, s, a) => localeCase(host, s, a, true),
  toLocaleLowerCase: (host, s, a) => localeCase(host, s, a, false),
  toString: (_host: Host, s: string) => s,
  valueOf: (_host: Host, s: string) => s,
};

/** A trimmed copy: the whitespace was scanned character by character, the rest is copied in bulk. */
function trimmed(host: Host, s: string, r: string): string {
  host.tick(charUnits(s.length - r.length));
  return r === s ? s : result(host, r);
}

function localeCase(host: Host, s: string, a: unknown[], upper: boolean): string {
  const what = upper ? 'String.prototype.toLocaleUpperCase' : 'String.prototype.toLocaleLowerCase';
  if (arg(a, 0) !== undefined || !defaultLocaleIsEnUS) return unsupported(host, what, 'locale argument or default locale');
  perChar(host, s);
  return newString(host, upper ? s.toLocaleUpperCase() : s.toLocaleLowerCase());
}

function pad(host: Host, s: string, a: unknown[], start: boolean): string {
  const max = toLength(host, arg(a, 0));
  if (max <= s.length) return s;
  // The filler is only converted when padding happens (spec StringPad).
  const fill = arg(a, 1) === undefined ? ' ' : str(host, arg(a, 1));
  if (fill === '') return s;
  // Before building (V8 makes the filler as a rope, flattened when used): the memory budget stops
  // huge strings before V8 would.
  chargeString(host, max);
  host.alloc(CONS_NODE * Math.ceil(Math.log2(max / fill.length + 1) + 1));
  host.tick(charUnits(max)); // the filler is a doubled rope, as repeat makes
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
    host.tick(codes.length);
    let out = '';
    for (const c of codes) out += String.fromCharCode(c);
    return newString(host, out);
  },
});

const fromCodePoint = new BuiltinFunction({
  name: 'fromCodePoint', length: 1, path: 'String.fromCodePoint',
  impl(host, _t, args) {
    // Spec: each argument is converted and checked before the next one is converted.
    host.tick(args.length);
    let out = '';
    for (const x of args) {
      const n = host.toNumber(x);
      if (!(Number.isInteger(n) && n >= 0 && n <= 0x10ffff) && isObject(x)) {
        return unsupported(host, 'String.fromCodePoint', 'error message for an object argument');
      }
      // V8's RangeError prints a primitive argument as given; converting it again runs no user code.
      out += native(host, 'String.fromCodePoint', () => String.fromCodePoint(isObject(x) ? n : (x as number)));
    }
    return newString(host, out);
  },
});

export const StringFn = new BuiltinFunction({
  name: 'String', length: 1, path: 'String', real: String,
  impl: (host, _t, args) => {
    if (args.length === 0) return '';
    const v = args[0];
    if (typeof v === 'string') return v;
    // SymbolDescriptiveString: the one conversion of a symbol to a string that does not throw.
    if (typeof v === 'symbol') return symbolText(host, v);
    const s = str(host, v);
    // Converting a number or boolean makes a string; an array's join or an error's text were charged.
    if (typeof v !== 'object' || v === null) chargeString(host, s.length);
    return s;
  },
  // `new String(x)` makes a wrapper object, which is not a runtime value.
  statics: { fromCharCode, fromCodePoint },
});
