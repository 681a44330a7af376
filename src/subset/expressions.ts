/**
 * Expr of docs/compiled-code.md: locals, literals, native operators that observe no more than
 * identity, truthiness or numbers, `local = value`, array and object literals, calls of runtime
 * operations, and the guarded forms (native reads, StrictEq, the inline number check).
 * Anything else is rejected: free identifiers, `this`, `new`, member access outside the guarded
 * forms, functions outside `rt.fn`, `typeof`/`delete`/`in`/`instanceof`/`++`/compound assignment.
 */
import type { AnyNode, BinaryExpression, CallExpression, ConditionalExpression, Expression, Literal, ObjectExpression, UnaryExpression } from 'acorn';
import type { Checker } from './checker.ts';
import { fail } from './errors.ts';
import { checkAfn, checkAfnt, checkAfntRec, checkFn, checkFnRec, checkFnt, checkFntRec } from './functions.ts';
import { checkStrictEquality, stringGuard } from './guards.ts';
import { checkIndexRead, checkNamedRead, indexReadTest, namedReadTest } from './native-reads.ts';
import { GUARD_OPS } from './rt-ops.ts';
import { isRtCall, typeofCheck } from './shapes.ts';

const BINARY: ReadonlySet<string> = new Set(['===', '!==', '+', '-', '*', '/', '%', '**', '<', '>', '<=', '>=', '&', '|', '^', '<<', '>>', '>>>']);
const LOGICAL: ReadonlySet<string> = new Set(['&&', '||', '??']);
const UNARY: ReadonlySet<string> = new Set(['!', '-', '~']);

export function checkExpression(cx: Checker, e: AnyNode): void {
  switch (e.type) {
    case 'Identifier':
      cx.locals.use(e);
      return;
    case 'Literal':
      literal(e);
      return;
    case 'UnaryExpression':
      unary(cx, e);
      return;
    case 'BinaryExpression':
      binary(cx, e);
      return;
    case 'LogicalExpression':
      if (!LOGICAL.has(e.operator)) fail(e, 'bad logical operator');
      checkExpression(cx, e.left);
      checkExpression(cx, e.right);
      return;
    case 'ConditionalExpression':
      conditional(cx, e);
      return;
    case 'SequenceExpression':
      for (const x of e.expressions) checkExpression(cx, x);
      return;
    case 'AssignmentExpression':
      if (e.operator !== '=' || e.left.type !== 'Identifier') fail(e, 'only `local = value`');
      checkExpression(cx, e.left);
      checkExpression(cx, e.right);
      return;
    case 'ArrayExpression':
      for (const x of e.elements) {
        if (!x || x.type === 'SpreadElement') fail(e, 'no holes or spread in array literals');
        checkExpression(cx, x);
      }
      return;
    case 'ObjectExpression':
      object(cx, e);
      return;
    case 'CallExpression':
      call(cx, e);
      return;
    case 'YieldExpression':
      // An await (rt.afn) or a yield (rt.gfn): never bare, never elsewhere; `yield*` only in rt.gfn's
      // body and only over rt.ydeleg's host iterator, which compiled code never gets as a value.
      if (cx.yields !== true || !e.argument) fail(e, 'yield only as `yield Expr` in the body of rt.afn or rt.gfn');
      if (e.delegate) return delegation(cx, e.argument);
      // `yield rt.agy(Expr)`: an async generator's Yield (rt.agfn's body only); its marker never a value.
      // `yield rt.agdel(Expr)`: its `yield*`, the same place, the same rule.
      if (e.argument.type === 'CallExpression' && isRtCall(e.argument) && MARKS.has(e.argument.callee.property.name)) return yieldMark(cx, e.argument);
      checkExpression(cx, e.argument);
      return;
    default:
      fail(e, `expression ${e.type} not allowed`);
  }
}

