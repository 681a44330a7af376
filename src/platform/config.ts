import { EgressConfigError, parseAllowEntry } from '../io/egress.ts';

/**
 * A function's `config` (CONTRACT §3): validation and the documented defaults (docs/api.md). Stored
 * as the user gave it and resolved here on every load, so a default can change between releases.
 */
export interface FunctionConfig {
  /** Per request, from dispatch to response; over it: 504 and the container is replaced. */
  timeout_ms: number;
  memory_mb: number;
  /** Requests in flight per container at once. */
  concurrency: number;
  max_containers: number;
  /** No request for this long: every container of the function is stopped. */
  idle_ms: number;
  network: 'none' | 'host';
  env: Record<string, string>;
  /**
   * Reach the function's environment like `env` (they win over `env`'s base, never share a name with
   * it); the API shows only their names (`publicConfig`), and the platform never logs them.
   */
  secrets: Record<string, string>;
  /** Destinations beyond the operator's allow list, each within what the operator grants (egress.ts). */
  outbound: readonly string[];
  /** Addition to CONTRACT §3: requests that may wait for a container before 429/503. */
  max_queue: number;
}

export const DEFAULT_CONFIG: Readonly<FunctionConfig> = Object.freeze({
  timeout_ms: 10_000,
  memory_mb: 128,
  concurrency: 8,
  max_containers: 8,
  idle_ms: 60_000,
  network: 'none',
  env: Object.freeze({}) as Record<string, string>,
  secrets: Object.freeze({}) as Record<string, string>,
  outbound: Object.freeze([]) as readonly string[],
  max_queue: 100,
});

const LIMITS: Record<string, [number, number]> = {
  timeout_ms: [10, 15 * 60_000],
  memory_mb: [32, 16_384],
  concurrency: [1, 1000],
  max_containers: [1, 1000],
  idle_ms: [10, 24 * 3600_000],
  max_queue: [0, 100_000],
};

const MAX_OUTBOUND = 100;
/**
 * Bounds of `env` and `secrets`, each value and both together (names and values, in UTF-8 bytes): they
 * travel to every container and worker, and Linux refuses one environment string over 128 KiB.
 */
export const ENV_LIMITS = Object.freeze({ maxNameChars: 256, maxValueBytes: 32 * 1024, maxTotalBytes: 128 * 1024 });
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class ConfigError extends Error {}

/** Checks a user config; throws ConfigError naming the first bad key. */
export function validateConfig(input: unknown): Record<string, unknown> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new ConfigError('config must be an object');
  const cfg = input as Record<string, unknown>;
  for (const [key, value] of Object.entries(cfg)) {
    // Own keys only: `constructor`, `__proto__`, `toString` are inherited by LIMITS, not limits.
    if (Object.hasOwn(LIMITS, key)) {
      const [lo, hi] = LIMITS[key]!;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
        throw new ConfigError(`config.${key} must be an integer from ${lo} to ${hi}`);
      }
    } else if (key === 'network') {
      if (value !== 'none' && value !== 'host') throw new ConfigError('config.network must be "none" or "host"');
    } else if (key === 'env' || key === 'secrets') {
      checkVariables(key, value);
    } else if (key === 'outbound') {
      if (!Array.isArray(value)) throw new ConfigError('config.outbound must be an array of hosts, host:port or CIDRs');
      if (value.length > MAX_OUTBOUND) throw new ConfigError(`config.outbound has more than ${MAX_OUTBOUND} entries`);
      for (const e of value) {
        if (typeof e !== 'string') throw new ConfigError(`config.outbound: entries must be strings, got ${JSON.stringify(e)}`);
        try {
          parseAllowEntry(e);
        } catch (err) {
          throw new ConfigError(`config.outbound: ${err instanceof EgressConfigError ? err.message : String(err)}`);
        }
      }
    } else {
      throw new ConfigError(`unknown config key ${JSON.stringify(key)}`);
    }
  }
  checkEnvTogether(cfg);
  return cfg;
}

/**
 * `env` or `secrets`: an object of string values with variable names. Messages name the key, never
 * the value (a secret's value must not reach an error answer or a log).
 */
function checkVariables(key: 'env' | 'secrets', value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`config.${key} must be an object of strings`);
  for (const [k, v] of Object.entries(value)) {
    if (!VAR_NAME.test(k) || k.length > ENV_LIMITS.maxNameChars) {
      throw new ConfigError(`config.${key}: bad variable name ${JSON.stringify(k.slice(0, 64))} (letters, digits and _, not starting with a digit, at most ${ENV_LIMITS.maxNameChars})`);
    }
    if (typeof v !== 'string') throw new ConfigError(`config.${key}.${k} must be a string`);
    if (v.includes('\0')) throw new ConfigError(`config.${key}.${k} must not contain a NUL character`);
    if (Buffer.byteLength(v) > ENV_LIMITS.maxValueBytes) throw new ConfigError(`config.${key}.${k} is longer than ${ENV_LIMITS.maxValueBytes} bytes`);
  }
}

/** One environment: a name is in `env` or in `secrets`, not both, and together they fit the total bound. */
function checkEnvTogether(cfg: Record<string, unknown>): void {
  const env = (cfg.env ?? {}) as Record<string, string>;
  const secrets = (cfg.secrets ?? {}) as Record<string, string>;
  let total = 0;
  for (const vars of [env, secrets]) for (const [k, v] of Object.entries(vars)) total += k.length + Buffer.byteLength(v);
  if (total > ENV_LIMITS.maxTotalBytes) throw new ConfigError(`config.env and config.secrets together are larger than ${ENV_LIMITS.maxTotalBytes} bytes`);
  for (const k of Object.keys(secrets)) if (Object.hasOwn(env, k)) throw new ConfigError(`config.secrets.${k} is also in config.env: a variable is one or the other`);
}

/** What the function's process sees as its environment beyond the base: `env`, then `secrets`. */
export function functionEnv(config: FunctionConfig): Record<string, string> {
  return { ...config.env, ...config.secrets };
}

/**
 * A config as the API shows it (GET, deploy answers, versions): `secrets` as the sorted list of their
 * names, never their values (docs/api.md "Secrets").
 */
export function publicConfig(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (config.secrets === undefined || config.secrets === null || typeof config.secrets !== 'object') return { ...config };
  return { ...config, secrets: Object.keys(config.secrets).sort() };
}

export function resolveConfig(input: Record<string, unknown>): FunctionConfig {
  return {
    ...DEFAULT_CONFIG,
    ...(validateConfig(input) as Partial<FunctionConfig>),
    env: { ...((input.env as Record<string, string>) ?? {}) },
    secrets: { ...((input.secrets as Record<string, string>) ?? {}) },
    outbound: [...((input.outbound as string[] | undefined) ?? [])],
  };
}
