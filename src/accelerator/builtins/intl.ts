// Intl in compiled code: NumberFormat, DateTimeFormat, PluralRules, RelativeTimeFormat, ListFormat
// and Collator, each a WebValue around the host's own ICU object. Containers run the dispatcher's Node
// binary (src/sandbox/host-runtime.ts), so the same ICU data gives the same strings. Locales and
// options are copied to host values first (locale-args.ts); a DateTimeFormat's zone is the
// container's, UTC, unless the options name one. Making one builds an ICU formatter (charged as
// toLocale*String with options); using it is cheap (charged as a kept formatter, plus its text).
// resolvedOptions, formatToParts, formatRange and the `format`/`compare` getters read as values abort.
import type { Host } from './host.ts';
import { LOCALE_FORMAT_UNITS, LOCALE_OPTIONS_UNITS, charUnits } from './costs.ts';
import { BuiltinFunction, Namespace, defaultLocaleIsEnUS, str, unsupported } from './values.ts';
import { WebValue, hostOp, madeString, type WebKind } from './web-value.ts';
import { localeArgs } from './locale-args.ts';
import { inContainerZone, timeValue } from './date.ts';

/** What one holds in ICU's heap, rounded up from RSS growth over 3000 of each (Node 20): a
 * DateTimeFormat about 27 KB, a NumberFormat 4.6 KB, a Collator 1.3 KB, the others less. */
const BYTES = { DateTimeFormat: 32_768, NumberFormat: 8192, other: 4096 };

/** A number argument as Intl reads it: numbers and strings (exact decimals) pass, others convert. */
function numeric(h: Host, v: unknown): number | string {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (v === undefined) return NaN;
  return h.toNumber(v);
}

/** A kind of Intl object: its methods only (no getters, no setters). */
const intlKind = <T>(name: string, real: object, methods: WebKind<T>['methods']): WebKind<T> => ({ name, real, getters: {}, methods });

function formatted(h: Host, text: string): string {
  h.tick(LOCALE_FORMAT_UNITS + charUnits(text.length));
  return madeString(h, text);
}

const numberFormatKind = intlKind<Intl.NumberFormat>('Intl.NumberFormat', Intl.NumberFormat.prototype, {
  format: (h, f, args) => formatted(h, hostOp(h, 'Intl.NumberFormat.prototype.format', () => f.format(numeric(h, args[0]) as number))),
});

const dateTimeFormatKind = intlKind<Intl.DateTimeFormat>('Intl.DateTimeFormat', Intl.DateTimeFormat.prototype, {
  format(h, f, args) {
    const d = args[0];
    const t = d === undefined ? Date.now() : (timeValue(d) ?? h.toNumber(d));
    return formatted(h, hostOp(h, 'Intl.DateTimeFormat.prototype.format', () => f.format(t)));
  },
});

const pluralRulesKind = intlKind<Intl.PluralRules>('Intl.PluralRules', Intl.PluralRules.prototype, {
  select: (h, f, args) => formatted(h, hostOp(h, 'Intl.PluralRules.prototype.select', () => f.select(h.toNumber(args[0])))),
});

const relativeTimeFormatKind = intlKind<Intl.RelativeTimeFormat>('Intl.RelativeTimeFormat', Intl.RelativeTimeFormat.prototype, {
  format(h, f, args) {
    const value = h.toNumber(args[0]);
    const unit = str(h, args[1]);
    return formatted(h, hostOp(h, 'Intl.RelativeTimeFormat.prototype.format', () => f.format(value, unit as Intl.RelativeTimeFormatUnit)));
  },
});

const listFormatKind = intlKind<Intl.ListFormat>('Intl.ListFormat', Intl.ListFormat.prototype, {
  format(h, f, args) {
    const list = args[0];
    // Node reads any iterable of strings and throws its TypeError on a non-string: only arrays of
    // strings are passed, the rest abort rather than guess the message.
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) return unsupported(h, 'Intl.ListFormat.prototype.format', 'of something not an array of strings');
    h.tick(list.length);
    return formatted(h, hostOp(h, 'Intl.ListFormat.prototype.format', () => f.format(list as string[])));
  },
});

const collatorKind = intlKind<Intl.Collator>('Intl.Collator', Intl.Collator.prototype, {
  compare(h, f, args) {
    const a = str(h, args[0]);
    const b = str(h, args[1]);
    h.tick(LOCALE_FORMAT_UNITS + charUnits(a.length + b.length));
    return f.compare(a, b);
  },
});

type Ctor<T> = new (locales?: string | string[], options?: Record<string, unknown>) => T;

/** An Intl constructor; `callable` ones (NumberFormat, DateTimeFormat, Collator) also work without new. */
function intlConstructor<T>(name: string, real: Ctor<T>, kind: WebKind<T>, callable: boolean, bytes = BYTES.other, zone = false): BuiltinFunction {
  const path = `Intl.${name}`;
  const make = (h: Host, args: unknown[]) => {
    const { locales, options } = localeArgs(h, path, args[0], args[1]);
    if ((locales === undefined || locales.length === 0) && !defaultLocaleIsEnUS) return unsupported(h, path, 'the default locale is not en-US');
    const opts = zone ? inContainerZone(h, path, options) : options;
    h.tick(LOCALE_OPTIONS_UNITS);
    return WebValue.make(h, kind, hostOp(h, path, () => new real(locales, opts)), bytes);
  };
  return new BuiltinFunction({
    name, length: 0, path, real,
    impl: callable ? (h, _t, args) => make(h, args) : (h) => hostOp(h, path, () => (real as unknown as () => never)()),
    construct: make,
  });
}

export const IntlNs = new Namespace('Intl', {
  NumberFormat: intlConstructor('NumberFormat', Intl.NumberFormat, numberFormatKind, true, BYTES.NumberFormat),
  DateTimeFormat: intlConstructor('DateTimeFormat', Intl.DateTimeFormat, dateTimeFormatKind, true, BYTES.DateTimeFormat, true),
  Collator: intlConstructor('Collator', Intl.Collator, collatorKind, true),
  PluralRules: intlConstructor('PluralRules', Intl.PluralRules, pluralRulesKind, false),
  RelativeTimeFormat: intlConstructor('RelativeTimeFormat', Intl.RelativeTimeFormat, relativeTimeFormatKind, false),
  ListFormat: intlConstructor('ListFormat', Intl.ListFormat, listFormatKind, false),
}, Intl);

export const intlKinds = [numberFormatKind, dateTimeFormatKind, pluralRulesKind, relativeTimeFormatKind, listFormatKind, collatorKind];
