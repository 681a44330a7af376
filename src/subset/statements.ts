/**
 * Stmt of docs/compiled-code.md: `let` declarations, expression statements, blocks, `if` with block
 * arms, loops whose body starts with the fuel check `rt.tick()`, `for (let x of rt.iter(…))`, `switch`,
 * labels, `break`/`continue`, `return`, `throw rt.thr(…)`, and `try` whose `catch` starts with
 * `rt.caught` and whose `finally` starts with `rt.fin`. No `var`, `const`, destructuring, function
 * or class declarations, `with`, `for-in`, `debugger`.
 */
import type { BlockStatement, CatchClause, ForOfStatement, ForStatement, Statement, SwitchStatement, TryStatement } from 'acorn';
import type { Checker } from './checker.ts';
import { fail } from './errors.ts';
import { checkExpression } from './expressions.ts';
import { FORBIDDEN_NAMES } from './locals.ts';
import { mentions } from './mentions.ts';
import { isNamed, isRtCall } from './shapes.ts';

/** A block's statements, its `let` names declared first. */
export function checkStatements(cx: Checker, stmts: readonly Statement[]): void {
  cx.locals.hoist(stmts);
  for (const s of stmts) statement(cx, s);
}

function statement(cx: Checker, s: Statement): void {
  switch (s.type) {
    case 'ExpressionStatement':
      if (s.directive) fail(s, 'unexpected directive');
      checkExpression(cx, s.expression);
      return;
    case 'VariableDeclaration':
      if (s.kind !== 'let') fail(s, 'only let declarations');
      for (const d of s.declarations) {
        if (d.id.type !== 'Identifier') fail(d, 'only simple declarations');
        if (d.init) checkExpression(cx, d.init);
      }
      return;
    case 'IfStatement':
      checkExpression(cx, s.test);
      block(cx, s.consequent);
      if (s.alternate) block(cx, s.alternate);
      return;
    case 'BlockStatement':
      cx.locals.within(() => checkStatements(cx, s.body));
      return;
    case 'WhileStatement':
      checkExpression(cx, s.test);
      loopBody(cx, s.body);
      return;
    case 'DoWhileStatement':
      loopBody(cx, s.body);
      checkExpression(cx, s.test);
      return;
    case 'ForStatement':
      forStatement(cx, s);
      return;
    case 'ForOfStatement':
      forOfStatement(cx, s);
      return;
    case 'ReturnStatement':
      if (s.argument) checkExpression(cx, s.argument);
      return;
    case 'ThrowStatement':
      if (!isRtCall(s.argument, 'thr')) fail(s, 'throw must throw rt.thr(…)');
      checkExpression(cx, s.argument);
      return;
    case 'TryStatement':
      tryStatement(cx, s);
      return;
    case 'SwitchStatement':
      switchStatement(cx, s);
      return;
    case 'LabeledStatement':
      statement(cx, s.body);
      return;
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'EmptyStatement':
      return;
    default:
      fail(s, `statement ${s.type} not allowed`);
  }
}

/**
 * A block in its own scope. `prologue` checks the statements a block must start with (a loop's fuel
 * check, a catch's `rt.caught`, a finally's `rt.fin`) before the block's names are declared, and
 * returns the statements after them.
 */
function block(cx: Checker, b: Statement, prologue: (stmts: Statement[]) => Statement[] = (stmts) => stmts): void {
  if (b.type !== 'BlockStatement') fail(b, 'expected a block');
  cx.locals.within(() => checkStatements(cx, prologue(b.body)));
}

/** `{ rt.tick(); … }`: fuel on every back edge. */
function loopBody(cx: Checker, b: Statement): void {
  block(cx, b, (stmts) => {
    const t = stmts[0];
    if (!t || t.type !== 'ExpressionStatement' || !isRtCall(t.expression, 'tick') || t.expression.arguments.length !== 0) fail(b, 'loop body must start with rt.tick()');
    return stmts.slice(1);
  });
}

