// URL and URLSearchParams (WHATWG), host-backed: Node's own parser and serializer do the work, so
// hrefs, normalisation and error messages are the containers'. Iterating a URLSearchParams
// (entries, keys, values, for…of) aborts for now.
import type { Host } from './host.ts';
import { charUnits, ELEMENT, ELEMENT_UNITS } from './costs.ts';
import { BuiltinFunction, hasOwn, isDataObject, str, unsupported } from './values.ts';
import { WebValue, hostOp, isWebValue, madeString, type WebKind } from './web-value.ts';

interface UrlState {
  url: URL;
  params?: WebValue;
}

const URL_PARTS = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'] as const;
const URL_SETTABLE = URL_PARTS.filter((p) => p !== 'origin');

const urlKind: WebKind<UrlState> = {
  name: 'URL',
  real: URL.prototype,
  getters: {
    ...Object.fromEntries(URL_PARTS.map((p) => [p, (h: Host, s: UrlState) => madeString(h, s.url[p])])),
    searchParams: (h: Host, s: UrlState) => (s.params ??= WebValue.make(h, paramsKind, { params: s.url.searchParams, owner: s.url })),
  },
  setters: Object.fromEntries(URL_SETTABLE.map((p) => [p, (h: Host, s: UrlState, v: unknown) => {
    const text = str(h, v);
    h.tick(charUnits(text.length + s.url.href.length));
    hostOp(h, `URL.prototype.${p}`, () => {
      s.url[p] = text;
    });
  }])),
  methods: {
    toString: (h: Host, s: UrlState) => madeString(h, s.url.href),
    toJSON: (h: Host, s: UrlState) => madeString(h, s.url.href),
  },
  toPrimitive: (h, s) => madeString(h, s.url.href),
  toJSON: (h, s) => madeString(h, s.url.href),
};

function newUrl(h: Host, args: unknown[]): WebValue {
  if (args.length === 0) return unsupported(h, 'new URL', 'no argument');
  const input = str(h, args[0]);
  const base = args.length > 1 && args[1] !== undefined ? baseText(h, args[1]) : undefined;
  h.tick(charUnits(input.length + (base?.length ?? 0)));
  const url = hostOp(h, 'new URL', () => (base === undefined ? new URL(input) : new URL(input, base)));
  h.alloc(2 * url.href.length);
  return WebValue.make(h, urlKind, { url }, 256);
}

function baseText(h: Host, b: unknown): string {
  if (isWebValue(b)) {
    const s = WebValue.state(b, urlKind);
    if (s) return s.url.href;
  }
  return str(h, b);
}

export const URLFn = new BuiltinFunction({
  name: 'URL', length: 1, path: 'URL', real: URL,
  impl: (h) => withoutNew(h, URL),
  construct: newUrl,
  statics: {
    canParse: new BuiltinFunction({
      name: 'canParse', length: 1, path: 'URL.canParse',
      impl(h, _t, args) {
        if (args.length === 0) return unsupported(h, 'URL.canParse', 'no argument');
        const input = str(h, args[0]);
        const base = args.length > 1 && args[1] !== undefined ? baseText(h, args[1]) : undefined;
        h.tick(charUnits(input.length + (base?.length ?? 0)));
        return base === undefined ? URL.canParse(input) : URL.canParse(input, base);
      },
    }),
  },
});

interface ParamsState {
  params: URLSearchParams;
  /** The URL whose searchParams these are. */
  owner?: URL;
}

/** The arguments of a URLSearchParams method as Node converts them (strings), count preserved. */
const strings = (h: Host, args: unknown[]) => args.map((a) => str(h, a));

