/**
 * Pass 3 (codegen), functions. A source function becomes `rt.fn(name, length, function (…) {…})`:
 * the native function is only ever held inside the runtime's Closure. A named function expression
 * that can refer to itself becomes `rt.fnrec(name, length, function (self) { return function … })`.
 * Parameters with defaults or patterns are simple native parameters plus a prologue; `var`s, TDZ-checked
 * `let`s and function declarations are hoisted to the top of their scope, as JavaScript does.
 */
import { str, type FnState, type Gen } from './emit-context.ts';
import { expr } from './emit-expression.ts';
import { assignPattern, emitParts, type Part } from './emit-pattern.ts';
import { emitStatements } from './emit-statement.ts';
import { asyncFunction } from './emit-async.ts';
import { hasUseStrict, posOf, type N } from './nodes.ts';
import type { Scope } from './scope.ts';
import { patternNames } from './scope.ts';
import { argumentsPrologue, needsReceiver, openReceiver } from './emit-this.ts';

/** The `length` JavaScript gives a function: parameters before the first default or rest. */
export function fnLength(params: N[]): number {
  let n = 0;
  for (const p of params) {
    if (p.type === 'AssignmentPattern' || p.type === 'RestElement') break;
    n++;
  }
  return n;
}

/**
 * Whether a default value reads a binding of the function's own scope other than an earlier
 * parameter: a later parameter (a TDZ error in Node) or a body declaration (invisible to defaults in
 * Node, which evaluates them in a scope of their own). The prologue shares the body's scope, so such
 * defaults abort rather than read the wrong binding.
 */
