/**
 * Pass 3 (codegen), statements. Control flow stays native (if, loops, switch, labels, break,
 * continue, return) with a fuel check `rt.tick()` first in every loop body; `throw` wraps the value
 * (`rt.thr`) so the runtime can tell user exceptions from its own aborts; `catch` starts with
 * `rt.caught`, which rethrows aborts, and `finally` with `rt.fin`, which rethrows once the request
 * aborted, so no user code runs after an abort.
 */
import { awaitExpression } from './emit-async.ts';
import { valueText } from './callee-text.ts';
import { locArgs, str, type Gen } from './emit-context.ts';
import { classDeclaration } from './emit-class.ts';
import { expr, update, writeId } from './emit-expression.ts';
import { emitHoisted } from './emit-function.ts';
import { switchDiscriminant } from './equality-guard.ts';
import { assignPattern, emitParts, type Part } from './emit-pattern.ts';
import type { N } from './nodes.ts';
import { patternNames } from './scope.ts';

export function emitStatements(g: Gen, stmts: N[]): void {
  for (const s of stmts) emitStatement(g, s);
}

function label(name: string): string {
  return `L_${name}`;
}

/** An expression in statement position: `x++` needs no old value. */
function exprStatement(g: Gen, e: N): string {
  if (e.type === 'UpdateExpression') return update(g, e, false);
  return expr(g, e);
}

function block(g: Gen, n: N, pre?: () => void): void {
  g.indent++;
  if (pre) pre();
  if (n.type === 'BlockStatement') {
    emitHoisted(g, g.scopes.scopes.get(n), n.body as N[]);
    emitStatements(g, n.body as N[]);
  } else emitStatement(g, n);
  g.indent--;
}

function loopBody(g: Gen, body: N, pre?: () => void): void {
  block(g, body, () => {
    g.line('rt.tick();');
    if (pre) pre();
  });
}

export function emitStatement(g: Gen, n: N): void {
  switch (n.type) {
    case 'ExpressionStatement': {
      const e = n.expression as N;
      if (e.type === 'AssignmentExpression' && e.operator === '=' && (e.left.type === 'ArrayPattern' || e.left.type === 'ObjectPattern')) {
        // In a statement an array pattern may step an iterator (emit-pattern.ts); the value is unused.
        const t = g.temp();
        const parts: Part[] = [`${t} = ${expr(g, e.right)}`];
        assignPattern(g, e.left as N, t, 'assign', parts, e.left.type === 'ArrayPattern' ? '#value' : valueText(e.right), false, true);
        emitParts(g, parts, n);
        return;
      }
      g.line(`${exprStatement(g, n.expression)};`, n);
      return;
    }
    case 'VariableDeclaration':
      declaration(g, n);
      return;
    case 'FunctionDeclaration':
      return; // hoisted by emitHoisted
    case 'EmptyStatement':
      return;
    case 'ReturnStatement':
      if (g.derivedCtor) g.line(`return rt.dret(${n.argument ? expr(g, n.argument) : 'void 0'}, ${g.receiver!.thisName});`, n);
      // An async generator's `return v` awaits v.
      else if (g.fn.async === true && g.fn.generator === true && n.argument) g.line(`return ${awaitExpression(expr(g, n.argument))};`, n);
      else g.line(n.argument ? `return ${expr(g, n.argument)};` : 'return;', n);
      return;
    case 'ClassDeclaration':
      return classDeclaration(g, n);
    case 'IfStatement':
      g.line(`if (${expr(g, n.test)}) {`, n);
      block(g, n.consequent);
      if (n.alternate) {
        g.line('} else {');
        block(g, n.alternate);
      }
      g.line('}');
      return;
    case 'BlockStatement':
      g.line('{', n);
      block(g, n);
      g.line('}');
      return;
    case 'WhileStatement':
      g.line(`while (${expr(g, n.test)}) {`, n);
      loopBody(g, n.body);
      g.line('}');
      return;
    case 'DoWhileStatement':
      g.line('do {', n);
      loopBody(g, n.body);
      g.line(`} while (${expr(g, n.test)});`, n.test);
      return;
    case 'ForStatement':
      forStatement(g, n);
      return;
    case 'ForOfStatement':
    case 'ForInStatement':
      forEach(g, n);
      return;
    case 'SwitchStatement':
      switchStatement(g, n);
      return;
    case 'LabeledStatement': {
      // The labels of a `for await` go on the loop it compiles to, not on the statements before it.
      const labels: string[] = [];
      let body: N = n;
      while (body.type === 'LabeledStatement') {
        labels.push(label(body.label.name as string));
        body = body.body;
      }
      if (body.type === 'ForOfStatement' && body.await) return forAwait(g, body, labels);
      g.line(`${label(n.label.name as string)}:`, n);
      emitStatement(g, n.body);
      return;
    }
    case 'BreakStatement':
      g.line(n.label ? `break ${label(n.label.name as string)};` : 'break;', n);
      return;
    case 'ContinueStatement':
      g.line(n.label ? `continue ${label(n.label.name as string)};` : 'continue;', n);
      return;
    case 'ThrowStatement':
      g.line(`throw rt.thr(${expr(g, n.argument)});`, n);
      return;
    case 'TryStatement':
      tryStatement(g, n);
      return;
    case 'Unknown':
      g.stats.unknown++;
      g.line(`rt.unknown(${locArgs(n)});`, n);
      return;
    case 'Unsupported':
      g.stats.unsupported++;
      g.line(`rt.unsupported(${str(String(n.what))}, ${locArgs(n)});`, n);
      return;
    default:
      g.stats.unsupported++;
      g.line(`rt.unsupported(${str(`syntax:${n.type}`)}, ${locArgs(n)});`, n);
  }
}