const paramsKind: WebKind<ParamsState> = {
  name: 'URLSearchParams',
  real: URLSearchParams.prototype,
  getters: {
    size: (_h: Host, s: ParamsState) => s.params.size,
  },
  methods: {
    get(h, s, args) {
      const v = hostOp(h, 'URLSearchParams.prototype.get', () => s.params.get(...(strings(h, args) as [string])));
      h.tick(s.params.size * ELEMENT_UNITS);
      return v === null ? null : madeString(h, v);
    },
    getAll(h, s, args) {
      const vs = hostOp(h, 'URLSearchParams.prototype.getAll', () => s.params.getAll(...(strings(h, args) as [string])));
      h.alloc(ELEMENT * vs.length);
      return h.fromHost(vs);
    },
    has(h, s, args) {
      h.tick(s.params.size * ELEMENT_UNITS);
      return hostOp(h, 'URLSearchParams.prototype.has', () => s.params.has(...(strings(h, args) as [string])));
    },
    append: (h, s, args) => mutate(h, s, strings(h, args), (a) => s.params.append(...(a as [string, string])), false),
    set: (h, s, args) => mutate(h, s, strings(h, args), (a) => s.params.set(...(a as [string, string])), true),
    delete: (h, s, args) => mutate(h, s, strings(h, args), (a) => s.params.delete(...(a as [string])), true),
    sort: (h, s) => mutate(h, s, [], () => s.params.sort(), true),
    toString: (h: Host, s: ParamsState) => madeString(h, s.params.toString()),
    forEach(h, s, args, self) {
      const cb = args[0];
      if (!h.isCallable(cb)) return unsupported(h, 'URLSearchParams.prototype.forEach', 'callback is not a function');
      // As Node does: by index over the live list, so changes the callback makes are seen.
      for (let i = 0; ; i++) {
        const pair = [...s.params][i];
        h.tick(s.params.size * ELEMENT_UNITS);
        if (!pair) return undefined;
        h.call(cb, args[1], [madeString(h, pair[1]), madeString(h, pair[0]), self]);
      }
    },
  },
  toPrimitive: (h, s) => madeString(h, s.params.toString()),
};

/**
 * A change: charged by its arguments, by the list when Node walks it (`scan`: set, delete, sort), and
 * by the href when the params belong to a URL (Node serialises the query back into it).
 */
function mutate(h: Host, s: ParamsState, args: string[], op: (args: string[]) => void, scan: boolean): undefined {
  const chars = args.reduce((n, a) => n + a.length, 0);
  h.tick(charUnits(chars) + (scan ? s.params.size * ELEMENT_UNITS : 0) + (s.owner ? charUnits(s.owner.href.length) : 0));
  hostOp(h, 'URLSearchParams', () => op(args));
  h.alloc(64 + 2 * chars);
  return undefined;
}

/** `new URLSearchParams(init)`: a string, a record (a plain object), pairs, or another one. */
function newParams(h: Host, args: unknown[]): WebValue {
  const init = args[0];
  let hostInit: string | string[][] | Record<string, string> | URLSearchParams | undefined;
  if (init === undefined || init === null) hostInit = init === null ? 'null' : undefined;
  else if (isWebValue(init) && WebValue.state(init, paramsKind)) hostInit = WebValue.state(init, paramsKind)!.params;
  else if (Array.isArray(init)) {
    hostInit = init.map((pair) => (Array.isArray(pair) ? pair.map((x) => str(h, x)) : unsupported(h, 'new URLSearchParams', 'a pair that is not an array')));
  } else if (typeof init === 'object' || typeof init === 'function') {
    if (!isDataObject(h, init)) return unsupported(h, 'new URLSearchParams', 'an object that is not plain data');
    const rec: Record<string, string> = {};
    // Node lists a record's keys with their symbols, whose conversion to a string throws.
    if (Object.getOwnPropertySymbols(init).length > 0) return unsupported(h, 'new URLSearchParams', 'a record with symbol keys');
    for (const k of Object.keys(init)) if (hasOwn(init, k)) rec[k] = str(h, init[k]);
    hostInit = rec;
  } else hostInit = str(h, init);
  const params = hostOp(h, 'new URLSearchParams', () => new URLSearchParams(hostInit));
  h.tick(charUnits(params.toString().length));
  return WebValue.make(h, paramsKind, { params }, 128 + 2 * params.toString().length);
}

export const URLSearchParamsFn = new BuiltinFunction({
  name: 'URLSearchParams', length: 0, path: 'URLSearchParams', real: URLSearchParams,
  impl: (h) => withoutNew(h, URLSearchParams),
  construct: newParams,
});

/** A web class called without `new`: Node's own TypeError, whose message names its class. */
export function withoutNew(h: Host, cls: unknown): never {
  hostOp(h, String((cls as { name: string }).name), () => (cls as () => unknown)());
  return unsupported(h, String((cls as { name: string }).name), 'called without new');
}

export const urlKinds = { URL: urlKind, URLSearchParams: paramsKind };
