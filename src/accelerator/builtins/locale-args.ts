// The locales and options arguments of toLocale*String, copied to host values before ICU reads them.
// Intl reads options with Get, in an order of its own: a getter would observe that order, so options
// must be a plain object whose own enumerable properties are data properties with primitive values
// (unknown names are copied too: Intl ignores them, as the container's would). Locales are a string or
// an array of strings. Anything else aborts: the host never receives a realm object.
import type { Host } from './host.ts';
import { NEW_PROPERTY, PROPERTY_UNITS } from './costs.ts';
import { isDataObject, unsupported } from './values.ts';

export interface LocaleArgs {
  locales: string | string[] | undefined;
  options: Record<string, string | number | boolean | undefined> | undefined;
}

const MAX_LOCALES = 16;

export function localeArgs(h: Host, what: string, locales: unknown, options: unknown): LocaleArgs {
  const out: LocaleArgs = { locales: undefined, options: undefined };
  if (typeof locales === 'string') out.locales = locales;
  else if (Array.isArray(locales) && locales.length <= MAX_LOCALES && locales.every((l) => typeof l === 'string')) out.locales = [...(locales as string[])];
  else if (locales !== undefined) return unsupported(h, what, 'locales that are not a string or an array of strings');
  if (options === undefined) return out;
  if (!isDataObject(h, options) || h.isError?.(options)) return unsupported(h, what, 'options that are not a plain object');
  const copy: Record<string, string | number | boolean | undefined> = Object.create(null);
  for (const key of Object.keys(options)) {
    const d = Object.getOwnPropertyDescriptor(options, key)!;
    if (!('value' in d)) return unsupported(h, what, `an accessor option ${key}`);
    const v: unknown = d.value;
    if (v !== undefined && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return unsupported(h, what, `option ${key} of type ${typeof v}`);
    h.tick(PROPERTY_UNITS);
    h.alloc(NEW_PROPERTY);
    copy[key] = v as string | number | boolean | undefined;
  }
  out.options = copy;
  return out;
}
