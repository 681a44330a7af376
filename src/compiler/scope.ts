/**
 * Pass 1, scope resolution. Binds every identifier of the tree to its declaration (or to nothing:
 * a global), gives each binding a unique JavaScript name (so the generated code can keep user
 * variables as native locals: closures, shared mutable state and recursion then work natively),
 * and decides which `let`/`const` bindings need run-time TDZ checks: only those that some reference
 * could reach before the declaration ran (a read textually earlier in the same function, or from a
 * function that may run before it, i.e. a hoisted declaration or one created earlier).
 */
import { CompileError } from './errors.ts';
import { isFunction, posOf, type N } from './nodes.ts';

function hasUseStrict(body: N | null | undefined): boolean {
  const ds = body && Array.isArray(body.directives) ? (body.directives as N[]) : [];
  return ds.some((d) => d.value && d.value.value === 'use strict');
}

/** 'opaque': declared by code the tree does not hold (an Unsupported declaration): its value is unknowable. */
export type BindingKind = 'var' | 'let' | 'const' | 'function' | 'param' | 'catch' | 'self' | 'opaque';

export interface Binding {
  name: string;
  /** The unique JavaScript name in generated code. */
  js: string;
  kind: BindingKind;
  /** Needs TDZ checks at run time (reads and writes go through the runtime). */
  tdz: boolean;
  /** Assigned anywhere after its declaration (for `const`, an assignment throws). */
  assigned: boolean;
  /** Every value ever stored is a number (set by the types pass). */
  numeric?: boolean;
  /** Internal: set once the walk passed the declaration's initialisation. */
  initOrder: number;
  fnNode: N | null;
  /** Internal: the declaring scope, and the index of the statement of that scope holding the declaration. */
  scope?: Scope;
  declIndex?: number;
}

export interface Scope {
  node: N;
  parent: Scope | null;
  /** The function (or null for the program) the scope belongs to. */
  fnNode: N | null;
  isFunctionScope: boolean;
  bindings: Map<string, Binding>;
  /** Internal: index of the scope's statement being walked; number of function frames open at the scope's start. */
  index: number;
  fnDepth: number;
}

export interface ScopeInfo {
  /**
   * The tree lost declarations: some Unknown/Unsupported node came without the names it declares
   * (`vars`/`lexicals`), so an identifier that resolves to no binding may still be declared in the
   * source, and "x is not defined" cannot be asserted.
   */
  incomplete: boolean;
  /** Identifier node (reference or declaration) → binding; null means a global. */
  refs: Map<N, Binding | null>;
  /** Scope-owning node → scope (Program, functions, blocks, loops with declarations, catch, switch; a named function expression's id for its own name). */
  scopes: Map<N, Scope>;
  bindings: Binding[];
}

/** Binding identifiers of a declaration pattern, in source order. */
export function patternNames(p: N | null | undefined, out: N[] = []): N[] {
  if (!p) return out;
  switch (p.type) {
    case 'Identifier':
      out.push(p);
      break;
    case 'ObjectPattern':
      for (const prop of p.properties as N[]) patternNames(prop.type === 'RestElement' ? prop.argument : prop.value, out);
      break;
    case 'ArrayPattern':
      for (const e of p.elements as (N | null)[]) patternNames(e, out);
      break;
    case 'AssignmentPattern':
      patternNames(p.left, out);
      break;
    case 'RestElement':
      patternNames(p.argument, out);
      break;
    default:
      break; // Unsupported/Unknown or a member target: binds nothing
  }
  return out;
}

