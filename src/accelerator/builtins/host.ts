// The Host interface (what the builtins library needs from the core runtime) has one definition, in
// the core's host.ts; the library's modules import it from here so they name no file outside the folder
// but this one.
export type { ErrorName, Host } from '../host.ts';
export { isErrorName } from '../host.ts';
