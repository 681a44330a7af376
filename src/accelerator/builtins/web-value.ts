// The web platform's objects in compiled code (URL, URLSearchParams, Headers): host-backed. Each
// value wraps the host's own object (Node's, so its parsing, normalisation and error messages are
// the containers' exactly) in a private field; compiled code reaches it only through the members
// its kind lists, each charged by the characters it touches. A name Node has that a kind does not
// list aborts; any other name reads as undefined, as in Node.
import type { Host } from './host.ts';
import { ERROR_VALUE, NEW_PROPERTY, STRING_HEADER, charUnits } from './costs.ts';
import { chargeString, hasOwn, newDomException, newString, unsupported } from './values.ts';
import { domCode } from '../dom-exception.ts';

type Member<S> = (host: Host, state: S, args: unknown[], self: WebValue) => unknown;

export interface WebKind<S = unknown> {
  /** The class name: `instanceof`, `[object URL]`, abort details. */
  readonly name: string;
  /** The classes it extends, for `instanceof` (a Buffer is a Uint8Array). */
  readonly also?: readonly string[];
  /** Node's prototype, to learn which names exist (reading one not listed here aborts). */
  readonly real: object;
  readonly getters: Readonly<Record<string, (host: Host, state: S, self: WebValue) => unknown>>;
  readonly setters?: Readonly<Record<string, (host: Host, state: S, v: unknown) => void>>;
  readonly methods: Readonly<Record<string, Member<S>>>;
  /** ToPrimitive(v, hint) (String(v), `+v`, `v + ''`); absent: `[object Name]`. */
  toPrimitive?(host: Host, state: S, hint: 'string' | 'number' | 'default'): string | number;
  /** JSON.stringify(v): its toJSON's result (URL's href, a Date's ISO string or null), or undefined
   * for `{}` (no toJSON, no enumerable properties). */
  toJSON?(host: Host, state: S): string | null | undefined;
  /** for…of, spread and array patterns over it (Map, Set and their iterators), charged per step. */
  iterate?(host: Host, state: S): Iterable<unknown>;
  /** Element writes (typed arrays, whose elements are the value's own data properties): true when `key` named one. */
  setElement?(host: Host, state: S, key: string, v: unknown, self: WebValue): boolean;
  /**
   * Own properties a program may add (picomatch's `regex.state = state` on a RegExp), kept in
   * insertion order as enumerable data properties. Names its prototypes have (a getter without a
   * setter, a method, Object.prototype's) and array-index names still abort; its setters' names
   * (a RegExp's `lastIndex`, an own data property in Node) are its own and not deletable.
   */
  readonly expandos?: boolean;
}

/** A name V8 would list before the others (an array index): an expando so named aborts. */
const INDEX_LIKE = /^\d+$/;

function namesOf(real: object): ReadonlySet<string> {
  const out = new Set<string>();
  for (let o: object | null = real; o; o = Object.getPrototypeOf(o) as object | null) for (const k of Object.getOwnPropertyNames(o)) out.add(k);
  return out;
}

const known = new WeakMap<WebKind<never>, ReadonlySet<string>>();

/** The global builtin of a kind's name (globals.ts registers the lookup: it imports this file). */
let constructorOf: (name: string) => unknown = () => undefined;
export function registerWebConstructors(lookup: (name: string) => unknown): void {
  constructorOf = lookup;
}

export class WebValue {
  readonly #kind: WebKind<never>;
  readonly #state: unknown;
  /** The own properties a program added (a kind with expandos), in insertion order. */
  #props: Map<string, unknown> | null = null;
  private constructor(kind: WebKind<never>, state: unknown, elements?: ArrayLike<number>) {
    this.#kind = kind;
    this.#state = state;
    if (!elements) {
      Object.freeze(this);
      return;
    }
    // Own writable data properties, so that compiled code's native number-key reads see them
    // (src/compiler/plain-read.ts); sealed, so that every write goes through setElement.
    for (let i = 0; i < elements.length; i++) (this as unknown as number[])[i] = elements[i]!;
    Object.seal(this);
  }

  static make<S>(host: Host, kind: WebKind<S>, state: S, bytes = 64, elements?: ArrayLike<number>): WebValue {
    host.alloc(bytes);
    return new WebValue(kind as unknown as WebKind<never>, state, elements);
  }

  static kind(v: WebValue): WebKind<unknown> {
    return v.#kind as unknown as WebKind<unknown>;
  }

