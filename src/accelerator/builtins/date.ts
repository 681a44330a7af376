// Date, host-backed like the web objects (web-value.ts): a host Date holds the time value, so V8's
// own arithmetic (MakeDay, TimeClip, the setters' argument rules) and its parser do the work.
//
// Local time is the container's: a runc container has no /etc/localtime and its environment no TZ,
// so its Node runs in UTC ("GMT+0000 (Coordinated Universal Time)"). The local API is therefore
// computed with the host's UTC methods, whatever the dispatcher's own zone. A function whose
// environment sets TZ (config.env or a write to process.env.TZ) would see another zone: local-time
// operations abort then. Strings are parsed by the host's Date.parse, which reads a string without
// a zone as the dispatcher's local time: the result is used only where the dispatcher's offset at
// that time is 0 (always so for a dispatcher in UTC), else the parse aborts.
import type { Host } from './host.ts';
import { LOCALE_FORMAT_UNITS, LOCALE_OPTIONS_UNITS, charUnits } from './costs.ts';
import { localeArgs } from './locale-args.ts';
import { BuiltinFunction, defaultLocaleIsEnUS, str, unsupported } from './values.ts';
import { WebValue, hostOp, isWebValue, madeString, type WebKind } from './web-value.ts';

/** V8's JSDate: header, time value and its cached fields. */
const DATE_BYTES = 96;
/** Units for formatting or parsing a date (V8 splits the time value into fields, a few dozen ns). */
const FORMAT_UNITS = 8;

/** The container's zone is UTC unless the function's environment names another one. */
function utcOnly(h: Host, what: string): void {
  const tz = h.timeZone?.();
  if (tz !== undefined) unsupported(h, what, `local time with TZ=${tz}`);
}

/**
 * Intl options in the container's zone: the ones given when they name a zone, else the same with
 * `timeZone: 'UTC'` (a function whose environment sets TZ aborts). For toLocale*String and Intl.
 */
export function inContainerZone<O extends { timeZone?: unknown }>(h: Host, what: string, options: O | undefined): O & { timeZone: unknown } {
  if (options?.timeZone !== undefined) return options as O & { timeZone: unknown };
  utcOnly(h, what);
  return { ...(options as O), timeZone: 'UTC' };
}

/** The host's Date.parse, used only where it cannot depend on the dispatcher's zone. */
function parse(h: Host, text: string, what: string): number {
  h.tick(FORMAT_UNITS + charUnits(text.length));
  const t = Date.parse(text);
  if (Number.isNaN(t)) return t;
  // A string without a zone is local time: the container's (UTC, unless TZ is set) and the
  // dispatcher's must both have offset 0 there for the host's answer to be the container's.
  if (new Date(t).getTimezoneOffset() !== 0) return unsupported(h, what, 'the dispatcher is not in UTC');
  utcOnly(h, what);
  return t;
}

const NUMERIC_GETTERS = ['getDate', 'getDay', 'getFullYear', 'getHours', 'getMilliseconds', 'getMinutes', 'getMonth', 'getSeconds'] as const;
const NUMERIC_SETTERS = ['setDate', 'setFullYear', 'setHours', 'setMilliseconds', 'setMinutes', 'setMonth', 'setSeconds'] as const;
/** How many arguments each setter reads (the rest are ignored, as in V8). */
const SETTER_ARITY: Record<(typeof NUMERIC_SETTERS)[number], number> = {
  setDate: 1, setFullYear: 3, setHours: 4, setMilliseconds: 1, setMinutes: 3, setMonth: 2, setSeconds: 2,
};

type UtcName<S extends string> = S extends `${infer G}${'et'}${infer R}` ? `${G}etUTC${R}` : never;
const utcName = <S extends string>(m: S): UtcName<S> => m.replace(/^([gs])et/, '$1etUTC') as UtcName<S>;

/** The setter's arguments as numbers, converted in order (user valueOf hooks abort in toNumber). */
function numbers(h: Host, args: unknown[], arity: number): number[] {
  return args.slice(0, arity).map((a) => h.toNumber(a));
}

function set(h: Host, d: Date, utc: string, args: unknown[], arity: number): number {
  const xs = numbers(h, args, arity);
  return (d[utc as keyof Date] as (...n: number[]) => number)(...xs);
}

