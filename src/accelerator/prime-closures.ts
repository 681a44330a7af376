/**
 * Why: V8 optimises a function differently while it is the only closure of its function literal
 * (it specialises the optimised code to that closure's context) than once a second closure of the
 * literal exists. Each instance of a program runs the program's top level, so instance 1's functions
 * are optimised as only closures, and the functions of every later instance (the dispatcher replaces
 * worn and aborted instances) then ran measurably slower than instance 1's: maze's requests 15–25%
 * (bench/RESULTS-accel-cpu.md, 2026-12-05). When a second closure of each literal exists before
 * anything is optimised, every instance's code runs alike, at instance 1's speed or near it.
 *
 * So, once per program, the loader runs the program function with a runtime that makes nothing: the
 * closure operations (rt.fn and its variants) return null after their function literal has been
 * evaluated (and a recursive one's maker called, which evaluates the literal inside it), and every
 * other operation throws at once. The compiled top level declares its functions first, so this
 * creates one throwaway closure of each top-level function and stops at the first statement that
 * does anything: no user code runs, nothing is charged, nothing is observable. It terminates at
 * once: every loop body starts with rt.tick(), every call, read of a non-local and catch or finally
 * goes through rt, and between those, validated code only evaluates native operators on locals
 * and literals (docs/compiled-code.md).
 */
import { RT_OPS } from '../subset/index.ts';

const STOP = new Error('priming stops here');

/** Closure operations whose last argument is the function itself. */
const MAKES = new Set(['fn', 'fnt', 'afn', 'gfn', 'agfn', 'afnt', 'gfnt', 'agfnt']);
/** Closure operations whose last argument is a maker: `function (self) { return function … }`. */
const MAKES_REC = new Set(['fnrec', 'fntrec', 'afntrec', 'gfntrec', 'agfntrec']);

export function primeClosures(main: (rt: unknown) => unknown): void {
  const rt = Object.create(null) as Record<string, (...args: unknown[]) => unknown>;
  const stop = (): never => {
    throw STOP;
  };
  for (const op of RT_OPS) {
    if (MAKES.has(op)) rt[op] = () => null;
    else if (MAKES_REC.has(op)) {
      rt[op] = (...args: unknown[]) => {
        const maker = args[args.length - 1];
        if (typeof maker === 'function') (maker as (self: null) => unknown)(null);
        return null;
      };
    } else rt[op] = stop;
  }
  Object.freeze(rt);
  try {
    main(rt);
  } catch {
    // STOP, as planned. Validated code throws nothing else before its first rt operation; were it
    // to, priming is only a speed-up and loading must not fail for it.
  }
}
