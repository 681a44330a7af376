// Headers (Fetch standard), host-backed: Node's own (undici's) validation, normalisation, sorting
// and set-cookie handling, and its error messages. Iterating (entries, keys, values, for…of) aborts
// for now.
import type { Host } from './host.ts';
import { charUnits } from './costs.ts';
import { BuiltinFunction, hasOwn, isDataObject, str, unsupported } from './values.ts';
import { WebValue, hostOp, isWebValue, madeString, type WebKind } from './web-value.ts';
import { withoutNew } from './url.ts';

interface HeadersState {
  headers: Headers;
}

/** Work in proportion to the list: undici keeps headers in a map and sorts on iteration. */
const sizeUnits = (s: HeadersState) => {
  let n = 0;
  for (const [k, v] of s.headers) n += k.length + v.length;
  return charUnits(n);
};
const strings = (h: Host, args: unknown[]) => args.map((a) => str(h, a));

const headersKind: WebKind<HeadersState> = {
  name: 'Headers',
  real: Headers.prototype,
  getters: {},
  methods: {
    get(h: Host, s: HeadersState, args: unknown[]) {
      const v = hostOp(h, 'Headers.prototype.get', () => s.headers.get(...(strings(h, args) as [string])));
      h.tick(charUnits(v?.length ?? 0));
      return v === null ? null : madeString(h, v);
    },
    has: (h: Host, s: HeadersState, args: unknown[]) => hostOp(h, 'Headers.prototype.has', () => s.headers.has(...(strings(h, args) as [string]))),
    append: (h: Host, _s: HeadersState, args: unknown[]) => mutate(h, strings(h, args), (a) => _s.headers.append(...(a as [string, string]))),
    set: (h: Host, _s: HeadersState, args: unknown[]) => mutate(h, strings(h, args), (a) => _s.headers.set(...(a as [string, string]))),
    delete: (h: Host, _s: HeadersState, args: unknown[]) => mutate(h, strings(h, args), (a) => _s.headers.delete(...(a as [string]))),
    getSetCookie(h: Host, s: HeadersState) {
      const list = s.headers.getSetCookie();
      h.tick(sizeUnits(s));
      return h.fromHost(list);
    },
    forEach(h: Host, s: HeadersState, args: unknown[], self: WebValue) {
      const cb = args[0];
      if (!h.isCallable(cb)) return unsupported(h, 'Headers.prototype.forEach', 'callback is not a function');
      h.tick(sizeUnits(s));
      const pairs = [...s.headers];
      const before = JSON.stringify(pairs);
      for (const [k, v] of pairs) {
        h.call(cb, args[1], [madeString(h, v), madeString(h, k), self]);
        // undici iterates a live, sorted view; a callback that changes the headers is not modelled.
        if (JSON.stringify([...s.headers]) !== before) return unsupported(h, 'Headers.prototype.forEach', 'the callback changed the headers');
      }
      return undefined;
    },
  },
};

/** A change: undici keeps a map, so it costs its arguments' characters (validated and lower-cased). */
function mutate(h: Host, args: string[], op: (args: string[]) => void): undefined {
  const chars = args.reduce((n, a) => n + a.length, 0);
  h.tick(charUnits(chars));
  hostOp(h, 'Headers', () => op(args));
  h.alloc(64 + 2 * chars);
  return undefined;
}

/** Host init for `new Headers(init)`: pairs and records converted to strings, anything else as is. */
/**
 * A headers init (Headers, pairs or a plain record) as the host's: values become strings here,
 * inside the realm's rules; anything else goes to the host as is, so Node throws its own TypeError.
 */
export function hostHeadersInit(h: Host, init: unknown, what = 'new Headers'): unknown {
  if (init === undefined) return undefined;
  if (isWebValue(init)) {
    const other = WebValue.state(init, headersKind);
    return other ? other.headers : unsupported(h, what, `headers given as a ${WebValue.kind(init).name}`);
  }
  if (Array.isArray(init)) return init.map((pair) => (Array.isArray(pair) ? pair.map((x) => str(h, x)) : typeof pair === 'object' && pair !== null ? unsupported(h, what, 'a header pair that is not an array') : pair));
  if (typeof init === 'object' && init !== null) {
    if (!isDataObject(h, init)) return unsupported(h, what, 'headers that are not plain data');
    const rec: Record<string, string> = {};
    // Node lists a record's keys with their symbols, whose conversion to a string throws.
    if (Object.getOwnPropertySymbols(init).length > 0) return unsupported(h, what, 'a record with symbol keys');
    for (const k of Object.keys(init)) if (hasOwn(init, k)) rec[k] = str(h, init[k]);
    return rec;
  }
  return init;
}

export function newHeaders(h: Host, args: unknown[]): WebValue {
  const init = hostHeadersInit(h, args[0]);
  const headers = hostOp(h, 'new Headers', () => new Headers(init as HeadersInit));
  let chars = 0;
  let entries = 0;
  for (const [k, v] of headers) {
    chars += k.length + v.length;
    entries++;
  }
  h.tick(charUnits(chars) + entries);
  return WebValue.make(h, headersKind, { headers }, 128 + 64 * entries + 2 * chars);
}

export const HeadersFn = new BuiltinFunction({
  name: 'Headers', length: 0, path: 'Headers', real: Headers,
  impl: (h) => withoutNew(h, Headers),
  construct: newHeaders,
});

export { headersKind };
