/**
 * subset: what compiled code may be, and the check the accelerator trusts (DESIGN invariant 1).
 * It owns the grammar of docs/compiled-code.md as code: the validator (validate.ts and the files it
 * names), the runtime operations compiled code may call (rt-ops.ts), the names it never reads natively
 * (inherited-names.ts), and the texts of the guarded native forms (forms.ts), which the compiler emits
 * and the validator admits. Depends on acorn and Node only: the compiler and the accelerator depend on
 * it, it on neither, so running compiled code needs no compiler.
 */
export { validate } from './validate.ts';
export { ValidationError } from './errors.ts';
export { RT_OPS, type RtOp } from './rt-ops.ts';
export { INHERITED_NAMES } from './inherited-names.ts';
export { indexRead, isNumber, isObject, keyedRead, lengthRead, namedRead, strictEquality } from './forms.ts';
