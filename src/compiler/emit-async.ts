/**
 * Pass 3 (codegen), async functions and generators. `async function f(…) {…}` (and async arrows and
 * methods) becomes `rt.afn("f", length, function* (…) {…})`, and `await x` becomes `(yield x)`: the
 * runtime (src/accelerator/async.ts) calls the generator function, drives the generator with the
 * awaited values, and returns the function's promise. `function* g(…) {…}` becomes
 * `rt.gfn("g", length, function* (…) {…})` with its `yield x` as `(yield x)`; the runtime wraps the
 * generator objects (src/accelerator/generators.ts). The validator admits `function*` and `yield`
 * only in these forms (src/subset/functions.ts).
 */
import { str } from './emit-context.ts';

/** The async function as a value; a named expression that sees itself binds `self` around it. */
export function asyncFunction(op: 'afn' | 'gfn' | 'agfn', name: string, length: number, generatorText: string, self: string | undefined, loc: string, receiverFlags?: number): string {
  // A named expression that sees itself always has a receiver (emit-function.ts): rt.afntrec / rt.gfntrec.
  if (self !== undefined) {
    if (receiverFlags === undefined) return `rt.unsupported(${str(op === 'gfn' ? 'generator-self-reference' : 'async-self-reference')}, ${loc})`;
    return `rt.${op}trec(${str(name)}, ${length}, ${receiverFlags}, function (${self}) { return ${generatorText}; })`;
  }
  // With a receiver (emit-this.ts): rt.afnt / rt.gfnt(name, length, flags, function* ($t, $nt, $args, …) {…}).
  if (receiverFlags !== undefined) return `rt.${op}t(${str(name)}, ${length}, ${receiverFlags}, ${generatorText})`;
  return `rt.${op}(${str(name)}, ${length}, ${generatorText})`;
}

/** `await x` inside an async function's body. */
export function awaitExpression(argument: string): string {
  return `(yield ${argument})`;
}
