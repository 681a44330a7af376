/**
 * The runtime operations compiled code may call, `rt.<name>(…)`. The validator accepts no other
 * member access of `rt`; the accelerator's runtime implements every one of them
 * (test/accelerator/rt-ops.test.ts).
 */
export const RT_OPS = [
  // functions and calls
  'fn', 'fnrec', 'c0', 'c1', 'c2', 'c3', 'cn', 'm0', 'm1', 'm2', 'm3', 'mn', 'recv', 'construct', 'spreadargs', 'rest',
  // properties
  'get', 'po', 'ia', 'pk', 'put', 'puts', 'del', 'inop', 'instof', 'key',
  // operators
  'add', 'sub', 'mul', 'div', 'mod', 'pow', 'neg', 'num', 'bnot', 'band', 'bor', 'bxor', 'shl', 'shr', 'ushr',
  'eq', 'ne', 'seq', 'sw', 'lt', 'gt', 'le', 'ge', 'inc', 'dec', 'type', 'typeofg', 'tpl',
  // values
  'obj', 'objs', 'nproto', 'arr', 'arrh', 'arrs', 'spread', 'global', 'setglobal', 'require',
  // bindings
  'hole', 'chk', 'chkw', 'constw',
  // iteration and destructuring
  'iter', 'keys', 'destr', 'destrn', 'orest', 'aiter', 'arest',
  // array patterns stepping a generator or a user iterable (src/accelerator/iterators.ts, PatternSteps)
  'aopen', 'astep', 'arestof', 'aend', 'aquit',
  // the same inside a larger expression: rt.apat(Expr, text, ($t) => (Expr)), the arrow called once by the runtime (functions.ts)
  'apat',
  // control: fuel, exceptions, aborts
  'tick', 'thr', 'caught', 'fin', 'depth', 'unknown', 'unsupported',
  // async functions and generators: rt.afn / rt.gfn(name, length, function* (…) {…}) (functions.ts)
  'afn', 'gfn',
  // async generator functions: rt.agfn(name, length, function* (…) {…}), whose Yield is `yield rt.agy(Expr)` (src/accelerator/async-generators.ts)
  'agfn', 'agy', 'agdel', 'agfnt', 'agfntrec',
  // receivers, constructors and classes (src/accelerator/classes.ts)
  'fnt', 'fntrec', 'sthis', 'dthis', 'args', 'cls', 'defm', 'deff', 'pname', 'pdef', 'sinit', 'supc', 'supget', 'supcall', 'dret', 'obja',
  // tagged templates (src/accelerator/classes.ts)
  'tsite',
  // async functions and generators with a receiver: rt.afnt / rt.gfnt(name, length, flags, function* (this, newTarget, argumentsList, …) {…}),
  // and rt.afntrec / rt.gfntrec(…, function (self) { return function* (…) {…}; }) for one naming itself
  'afnt', 'gfnt', 'afntrec', 'gfntrec',
  // regular expression literals: rt.re("source", "flags") (src/accelerator/builtins/regexp.ts)
  're',
  // yield* in a generator's body, only as `yield* rt.ydeleg(Expr, text)` (src/accelerator/iterators.ts)
  'ydeleg',
  // Object.keys(x) of the global builtin, fused (src/compiler/builtin-call.ts, src/accelerator/fast-ops.ts)
  'okeys',
  // for await in an async function's body (src/accelerator/async-iteration.ts)
  'afor', 'anext', 'adone', 'avalue', 'acloses', 'aclose', 'achk',
] as const;

export type RtOp = (typeof RT_OPS)[number];

/** The guards of native reads (native-reads.ts): compiled code calls them nowhere else. */
export const GUARD_OPS: ReadonlySet<string> = new Set<RtOp>(['po', 'ia', 'pk']);
