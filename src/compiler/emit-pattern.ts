/**
 * Pass 3 (codegen), destructuring. A pattern becomes a comma list of simple assignments reading
 * through the runtime (`rt.destr` checks null/undefined with Node's message, `rt.aiter` makes an
 * iterable into an array, `rt.orest`/`rt.arest` build rest values). Used by declarations,
 * parameters, assignments and loop heads.
 *
 * An array pattern that is not plain names (a default, a nested pattern, a member target, a rest
 * after any of them) reads a generator or a user iterable one step per element, in statements
 * (IteratorBindingInitialization: step, then that element's default or nested pattern, then the next
 * step; IteratorClose when the pattern completes with the iterator not done, or when it throws):
 *
 *   $d = rt.depth(); $t = rt.aopen(src, text);
 *   try { a = ($x = rt.astep($t, 0), $x === void 0 ? f() : $x); …; r = rt.arestof($t, 2); }
 *   catch ($c) { let $e = rt.caught($c, $d); rt.aquit($t); throw rt.thr($e); }
 *   finally { rt.fin($d); rt.aend($t); }
 *
 * An array stays itself in `$t` (rt.astep reads its element `i`), so arrays pay no iterator. Where
 * only an expression fits (an assignment inside a larger expression), the same steps run inside an
 * arrow the runtime calls once, at once, between the same opening and closing (rt.apat, whose
 * try/catch/finally is the one above):
 *
 *   rt.apat(src, text, ($t) => (a = ($x = rt.astep($t, 0), $x === void 0 ? f() : $x), …))
 *
 * An arrow keeps `this`, `arguments` and the locals; it cannot hold a `yield` (an await in an async
 * function): such a pattern reads through `rt.aiter`, which aborts for a generator or a user iterable.
 */
import { locArgs, str, type Gen } from './emit-context.ts';
import { expr, memberKey, propertyKeyName, writeId } from './emit-expression.ts';
import type { N } from './nodes.ts';
import { readMember } from './plain-read.ts';

/** One piece of a pattern's code: an expression, or statements (a stepping array pattern) emitted by the function. */
export type Part = string | ((g: Gen) => void);

/**
 * Emits the parts as one expression statement when they are all expressions, else as statements in
 * order. `node` locates the first line.
 */
export function emitParts(g: Gen, parts: Part[], node?: N | null): void {
  if (parts.every((x) => typeof x === 'string')) {
    if (parts.length) g.line(`${parts.join(', ')};`, node);
    return;
  }
  let run: string[] = [];
  const flush = (): void => {
    if (run.length) g.line(`${run.join(', ')};`, node);
    run = [];
  };
  for (const x of parts) {
    if (typeof x === 'string') run.push(x);
    else {
      flush();
      x(g);
    }
  }
  flush();
}

/** The parts as one expression: only when `assignPattern` was told no statements fit. */
export function partsExpression(parts: Part[]): string {
  return parts.map((x) => {
    if (typeof x !== 'string') throw new Error('statements in an expression pattern');
    return x;
  }).join(', ');
}

/**
 * Appends to `parts` the expressions that store `src` (a temporary or an expression evaluated
 * exactly once here) into pattern `p`. `mode` 'init' initialises declared bindings directly;
 * 'assign' goes through the normal assignment rules (const, TDZ, member targets).
 * `text` is the source text of the value for Node's error messages, when known.
 */
export function assignPattern(g: Gen, p: N, src: string, mode: 'init' | 'assign', parts: Part[], text: string | null, nested = false, stmts = false): void {
  switch (p.type) {
    case 'Identifier': {
      if (mode === 'init') {
        const b = g.binding(p);
        if (b) {
          parts.push(`${b.js} = ${src}`);
          return;
        }
      }
      parts.push(writeId(g, p, src));
      return;
    }
    case 'MemberExpression':
      parts.push(`${g.put}(${expr(g, p.object)}, ${memberKey(g, p)}, ${src})`);
      return;
    case 'AssignmentPattern': {
      const t = g.temp();
      const hint = p.left.type === 'Identifier' ? (p.left.name as string) : undefined;
      // The value is read where the target reads it: after a member target's object and key, as Node does.
      assignPattern(g, p.left, `(${t} = ${src}, ${t} === void 0 ? ${expr(g, p.right, hint)} : ${t})`, mode, parts, defaultText(p, text), true, stmts);
      return;
    }
    case 'ObjectPattern': {
      const t = g.temp();
      const props = p.properties as N[];
      const first = props[0] && props[0].type !== 'RestElement' && !props[0].computed ? propertyKeyName(props[0].key) : null;
      // Node: a nested pattern reads the property (message "Cannot read properties of …"); the outermost one says "Cannot destructure …".
      const check = nested
        ? `rt.destrn(${src}, ${first === null ? 'null' : str(first)})`
        : `rt.destr(${src}, ${text === null ? 'null' : str(text)}, ${first === null ? (props.length === 0 ? '""' : 'null') : str(first)})`;
      parts.push(`${t} = ${check}`);
      const keys: string[] = [];
      for (const prop of props) {
        if (prop.type === 'RestElement') {
          assignPattern(g, prop.argument, `rt.orest(${t}, [${keys.join(', ')}])`, mode, parts, null, true, stmts);
          continue;
        }
        let key: string;
        if (prop.computed) {
          const k = g.temp();
          parts.push(`${k} = rt.key(${expr(g, prop.key)})`);
          key = k;
        } else {
          const name = propertyKeyName(prop.key);
          if (name === null) {
            parts.push(`rt.unsupported(${str(`syntax:${prop.key.type}`)}, ${locArgs(prop)})`);
            return;
          }
          key = str(name);
        }
        keys.push(key);
        assignPattern(g, prop.value, prop.computed ? `rt.get(${t}, ${key})` : readMember(g, t, key), mode, parts, null, true, stmts);
      }
      return;
    }
    case 'ArrayPattern': {
      const t = g.temp();
      // A pattern of plain names ending in a rest element takes every value, so a generator or another
      // iterable may be read to its end first: nothing the names receive can be seen in between.
      const els = p.elements as (N | null)[];
      const last = els[els.length - 1];
      const whole = last?.type === 'RestElement' && els.every((el) => el !== null && (el.type === 'Identifier' || (el.type === 'RestElement' && (el.argument as N).type === 'Identifier')));
      // Plain names and holes without a rest take that many values, then close the iterator.
      const counted = !whole && els.every((el) => el === null || el.type === 'Identifier');
      // A parameter's value, as an element's, Node names by what it is ('#value', rt.aiter).
      const srcText = text === null ? 'null' : text === '#param' ? '"#value"' : str(text);
      if (!whole && !counted && stmts) {
        steppingPattern(g, els, src, srcText, mode, parts);
        return;
      }
      if (!whole && !counted && !suspends(p)) {
        arrowPattern(g, els, src, srcText, mode, parts);
        return;
      }
      parts.push(`${t} = rt.aiter(${src}, ${srcText}${whole ? ', true' : counted ? `, ${els.length}` : ''})`);
      els.forEach((el, i) => {
        if (el === null) return;
        if (el.type === 'RestElement') assignPattern(g, el.argument, `rt.arest(${t}, ${i})`, mode, parts, null, true);
        else assignPattern(g, el, readMember(g, t, String(i)), mode, parts, '#value', true);
      });
      return;
    }
    case 'Unknown':
      parts.push(`rt.unknown(${locArgs(p)})`);
      return;
    default:
      parts.push(`rt.unsupported(${str(`pattern:${p.type}`)}, ${locArgs(p)})`);
  }
}