const fieldMethods: Record<string, (h: Host, d: Date, a: unknown[]) => unknown> = {};
for (const g of NUMERIC_GETTERS) {
  const u = utcName(g);
  fieldMethods[u] = (_h, d) => d[u]();
  fieldMethods[g] = (h, d) => {
    utcOnly(h, `Date.prototype.${g}`);
    return d[u]();
  };
}
for (const s of NUMERIC_SETTERS) {
  const u = utcName(s);
  fieldMethods[u] = (h, d, a) => set(h, d, u, a, SETTER_ARITY[s]);
  fieldMethods[s] = (h, d, a) => {
    utcOnly(h, `Date.prototype.${s}`);
    return set(h, d, u, a, SETTER_ARITY[s]);
  };
}

const WEEKDAY_NAME = /^(\w{3}), (\d{2}) (\w{3}) (-?\d+) (\d{2}:\d{2}:\d{2}) GMT$/;

/** toUTCString's fields (zone-free in V8): weekday, day, month, year, time. */
function fields(d: Date): string[] {
  const m = WEEKDAY_NAME.exec(d.toUTCString());
  if (!m) throw new Error(`date.ts: unexpected toUTCString ${d.toUTCString()}`);
  return m.slice(1);
}

const ZONE = 'GMT+0000 (Coordinated Universal Time)';

function dateString(d: Date): string {
  const [wd, dd, mon, year] = fields(d);
  return `${wd} ${mon} ${dd} ${year}`;
}

function timeString(d: Date): string {
  return `${fields(d)[4]} ${ZONE}`;
}

/** A formatted date: "Invalid Date" for NaN, else `f(d)`, charged as made. */
function formatted(h: Host, d: Date, what: string, local: boolean, f: (d: Date) => string): string {
  h.tick(FORMAT_UNITS);
  if (Number.isNaN(d.getTime())) return madeString(h, 'Invalid Date');
  if (local) utcOnly(h, what);
  return madeString(h, f(d));
}

function isoString(h: Host, d: Date): string {
  h.tick(FORMAT_UNITS);
  if (Number.isNaN(d.getTime())) return h.throwError('RangeError', 'Invalid time value');
  return madeString(h, d.toISOString());
}

type LocaleName = 'toLocaleString' | 'toLocaleDateString' | 'toLocaleTimeString';

