/**
 * Abort reasons as releases before the closed set wrote them: `unsupported:<what>`, where `what`
 * named the construct and could hold request data (`unsupported:require:<name>`). The migration to
 * schema 2 maps each to the closed set (docs/accelerator.md, "Aborts") and keeps `what` as the detail,
 * so a data directory written by such a release keeps its counts, under the keys `stats.aborts` has
 * now. A frozen snapshot of what those releases emitted; new reasons never come through here.
 */

const CURRENT = new Set([
  'unknown-path', 'fuel', 'memory', 'stack', 'internal', 'backstop',
  'unsupported:syntax', 'unsupported:module', 'unsupported:global', 'unsupported:process', 'unsupported:builtin', 'unsupported:value',
]);

/** The tracer's unsupported syntax and the compiler's `rt.unsupported` names of those releases. */
const SYNTAX = new Set([
  'class', 'getter', 'setter', 'generator', 'async', 'await', 'yield', 'regexp', 'tagged-template', 'new.target',
  'import', 'import.meta', 'with', 'debugger', 'arguments', 'this', 'super', 'bigint', 'labelled-function', 'direct-eval',
  'assign-to-function-name', 'delete-identifier', 'array-hole-with-spread', 'getter-setter', '__proto__-literal',
  'default-parameter-scope', 'pattern-without-init', 'for-head-pattern', 'for-await', 'new-function', 'instanceof-function',
]);
const SYNTAX_PREFIXES = ['syntax:', 'binding:', 'operator:', 'assign:', 'update:', 'pattern:'];

/** The core runtime's aborts on values it did not model. */
const VALUE = new Set([
  'frozen-object', 'error-message', 'spread-argument', 'spread-of-special-object', 'array-property', '__proto__-write',
  'property-write-on-function-or-builtin', 'frozen-error-write', 'array-length', 'frozen-delete', 'delete-array-length',
  '__proto__-delete', 'delete', 'in-special-object', 'instanceof', 'for-in-special-object', 'toPrimitive-hook',
  'function-to-string', 'namespace-to-string', 'array-join-depth', 'deep-json', 'json-of-api-object', 'headers-object',
  'console-format',
]);

function kindOf(what: string): string {
  if (what.startsWith('require:')) return 'module';
  if (what.startsWith('global:') || what.startsWith('global-assign:')) return 'global';
  if (what.startsWith('process:') || what.startsWith('process-write:') || what === 'process-env-write') return 'process';
  if (SYNTAX.has(what) || SYNTAX_PREFIXES.some((p) => what.startsWith(p))) return 'syntax';
  if (VALUE.has(what)) return 'value';
  // The rest came from the builtins library: `String.prototype.normalize`, `new Date`, `write:Math.PI`, …
  return 'builtin';
}

/** The reason of the closed set for a reason a release wrote, and the detail it carried (or null). */
export function legacyAbortReason(old: string): { reason: string; detail: string | null } {
  if (CURRENT.has(old)) return { reason: old, detail: null };
  if (!old.startsWith('unsupported:')) return { reason: 'internal', detail: old };
  const what = old.slice('unsupported:'.length);
  return { reason: `unsupported:${kindOf(what)}`, detail: what };
}
