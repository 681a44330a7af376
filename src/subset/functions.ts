/**
 * Functions exist in compiled code only as the last argument of `rt.fn(name, length, function (…) {…})`
 * or `rt.fnrec(name, length, function (self) { return function (…) {…}; })`: plain anonymous function
 * expressions (no arrows, generators, async functions), whose parameters are locals or one final rest.
 * The runtime wraps each in a Closure; compiled code never holds a native function. (The one arrow,
 * rt.apat's, is checked in expressions.ts: the runtime calls it at once and never keeps it.)
 */
import type { AnyNode, SpreadElement, Expression, FunctionExpression } from 'acorn';
import type { Checker } from './checker.ts';
import { fail } from './errors.ts';
import type { RtCall } from './shapes.ts';

type Args = readonly (Expression | SpreadElement)[];

function nameAndLength(e: RtCall, args: Args, usage: string): void {
  const [name, length] = args;
  if (args.length !== 3 || name.type !== 'Literal' || typeof name.value !== 'string' || length.type !== 'Literal' || typeof length.value !== 'number') fail(e, usage);
}

/** `rt.fn(name, length, function (…) {…})`. */
export function checkFn(cx: Checker, e: RtCall, args: Args): void {
  nameAndLength(e, args, 'rt.fn(name, length, function)');
  functionExpression(cx, args[2]);
}

/**
 * `rt.afn(name, length, function* (…) {…})`: an async function, whose awaits are `yield Expr`; and
 * `rt.gfn(…)` of the same shape, a generator function (the runtime wraps its generator objects), and
 * `rt.agfn(…)`, an async generator function whose Yields are `yield rt.agy(Expr)`. The
 * runtime calls the generator function and drives the generator; compiled code never holds either
 * (no other place admits `function*`, and `yield`'s value is what the runtime resumes it with).
 */
export function checkAfn(cx: Checker, e: RtCall, args: Args): void {
  nameAndLength(e, args, `rt.${e.callee.property.name}(name, length, function*)`);
  const f = args[2];
  if (f.type !== 'FunctionExpression' || f.id || f.async || !f.generator) fail(f, 'rt.afn and rt.gfn need an anonymous function* expression');
  const op = e.callee.property.name;
  body(cx, f, true, op === 'gfn', op === 'agfn');
}

/**
 * `rt.afnt(name, length, flags, function* (this, newTarget, argumentsList, …) {…})` and `rt.gfnt(…)`:
 * rt.afn's and rt.gfn's body with rt.fnt's receiver parameters (an async method using `this`, a
 * generator method, a named async function expression that refers to itself, through the `rec` form).
 */
export function checkAfnt(cx: Checker, e: RtCall, args: Args): void {
  flagsOf(e, args, `rt.${e.callee.property.name}(name, length, flags, function*)`);
  receiverGenerator(cx, args[3], e.callee.property.name === 'gfnt', e.callee.property.name === 'agfnt');
}

/** `rt.afntrec(name, length, flags, function (self) { return function* (this, newTarget, argumentsList, …) {…}; })` and `rt.gfntrec`. */
export function checkAfntRec(cx: Checker, e: RtCall, args: Args): void {
  flagsOf(e, args, `rt.${e.callee.property.name}(name, length, flags, function)`);
  selfMaker(cx, args[3], (inner) => receiverGenerator(cx, inner, e.callee.property.name === 'gfntrec', e.callee.property.name === 'agfntrec'));
}

function receiverGenerator(cx: Checker, f: AnyNode, generator: boolean, asyncGenerator = false): void {
  if (f.type !== 'FunctionExpression' || f.id || f.async || !f.generator) fail(f, 'rt.afnt and rt.gfnt need an anonymous function* expression');
  receiverFunction(f);
  body(cx, f, true, generator, asyncGenerator);
}

/**
 * `rt.fnt(name, length, flags, function (this, newTarget, argumentsList, …) {…})`: a function that
 * sees its receiver (src/accelerator/classes.ts); its first three parameters are plain locals.
 */
export function checkFnt(cx: Checker, e: RtCall, args: Args): void {
  flagsOf(e, args, 'rt.fnt(name, length, flags, function)');
  receiverFunction(args[3]);
  functionExpression(cx, args[3]);
}

/** `rt.fntrec(name, length, flags, function (self) { return function (this, newTarget, argumentsList, …) {…}; })`. */
export function checkFntRec(cx: Checker, e: RtCall, args: Args): void {
  flagsOf(e, args, 'rt.fntrec(name, length, flags, function)');
  selfMaker(cx, args[3], (inner) => {
    receiverFunction(inner);
    functionExpression(cx, inner);
  });
}

function flagsOf(e: RtCall, args: Args, usage: string): void {
  if (args.length !== 4) fail(e, usage);
  nameAndLength(e, [args[0], args[1], args[3]], usage);
  const flags = args[2];
  if (flags.type !== 'Literal' || typeof flags.value !== 'number' || !Number.isInteger(flags.value) || flags.value < 0 || flags.value > 15) fail(e, usage);
}

function receiverFunction(f: AnyNode): void {
  if (f.type !== 'FunctionExpression' || f.params.length < 3 || f.params.slice(0, 3).some((p) => p.type !== 'Identifier')) fail(f, 'rt.fnt needs function (this, newTarget, argumentsList, …)');
}

/** `rt.fnrec(name, length, function (self) { return function (…) {…}; })`: `self` is the Closure itself. */
export function checkFnRec(cx: Checker, e: RtCall, args: Args): void {
  nameAndLength(e, args, 'rt.fnrec(name, length, function)');
  selfMaker(cx, args[2], (inner) => functionExpression(cx, inner));
}

function selfMaker(cx: Checker, outer: AnyNode, check: (inner: AnyNode) => void): void {
  const usage = 'rt.fnrec needs function (self) { return function … }';
  if (outer.type !== 'FunctionExpression' || outer.id || outer.async || outer.generator || outer.params.length !== 1 || outer.params[0].type !== 'Identifier') fail(outer, usage);
  const [ret] = outer.body.body;
  if (outer.body.body.length !== 1 || ret.type !== 'ReturnStatement' || !ret.argument) fail(outer, usage);
  const inner = ret.argument;
  cx.locals.within(() => {
    cx.locals.declare(outer.params[0]);
    check(inner);
  });
}

function functionExpression(cx: Checker, f: AnyNode): void {
  if (f.type !== 'FunctionExpression' || f.id || f.async || f.generator) fail(f, 'expected a plain anonymous function expression');
  body(cx, f, false);
}

function body(cx: Checker, f: FunctionExpression, yields: boolean, delegates = false, marks = false): void {
  const outer = cx.yields;
  const outerDelegates = cx.delegates;
  const outerMarks = cx.marks;
  cx.yields = yields;
  cx.delegates = delegates;
  cx.marks = marks;
  try {
    cx.locals.within(() => {
      f.params.forEach((p, i) => {
        if (p.type === 'RestElement' && i === f.params.length - 1) cx.locals.declare(p.argument);
        else cx.locals.declare(p);
      });
      cx.statements(f.body.body);
    });
  } finally {
    cx.yields = outer;
    cx.delegates = outerDelegates;
    cx.marks = outerMarks;
  }
}
