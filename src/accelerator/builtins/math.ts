// Math: every function and constant of Node 20's Math. Arguments are converted with the host's
// ToNumber in order (all of them, as the spec does, even after a NaN), then V8's own Math computes on
// numbers, so results are bit-identical to Node's. Math.random is allowed: it is nondeterministic in
// Node too.
import type { Host } from './host.ts';
import { BuiltinFunction, Namespace } from './values.ts';

const nums = (host: Host, args: unknown[], n: number): number[] => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(host.toNumber(i < args.length ? args[i] : undefined));
  return out;
};

type Fn1 = (x: number) => number;
type Fn2 = (x: number, y: number) => number;

const unary: Record<string, Fn1> = {
  abs: Math.abs, acos: Math.acos, acosh: Math.acosh, asin: Math.asin, asinh: Math.asinh, atan: Math.atan,
  atanh: Math.atanh, cbrt: Math.cbrt, ceil: Math.ceil, clz32: Math.clz32, cos: Math.cos, cosh: Math.cosh,
  exp: Math.exp, expm1: Math.expm1, floor: Math.floor, fround: Math.fround, log: Math.log, log10: Math.log10,
  log1p: Math.log1p, log2: Math.log2, round: Math.round, sign: Math.sign, sin: Math.sin, sinh: Math.sinh,
  sqrt: Math.sqrt, tan: Math.tan, tanh: Math.tanh, trunc: Math.trunc,
};
const binary: Record<string, Fn2> = { atan2: Math.atan2, imul: Math.imul, pow: Math.pow };

const statics: Record<string, unknown> = {
  E: Math.E, LN10: Math.LN10, LN2: Math.LN2, LOG10E: Math.LOG10E, LOG2E: Math.LOG2E, PI: Math.PI,
  SQRT1_2: Math.SQRT1_2, SQRT2: Math.SQRT2,
};

for (const [name, f] of Object.entries(unary)) {
  statics[name] = new BuiltinFunction({ name, length: 1, path: `Math.${name}`, impl: (h, _t, a) => f(nums(h, a, 1)[0]) });
}
for (const [name, f] of Object.entries(binary)) {
  statics[name] = new BuiltinFunction({ name, length: 2, path: `Math.${name}`, impl: (h, _t, a) => { const [x, y] = nums(h, a, 2); return f(x, y); } });
}

/** max/min over any number of arguments without spreading them onto the native stack. */
function extreme(host: Host, args: unknown[], max: boolean): number {
  host.tick(1 + args.length);
  const xs = nums(host, args, args.length);
  let r = max ? -Infinity : Infinity;
  for (const x of xs) {
    if (x !== x) return NaN;
    // Math.max/min on two numbers handles -0 vs +0 exactly.
    r = max ? Math.max(r, x) : Math.min(r, x);
  }
  return r;
}

statics.max = new BuiltinFunction({ name: 'max', length: 2, path: 'Math.max', impl: (h, _t, a) => extreme(h, a, true) });
statics.min = new BuiltinFunction({ name: 'min', length: 2, path: 'Math.min', impl: (h, _t, a) => extreme(h, a, false) });
statics.hypot = new BuiltinFunction({
  name: 'hypot', length: 2, path: 'Math.hypot',
  impl(h, _t, a) {
    h.tick(1 + a.length);
    const xs = nums(h, a, a.length);
    // V8's hypot scales by the largest magnitude; calling it with the same numbers gives its result.
    if (xs.length > 1000) return h.abort('unsupported:builtin', 'Math.hypot (too many arguments)');
    return Math.hypot(...xs);
  },
});
statics.random = new BuiltinFunction({ name: 'random', length: 0, path: 'Math.random', impl: () => Math.random() });

export const MathNs = new Namespace('Math', statics, Math);