/** The fields each method shows by default (ECMA-402 ToDateTimeOptions' defaults). */
const DEFAULT_FIELDS: Record<LocaleName, Intl.DateTimeFormatOptions> = {
  toLocaleString: { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' },
  toLocaleDateString: { year: 'numeric', month: 'numeric', day: 'numeric' },
  toLocaleTimeString: { hour: 'numeric', minute: 'numeric', second: 'numeric' },
};
/** V8 builds an ICU formatter on each toLocale*String call (about 100 µs); one kept formats in about
 * 1.5 µs with the same result (test/accelerator/dates.test.ts compares them over many dates). */
const defaultFormatters = new Map<LocaleName, Intl.DateTimeFormat>();

/**
 * toLocale*String. Without arguments: en-US (the containers' default locale) in UTC, with a kept
 * formatter. With locales or options: the host's method on copies of them (locale-args.ts), in UTC
 * unless the options name a zone, since the container's zone is UTC; charged as a new formatter.
 */
function locale(name: LocaleName) {
  const what = `Date.prototype.${name}`;
  return (h: Host, d: Date, a: unknown[]): string => {
    if (!defaultLocaleIsEnUS) return unsupported(h, what, 'the default locale is not en-US');
    if (a[0] === undefined && a[1] === undefined) {
      h.tick(LOCALE_FORMAT_UNITS);
      let f = defaultFormatters.get(name);
      if (!f) defaultFormatters.set(name, (f = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', ...DEFAULT_FIELDS[name] })));
      return formatted(h, d, what, true, (x) => f.format(x));
    }
    const { locales, options } = localeArgs(h, what, a[0], a[1]);
    h.tick(LOCALE_OPTIONS_UNITS);
    const opts = inContainerZone(h, what, options) as Intl.DateTimeFormatOptions;
    return formatted(h, d, what, false, (x) => hostOp(h, what, () => x[name](locales, opts)));
  };
}

const toStringM = (h: Host, d: Date) => formatted(h, d, 'Date.prototype.toString', true, (x) => `${dateString(x)} ${timeString(x)}`);

const dateKind: WebKind<Date> = {
  name: 'Date',
  real: Date.prototype,
  getters: {},
  methods: {
    ...fieldMethods,
    getTime: (_h: Host, d: Date) => d.getTime(),
    valueOf: (_h: Host, d: Date) => d.getTime(),
    getTimezoneOffset(h: Host, d: Date) {
      utcOnly(h, 'Date.prototype.getTimezoneOffset');
      return Number.isNaN(d.getTime()) ? NaN : 0;
    },
    setTime: (h: Host, d: Date, a: unknown[]) => d.setTime(h.toNumber(a[0])),
    toISOString: (h: Host, d: Date) => isoString(h, d),
    toJSON: (h: Host, d: Date) => (Number.isFinite(d.getTime()) ? isoString(h, d) : null),
    toString: toStringM,
    toDateString: (h: Host, d: Date) => formatted(h, d, 'Date.prototype.toDateString', true, dateString),
    toTimeString: (h: Host, d: Date) => formatted(h, d, 'Date.prototype.toTimeString', true, timeString),
    toUTCString: (h: Host, d: Date) => formatted(h, d, 'Date.prototype.toUTCString', false, (x: Date) => x.toUTCString()),
    toGMTString: (h: Host, d: Date) => formatted(h, d, 'Date.prototype.toGMTString', false, (x: Date) => x.toUTCString()),
    toLocaleString: locale('toLocaleString'),
    toLocaleDateString: locale('toLocaleDateString'),
    toLocaleTimeString: locale('toLocaleTimeString'),
  },
  // Date's @@toPrimitive: the string for the default and string hints, the time value for number.
  toPrimitive: (h, d, hint) => (hint === 'number' ? d.getTime() : toStringM(h, d)),
  toJSON: (h, d) => (Number.isFinite(d.getTime()) ? isoString(h, d) : null),
};

/** The time value of a Date runtime value, or undefined for anything else. */
export function timeValue(v: unknown): number | undefined {
  if (!isWebValue(v)) return undefined;
  return WebValue.state(v, dateKind)?.getTime();
}

/** A new Date runtime value with time value t. */
export function newDate(h: Host, t: number): WebValue {
  return WebValue.make(h, dateKind, new Date(t), DATE_BYTES);
}

function construct(h: Host, args: unknown[]): WebValue {
  if (args.length === 0) return newDate(h, Date.now());
  if (args.length === 1) {
    const own = timeValue(args[0]);
    if (own !== undefined) return newDate(h, own);
    const p = h.toPrimitive(args[0], 'default');
    if (typeof p === 'string') return newDate(h, parse(h, p, 'new Date'));
    return newDate(h, new Date(h.toNumber(p)).getTime());
  }
  const xs = numbers(h, args, 7);
  utcOnly(h, 'new Date');
  return newDate(h, (Date.UTC as (...n: number[]) => number)(...xs));
}

export const DateFn = new BuiltinFunction({
  name: 'Date', length: 7, path: 'Date', real: Date,
  impl(h) {
    // Date() ignores its arguments: the current time as toString prints it.
    return toStringM(h, new Date(Date.now()));
  },
  construct,
  statics: {
    now: new BuiltinFunction({ name: 'now', length: 0, path: 'Date.now', impl: () => Date.now() }),
    parse: new BuiltinFunction({ name: 'parse', length: 1, path: 'Date.parse', impl: (h, _t, args) => parse(h, str(h, args[0]), 'Date.parse') }),
    UTC: new BuiltinFunction({
      name: 'UTC', length: 7, path: 'Date.UTC',
      impl(h, _t, args) {
        const xs = args.slice(0, 7).map((x) => h.toNumber(x)); // the 7 parameters, in order; extras are ignored
        return (Date.UTC as (...n: number[]) => number)(...xs);
      },
    }),
  },
});

export const dateKinds = [dateKind];
