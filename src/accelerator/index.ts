/**
 * accelerator: runs validated compiled code in the language-based sandbox. The core runtime
 * (runtime.ts: the `rt` of compiled code and the Host of the builtins library), values (values.ts),
 * loading (load.ts: validate, then a fresh vm context), instances and requests (instance.ts: top
 * level once, continuations, limits, aborts, poisoning), abort reasons (aborts.ts: the closed set
 * metrics and counters are keyed by). builtins/ is Node's standard library on runtime values.
 * Depends on src/subset (the validator) and src/api, never on the compiler: running compiled code
 * needs no compiler. Nothing here knows the dispatcher.
 */
export { loadCompiled, type CompiledProgram } from './load.ts';
export { createInstance, InstanceStartError, type AccelResult, type Instance, type InstanceOptions } from './instance.ts';
export { DEFAULT_LIMITS, type Limits } from './limits.ts';
export { Closure, ErrorValue, AbortError } from './values.ts';
export { ABORT_REASONS, MAX_ABORT_DETAIL, isAbortReason, boundDetail, describeAbortDetail, type AbortReason } from './aborts.ts';
export type { Host } from './host.ts';
export type { FunctionIdentity } from './styles.ts';
