import { ConfigError } from './config.ts';

/** `PUT …/version` named a version the store does not hold (never stored, or trimmed). */
export class VersionNotFoundError extends Error {}

/** The function was removed before the change applied. */
export class FunctionNotFoundError extends Error {}

/**
 * `PATCH /api/functions/NAME {"config": …}`: merge semantics like Lambda's
 * UpdateFunctionConfiguration: a given key replaces the stored one (an object such as `env` or
 * `secrets` is replaced whole, not merged key by key), `null` removes the key (its default applies).
 * The result is validated as a deploy's config is.
 */
export function mergeConfig(current: Readonly<Record<string, unknown>>, patch: unknown): Record<string, unknown> {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new ConfigError('config must be an object (keys to change; null removes one)');
  const out: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

/** Two stored configs mean the same (key order aside): a redeploy with it changes nothing. */
export function sameConfig(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}
