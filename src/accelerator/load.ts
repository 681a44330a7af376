/**
 * loadCompiled: validate (always: nothing unvalidated runs), then evaluate the program expression in
 * a fresh vm context with code generation from strings and wasm disabled (defense in depth; the
 * validator alone already excludes eval/Function). The context's own Object.prototype is how the
 * runtime recognises the plain objects compiled code makes.
 */
import { createHash } from 'node:crypto';
import vm from 'node:vm';
import { validate } from '../subset/index.ts';
import type { Limits } from './limits.ts';
import { buildLineMap } from './location.ts';
import { Closure } from './values.ts';
import { FAST_OPS_SOURCE } from './fast-ops.ts';
import { getGlobal } from './builtins/index.ts';
import { Runtime, type ProgramRealm } from './runtime.ts';
import { primeClosures } from './prime-closures.ts';

export interface CompiledProgram {
  readonly code: string;
  readonly realm: ProgramRealm;
  /** The program function: (rt) => void, runs the function file's top level. */
  readonly main: (rt: unknown) => unknown;
  readonly limits?: Partial<Limits>;
}

let loaded = 0;

/** How many validated programs this isolate remembers; the least recently loaded is forgotten first. */
const VALIDATED_KEPT = 256;
/** SHA-256 digests of programs this isolate's validator accepted, oldest first. */
const validated = new Set<string>();

/**
 * Validates `code` unless this isolate's own validator already accepted the same bytes: a go-live
 * loads each program twice (the serving instance and the pre-live check's), and a reload after
 * eviction loads it again; parsing it with acorn each time was about a fifth of a worker's CPU in a
 * ramp of go-lives. Only this isolate's own verdicts count, so nothing another thread or the store
 * says is trusted.
 */
function validateOnce(code: string): void {
  const digest = createHash('sha256').update(code).digest('base64');
  if (!validated.delete(digest)) validate(code);
  validated.add(digest);
  if (validated.size > VALIDATED_KEPT) validated.delete(validated.values().next().value as string);
}

export function loadCompiled(code: string, opts: { limits?: Partial<Limits> } = {}): CompiledProgram {
  validateOnce(code);
  const context = vm.createContext(Object.create(null), { codeGeneration: { strings: false, wasm: false }, name: 'containerless-compiled' });
  const filename = `containerless-compiled-${++loaded}.js`;
  const main = new vm.Script(code, { filename }).runInContext(context) as (rt: unknown) => unknown;
  if (typeof main !== 'function') throw new Error('loadCompiled: the program is not a function');
  primeClosures(main);
  // Factories for the context's own objects and arrays (loader code, not function code), and the
  // write of fast-ops' rt.put: sloppy code, as the function's own is unless it says "use strict", so
  // that a write to a frozen value is ignored as Node ignores it (rt.puts checks before it writes).
  const make = new vm.Script('({ o: function () { return {}; }, a: function () { return []; }, s: function (o, k, v) { o[k] = v; } })', { filename: 'containerless-realm.js' }).runInContext(context) as {
    o: () => Record<string, unknown>;
    a: () => unknown[];
    s: (o: object, k: string | number, v: unknown) => void;
  };
  const objectProto = Object.getPrototypeOf(make.o()) as object;
  const fastOps = new vm.Script(FAST_OPS_SOURCE, { filename: 'containerless-fast-ops.js' }).runInContext(context) as (
    host: object, hostProto: object, vmProto: object, closure: typeof Closure, init: typeof Closure.init, sloppySet: typeof make.s, objectFn: unknown,
  ) => object;
  // One prototype for all the program's runtimes (fast-ops.ts says why).
  const runtimeProto = fastOps(Runtime.prototype, Object.prototype, objectProto, Closure, Closure.init, make.s, getGlobal('Object'));
  const realm: ProgramRealm = {
    objectProto,
    newRuntime: (limits) => Runtime.create(runtimeProto, realm, limits),
    newObject: make.o,
    newArray: make.a,
    filename,
    lineMap: buildLineMap(code),
  };
  return Object.freeze({ code, realm, main, limits: opts.limits });
}