function seesOwnScope(g: Gen, e: N, scope: Scope | undefined, earlier: N[]): boolean {
  if (!scope) return false;
  const ok = new Set(earlier.flatMap((p) => patternNames(p)).map((id) => g.scopes.refs.get(id)));
  let bad = false;
  const walk = (n: unknown): void => {
    if (bad || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const node = n as N;
    if (node.type === 'Identifier') {
      const b = g.scopes.refs.get(node);
      if (b && b.scope === scope && !ok.has(b)) bad = true;
    }
    for (const k of Object.keys(node)) if (k !== 'loc') walk(node[k]);
  };
  walk(e);
  return bad;
}

export function fnName(n: N, hint?: string): string {
  if (typeof n.name === 'string') return n.name;
  if (n.id && typeof n.id.name === 'string') return n.id.name as string;
  if (n.type === 'ObjectMethod' && n.key && !n.computed) return (n.key.name ?? n.key.value ?? '') as string;
  return hint ?? '';
}

/** Declarations hoisted to the start of a scope: vars and functions (undefined), TDZ-checked lexicals (hole). */
export function emitHoisted(g: Gen, scope: Scope | undefined, stmts: N[]): void {
  if (!scope) return;
  const plain: string[] = [];
  const holes: string[] = [];
  for (const b of scope.bindings.values()) {
    // 'opaque' bindings are never read (every use aborts) but a declaration may still assign them.
    if (b.kind === 'var' || b.kind === 'function' || b.kind === 'opaque') plain.push(b.js);
    else if ((b.kind === 'let' || b.kind === 'const') && b.tdz) holes.push(b.js);
  }
  if (plain.length) g.line(`let ${plain.join(', ')};`);
  for (const h of holes) g.line(`let ${h} = rt.hole();`);
  for (const st of stmts) {
    if (st.type !== 'FunctionDeclaration' || !st.id) continue;
    const b = g.binding(st.id);
    if (!b) continue;
    g.line(`${b.js} = ${emitFunction(g, st)};`, st);
  }
}

/** How a class member is emitted (emit-class.ts): its name, its class's local, static, a derived constructor. */
export interface MemberOptions {
  name: string;
  cls: { classLocal: string | null; isStatic: boolean; derived: boolean };
  ctor: boolean;
}

export function emitFunction(g: Gen, n: N, hint?: string, member?: MemberOptions): string {
  g.stats.functions++;
  const name = member ? member.name : fnName(n, hint);
  const params = n.params as N[];
  const saved = { lines: g.lines.splice(0), fn: g.fn, indent: g.indent, strict: g.strict, receiver: g.receiver, derivedCtor: g.derivedCtor };
  g.strict = g.strict || hasUseStrict(n.body) || member !== undefined;
  const fnState: FnState = { temps: [], free: [], async: n.async === true, generator: n.generator === true };
  g.fn = fnState;
  g.indent = saved.indent + 1;
  const native: string[] = [];
  const prologue: (string | ((g: Gen) => void))[] = [];
  const selfScope = n.type === 'FunctionExpression' && n.id ? g.scopes.scopes.get(n.id) : undefined;
  const self = selfScope?.bindings.get(n.id?.name as string);
  // Functions that see `this`, `arguments` or `new.target` take them first (emit-this.ts); so does a
  // suspendable function naming itself, whose only self-binding form is rt.afntrec / rt.gfntrec.
  const suspendableSelf = (n.async === true || n.generator === true) && self !== undefined;
  const recv = member !== undefined || suspendableSelf || needsReceiver(g, n, name) ? openReceiver(g, n, g.strict, member?.cls ?? null) : null;
  if (recv) {
    g.receiver = recv.receiver;
    native.push(...recv.params);
    const a = argumentsPrologue(recv.receiver, recv.flags);
    if (a) prologue.push(a);
  } else if (n.type !== 'ArrowFunctionExpression') g.receiver = null;
  g.derivedCtor = member !== undefined && member.ctor && member.cls.derived;
  const scope = g.scopes.scopes.get(n);
  params.forEach((p, i) => {
    if (p.type === 'Identifier') {
      native.push(g.binding(p)!.js);
      return;
    }
    if (p.type === 'AssignmentPattern' && p.left.type === 'Identifier') {
      const js = g.binding(p.left)!.js;
      native.push(js);
      const value = seesOwnScope(g, p.right, scope, params.slice(0, i)) ? `rt.unsupported("default-parameter-scope", ${p.right.loc ? `${posOf(p.right).line}, ${posOf(p.right).column}` : '0, 0'})` : expr(g, p.right, p.left.name as string);
      prologue.push(`if (${js} === void 0) { ${js} = ${value}; }`);
      return;
    }
    if (p.type === 'RestElement' && p.argument.type === 'Identifier') {
      const js = g.binding(p.argument)!.js;
      native.push(`...${js}`);
      prologue.push(`${js} = rt.rest(${js});`);
      return;
    }
    const pn = `$p${i}`;
    native.push(p.type === 'RestElement' ? `...${pn}` : pn);
    const names = patternNames(p).map((id) => g.binding(id)!.js);
    if (names.length) prologue.push(`let ${names.join(', ')};`);
    const parts: Part[] = [];
    assignPattern(g, p.type === 'RestElement' ? p.argument : p, p.type === 'RestElement' ? `rt.rest(${pn})` : pn, 'init', parts, '#param', false, true);
    prologue.push((g2) => emitParts(g2, parts));
  });
  const body = n.body as N;
  const bodyLines: string[] = [];
  g.lines.length = 0;
  for (const l of prologue) {
    if (typeof l === 'string') g.line(l);
    else l(g);
  }
  if (body.type === 'BlockStatement') {
    emitHoisted(g, scope, body.body as N[]);
    emitStatements(g, body.body as N[]);
  } else if (body.type === 'Unknown' || body.type === 'Unsupported') {
    emitStatements(g, [body]);
  } else {
    g.line(`return ${expr(g, body)};`, body);
  }
  if (g.derivedCtor) g.line(`return rt.dret(void 0, ${g.receiver!.thisName});`);
  bodyLines.push(...g.lines);
  const pad = '  '.repeat(g.indent);
  if (fnState.temps.length) bodyLines.unshift(`${pad}let ${fnState.temps.join(', ')};`);
  g.lines.length = 0;
  g.lines.push(...saved.lines);
  g.fn = saved.fn;
  g.indent = saved.indent;
  g.strict = saved.strict;
  g.receiver = saved.receiver;
  g.derivedCtor = saved.derivedCtor;
  const closePad = '  '.repeat(g.indent);
  // An async function's body is a generator the runtime drives; its awaits are `yield` (emit-async.ts).
  const fnText = `function${n.async || n.generator ? '*' : ''} (${native.join(', ')}) {\n${bodyLines.join('\n')}\n${closePad}}`;
  // A suspendable function that sees its receiver (an async method, a generator using `this`) takes
  // rt.fnt's receiver parameters in rt.afn's body: rt.afnt / rt.gfnt.
  // An async generator (src/accelerator/async-generators.ts): rt.agfn, rt.agfnt, rt.agfntrec.
  if (n.async || n.generator) return asyncFunction(n.async && n.generator ? 'agfn' : n.async ? 'afn' : 'gfn', name, fnLength(params), fnText, self === undefined ? undefined : self.js, `${posOf(n).line}, ${posOf(n).column}`, recv?.flags);
  if (recv) {
    if (self) return `rt.fntrec(${str(name)}, ${fnLength(params)}, ${recv.flags}, function (${self.js}) { return ${fnText}; })`;
    return `rt.fnt(${str(name)}, ${fnLength(params)}, ${recv.flags}, ${fnText})`;
  }
  if (self) return `rt.fnrec(${str(name)}, ${fnLength(params)}, function (${self.js}) { return ${fnText}; })`;
  return `rt.fn(${str(name)}, ${fnLength(params)}, ${fnText})`;
}