function forStatement(cx: Checker, s: ForStatement): void {
  cx.locals.within(() => {
    if (s.init) {
      if (s.init.type === 'VariableDeclaration') {
        cx.locals.hoist([s.init]);
        statement(cx, s.init);
      } else checkExpression(cx, s.init);
    }
    if (s.test) checkExpression(cx, s.test);
    if (s.update) checkExpression(cx, s.update);
    loopBody(cx, s.body);
  });
}

/** `for (let x of rt.iter(…))` or `rt.keys(…)`: the runtime decides what is iterated, and charges for it. */
function forOfStatement(cx: Checker, s: ForOfStatement): void {
  if (s.await) fail(s, 'for await');
  const l = s.left;
  if (l.type !== 'VariableDeclaration' || l.kind !== 'let' || l.declarations.length !== 1 || l.declarations[0].init || l.declarations[0].id.type !== 'Identifier') fail(s, 'for-of head must be `let x`');
  if (!isRtCall(s.right, 'iter') && !isRtCall(s.right, 'keys')) fail(s.right, 'for-of must iterate rt.iter(…) or rt.keys(…)');
  checkExpression(cx, s.right);
  cx.locals.within(() => {
    cx.locals.declare(l.declarations[0].id);
    loopBody(cx, s.body);
  });
}

function tryStatement(cx: Checker, s: TryStatement): void {
  block(cx, s.block);
  if (s.handler) catchClause(cx, s.handler);
  if (s.finalizer) finallyBlock(cx, s.finalizer);
}

/**
 * `catch (p) { rt.caught(p, depth); … }` or `catch (p) { let x = rt.caught(p, depth); … }`. The raw
 * caught value may be a host object (an abort, a host error): it is used exactly once, as
 * rt.caught's first argument, which gives back only user exceptions. `p` is a name a local may
 * have: a parameter named `rt` would make `rt.caught` a method of the caught value.
 */
function catchClause(cx: Checker, handler: CatchClause): void {
  const p = handler.param;
  if (!p || p.type !== 'Identifier') fail(handler, 'catch needs a parameter');
  if (FORBIDDEN_NAMES.has(p.name)) fail(p, `cannot declare ${p.name}`);
  block(cx, handler.body, (stmts) => {
    const f = stmts[0];
    const caught = f?.type === 'ExpressionStatement' ? f.expression : f?.type === 'VariableDeclaration' && f.kind === 'let' && f.declarations.length === 1 ? f.declarations[0].init : null;
    if (!isRtCall(caught, 'caught') || caught.arguments.length !== 2 || !isNamed(caught.arguments[0], p.name)) fail(handler, 'catch must start with rt.caught(param, depth)');
    const depth = caught.arguments[1];
    if (mentions([depth], p.name)) fail(handler, 'catch parameter used outside rt.caught');
    checkExpression(cx, depth);
    if (f.type === 'VariableDeclaration') cx.locals.declare(f.declarations[0].id);
    const rest = stmts.slice(1);
    if (mentions(rest, p.name)) fail(handler, 'catch parameter used outside rt.caught');
    return rest;
  });
}

/** `finally { rt.fin(depth); … }`. */
function finallyBlock(cx: Checker, finalizer: BlockStatement): void {
  block(cx, finalizer, (stmts) => {
    const f = stmts[0];
    if (!f || f.type !== 'ExpressionStatement' || !isRtCall(f.expression, 'fin')) fail(finalizer, 'finally must start with rt.fin(depth)');
    checkExpression(cx, f.expression);
    return stmts.slice(1);
  });
}

/** The cases share one scope: every case's `let` names are declared before any case is checked. */
function switchStatement(cx: Checker, s: SwitchStatement): void {
  checkExpression(cx, s.discriminant);
  cx.locals.within(() => {
    for (const c of s.cases) cx.locals.hoist(c.consequent);
    for (const c of s.cases) {
      if (c.test) checkExpression(cx, c.test);
      for (const x of c.consequent) statement(cx, x);
    }
  });
}