function declaration(g: Gen, n: N): void {
  const kind = n.kind as string;
  for (const d of n.declarations as N[]) {
    const id = d.id as N;
    if (id.type === 'Identifier') {
      const b = g.binding(id)!;
      const hint = id.name as string;
      if (kind === 'var') {
        if (d.init) g.line(`${b.js} = ${expr(g, d.init, hint)};`, d);
      } else if (b.tdz) g.line(`${b.js} = ${d.init ? expr(g, d.init, hint) : 'void 0'};`, d);
      else g.line(`let ${b.js} = ${d.init ? expr(g, d.init, hint) : 'void 0'};`, d);
      continue;
    }
    if (!d.init) {
      g.line(`rt.unsupported("pattern-without-init", ${locArgs(d)});`, d);
      continue;
    }
    if (kind !== 'var') {
      const fresh = patternNames(id).map((x) => g.binding(x)!).filter((b) => !b.tdz);
      if (fresh.length) g.line(`let ${fresh.map((b) => b.js).join(', ')};`);
    }
    const t = g.temp();
    const parts: Part[] = [`${t} = ${expr(g, d.init)}`];
    assignPattern(g, id, t, 'init', parts, valueText(d.init), false, true);
    emitParts(g, parts, d);
  }
}

function forStatement(g: Gen, n: N): void {
  let init = '';
  const i = n.init as N | null;
  if (i && i.type === 'VariableDeclaration') {
    const ds = i.declarations as N[];
    if (ds.some((d) => d.id.type !== 'Identifier' || (i.kind !== 'var' && g.binding(d.id)!.tdz))) {
      g.line(`rt.unsupported("for-head-pattern", ${locArgs(i)});`, i);
      return;
    }
    if (i.kind === 'var') {
      const sets = ds.filter((d) => d.init).map((d) => `${g.binding(d.id)!.js} = ${expr(g, d.init, d.id.name as string)}`);
      init = sets.join(', ');
    } else {
      init = `let ${ds.map((d) => `${g.binding(d.id)!.js} = ${d.init ? expr(g, d.init, d.id.name as string) : 'void 0'}`).join(', ')}`;
    }
  } else if (i) init = exprStatement(g, i);
  const test = n.test ? expr(g, n.test) : '';
  const upd = n.update ? exprStatement(g, n.update) : '';
  g.line(`for (${init}; ${test}; ${upd}) {`, n);
  loopBody(g, n.body);
  g.line('}');
}

function forEach(g: Gen, n: N): void {
  if (n.await) return forAwait(g, n, []);
  const v = `$i${++g.uniq}`;
  const text = valueText(n.right);
  const src = n.type === 'ForOfStatement' ? `rt.iter(${expr(g, n.right)}, ${text === null ? 'null' : str(text)})` : `rt.keys(${expr(g, n.right)})`;
  g.line(`for (let ${v} of ${src}) {`, n);
  loopBody(g, n.body, () => bindLeft(g, n.left as N, v));
  g.line('}');
}

/** The loop variable(s) of a for…of or for…in head, from the value named `v`. */
function bindLeft(g: Gen, left: N, v: string): void {
  if (left.type === 'VariableDeclaration') {
    const d = (left.declarations as N[])[0]!;
    if (d.id.type === 'Identifier') {
      const b = g.binding(d.id)!;
      g.line(left.kind === 'var' ? `${b.js} = ${v};` : `let ${b.js} = ${v};`);
    } else {
      if (left.kind !== 'var') g.line(`let ${patternNames(d.id).map((x) => g.binding(x)!.js).join(', ')};`);
      const parts: Part[] = [];
      assignPattern(g, d.id, v, 'init', parts, null, false, true);
      emitParts(g, parts, d);
    }
  } else if (left.type === 'Identifier') {
    g.line(`${writeId(g, left, v)};`, left);
  } else {
    const parts: Part[] = [];
    assignPattern(g, left, v, 'assign', parts, null, false, true);
    emitParts(g, parts, left);
  }
}