/** Strings, numbers, booleans and null: no regex, no bigint. */
function literal(n: Literal): void {
  if (n.regex || n.bigint !== undefined) fail(n, 'regex and bigint literals are not allowed');
  const v = n.value;
  if (!(v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) fail(n, 'bad literal');
}

function unary(cx: Checker, e: UnaryExpression): void {
  if (e.operator === 'typeof') fail(e, 'typeof only as `typeof local === "number"` (or in the guards of native reads and equality)');
  if (e.operator === 'void') {
    if (e.argument.type !== 'Literal' || e.argument.value !== 0) fail(e, 'only `void 0`');
    return;
  }
  if (!UNARY.has(e.operator)) fail(e, `unary ${e.operator} not allowed`);
  checkExpression(cx, e.argument);
}

function binary(cx: Checker, e: BinaryExpression): void {
  if (e.operator === '===' && e.left.type === 'UnaryExpression' && e.left.operator === 'typeof') {
    // The inline number check; typeof calls nothing, whatever the value.
    const l = typeofCheck(e, 'number');
    if (l === null) fail(e, 'typeof only as `typeof local === "number"`');
    checkExpression(cx, l);
    return;
  }
  if (e.operator === '==' || e.operator === '!=') {
    if (e.right.type !== 'Literal' || e.right.value !== null) fail(e, '== only against null');
  } else if (!BINARY.has(e.operator)) fail(e, `operator ${e.operator} not allowed`);
  checkExpression(cx, e.left);
  checkExpression(cx, e.right);
}

/** A guarded form when its test is one of their guards (and then exactly that form), else a plain `?:`. */
function conditional(cx: Checker, e: ConditionalExpression): void {
  const named = namedReadTest(e.test);
  if (named !== null) return checkNamedRead(e, named, cx.locals);
  const str = stringGuard(e.test);
  if (str !== null) return checkStrictEquality(e, str, cx.locals);
  const index = indexReadTest(e.test);
  if (index !== null) return checkIndexRead(e, index, cx.locals);
  checkExpression(cx, e.test);
  checkExpression(cx, e.consequent);
  checkExpression(cx, e.alternate);
}

/** `{ "key": value, … }`: no computed keys, methods, accessors, shorthand, spread or `__proto__`. */
function object(cx: Checker, e: ObjectExpression): void {
  for (const p of e.properties) {
    if (p.type !== 'Property' || p.kind !== 'init' || p.method || p.shorthand || p.computed) fail(p, 'only `"key": value` properties');
    if (p.key.type !== 'Literal' || typeof p.key.value !== 'string') fail(p, 'property keys must be string literals');
    if (p.key.value === '__proto__') fail(p, '__proto__ key');
    checkExpression(cx, p.value);
  }
}

/** The markers of an async generator's Yield and `yield*` (src/accelerator/async-generators.ts). */
const MARKS: ReadonlySet<string> = new Set(['agy', 'agdel']);

/** `yield* rt.ydeleg(Expr, text)`: text a string literal or null. */
function delegation(cx: Checker, a: Expression): void {
  const usage = 'yield* only as `yield* rt.ydeleg(Expr, text)` in the body of rt.gfn';
  if (cx.delegates !== true || a.type !== 'CallExpression' || !isRtCall(a) || a.callee.property.name !== 'ydeleg' || a.arguments.length !== 2) fail(a, usage);
  const [v, text] = a.arguments;
  if (v.type === 'SpreadElement' || text.type !== 'Literal' || (text.value !== null && typeof text.value !== 'string') || text.regex) fail(a, usage);
  checkExpression(cx, v);
}

function yieldMark(cx: Checker, a: CallExpression): void {
  if (cx.marks !== true || a.arguments.length !== 1 || a.arguments[0].type === 'SpreadElement') fail(a, 'rt.agy and rt.agdel only as `yield rt.agy(Expr)` in the body of rt.agfn');
  checkExpression(cx, a.arguments[0]);
}

/** `rt.<op>(…)`: the only calls. No spread; functions only as `rt.fn`'s and `rt.fnrec`'s (and rt.apat's arrow). */
function call(cx: Checker, e: CallExpression): void {
  if (!isRtCall(e)) fail(e, 'only rt.<op>(…) calls');
  const op = e.callee.property.name;
  const args = e.arguments;
  if (GUARD_OPS.has(op)) fail(e, `rt.${op} only as the guard of a native read`);
  if (op === 'ydeleg') fail(e, 'rt.ydeleg only as the operand of yield*');
  if (MARKS.has(op)) fail(e, `rt.${op} only as the operand of yield in rt.agfn`);
  if (args.some((a) => a.type === 'SpreadElement')) fail(e, 'no spread arguments');
  if (op === 'fn') return checkFn(cx, e, args);
  if (op === 'fnrec') return checkFnRec(cx, e, args);
  if (op === 'afn' || op === 'gfn' || op === 'agfn') return checkAfn(cx, e, args);
  if (op === 'afnt' || op === 'gfnt' || op === 'agfnt') return checkAfnt(cx, e, args);
  if (op === 'afntrec' || op === 'gfntrec' || op === 'agfntrec') return checkAfntRec(cx, e, args);
  if (op === 'fnt') return checkFnt(cx, e, args);
  if (op === 'fntrec') return checkFntRec(cx, e, args);
  if (op === 'apat') return checkApat(cx, e, args);
  if (op === 're') {
    // A regular expression literal: its source and flags as written, nothing computed.
    if (args.length !== 2 || args.some((a) => a.type !== 'Literal' || typeof a.value !== 'string')) fail(e, 'rt.re takes two string literals');
    return;
  }
  if (op === 'okeys' && args.length !== 1) fail(e, 'rt.okeys takes one argument');
  for (const a of args) {
    if (a.type === 'FunctionExpression' || a.type === 'ArrowFunctionExpression') fail(a, 'functions only as rt.fn arguments');
    checkExpression(cx, a);
  }
}

/**
 * `rt.apat(Expr, text, ($t) => (Expr))`: an array pattern stepping an iterator inside a larger
 * expression (src/compiler/emit-pattern.ts). The runtime calls the arrow once, before rt.apat returns,
 * and never keeps it; its one parameter is a local, its body one expression without `yield` (an
 * arrow's `yield` would be no await of the enclosing body).
 */
function checkApat(cx: Checker, e: CallExpression, args: CallExpression['arguments']): void {
  const usage = 'rt.apat(Expr, text, (local) => (Expr))';
  if (args.length !== 3) fail(e, usage);
  const [v, text, f] = args;
  if (v.type === 'SpreadElement' || text.type !== 'Literal' || (text.value !== null && typeof text.value !== 'string') || text.regex) fail(e, usage);
  if (f.type !== 'ArrowFunctionExpression' || f.async || f.generator || !f.expression || f.params.length !== 1 || f.params[0].type !== 'Identifier') fail(f, usage);
  if (v.type === 'FunctionExpression' || v.type === 'ArrowFunctionExpression') fail(v, 'functions only as rt.fn arguments');
  checkExpression(cx, v);
  const outer = [cx.yields, cx.delegates, cx.marks] as const;
  cx.yields = false;
  cx.delegates = false;
  cx.marks = false;
  try {
    cx.locals.within(() => {
      cx.locals.declare(f.params[0]);
      checkExpression(cx, f.body);
    });
  } finally {
    [cx.yields, cx.delegates, cx.marks] = outer;
  }
}
