/**
 * `process` in compiled code: one value per instance, made here, whose only member is `env`. Every
 * other member of Node's `process` aborts (the runtime decides how). `env` holds the function's
 * environment as its container's runner has it (the dispatcher passes it as plain data; the
 * dispatcher's own process.env is never read), and behaves like Node's `process.env` for what a
 * function can observe: own enumerable string properties in environ order (integer-like names first,
 * as V8 enumerates any object), writes converted to strings the way setenv stores them, `delete`.
 *
 * The env object is a plain data object to the builtins library (its prototype is a frozen empty
 * object without prototype, so `isOrdinaryPlain` holds and Object.keys, JSON.stringify, … read it),
 * but not to the core's fast paths (its prototype is neither Object.prototype of a realm nor null),
 * so every read and write of it reaches the runtime's slow path and the functions below.
 */

const ENV_PROTO: object = Object.freeze(Object.create(null) as object);

type WellFormed = { toWellFormed(): string };

export class ProcessValue {
  readonly #env: Record<string, string>;
  constructor(env: Readonly<Record<string, unknown>>) {
    this.#env = Object.create(ENV_PROTO) as Record<string, string>;
    // As the runner's Object.assign(process.env, config.env) stores them.
    for (const k of Object.keys(env)) {
      const v = env[k];
      if (typeof v !== 'string') continue;
      const key = envKey(k);
      if (key !== undefined && key !== null) defineEnv(this.#env, key, envValue(v));
    }
    Object.freeze(this);
  }
  static env(p: ProcessValue): Record<string, string> {
    return p.#env;
  }
}

export function isEnv(o: unknown): o is Record<string, string> {
  return typeof o === 'object' && o !== null && Object.getPrototypeOf(o) === ENV_PROTO;
}

/**
 * The name setenv stores for a property key: undefined when libc refuses it (Node then ignores the
 * write), null when it holds a NUL (where Node's conversion truncates; not modelled).
 */
export function envKey(key: string): string | undefined | null {
  if (key.includes('\0')) return null;
  if (key === '' || key.includes('=')) return undefined;
  return (key as unknown as WellFormed).toWellFormed();
}

/** A value as Node stores it: a C string in UTF-8 (cut at the first NUL, lone surrogates as U+FFFD). */
export function envValue(s: string): string {
  const i = s.indexOf('\0');
  return ((i < 0 ? s : s.slice(0, i)) as unknown as WellFormed).toWellFormed();
}

/** An own data property, also for `__proto__` (an ordinary name for the environment). */
export function defineEnv(env: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(env, key, { value, writable: true, enumerable: true, configurable: true });
}