export function resolveScopes(program: N): ScopeInfo {
  const refs = new Map<N, Binding | null>();
  const scopes = new Map<N, Scope>();
  const bindings: Binding[] = [];
  let counter = 0;
  let order = 0;
  let incomplete = false;
  /** Strict mode of the code being walked (program or function "use strict" directives). */
  let strict = hasUseStrict(program);
  /** Functions being walked, with the walk order at their entry. */
  interface Frame {
    node: N | null;
    entry: number;
    hoisted: boolean;
    /** For a function declaration: its binding and the scope declaring it. */
    binding: Binding | null;
    scope: Scope | null;
  }
  const fnStack: Frame[] = [{ node: null, entry: 0, hoisted: false, binding: null, scope: null }];
  /** Uses of function declarations: where each may first run (see firstUse). */
  const fnUses: { fn: Binding; index: number; via: Binding | null }[] = [];
  /** References to a let/const from a function declaration of the same scope: safe iff that function cannot run before the declaration. */
  const deferred: { b: Binding; fn: Binding }[] = [];
  let scope: Scope | null = null;

  function safeName(name: string): string {
    return /^[A-Za-z_$][\w$]*$/.test(name) ? name : 'v';
  }

  function declare(s: Scope, id: N, kind: BindingKind): Binding {
    const name = id.name as string;
    let b = s.bindings.get(name);
    if (!b) {
      b = { name, js: `${safeName(name)}_${++counter}`, kind, tdz: false, assigned: false, initOrder: kind === 'let' || kind === 'const' ? -1 : 0, fnNode: s.fnNode, scope: s };
      s.bindings.set(name, b);
      bindings.push(b);
    } else if (kind === 'function' && b.kind === 'var') {
      b.kind = 'function';
    }
    refs.set(id, b);
    return b;
  }

  function open(node: N, isFunctionScope: boolean, fnNode: N | null): Scope {
    const s: Scope = { node, parent: scope, fnNode, isFunctionScope, bindings: new Map(), index: -1, fnDepth: fnStack.length };
    scopes.set(node, s);
    scope = s;
    return s;
  }

  function lookup(name: string): Binding | null {
    for (let s = scope; s; s = s.parent) {
      const b = s.bindings.get(name);
      if (b) return b;
    }
    return null;
  }

  function functionScope(): Scope {
    let s = scope;
    while (s && !s.isFunctionScope) s = s.parent;
    if (!s) throw new CompileError('no function scope');
    return s;
  }

  /** Var declarations anywhere in a function body, not inside nested functions. */
  function collectVars(node: N | null | undefined, s: Scope, nested = false): void {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const x of node) collectVars(x as N, s, nested);
      return;
    }
    if (node.type === 'FunctionDeclaration' && nested && !strict && node.id) {
      // Sloppy mode (Annex B): a function declared in a block is also a var of the function, set
      // when the block runs. Not modelled: every use of that var outside the block aborts.
      const existing = s.bindings.get(node.id.name as string);
      if (existing) existing.kind = 'opaque';
      else declare(s, { type: 'Identifier', name: node.id.name } as N, 'opaque');
      return;
    }
    if (isFunction(node) || typeof node.type !== 'string') return;
    if (node.type === 'Unknown' || node.type === 'Unsupported') {
      // The subtree is gone; the tracer lists the var-scoped names it declared (if it does).
      if (Array.isArray(node.vars)) for (const name of node.vars as string[]) declare(s, { type: 'Identifier', name } as N, 'var');
      else incomplete = true;
      return;
    }
    if (node.type === 'VariableDeclaration' && node.kind === 'var') {
      for (const d of node.declarations as N[]) for (const id of patternNames(d.id)) declare(s, id, 'var');
    }
    // Only statement-level children can hold var declarations.
    for (const key of ['body', 'consequent', 'alternate', 'block', 'handler', 'finalizer', 'cases', 'init', 'left']) {
      const child = node[key];
      if (child && typeof child === 'object') collectVars(child as N, s, true);
    }
  }

  function collectLexical(stmts: N[], s: Scope): void {
    for (const st of stmts) {
      if (st.type === 'VariableDeclaration' && st.kind !== 'var') {
        for (const d of st.declarations as N[]) for (const id of patternNames(d.id)) declare(s, id, st.kind === 'const' ? 'const' : 'let');
      } else if (st.type === 'FunctionDeclaration' && st.id) {
        declare(s, st.id, 'function');
      } else if ((st.type === 'Unsupported' || st.type === 'Unknown') && Array.isArray(st.lexicals)) {
        for (const name of st.lexicals as string[]) declare(s, { type: 'Identifier', name } as N, 'opaque');
      } else if (st.type === 'Unsupported' && !Array.isArray(st.lexicals)) {
        incomplete = true;
      }
    }
  }

  function reference(id: N, write: boolean): void {
    const b = lookup(id.name as string);
    refs.set(id, b);
    if (!b) return;
    if (write) b.assigned = true;
    if (b.kind === 'function' && b.scope) {
      const outer = fnStack[b.scope.fnDepth];
      fnUses.push({ fn: b, index: b.scope.index, via: outer && outer.hoisted && outer.scope === b.scope ? outer.binding : null });
    }
    if (b.kind !== 'let' && b.kind !== 'const') return;
    if (!isSafe(b)) b.tdz = true;
  }

  /** A reference is safe when the binding is surely initialised whenever it runs. */
  function isSafe(b: Binding): boolean {
    if (b.initOrder < 0) {
      // Not yet initialised in walk order: safe only from a function declaration that runs later.
      const outer = b.scope ? fnStack[b.scope.fnDepth] : undefined;
      if (outer && outer.hoisted && outer.scope === b.scope && outer.binding && fnStack.length - 1 >= b.scope!.fnDepth) {
        deferred.push({ b, fn: outer.binding });
        return true;
      }
      return false;
    }
    // Find the function frame directly inside the binding's function.
    let i = fnStack.length - 1;
    if (fnStack[i]!.node === b.fnNode) return true;
    const outer = b.scope ? fnStack[b.scope.fnDepth] : undefined;
    if (outer && outer.hoisted && outer.scope === b.scope && outer.binding) {
      deferred.push({ b, fn: outer.binding });
      return true;
    }
    while (i > 0 && fnStack[i - 1]!.node !== b.fnNode) i--;
    const frame = fnStack[i]!;
    return !frame.hoisted && frame.entry > b.initOrder;
  }

  function walkPatternDecl(p: N | null | undefined): void {
    if (!p) return;
    switch (p.type) {
      case 'Identifier':
        if (!refs.has(p)) reference(p, true);
        return;
      case 'ObjectPattern':
        for (const prop of p.properties as N[]) {
          if (prop.type === 'RestElement') walkPatternDecl(prop.argument);
          else {
            if (prop.computed) walk(prop.key);
            walkPatternDecl(prop.value);
          }
        }
        return;
      case 'ArrayPattern':
        for (const e of p.elements as (N | null)[]) walkPatternDecl(e);
        return;
      case 'AssignmentPattern':
        walk(p.right);
        walkPatternDecl(p.left);
        return;
      case 'RestElement':
        walkPatternDecl(p.argument);
        return;
      default:
        walk(p); // member expression targets in assignment patterns, Unknown, Unsupported
    }
  }

  function markInit(p: N | null | undefined): void {
    for (const id of patternNames(p)) {
      const b = refs.get(id);
      if (b && b.initOrder < 0) {
        b.initOrder = ++order;
        b.declIndex = b.scope ? b.scope.index : undefined;
      }
    }
  }

  function walkFunction(fn: N): void {
    const outer = scope;
    if (fn.type === 'FunctionExpression' && fn.id) {
      open(fn.id, false, scope ? scope.fnNode : null);
      declare(scope!, fn.id, 'self');
    }
    const declared = fn.type === 'FunctionDeclaration' && fn.id ? refs.get(fn.id) ?? null : null;
    fnStack.push({ node: fn, entry: ++order, hoisted: fn.type === 'FunctionDeclaration', binding: declared, scope: outer });
    const s = open(fn, true, fn);
    const outerStrict = strict;
    strict = strict || hasUseStrict(fn.body);
    for (const p of fn.params as N[]) for (const id of patternNames(p)) declare(s, id, 'param');
    const body = fn.body as N;
    if (body.type === 'BlockStatement') {
      collectVars(body.body as N, s);
      collectLexical(body.body as N[], s);
    }
    for (const p of fn.params as N[]) walkPatternDecl(p);
    if (body.type === 'BlockStatement') (body.body as N[]).forEach((st, i) => ((s.index = i), walk(st)));
    else walk(body);
    fnStack.pop();
    strict = outerStrict;
    scope = outer;
  }

  function walkBlock(node: N, stmts: N[]): void {
    const outer = scope;
    const s = open(node, false, scope!.fnNode);
    collectLexical(stmts, s);
    stmts.forEach((st, i) => {
      s.index = i;
      walk(st);
    });
    scope = outer;
  }

  function walk(node: N | null | undefined): void {
    if (!node || typeof node !== 'object') return;
    order++;
    switch (node.type) {
      case 'Identifier':
        reference(node, false);
        return;
      case 'FunctionDeclaration':
        // Name bound by the enclosing scope's collectLexical.
        if (node.id && !refs.has(node.id)) {
          const b = lookup(node.id.name);
          refs.set(node.id, b);
        }
        walkFunction(node);
        return;
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        walkFunction(node);
        return;
      case 'ObjectMethod':
        if (node.computed) walk(node.key);
        walkFunction(node);
        return;
      case 'BlockStatement':
        walkBlock(node, node.body as N[]);
        return;
      case 'StaticBlock':
        return;
      case 'SwitchStatement': {
        walk(node.discriminant);
        const outer = scope;
        const s = open(node, false, scope!.fnNode);
        const all: N[] = [];
        for (const c of node.cases as N[]) if (c.type === 'SwitchCase') all.push(...(c.consequent as N[]));
        collectLexical(all, s);
        // A case's declarations can be reached from another case before they ran: always check.
        for (const b of s.bindings.values()) if (b.kind === 'let' || b.kind === 'const') b.tdz = true;
        for (const c of node.cases as N[]) {
          if (c.type !== 'SwitchCase') {
            walk(c);
            continue;
          }
          walk(c.test);
          for (const st of c.consequent as N[]) walk(st);
        }
        scope = outer;
        return;
      }
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement': {
        const outer = scope;
        const s = open(node, false, scope!.fnNode);
        const head = node.type === 'ForStatement' ? node.init : node.left;
        if (head && head.type === 'VariableDeclaration' && head.kind !== 'var') {
          for (const d of head.declarations as N[]) for (const id of patternNames(d.id)) declare(s, id, head.kind === 'const' ? 'const' : 'let');
        }
        if (node.type === 'ForStatement') {
          walk(node.init);
          walk(node.test);
          walk(node.update);
        } else {
          walk(node.right);
          if (head && head.type === 'VariableDeclaration') {
            for (const d of head.declarations as N[]) {
              walkPatternDecl(d.id);
              markInit(d.id);
            }
          } else walkAssignTarget(head);
        }
        // Loop-head bindings are initialised before any code that can see them runs.
        for (const b of s.bindings.values()) if (b.initOrder < 0) b.initOrder = order;
        walk(node.body);
        scope = outer;
        return;
      }
      case 'CatchClause': {
        const outer = scope;
        const s = open(node, false, scope!.fnNode);
        for (const id of patternNames(node.param)) declare(s, id, 'catch');
        walkPatternDecl(node.param);
        walk(node.body);
        scope = outer;
        return;
      }
      case 'VariableDeclaration':
        for (const d of node.declarations as N[]) {
          if (node.kind === 'var') {
            for (const id of patternNames(d.id)) if (!refs.has(id)) refs.set(id, lookupVar(id.name as string));
          }
          walk(d.init);
          walkPatternDecl(d.id);
          markInit(d.id);
        }
        return;
      case 'MemberExpression':
      case 'OptionalMemberExpression':
        walk(node.object);
        if (node.computed) walk(node.property);
        return;
      case 'ObjectProperty':
        if (node.computed) walk(node.key);
        walk(node.value);
        return;
      case 'LabeledStatement':
        walk(node.body);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
        return;
      case 'AssignmentExpression':
        walk(node.right);
        walkAssignTarget(node.left);
        return;
      case 'UpdateExpression':
        walkAssignTarget(node.argument);
        return;
      case 'Unknown':
      case 'Unsupported':
        return;
      default:
        for (const key of Object.keys(node)) {
          if (key === 'loc' || key === 'type' || key === 'extra') continue;
          const v = node[key];
          if (Array.isArray(v)) for (const x of v) walk(x as N);
          else if (v && typeof v === 'object' && typeof (v as N).type === 'string') walk(v as N);
        }
    }
  }

  function lookupVar(name: string): Binding | null {
    const s = functionScope();
    return s.bindings.get(name) ?? lookup(name);
  }

  function walkAssignTarget(t: N | null | undefined): void {
    if (!t) return;
    if (t.type === 'Identifier') reference(t, true);
    else if (t.type === 'ObjectPattern' || t.type === 'ArrayPattern' || t.type === 'AssignmentPattern' || t.type === 'RestElement') walkAssignPattern(t);
    else walk(t);
  }

  function walkAssignPattern(p: N): void {
    switch (p.type) {
      case 'ObjectPattern':
        for (const prop of p.properties as N[]) {
          if (prop.type === 'RestElement') walkAssignTarget(prop.argument);
          else {
            if (prop.computed) walk(prop.key);
            walkAssignTarget(prop.value);
          }
        }
        return;
      case 'ArrayPattern':
        for (const e of p.elements as (N | null)[]) walkAssignTarget(e);
        return;
      case 'AssignmentPattern':
        walk(p.right);
        walkAssignTarget(p.left);
        return;
      case 'RestElement':
        walkAssignTarget(p.argument);
        return;
    }
  }

  if (program.type !== 'Program') throw new CompileError(`expected a Program, got ${program.type}`, posOf(program));
  const top = open(program, true, null);
  const body = program.body as N[];
  collectVars(body as unknown as N, top);
  collectLexical(body, top);
  body.forEach((st, i) => {
    top.index = i;
    walk(st);
  });

  // A function declaration may first run at the statement where it is first used (or, if used only
  // from other declarations of the same scope, where they first run).
  const first = new Map<Binding, number>();
  const usesOf = new Map<Binding, { index: number; via: Binding | null }[]>();
  for (const u of fnUses) {
    let l = usesOf.get(u.fn);
    if (!l) usesOf.set(u.fn, (l = []));
    l.push(u);
  }
  const firstUse = (f: Binding, seen: Set<Binding>): number => {
    const known = first.get(f);
    if (known !== undefined) return known;
    if (seen.has(f)) return Infinity;
    seen.add(f);
    let m = Infinity;
    for (const u of usesOf.get(f) ?? []) m = Math.min(m, u.via && u.via !== f ? firstUse(u.via, seen) : u.via === f ? Infinity : u.index);
    seen.delete(f);
    if (seen.size === 0) first.set(f, m);
    return m;
  };
  for (const { b, fn } of deferred) {
    if (b.declIndex === undefined || b.scope !== fn.scope || !(firstUse(fn, new Set()) > b.declIndex)) b.tdz = true;
  }
  return { refs, scopes, bindings, incomplete };
}
