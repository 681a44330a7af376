/**
 * The validator (DESIGN invariant 1): parses generated code with acorn (not the compiler's Babel, on
 * purpose) and accepts only the grammar of docs/compiled-code.md. It knows nothing of the compiler;
 * it checks shapes. Anything it does not positively recognise is rejected. Small on purpose: read
 * it whole before trusting it.
 */
import { parse } from 'acorn';
import { RT_OPS } from './rt-ops.ts';
import { INHERITED_NAMES } from './plain-read.ts';

export class ValidationError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(`${message} at ${line}:${column}`);
    this.name = 'ValidationError';
  }
}

type A = any;

const OPS = new Set(RT_OPS);
const BINARY = new Set(['===', '!==', '+', '-', '*', '/', '%', '**', '<', '>', '<=', '>=', '&', '|', '^', '<<', '>>', '>>>']);
const LOGICAL = new Set(['&&', '||', '??']);
const FORBIDDEN_NAMES = new Set(['rt', 'eval', 'arguments', 'undefined', 'NaN', 'Infinity', 'globalThis', 'this']);

class Scope {
  readonly names = new Set<string>();
  constructor(readonly parent: Scope | null) {}
  has(n: string): boolean {
    return this.names.has(n) || (this.parent !== null && this.parent.has(n));
  }
}