  /** The wrapped host object, for a kind's own code (its members get it as `state`). */
  static state<S>(v: WebValue, kind: WebKind<S>): S | undefined {
    return (v.#kind as unknown) === kind ? (v.#state as S) : undefined;
  }

  /** The own properties a program added to v, or undefined when it has none. */
  static props(v: WebValue): ReadonlyMap<string, unknown> | undefined {
    return v.#props !== null && v.#props.size > 0 ? v.#props : undefined;
  }

  /** Its own enumerable keys as Object.keys lists them, or undefined for a kind that takes no expandos (not modelled). */
  static ownKeys(v: WebValue): string[] | undefined {
    const k = v.#kind as unknown as WebKind<unknown>;
    if (!k.expandos) return undefined;
    return v.#props === null ? [] : [...v.#props.keys()];
  }

  /** HasOwnProperty for a kind with expandos (its setters' names are own data properties); undefined otherwise. */
  static hasOwnProp(v: WebValue, key: string): boolean | undefined {
    const k = v.#kind as unknown as WebKind<unknown>;
    if (!k.expandos) return undefined;
    return v.#props?.has(key) === true || (k.setters !== undefined && hasOwn(k.setters, key));
  }

  /** `key in v` for a kind with expandos: own, or a name along its prototypes; undefined otherwise. */
  static has(v: WebValue, key: string): boolean | undefined {
    const k = v.#kind as unknown as WebKind<unknown>;
    if (!k.expandos) return undefined;
    return v.#props?.has(key) === true || hasOwn(k.getters, key) || hasOwn(k.methods, key) || names(k).has(key);
  }

  /** `delete v[key]` for a kind with expandos (true, as in Node, but for its own setters' names, which abort); undefined otherwise. */
  static remove(host: Host, v: WebValue, key: string): boolean | undefined {
    const k = v.#kind as unknown as WebKind<unknown>;
    if (!k.expandos) return undefined;
    if (v.#props?.delete(key) === true) {
      host.tick(1);
      return true;
    }
    // A RegExp's lastIndex is non-configurable: false in sloppy code, a TypeError in strict code.
    if (k.setters && hasOwn(k.setters, key)) return unsupported(host, `delete:${k.name}.${key}`);
    return true;
  }

  static read(host: Host, v: WebValue, key: string): unknown {
    const k = v.#kind as unknown as WebKind<unknown>;
    if (v.#props?.has(key) === true) return v.#props.get(key);
    if (key === 'constructor') {
      // Its class's global (`d.constructor === Date`, lodash's `new value.constructor`); a kind with
      // no global of its name (an iterator, an Intl object, a hash) aborts below.
      const c = constructorOf(k.name);
      if (c !== undefined) {
        host.tick(1);
        return c;
      }
    }
    if (k.setElement && hasOwn(v, key)) return (v as unknown as Record<string, unknown>)[key];
    if (hasOwn(k.getters, key)) {
      host.tick(1);
      return k.getters[key]!(host, v.#state, v);
    }
    if (hasOwn(k.methods, key) || names(k).has(key)) return unsupported(host, `${k.name}.prototype.${key}`, 'read as a value');
    return undefined;
  }

  static call(host: Host, v: WebValue, key: string, args: unknown[], notAFunction: () => never): unknown {
    const k = v.#kind as unknown as WebKind<unknown>;
    if (v.#props?.has(key) === true) {
      const f = v.#props.get(key);
      return host.isCallable(f) ? host.call(f, v, args) : notAFunction();
    }
    if (hasOwn(k.methods, key)) {
      host.tick(1);
      return k.methods[key]!(host, v.#state, args, v);
    }
    if (hasOwn(k.getters, key) || !names(k).has(key)) return notAFunction();
    return unsupported(host, `${k.name}.prototype.${key}`);
  }

  static write(host: Host, v: WebValue, key: string, value: unknown): unknown {
    const k = v.#kind as unknown as WebKind<unknown>;
    if (k.setElement?.(host, v.#state, key, value, v)) return value;
    if (k.setters && hasOwn(k.setters, key)) {
      host.tick(1);
      k.setters[key]!(host, v.#state, value);
      return value;
    }
    // A new own property (expandos), or a write Node would refuse or ignore (a getter-only name).
    if (k.expandos && !hasOwn(k.getters, key) && !hasOwn(k.methods, key) && !names(k).has(key) && !INDEX_LIKE.test(key)) {
      const props = (v.#props ??= new Map());
      if (!props.has(key)) {
        host.tick(1);
        host.alloc(NEW_PROPERTY + STRING_HEADER + 2 * key.length);
      }
      props.set(key, value);
      return value;
    }
    // Node would add an own property (or ignore a write to a getter-only name): neither is modelled.
    return unsupported(host, `write:${k.name}.${key}`);
  }

  static toPrimitive(host: Host, v: WebValue, hint: 'string' | 'number' | 'default' = 'default'): string | number {
    const k = v.#kind as unknown as WebKind<unknown>;
    return k.toPrimitive ? k.toPrimitive(host, v.#state, hint) : `[object ${k.name}]`;
  }

  /** Its values for for…of and spread, or undefined when its kind is not iterable. */
  static iterate(host: Host, v: WebValue): Iterable<unknown> | undefined {
    const k = v.#kind as unknown as WebKind<unknown>;
    return k.iterate ? k.iterate(host, v.#state) : undefined;
  }

  static toJSON(host: Host, v: WebValue): string | null | undefined {
    const k = v.#kind as unknown as WebKind<unknown>;
    return k.toJSON ? k.toJSON(host, v.#state) : undefined;
  }
}

function names(k: WebKind<unknown>): ReadonlySet<string> {
  let n = known.get(k as WebKind<never>);
  if (!n) {
    n = namesOf(k.real);
    known.set(k as WebKind<never>, n);
  }
  return n;
}

export function isWebValue(v: unknown): v is WebValue {
  return v instanceof WebValue;
}

/** A string the host made (a URL's href, a header's value): charged as new, by its length. */
export function madeString(host: Host, s: string): string {
  host.tick(charUnits(s.length));
  return newString(host, s);
}

/**
 * Runs a host operation whose errors the function may see: a plain TypeError or RangeError becomes
 * the same error in the realm (the message is Node's own); one with more own properties than its
 * message (URL's `code` and `input`) gets them too; anything else aborts.
 */
export function hostOp<T>(host: Host, what: string, op: () => T): T {
  try {
    return op();
  } catch (e) {
    return host.throwValue(hostError(host, e, what));
  }
}

/** A host exception as the realm's error value (see hostOp), or an abort naming `what`. */
export function hostError(host: Host, e: unknown, what: string): unknown {
  // Node's DOMException (atob's InvalidCharacterError, digest's NotSupportedError): its name,
  // message and code are all a program sees of it; one with own properties (a cause) aborts.
  if (e instanceof DOMException && host.makeDomException && Object.getPrototypeOf(e) === DOMException.prototype) {
    if (Reflect.ownKeys(e).some((k) => k !== 'stack') || e.code !== domCode(e.name)) return unsupported(host, what, `throws DOMException ${e.name} (with properties)`);
    return newDomException(host, what, e.name, e.message);
  }
  // Node's own errors (ERR_INVALID_URL) are subclasses named as their base, with a code.
  if (!(e instanceof TypeError || e instanceof RangeError) || (e.name !== 'TypeError' && e.name !== 'RangeError')) {
    return unsupported(host, what, `throws ${e instanceof Error ? e.name : typeof e}`);
  }
  const err = host.makeError(e.name, e.message);
  const extra = Object.keys(e);
  if (extra.length > 0) {
    if (extra.some((k) => typeof (e as unknown as Record<string, unknown>)[k] !== 'string')) return unsupported(host, what, 'error with non-string properties');
    for (const k of extra) {
      const s = (e as unknown as Record<string, string>)[k]!;
      host.alloc(NEW_PROPERTY + STRING_HEADER + 2 * s.length);
      (err as Record<string, unknown>)[k] = s;
    }
  }
  // `cause` is an own non-enumerable property (fetch failed's). The platform's fetch (src/api/fetch.ts)
  // makes it a plain Error with a message and nothing else, which the realm has; any other cause (an
  // undici error with a code, a chain of causes) aborts.
  if (Object.hasOwn(e, 'cause')) {
    const c = (e as { cause?: unknown }).cause;
    if (!(c instanceof Error) || Object.getPrototypeOf(c) !== Error.prototype || Object.keys(c).length > 0 || Object.hasOwn(c, 'cause')) {
      return unsupported(host, what, `throws ${e.name}: ${e.message} (with a cause)`);
    }
    host.alloc(ERROR_VALUE + NEW_PROPERTY);
    chargeString(host, c.message.length);
    Object.defineProperty(err, 'cause', { value: host.makeError('Error', c.message), writable: true, enumerable: false, configurable: true });
  }
  return err;
}
