/**
 * Why an accelerated attempt stopped (docs/accelerator.md, "Aborts"). The reason is a closed set
 * because it is a metric label (`containerless_aborts_total{reason}`) and a counter key
 * (`stats.aborts`): a reason built from data (a module name from the query string) would make either
 * grow without bound. What exactly happened goes in the abort's `detail`, free-form text that only
 * logs and activation records carry.
 *
 * `unsupported:<kind>` says where the accelerator's coverage ends, so an operator can tell a function
 * that needs a module from one that meets a library gap: `syntax` (a language construct compiled code
 * does not run: the compiler's `rt.unsupported(what, …)`), `module` (`require` of anything but
 * `containerless` and the modelled built-in modules), `global` (a global the runtime does not provide), `process` (a member of `process`
 * other than `env`, or an env write it cannot model), `builtin` (a member or case of the standard
 * library it does not cover), `value` (a core operation on a value it does not model: coercion hooks,
 * `__proto__`, frozen objects, special objects, an error message it cannot reproduce exactly).
 */
export const ABORT_REASONS = [
  'unknown-path',
  'unsupported:syntax',
  'unsupported:module',
  'unsupported:global',
  'unsupported:process',
  'unsupported:builtin',
  'unsupported:value',
  'fuel',
  'memory',
  'stack',
  'internal',
  'backstop',
] as const;

export type AbortReason = (typeof ABORT_REASONS)[number];

const REASONS: ReadonlySet<string> = new Set(ABORT_REASONS);

export function isAbortReason(v: unknown): v is AbortReason {
  return typeof v === 'string' && REASONS.has(v);
}

/**
 * The longest detail kept, in UTF-16 code units. A detail may hold request data (`require:` of a name
 * from the query string) and travels to logs and the store with every abort.
 */
export const MAX_ABORT_DETAIL = 300;

export function boundDetail(detail: string): string {
  if (detail.length <= MAX_ABORT_DETAIL) return detail;
  let end = MAX_ABORT_DETAIL - 1;
  // Never split a surrogate pair: half of one would be stored as U+FFFD.
  const c = detail.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${detail.slice(0, end)}…`;
}

/** The detail with the source location, as activation records and logs show it. */
export function describeAbortDetail(a: { detail: string; loc?: { line: number; column: number } }): string {
  return a.loc ? `${a.detail} at ${a.loc.line}:${a.loc.column}` : a.detail;
}
