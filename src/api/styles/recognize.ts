import { lambdaStyle } from './lambda.ts';
import { openwhiskStyle } from './openwhisk.ts';
import { paperStyle } from './paper.ts';
import type { StyleAdapter, StyleHost } from './style.ts';
import { webStyle } from './web.ts';

/** What the function's top level left behind. */
export interface TopLevel {
  /** The handler given to `containerless.listen`, if it was called. */
  listen?: (req: unknown) => unknown;
  /** `module.exports` once the top level ran. */
  exports: unknown;
  /** A top-level `function main` (OpenWhisk's single-file actions are found by that name). */
  main?: unknown;
}

/** The message of a file that has no handler of any style. */
export const NO_HANDLER =
  'the function did not call containerless.listen and exports no handler of another style: expected ' +
  "containerless.listen(handler) (paper), export default { fetch } (Web), exports.handler (Lambda) or a function main (OpenWhisk)";

/**
 * The style of a function from what its top level did (CONTRACT §1b), first match wins: `listen`
 * called → paper; `exports.default` with a `fetch` function → Web; an `exports.handler` function →
 * Lambda; `exports.main`, `module.exports` itself a function, or a top-level `function main` →
 * OpenWhisk. Undefined when none matches.
 */
export function recognizeStyle(top: TopLevel, host: StyleHost): StyleAdapter | undefined {
  if (top.listen) return paperStyle(top.listen, host);
  const exp = top.exports;
  const obj = (typeof exp === 'object' || typeof exp === 'function') && exp !== null ? (exp as Record<string, unknown>) : undefined;
  const def = obj?.default as Record<string, unknown> | undefined;
  if ((typeof def === 'object' || typeof def === 'function') && def !== null && typeof def.fetch === 'function') {
    return webStyle(def as unknown as Parameters<typeof webStyle>[0], host);
  }
  if (typeof obj?.handler === 'function') return lambdaStyle(obj.handler as Parameters<typeof lambdaStyle>[0], host);
  if (typeof obj?.main === 'function') return openwhiskStyle(obj.main as (p: unknown) => unknown, host);
  if (typeof exp === 'function') return openwhiskStyle(exp as (p: unknown) => unknown, host);
  if (typeof top.main === 'function') return openwhiskStyle(top.main as (p: unknown) => unknown, host);
  return undefined;
}