export function validate(code: string): void {
  let ast: A;
  try {
    ast = parse(code, { ecmaVersion: 2022, sourceType: 'script', locations: true, allowReturnOutsideFunction: false });
  } catch (e) {
    const err = e as { message: string; loc?: { line: number; column: number } };
    throw new ValidationError(`does not parse: ${err.message}`, err.loc?.line ?? 0, err.loc?.column ?? 0);
  }
  const fail = (n: A, why: string): never => {
    throw new ValidationError(why, n?.loc?.start.line ?? 0, n?.loc?.start.column ?? 0);
  };

  // Program: exactly `(function (rt) { "use strict"; … })`.
  if (ast.body.length !== 1 || ast.body[0].type !== 'ExpressionStatement') fail(ast, 'program must be one function expression');
  const top = ast.body[0].expression;
  if (top.type !== 'FunctionExpression' || top.id || top.async || top.generator || top.params.length !== 1 || top.params[0].type !== 'Identifier' || top.params[0].name !== 'rt') {
    fail(top, 'program must be `(function (rt) { … })`');
  }
  const body = top.body.body as A[];
  const first = body[0];
  if (!first || first.type !== 'ExpressionStatement' || first.directive !== 'use strict') fail(top, 'program must start with "use strict"');

  let scope = new Scope(null);
  const isRtCall = (n: A, name?: string): boolean =>
    n && n.type === 'CallExpression' && !n.optional && n.callee.type === 'MemberExpression' && !n.callee.computed && !n.callee.optional &&
    n.callee.object.type === 'Identifier' && n.callee.object.name === 'rt' && n.callee.property.type === 'Identifier' &&
    (name === undefined ? OPS.has(n.callee.property.name) : n.callee.property.name === name);

  function declare(id: A): void {
    if (id.type !== 'Identifier') fail(id, 'only identifiers can be declared');
    if (FORBIDDEN_NAMES.has(id.name)) fail(id, `cannot declare ${id.name}`);
    scope.names.add(id.name);
  }

  /** Pre-declares a block's `let`/`const` names (they are visible in the whole block). */
  function hoist(stmts: A[]): void {
    for (const s of stmts) if (s.type === 'VariableDeclaration') for (const d of s.declarations) declare(d.id);
  }

  function withScope(f: () => void): void {
    scope = new Scope(scope);
    try {
      f();
    } finally {
      scope = scope.parent!;
    }
  }

  function statements(stmts: A[]): void {
    hoist(stmts);
    for (const s of stmts) statement(s);
  }

  function blockWith(b: A, pre: (stmts: A[]) => A[]): void {
    if (b.type !== 'BlockStatement') fail(b, 'expected a block');
    withScope(() => statements(pre(b.body)));
  }

  function loopBody(b: A): void {
    blockWith(b, (stmts) => {
      const t = stmts[0];
      if (!t || t.type !== 'ExpressionStatement' || !isRtCall(t.expression, 'tick') || t.expression.arguments.length !== 0) fail(b, 'loop body must start with rt.tick()');
      return stmts.slice(1);
    });
  }

  function statement(s: A): void {
    switch (s.type) {
      case 'ExpressionStatement':
        if (s.directive) fail(s, 'unexpected directive');
        expression(s.expression);
        return;
      case 'VariableDeclaration':
        if (s.kind !== 'let') fail(s, 'only let declarations');
        for (const d of s.declarations) {
          if (d.id.type !== 'Identifier') fail(d, 'only simple declarations');
          if (d.init) expression(d.init);
        }
        return;
      case 'IfStatement':
        expression(s.test);
        blockWith(s.consequent, (x) => x);
        if (s.alternate) blockWith(s.alternate, (x) => x);
        return;
      case 'BlockStatement':
        withScope(() => statements(s.body));
        return;
      case 'WhileStatement':
        expression(s.test);
        loopBody(s.body);
        return;
      case 'DoWhileStatement':
        loopBody(s.body);
        expression(s.test);
        return;
      case 'ForStatement':
        withScope(() => {
          if (s.init) {
            if (s.init.type === 'VariableDeclaration') {
              hoist([s.init]);
              statement(s.init);
            }
            else expression(s.init);
          }
          if (s.test) expression(s.test);
          if (s.update) expression(s.update);
          loopBody(s.body);
        });
        return;
      case 'ForOfStatement': {
        if (s.await) fail(s, 'for await');
        const l = s.left;
        if (l.type !== 'VariableDeclaration' || l.kind !== 'let' || l.declarations.length !== 1 || l.declarations[0].init || l.declarations[0].id.type !== 'Identifier') fail(s, 'for-of head must be `let x`');
        if (!isRtCall(s.right, 'iter') && !isRtCall(s.right, 'keys')) fail(s.right, 'for-of must iterate rt.iter(…) or rt.keys(…)');
        expression(s.right);
        withScope(() => {
          declare(l.declarations[0].id);
          loopBody(s.body);
        });
        return;
      }
      case 'ReturnStatement':
        if (s.argument) expression(s.argument);
        return;
      case 'ThrowStatement':
        if (!isRtCall(s.argument, 'thr')) fail(s, 'throw must throw rt.thr(…)');
        expression(s.argument);
        return;
      case 'TryStatement':
        blockWith(s.block, (x) => x);
        if (s.handler) {
          const p = s.handler.param;
          if (!p || p.type !== 'Identifier') fail(s.handler, 'catch needs a parameter');
          // The raw caught value may be a host object: it is used exactly once, as rt.caught's argument.
          blockWith(s.handler.body, (stmts) => {
            const f = stmts[0];
            const call = f?.type === 'ExpressionStatement' ? f.expression : f?.type === 'VariableDeclaration' && f.declarations.length === 1 ? f.declarations[0].init : null;
            if (!isRtCall(call, 'caught') || call.arguments.length !== 2 || call.arguments[0].type !== 'Identifier' || call.arguments[0].name !== p.name) {
              fail(s.handler, 'catch must start with rt.caught(param, depth)');
            }
            expression(call.arguments[1]);
            if (f.type === 'VariableDeclaration') declare(f.declarations[0].id);
            const rest = stmts.slice(1);
            if (mentions(rest, p.name)) fail(s.handler, 'catch parameter used outside rt.caught');
            return rest;
          });
        }
        if (s.finalizer) {
          blockWith(s.finalizer, (stmts) => {
            const f = stmts[0];
            if (!f || f.type !== 'ExpressionStatement' || !isRtCall(f.expression, 'fin')) fail(s.finalizer, 'finally must start with rt.fin(depth)');
            expression(f.expression);
            return stmts.slice(1);
          });
        }
        return;
      case 'SwitchStatement':
        expression(s.discriminant);
        withScope(() => {
          for (const c of s.cases) hoist(c.consequent);
          for (const c of s.cases) {
            if (c.test) expression(c.test);
            for (const x of c.consequent) statement(x);
          }
        });
        return;
      case 'LabeledStatement':
        statement(s.body);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'EmptyStatement':
        return;
      default:
        fail(s, `statement ${s.type} not allowed`);
    }
  }

  function mentions(nodes: A, name: string): boolean {
    let found = false;
    const walk = (n: A): void => {
      if (found || !n || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(walk);
      if (n.type === 'Identifier' && n.name === name) found = true;
      for (const k of Object.keys(n)) if (k !== 'loc') walk(n[k]);
    };
    walk(nodes);
    return found;
  }

  function fnExpr(f: A): void {
    if (f.type !== 'FunctionExpression' || f.id || f.async || f.generator) fail(f, 'expected a plain anonymous function expression');
    withScope(() => {
      f.params.forEach((p: A, i: number) => {
        if (p.type === 'RestElement' && i === f.params.length - 1) declare(p.argument);
        else declare(p);
      });
      statements(f.body.body);
    });
  }

  function literal(n: A): void {
    if (n.regex || n.bigint !== undefined) fail(n, 'regex and bigint literals are not allowed');
    const v = n.value;
    if (!(v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) fail(n, 'bad literal');
  }

  /** Whether a conditional's test is the guard of a plain read, `L != null && (L.name, rt.po(L))`. */
  function isPlainGuard(t: A): boolean {
    return t.type === 'LogicalExpression' && t.operator === '&&' && t.right.type === 'SequenceExpression' && isRtCall(t.right.expressions[t.right.expressions.length - 1], 'po');
  }

  /**
   * `(L != null && (L.name, rt.po(L)) ? L.name : rt.get(L, "name"))`, the one named native member
   * access (plain-read.ts): L a local, the same in every place (nothing runs between the guard and the
   * reads), the same `name` in both reads, `name` no name of Object.prototype.
   */
  function plainRead(e: A): void {
    const nn = e.test.left;
    const seq = e.test.right.expressions as A[];
    const l = nn.left;
    if (nn.type !== 'BinaryExpression' || nn.operator !== '!=' || l.type !== 'Identifier' || nn.right.type !== 'Literal' || nn.right.value !== null || nn.right.raw !== 'null') {
      fail(e, 'a plain read starts with `x != null`');
    }
    const args = seq[1]?.arguments as A[];
    if (seq.length !== 2 || args.length !== 1 || args[0].type !== 'Identifier' || args[0].name !== l.name) fail(e, 'a plain read is guarded by `(x.name, rt.po(x))`');
    const m = e.consequent;
    if (m.type !== 'MemberExpression' || m.computed || m.optional || m.object.type !== 'Identifier' || m.object.name !== l.name || m.property.type !== 'Identifier') {
      fail(e, 'a plain read is `x != null && (x.name, rt.po(x)) ? x.name : rt.get(x, "name")`');
    }
    const name = m.property.name as string;
    const first = seq[0];
    if (first.type !== 'MemberExpression' || first.computed || first.optional || first.object.type !== 'Identifier' || first.object.name !== l.name ||
      first.property.type !== 'Identifier' || first.property.name !== name) {
      fail(e, 'a plain read reads the same name before its guard');
    }
    if (INHERITED_NAMES.has(name)) fail(m, `${name} is inherited from Object.prototype`);
    const alt = e.alternate;
    if (!isRtCall(alt, 'get') || alt.arguments.length !== 2 || alt.arguments[0].type !== 'Identifier' || alt.arguments[0].name !== l.name || alt.arguments[1].type !== 'Literal' || alt.arguments[1].value !== name) {
      fail(e, 'a plain read falls back to rt.get(x, "name")');
    }
    expression(l);
  }

  /**
   * `(typeof L === "object" && L !== null && typeof K === "number" ? L[K] : rt.get(L, K))` with L and K
   * locals, or `(typeof L === "object" && L !== null ? L[n] : rt.get(L, n))` with n an integer literal:
   * a number key of an object; or `(rt.ia(L) ? L.length : rt.get(L, "length"))`; with a local key, the fallback may first be
   * `rt.pk(L, K) ? L[K] : rt.get(L, K)` (plain-read.ts).
   */
  function indexRead(e: A): void {
    const literal = objectGuard(e.test) !== null || isRtCall(e.test, 'ia');
    const guard = literal ? e.test : e.test.left;
    const obj = objectGuard(guard);
    const l = obj ?? guard.arguments[0];
    if (obj === null && (guard.arguments.length !== 1 || l.type !== 'Identifier')) fail(e, 'rt.ia(local) guards an index read');
    const m = e.consequent;
    if (m.type !== 'MemberExpression' || m.optional || m.object.type !== 'Identifier' || m.object.name !== l.name) fail(e, 'an index read is `rt.ia(x) … ? x[k] : rt.get(x, k)`');
    if (!m.computed) {
      // `rt.ia(x) ? x.length : rt.get(x, "length")`
      const alt = e.alternate;
      if (!literal || obj !== null || m.property.type !== 'Identifier' || m.property.name !== 'length' || !isRtCall(alt, 'get') || alt.arguments.length !== 2 ||
        alt.arguments[0].type !== 'Identifier' || alt.arguments[0].name !== l.name || alt.arguments[1].type !== 'Literal' || alt.arguments[1].value !== 'length') {
        fail(e, 'the only named read of an array is `rt.ia(x) ? x.length : rt.get(x, "length")`');
      }
      return expression(l);
    }
    const k = m.property;
    // Elements are read under the object check (plain-read.ts), `length` only under rt.ia.
    if (obj === null) fail(e, 'an element read is guarded by `typeof x === "object" && x !== null`');
    if (literal) {
      if (k.type !== 'Literal' || typeof k.value !== 'number' || !Number.isInteger(k.value) || k.value < 0) fail(e, 'an unchecked index must be an integer literal');
    } else {
      const t = e.test.right;
      if (k.type !== 'Identifier' || t.type !== 'BinaryExpression' || t.operator !== '===' || t.left.type !== 'UnaryExpression' || t.left.operator !== 'typeof' ||
        t.left.argument.type !== 'Identifier' || t.left.argument.name !== k.name || t.right.type !== 'Literal' || t.right.value !== 'number') {
        fail(e, 'an index read checks `typeof k === "number"` of its key');
      }
      expression(k);
    }
    let alt = e.alternate;
    if (!literal && alt.type === 'ConditionalExpression') {
      // `rt.pk(x, k) ? x[k] : rt.get(x, k)`: an own property of a plain object (plain-read.ts).
      const g = alt.test;
      const r = alt.consequent;
      if (!isRtCall(g, 'pk') || g.arguments.length !== 2 || g.arguments[0].type !== 'Identifier' || g.arguments[0].name !== l.name ||
        g.arguments[1].type !== 'Identifier' || g.arguments[1].name !== k.name ||
        r.type !== 'MemberExpression' || !r.computed || r.optional || r.object.type !== 'Identifier' || r.object.name !== l.name || r.property.type !== 'Identifier' || r.property.name !== k.name) {
        fail(alt, 'a keyed read is `rt.pk(x, k) ? x[k] : rt.get(x, k)`');
      }
      alt = alt.alternate;
    }
    const a = alt.arguments;
    if (!isRtCall(alt, 'get') || a.length !== 2 || a[0].type !== 'Identifier' || a[0].name !== l.name || a[1].type !== k.type || (literal ? a[1].value !== k.value : a[1].name !== k.name)) {
      fail(e, 'an index read falls back to rt.get(x, k)');
    }
    expression(l);
  }

  /** `typeof L === "string"` with L an identifier: L, else null. */
  function stringGuard(t: A): A | null {
    if (t.type !== 'BinaryExpression' || t.operator !== '===' || t.left.type !== 'UnaryExpression' || t.left.operator !== 'typeof' ||
      t.left.argument.type !== 'Identifier' || t.right.type !== 'Literal' || t.right.value !== 'string') return null;
    return t.left.argument;
  }

  /**
   * `(typeof L === "string" ? rt.seq(L, R) : L === R)`, or `!rt.seq(L, R)` and `L !== R`, with L and R
   * locals, the same in every place (equality-guard.ts): strict equality whose string case rt charges.
   */
  function strictEquality(e: A): void {
    const l = stringGuard(e.test)!;
    const alt = e.alternate;
    if (alt.type !== 'BinaryExpression' || (alt.operator !== '===' && alt.operator !== '!==') || alt.left.type !== 'Identifier' || alt.left.name !== l.name ||
      alt.right.type !== 'Identifier') {
      fail(e, 'a string check guards `x === y` or `x !== y` of locals');
    }
    const r = alt.right;
    let seq = e.consequent;
    if (alt.operator === '!==') {
      if (seq.type !== 'UnaryExpression' || seq.operator !== '!') fail(e, '`x !== y` is guarded by `!rt.seq(x, y)`');
      seq = seq.argument;
    }
    if (!isRtCall(seq, 'seq') || seq.arguments.length !== 2 || seq.arguments[0].type !== 'Identifier' || seq.arguments[0].name !== l.name ||
      seq.arguments[1].type !== 'Identifier' || seq.arguments[1].name !== r.name) {
      fail(e, 'a string check leads to rt.seq(x, y) of the same locals');
    }
    expression(l);
    expression(r);
  }

  /** `typeof L === "object" && L !== null` with L a local, the same in both places: L, else null. */
  function objectGuard(t: A): A | null {
    if (t.type !== 'LogicalExpression' || t.operator !== '&&') return null;
    const a = t.left;
    const b = t.right;
    if (a.type !== 'BinaryExpression' || a.operator !== '===' || a.left.type !== 'UnaryExpression' || a.left.operator !== 'typeof' ||
      a.left.argument.type !== 'Identifier' || a.right.type !== 'Literal' || a.right.value !== 'object') return null;
    const l = a.left.argument;
    if (b.type !== 'BinaryExpression' || b.operator !== '!==' || b.left.type !== 'Identifier' || b.left.name !== l.name ||
      b.right.type !== 'Literal' || b.right.value !== null || b.right.raw !== 'null') return null;
    return l;
  }

  function expression(e: A): void {
    switch (e.type) {
      case 'Identifier':
        if (!scope.has(e.name) || FORBIDDEN_NAMES.has(e.name)) fail(e, `free identifier ${e.name}`);
        return;
      case 'Literal':
        literal(e);
        return;
      case 'UnaryExpression':
        if (e.operator === 'typeof') fail(e, 'typeof only as `typeof local === "number"` (or in the guards of native reads and equality)');
        if (e.operator === 'void') {
          if (e.argument.type !== 'Literal' || e.argument.value !== 0) fail(e, 'only `void 0`');
          return;
        }
        if (!['!', '-', '~'].includes(e.operator)) fail(e, `unary ${e.operator} not allowed`);
        expression(e.argument);
        return;
      case 'BinaryExpression':
        if (e.operator === '===' && e.left.type === 'UnaryExpression' && e.left.operator === 'typeof') {
          // The inline number check of number-guard.ts; typeof calls nothing, whatever the value.
          if (e.left.argument.type !== 'Identifier' || e.right.type !== 'Literal' || e.right.value !== 'number') fail(e, 'typeof only as `typeof local === "number"`');
          expression(e.left.argument);
          return;
        }
        if (e.operator === '==' || e.operator === '!=') {
          if (e.right.type !== 'Literal' || e.right.value !== null) fail(e, '== only against null');
        } else if (!BINARY.has(e.operator)) fail(e, `operator ${e.operator} not allowed`);
        expression(e.left);
        expression(e.right);
        return;
      case 'LogicalExpression':
        if (!LOGICAL.has(e.operator)) fail(e, 'bad logical operator');
        expression(e.left);
        expression(e.right);
        return;
      case 'ConditionalExpression':
        if (isPlainGuard(e.test)) return plainRead(e);
        if (stringGuard(e.test) !== null) return strictEquality(e);
        if (isRtCall(e.test, 'ia') || objectGuard(e.test) !== null ||
          (e.test.type === 'LogicalExpression' && e.test.operator === '&&' && (isRtCall(e.test.left, 'ia') || objectGuard(e.test.left) !== null))) return indexRead(e);
        expression(e.test);
        expression(e.consequent);
        expression(e.alternate);
        return;
      case 'SequenceExpression':
        e.expressions.forEach(expression);
        return;
      case 'AssignmentExpression':
        if (e.operator !== '=' || e.left.type !== 'Identifier') fail(e, 'only `local = value`');
        expression(e.left);
        expression(e.right);
        return;
      case 'ArrayExpression':
        for (const x of e.elements) {
          if (!x || x.type === 'SpreadElement') fail(e, 'no holes or spread in array literals');
          expression(x);
        }
        return;
      case 'ObjectExpression':
        for (const p of e.properties) {
          if (p.type !== 'Property' || p.kind !== 'init' || p.method || p.shorthand || p.computed) fail(p, 'only `"key": value` properties');
          if (p.key.type !== 'Literal' || typeof p.key.value !== 'string') fail(p, 'property keys must be string literals');
          if (p.key.value === '__proto__') fail(p, '__proto__ key');
          expression(p.value);
        }
        return;
      case 'CallExpression': {
        if (!isRtCall(e)) fail(e, 'only rt.<op>(…) calls');
        const op = e.callee.property.name as string;
        const args = e.arguments as A[];
        if (op === 'po' || op === 'ia' || op === 'pk') fail(e, `rt.${op} only as the guard of a native read`);
        if (args.some((a) => a.type === 'SpreadElement')) fail(e, 'no spread arguments');
        if (op === 'fn') {
          if (args.length !== 3 || args[0].type !== 'Literal' || typeof args[0].value !== 'string' || args[1].type !== 'Literal' || typeof args[1].value !== 'number') fail(e, 'rt.fn(name, length, function)');
          fnExpr(args[2]);
          return;
        }
        if (op === 'fnrec') {
          if (args.length !== 3 || args[0].type !== 'Literal' || typeof args[0].value !== 'string' || args[1].type !== 'Literal' || typeof args[1].value !== 'number') fail(e, 'rt.fnrec(name, length, function)');
          const outer = args[2];
          if (outer.type !== 'FunctionExpression' || outer.id || outer.async || outer.generator || outer.params.length !== 1 || outer.params[0].type !== 'Identifier') fail(outer, 'rt.fnrec needs function (self) { return function … }');
          const b = outer.body.body;
          if (b.length !== 1 || b[0].type !== 'ReturnStatement' || !b[0].argument) fail(outer, 'rt.fnrec needs function (self) { return function … }');
          withScope(() => {
            declare(outer.params[0]);
            fnExpr(b[0].argument);
          });
          return;
        }
        for (const a of args) {
          if (a.type === 'FunctionExpression' || a.type === 'ArrowFunctionExpression') fail(a, 'functions only as rt.fn arguments');
          expression(a);
        }
        return;
      }
      default:
        fail(e, `expression ${e.type} not allowed`);
    }
  }

  withScope(() => statements(body.slice(1)));
}