/**
 * `for await` in an async function's body, where `yield` is Await: the form and the operations of
 * src/accelerator/async-iteration.ts. A throw out of the body closes the iterator and keeps its own
 * error; a break, continue to an outer loop or return closes it in `finally` and checks the result.
 */
function forAwait(g: Gen, n: N, labels: string[]): void {
  if (g.fn.async !== true) {
    g.line(`rt.unsupported("for-await", ${locArgs(n)});`, n);
    return;
  }
  const a = g.temp();
  const d = g.temp();
  const d2 = g.temp();
  const text = valueText(n.right);
  g.line(`${a} = rt.afor(${expr(g, n.right)}, ${text === null ? 'null' : str(text)});`, n);
  g.line(`${d} = rt.depth();`);
  g.line('try {');
  g.indent++;
  g.line(`${labels.map((l) => `${l}: `).join('')}for (;;) {`);
  const v = `$i${++g.uniq}`;
  loopBody(g, n.body, () => {
    g.line(`if (rt.adone(${a}, (yield rt.anext(${a})))) {`);
    g.line('  break;');
    g.line('}');
    g.line(`let ${v} = rt.avalue(${a});`);
    bindLeft(g, n.left as N, v);
  });
  g.line('}');
  g.indent--;
  const c = `$c${++g.uniq}`;
  const x = `$x${g.uniq}`;
  const c2 = `$c${++g.uniq}`;
  g.line(`} catch (${c}) {`);
  g.indent++;
  g.line(`let ${x} = rt.caught(${c}, ${d});`);
  g.line(`if (rt.acloses(${a}, true)) {`);
  g.indent++;
  g.line(`${d2} = rt.depth();`);
  g.line('try {');
  g.line(`  (yield rt.aclose(${a}));`);
  g.line(`} catch (${c2}) {`);
  g.line(`  rt.caught(${c2}, ${d2});`);
  g.line('}');
  g.indent--;
  g.line('}');
  g.line(`throw rt.thr(${x});`);
  g.indent--;
  g.line('} finally {');
  g.indent++;
  g.line(`rt.fin(${d});`);
  g.line(`if (rt.acloses(${a}, false)) {`);
  g.line(`  rt.achk((yield rt.aclose(${a})));`);
  g.line('}');
  g.indent--;
  g.line('}');
}

function switchStatement(g: Gen, n: N): void {
  const scope = g.scopes.scopes.get(n);
  g.line('{', n);
  g.indent++;
  emitHoisted(g, scope, (n.cases as N[]).flatMap((c) => (c.type === 'SwitchCase' ? (c.consequent as N[]) : [])));
  const tests = (n.cases as N[]).flatMap((c) => (c.type === 'SwitchCase' && c.test ? [c.test as N] : []));
  g.line(`switch (${switchDiscriminant(g, expr(g, n.discriminant), tests)}) {`, n);
  g.indent++;
  for (const c of n.cases as N[]) {
    if (c.type !== 'SwitchCase') {
      // A case no request reached, replaced whole: abort whenever matching gets to it.
      g.line(`case rt.unknown(${locArgs(c)}):`, c);
      continue;
    }
    g.line(c.test ? `case ${expr(g, c.test)}:` : 'default:', c);
    g.indent++;
    emitStatements(g, c.consequent as N[]);
    g.indent--;
  }
  g.indent--;
  g.line('}');
  g.indent--;
  g.line('}');
}

function tryStatement(g: Gen, n: N): void {
  const d = g.temp();
  g.line(`${d} = rt.depth();`, n);
  g.line('try {');
  block(g, n.block);
  const h = n.handler as N | null;
  if (h) {
    const c = `$c${++g.uniq}`;
    if (h.type === 'CatchClause') {
      const param = h.param as N | null;
      g.line(`} catch (${c}) {`, h);
      g.indent++;
      if (!param) g.line(`rt.caught(${c}, ${d});`);
      else if (param.type === 'Identifier') g.line(`let ${g.binding(param)!.js} = rt.caught(${c}, ${d});`);
      else {
        // The validator wants rt.caught first; the pattern's bindings come right after.
        const t = `$e${g.uniq}`;
        g.line(`let ${t} = rt.caught(${c}, ${d});`);
        g.line(`let ${patternNames(param).map((x) => g.binding(x)!.js).join(', ')};`);
        const parts: Part[] = [];
        assignPattern(g, param, t, 'init', parts, null, false, true);
        emitParts(g, parts);
      }
      g.indent--;
      block(g, h.body);
    } else {
      g.line(`} catch (${c}) {`, h);
      g.indent++;
      g.line(`rt.caught(${c}, ${d});`);
      emitStatement(g, h);
      g.indent--;
    }
  }
  if (n.finalizer) {
    g.line('} finally {', n.finalizer);
    block(g, n.finalizer, () => g.line(`rt.fin(${d});`));
  }
  g.line('}');
}