/**
 * The text Node's "is not iterable" names for an array pattern with a default: a parameter's is
 * described by its value ('#value'), as is an element's when the default is a literal; an element
 * whose default is a name, by that name. Under an object pattern V8 prints something else: null.
 */
function defaultText(p: N, text: string | null): string | null {
  if (p.left.type !== 'ArrayPattern' || text === null) return null;
  if (text === '#param') return '#value';
  const right = p.right as N;
  if (right.type === 'Identifier') return right.name as string;
  return right.type === 'NumericLiteral' || right.type === 'BooleanLiteral' || right.type === 'NullLiteral' ? '#value' : null;
}

/** An array pattern inside an expression, one step per element (the rt.apat form in this file's header). */
function arrowPattern(g: Gen, els: (N | null)[], src: string, srcText: string, mode: 'init' | 'assign', parts: Part[]): void {
  const t = g.temp();
  const inner: Part[] = [];
  els.forEach((el, i) => {
    if (el === null) inner.push(`rt.astep(${t}, ${i})`);
    else if (el.type === 'RestElement') assignPattern(g, el.argument, `rt.arestof(${t}, ${i})`, mode, inner, null, true);
    else assignPattern(g, el, `rt.astep(${t}, ${i})`, mode, inner, '#value', true);
  });
  parts.push(`rt.apat(${src}, ${srcText}, (${t}) => (${partsExpression(inner)}))`);
}

/** Node types whose body runs later: only a computed key of theirs is evaluated where they stand. */
const DEFERRED = /Function|Method|^Class(Private)?Property$|^StaticBlock$/;

/** Whether evaluating `n` may `yield` or `await` (which cannot move into an arrow). */
function suspends(n: unknown): boolean {
  if (typeof n !== 'object' || n === null) return false;
  if (Array.isArray(n)) return n.some(suspends);
  const node = n as N;
  if (typeof node.type !== 'string') return false;
  if (node.type === 'YieldExpression' || node.type === 'AwaitExpression') return true;
  if (DEFERRED.test(node.type)) return node.computed === true && suspends(node.key);
  for (const k of Object.keys(node)) {
    if (k === 'loc' || k === 'start' || k === 'end' || k === 'extra' || k.endsWith('Comments')) continue;
    if (suspends((node as Record<string, unknown>)[k])) return true;
  }
  return false;
}

/** An array pattern in statements, one step per element (the form in this file's header). */
function steppingPattern(g: Gen, els: (N | null)[], src: string, srcText: string, mode: 'init' | 'assign', parts: Part[]): void {
  const d = g.temp();
  const t = g.temp();
  const inner: Part[] = [];
  els.forEach((el, i) => {
    if (el === null) inner.push(`rt.astep(${t}, ${i})`);
    else if (el.type === 'RestElement') assignPattern(g, el.argument, `rt.arestof(${t}, ${i})`, mode, inner, null, true, true);
    else assignPattern(g, el, `rt.astep(${t}, ${i})`, mode, inner, '#value', true, true);
  });
  const c = `$c${++g.uniq}`;
  const e = `$e${g.uniq}`;
  parts.push(`${d} = rt.depth()`, `${t} = rt.aopen(${src}, ${srcText})`);
  parts.push((g2: Gen) => {
    g2.line('try {');
    g2.indent++;
    emitParts(g2, inner);
    g2.indent--;
    g2.line(`} catch (${c}) {`);
    g2.line(`  let ${e} = rt.caught(${c}, ${d});`);
    g2.line(`  rt.aquit(${t});`);
    g2.line(`  throw rt.thr(${e});`);
    g2.line('} finally {');
    g2.line(`  rt.fin(${d});`);
    g2.line(`  rt.aend(${t});`);
    g2.line('}');
  });
}
