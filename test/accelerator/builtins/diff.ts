// Differential testing helpers: fast-check arbitraries for the values functions meet, built twice
// (once as native values for Node, once as runtime values for the library) with logs that record the
// order in which user code (valueOf/toString hooks, callbacks) runs on each side.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Abort, Thrown, assertRuntimeValue, canon, makeHost, toRuntime, type TestHost } from './host.ts';

export type Spec =
  | { k: 'prim'; v: unknown }
  | { k: 'arr'; items: Spec[] }
  | { k: 'obj'; entries: [string, Spec][] }
  | { k: 'hook'; method: 'valueOf' | 'toString'; ret: Spec };

export const specialNumbers = [0, -0, 1, -1, 0.5, -0.5, -5e-324, -1.5, 2.5, NaN, Infinity, -Infinity, 1e21, 1e-7, 123.456, 5e-324, 2 ** 31, 2 ** 32, -(2 ** 31), 2 ** 53, 2 ** 53 + 2, Number.MAX_VALUE, 0.1 + 0.2, 4294967295, 1e300, -1e-300];

const unicodeUnits = fc.constantFrom('a', 'b', 'A', 'z', ' ', '0', '9', '-', '.', ',', '$', '&', '\'', '`', '\\', '"', '\n', '\t', 'ä', 'ß', 'İ', 'ﬀ', '\u00a0', '\u2028', '\ud83d\ude00', '\ud800', '\udc00', 'é', 'e\u0301', '\u0000');
export const str = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: unicodeUnits, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'abc', 'a,b,,c', 'aaa', 'ab', '  x  ', 'NaN', '-0', '0x1f', '1e3', ' 12px', 'Infinity', '$&$1$$', '__proto__', 'constructor', 'toString') },
);
export const num = fc.oneof(
  fc.constantFrom(...specialNumbers),
  fc.integer({ min: -20, max: 20 }),
  fc.double(),
);
export const prim = fc.oneof(
  { weight: 4, arbitrary: str },
  { weight: 4, arbitrary: num },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, true, false) },
);

export const spec: fc.Arbitrary<Spec> = fc.letrec<{ v: Spec }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: prim.map((v): Spec => ({ k: 'prim', v })) },
    { weight: 1, arbitrary: fc.array(tie('v'), { maxLength: 4 }).map((items): Spec => ({ k: 'arr', items })) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', '1', '0', 'x y'), tie('v')), { maxLength: 3 }).map((entries): Spec => ({ k: 'obj', entries })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('valueOf' as const, 'toString' as const), prim).map(([method, v]): Spec => ({ k: 'hook', method, ret: { k: 'prim', v } })) },
  ),
})).v;

/** Builds a native value from a spec; hooks record their calls in `log`. */
export function build(s: Spec, log: string[]): unknown {
  switch (s.k) {
    case 'prim': return s.v;
    case 'arr': return s.items.map((x) => build(x, log));
    case 'obj': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of s.entries) o[k] = build(v, log);
      return o;
    }
    case 'hook': {
      const ret = build(s.ret, log);
      const tag = `${s.method}->${canon(ret)}`;
      return { [s.method]() { log.push(tag); return ret; } };
    }
  }
}

export interface Side { outcome: string; log: string[] }

export type AllowAbort = (reason: string, detail: string) => boolean;

function run(f: () => unknown, log: string[], runtime: boolean, allowAbort: AllowAbort): Side | 'aborted' {
  try {
    const r = f();
    if (runtime) assertRuntimeValue(r);
    return { outcome: `ok ${canon(r)}`, log };
  } catch (e) {
    if (e instanceof Abort) {
      if (runtime && allowAbort(e.reason, e.detail)) return 'aborted';
      throw new Error(`unexpected abort ${e.reason} (${e.detail})`, { cause: e });
    }
    if (e instanceof Thrown) return { outcome: `throw ${canon(e.value)}`, log };
    if (runtime) throw e; // a native exception escaping the library is a bug
    if (e instanceof Error) return { outcome: `throw Error(${e.name}: ${e.message})`, log };
    return { outcome: `throw ${String(e)}`, log };
  }
}

export interface DiffStats { equal: number; aborted: number }

/**
 * Runs `lib(host, args, log)` on runtime values and `node(args, log)` on native values built from the
 * same specs, and asserts the same outcome (value or error name and message) and the same log of
 * user code calls. An abort is accepted only when `allowAbort(reason, detail)` says so.
 */
export function differential(
  specs: Spec[],
  lib: (host: TestHost, args: unknown[], log: string[]) => unknown,
  node: (args: unknown[], log: string[]) => unknown,
  stats: DiffStats,
  allowAbort: AllowAbort = () => false,
): void {
  const nlog: string[] = [];
  const nargs = specs.map((s) => build(s, nlog));
  const rlog: string[] = [];
  const rargs = specs.map((s) => toRuntime(build(s, rlog)));
  const host = makeHost();
  const ours = run(() => lib(host, rargs, rlog), rlog, true, allowAbort);
  if (ours === 'aborted') { stats.aborted++; return; }
  const theirs = run(() => node(nargs, nlog), nlog, false, () => false) as Side;
  assert.deepEqual(ours, theirs);
  stats.equal++;
}

// FC_RUNS raises the number of runs for a longer local search.
export const params = { numRuns: Number(process.env.FC_RUNS ?? 300) };
