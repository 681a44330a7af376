/**
 * Pass 1, scope resolution. Binds every identifier of the tree to its declaration (or to nothing:
 * a global), gives each binding a unique JavaScript name (so the generated code can keep user
 * variables as native locals: closures, shared mutable state and recursion then work natively),
 * and decides which `let`/`const` bindings need run-time TDZ checks: only those that some reference
 * could reach before the declaration ran (a read textually earlier in the same function, or from a
 * function that may run before it, i.e. a hoisted declaration or one created earlier).
 * The result's types are in scope.ts; the decisions that wait for the whole walk in first-use.ts.
 */
import { CompileError } from './errors.ts';
import { settleDeferredTdz, type DeferredReference, type FunctionUse } from './first-use.ts';
import { hasUseStrict, isFunction, posOf, type N } from './nodes.ts';
import { patternNames, type Binding, type BindingKind, type Scope, type ScopeInfo } from './scope.ts';

export function resolveScopes(program: N): ScopeInfo {
  if (program.type !== 'Program') throw new CompileError(`expected a Program, got ${program.type}`, posOf(program));
  return new ScopeResolver(program).resolve();
}

/** A function being walked, with the walk order at its entry. */
interface Frame {
  node: N | null;
  entry: number;
  hoisted: boolean;
  /** For a function declaration: its binding and the scope declaring it. */
  binding: Binding | null;
  scope: Scope | null;
}

/** Keys of the children that can hold `var` declarations: statement-level ones. */
const STATEMENT_CHILDREN = ['body', 'consequent', 'alternate', 'block', 'handler', 'finalizer', 'cases', 'init', 'left'];

function safeName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : 'v';
}

/** One walk of one program: the state is the scope being walked, the function frames and the walk order. */
class ScopeResolver {
  private readonly refs = new Map<N, Binding | null>();
  private readonly scopes = new Map<N, Scope>();
  private readonly bindings: Binding[] = [];
  /** Suffix of the last unique name given. */
  private counter = 0;
  /** Walk order: nodes visited, function entries and initialisations, numbered as the walk reaches them. */
  private order = 0;
  private incomplete = false;
  /** Strict mode of the code being walked (program or function "use strict" directives). */
  private strict: boolean;
  /** Functions being walked; the first frame is the program's. */
  private readonly fnStack: Frame[] = [{ node: null, entry: 0, hoisted: false, binding: null, scope: null }];
  /** Uses of function declarations: where each may first run. */
  private readonly fnUses: FunctionUse[] = [];
  /** References to a let/const from a function declaration of the same scope: safe iff that function cannot run before the declaration. */
  private readonly deferred: DeferredReference[] = [];
  /** The innermost scope open. */
  private scope: Scope | null = null;

  constructor(private readonly program: N) {
    this.strict = hasUseStrict(program);
  }

  resolve(): ScopeInfo {
    const top = this.open(this.program, true, null);
    const body = this.program.body as N[];
    this.collectVars(body as unknown as N, top);
    this.collectLexical(body, top);
    this.walkStatements(top, body);
    settleDeferredTdz(this.fnUses, this.deferred);
    return { refs: this.refs, scopes: this.scopes, bindings: this.bindings, incomplete: this.incomplete };
  }

  // ---- scopes and declarations ----------------------------------------------------------------

  private declare(s: Scope, id: N, kind: BindingKind): Binding {
    const name = id.name as string;
    let b = s.bindings.get(name);
    if (!b) {
      b = { name, js: `${safeName(name)}_${++this.counter}`, kind, tdz: false, assigned: false, initOrder: kind === 'let' || kind === 'const' ? -1 : 0, fnNode: s.fnNode, scope: s };
      s.bindings.set(name, b);
      this.bindings.push(b);
    } else if (kind === 'function' && b.kind === 'var') {
      b.kind = 'function';
    }
    this.refs.set(id, b);
    return b;
  }

  private open(node: N, isFunctionScope: boolean, fnNode: N | null): Scope {
    const s: Scope = { node, parent: this.scope, fnNode, isFunctionScope, bindings: new Map(), index: -1, fnDepth: this.fnStack.length };
    this.scopes.set(node, s);
    this.scope = s;
    return s;
  }

  /** A scope inside the current function (block, loop head, catch, switch). */
  private openBlock(node: N): Scope {
    return this.open(node, false, this.scope!.fnNode);
  }

  private lookup(name: string): Binding | null {
    for (let s = this.scope; s; s = s.parent) {
      const b = s.bindings.get(name);
      if (b) return b;
    }
    return null;
  }

  private lookupVar(name: string): Binding | null {
    return this.functionScope().bindings.get(name) ?? this.lookup(name);
  }

  private functionScope(): Scope {
    let s = this.scope;
    while (s && !s.isFunctionScope) s = s.parent;
    if (!s) throw new CompileError('no function scope');
    return s;
  }

  /** Var declarations anywhere in a function body, not inside nested functions. */
  private collectVars(node: N | null | undefined, s: Scope, nested = false): void {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const x of node) this.collectVars(x as N, s, nested);
      return;
    }
    if (node.type === 'FunctionDeclaration' && nested && !this.strict && node.id) {
      // Sloppy mode (Annex B): a function declared in a block is also a var of the function, set
      // when the block runs. Not modelled: every use of that var outside the block aborts.
      const existing = s.bindings.get(node.id.name as string);
      if (existing) existing.kind = 'opaque';
      else this.declare(s, { type: 'Identifier', name: node.id.name } as N, 'opaque');
      return;
    }
    if (isFunction(node) || typeof node.type !== 'string' || node.type === 'ClassDeclaration' || node.type === 'ClassExpression') return;
    if (node.type === 'Unknown' || node.type === 'Unsupported') {
      // The subtree is gone; the tracer lists the var-scoped names it declared (if it does).
      if (Array.isArray(node.vars)) for (const name of node.vars as string[]) this.declare(s, { type: 'Identifier', name } as N, 'var');
      else this.incomplete = true;
      return;
    }
    if (node.type === 'VariableDeclaration' && node.kind === 'var') {
      for (const d of node.declarations as N[]) for (const id of patternNames(d.id)) this.declare(s, id, 'var');
    }
    for (const key of STATEMENT_CHILDREN) {
      const child = node[key];
      if (child && typeof child === 'object') this.collectVars(child as N, s, true);
    }
  }

  /** The names a block's statements bind in the block: let, const, function and class-like opaque names. */
  private collectLexical(stmts: N[], s: Scope): void {
    for (const st of stmts) {
      if (st.type === 'VariableDeclaration' && st.kind !== 'var') {
        for (const d of st.declarations as N[]) for (const id of patternNames(d.id)) this.declare(s, id, st.kind === 'const' ? 'const' : 'let');
      } else if (st.type === 'FunctionDeclaration' && st.id) {
        this.declare(s, st.id, 'function');
      } else if (st.type === 'ClassDeclaration' && st.id) {
        this.declare(s, st.id, 'let');
      } else if ((st.type === 'Unsupported' || st.type === 'Unknown') && Array.isArray(st.lexicals)) {
        for (const name of st.lexicals as string[]) this.declare(s, { type: 'Identifier', name } as N, 'opaque');
      } else if (st.type === 'Unsupported' && !Array.isArray(st.lexicals)) {
        this.incomplete = true;
      }
    }
  }

  // ---- references and TDZ ---------------------------------------------------------------------

  private reference(id: N, write: boolean): void {
    const b = this.lookup(id.name as string);
    this.refs.set(id, b);
    if (!b) return;
    if (write) b.assigned = true;
    if (b.kind === 'function' && b.scope) {
      const outer = this.fnStack[b.scope.fnDepth];
      this.fnUses.push({ fn: b, index: b.scope.index, via: outer && outer.hoisted && outer.scope === b.scope ? outer.binding : null });
    }
    if (b.kind !== 'let' && b.kind !== 'const') return;
    if (!this.isSafe(b)) b.tdz = true;
  }

  /** A reference is safe when the binding is surely initialised whenever it runs. */
  private isSafe(b: Binding): boolean {
    const fnStack = this.fnStack;
    if (b.initOrder < 0) {
      // Not yet initialised in walk order: safe only from a function declaration that runs later.
      const outer = b.scope ? fnStack[b.scope.fnDepth] : undefined;
      if (outer && outer.hoisted && outer.scope === b.scope && outer.binding && fnStack.length - 1 >= b.scope!.fnDepth) {
        this.deferred.push({ b, fn: outer.binding });
        return true;
      }
      return false;
    }
    // Find the function frame directly inside the binding's function.
    let i = fnStack.length - 1;
    if (fnStack[i]!.node === b.fnNode) return true;
    const outer = b.scope ? fnStack[b.scope.fnDepth] : undefined;
    if (outer && outer.hoisted && outer.scope === b.scope && outer.binding) {
      this.deferred.push({ b, fn: outer.binding });
      return true;
    }
    while (i > 0 && fnStack[i - 1]!.node !== b.fnNode) i--;
    const frame = fnStack[i]!;
    return !frame.hoisted && frame.entry > b.initOrder;
  }

  private markInit(p: N | null | undefined): void {
    for (const id of patternNames(p)) {
      const b = this.refs.get(id);
      if (b && b.initOrder < 0) {
        b.initOrder = ++this.order;
        b.declIndex = b.scope ? b.scope.index : undefined;
      }
    }
  }

  // ---- the walk, one method per kind of node that binds or needs its own order ------------------

  private walk(node: N | null | undefined): void {
    if (!node || typeof node !== 'object') return;
    this.order++;
    switch (node.type) {
      case 'Identifier':
        return this.reference(node, false);
      case 'FunctionDeclaration':
        return this.walkFunctionDeclaration(node);
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return this.walkFunction(node);
      case 'ObjectMethod':
        if (node.computed) this.walk(node.key);
        return this.walkFunction(node);
      case 'BlockStatement':
        return this.walkBlock(node, node.body as N[]);
      case 'StaticBlock':
        return this.walkStaticBlock(node);
      case 'ClassDeclaration':
      case 'ClassExpression':
        return this.walkClass(node);
      case 'PrivateName':
        return;
      case 'SwitchStatement':
        return this.walkSwitch(node);
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
        return this.walkLoop(node);
      case 'CatchClause':
        return this.walkCatch(node);
      case 'VariableDeclaration':
        return this.walkVariableDeclaration(node);
      case 'MemberExpression':
      case 'OptionalMemberExpression':
        this.walk(node.object);
        if (node.computed) this.walk(node.property);
        return;
      case 'ObjectProperty':
        if (node.computed) this.walk(node.key);
        return this.walk(node.value);
      case 'LabeledStatement':
        return this.walk(node.body);
      case 'BreakStatement':
      case 'ContinueStatement':
        return;
      case 'AssignmentExpression':
        this.walk(node.right);
        return this.walkAssignTarget(node.left);
      case 'UpdateExpression':
        return this.walkAssignTarget(node.argument);
      case 'Unknown':
      case 'Unsupported':
        return;
      default:
        return this.walkChildren(node);
    }
  }

  private walkChildren(node: N): void {
    for (const key of Object.keys(node)) {
      if (key === 'loc' || key === 'type' || key === 'extra') continue;
      const v = node[key];
      if (Array.isArray(v)) for (const x of v) this.walk(x as N);
      else if (v && typeof v === 'object' && typeof (v as N).type === 'string') this.walk(v as N);
    }
  }

  /** The statements of a scope in order, the scope knowing which one is being walked. */
  private walkStatements(s: Scope, stmts: N[]): void {
    stmts.forEach((st, i) => {
      s.index = i;
      this.walk(st);
    });
  }

  private walkFunctionDeclaration(node: N): void {
    // Name bound by the enclosing scope's collectLexical.
    if (node.id && !this.refs.has(node.id)) this.refs.set(node.id, this.lookup(node.id.name));
    this.walkFunction(node);
  }

  private walkFunction(fn: N): void {
    const outer = this.scope;
    if (fn.type === 'FunctionExpression' && fn.id) {
      this.open(fn.id, false, outer ? outer.fnNode : null);
      this.declare(this.scope!, fn.id, 'self');
    }
    const declared = fn.type === 'FunctionDeclaration' && fn.id ? this.refs.get(fn.id) ?? null : null;
    this.fnStack.push({ node: fn, entry: ++this.order, hoisted: fn.type === 'FunctionDeclaration', binding: declared, scope: outer });
    const s = this.open(fn, true, fn);
    const outerStrict = this.strict;
    this.strict = this.strict || hasUseStrict(fn.body);
    for (const p of fn.params as N[]) for (const id of patternNames(p)) this.declare(s, id, 'param');
    const body = fn.body as N;
    if (body.type === 'BlockStatement') {
      this.collectVars(body.body as N, s);
      this.collectLexical(body.body as N[], s);
    }
    for (const p of fn.params as N[]) this.walkPatternDecl(p);
    if (body.type === 'BlockStatement') this.walkStatements(s, body.body as N[]);
    else this.walk(body);
    this.fnStack.pop();
    this.strict = outerStrict;
    this.scope = outer;
  }

  /**
   * A class: its heritage, then a scope holding its inner name (const), computed keys, methods (as
   * functions), field initialisers and static blocks (code that runs later, with its own `this`).
   * A declaration's outer name is initialised after the whole class is evaluated.
   */
  private walkClass(node: N): void {
    if (node.type === 'ClassDeclaration' && node.id && !this.refs.has(node.id)) this.refs.set(node.id, this.lookup(node.id.name));
    const outer = this.scope;
    const outerStrict = this.strict;
    this.strict = true;
    const s = this.openBlock(node);
    if (node.id) {
      const inner: N = { type: 'Identifier', name: node.id.name, loc: node.id.loc } as N;
      node.innerId = inner;
      this.declare(s, inner, 'const');
      this.markInit(inner);
    }
    this.walk(node.superClass);
    for (const m of (node.body?.body ?? []) as N[]) {
      if (m.computed) this.walk(m.key);
      if (m.type === 'ClassMethod' || m.type === 'ClassPrivateMethod') this.walkFunction(m);
      else if (m.type === 'StaticBlock') this.walkStaticBlock(m);
      else this.walk(m.value);
    }
    this.scope = outer;
    this.strict = outerStrict;
    if (node.type === 'ClassDeclaration' && node.id) this.markInit(node.id);
  }

  /** A static block's `var`s are its own (it is a function body run with the class as `this`). */
  private walkStaticBlock(node: N): void {
    const outer = this.scope;
    this.fnStack.push({ node, entry: ++this.order, hoisted: false, binding: null, scope: outer });
    const s = this.open(node, true, node);
    const body = node.body as N[];
    this.collectVars(body as unknown as N, s);
    this.collectLexical(body, s);
    this.walkStatements(s, body);
    this.fnStack.pop();
    this.scope = outer;
  }

  private walkBlock(node: N, stmts: N[]): void {
    const outer = this.scope;
    const s = this.openBlock(node);
    this.collectLexical(stmts, s);
    this.walkStatements(s, stmts);
    this.scope = outer;
  }

  private walkSwitch(node: N): void {
    this.walk(node.discriminant);
    const outer = this.scope;
    const s = this.openBlock(node);
    const all: N[] = [];
    for (const c of node.cases as N[]) if (c.type === 'SwitchCase') all.push(...(c.consequent as N[]));
    this.collectLexical(all, s);
    // A case's declarations can be reached from another case before they ran: always check.
    for (const b of s.bindings.values()) if (b.kind === 'let' || b.kind === 'const') b.tdz = true;
    for (const c of node.cases as N[]) {
      if (c.type !== 'SwitchCase') {
        this.walk(c);
        continue;
      }
      this.walk(c.test);
      for (const st of c.consequent as N[]) this.walk(st);
    }
    this.scope = outer;
  }

  /** for, for-in, for-of: the head's let/const bind in a scope of the loop's own. */
  private walkLoop(node: N): void {
    const outer = this.scope;
    const s = this.openBlock(node);
    const head = node.type === 'ForStatement' ? node.init : node.left;
    if (head && head.type === 'VariableDeclaration' && head.kind !== 'var') {
      for (const d of head.declarations as N[]) for (const id of patternNames(d.id)) this.declare(s, id, head.kind === 'const' ? 'const' : 'let');
    }
    if (node.type === 'ForStatement') {
      this.walk(node.init);
      this.walk(node.test);
      this.walk(node.update);
    } else {
      this.walk(node.right);
      if (head && head.type === 'VariableDeclaration') {
        for (const d of head.declarations as N[]) {
          this.walkPatternDecl(d.id);
          this.markInit(d.id);
        }
      } else this.walkAssignTarget(head);
    }
    // Loop-head bindings are initialised before any code that can see them runs.
    for (const b of s.bindings.values()) if (b.initOrder < 0) b.initOrder = this.order;
    this.walk(node.body);
    this.scope = outer;
  }

  private walkCatch(node: N): void {
    const outer = this.scope;
    const s = this.openBlock(node);
    for (const id of patternNames(node.param)) this.declare(s, id, 'catch');
    this.walkPatternDecl(node.param);
    this.walk(node.body);
    this.scope = outer;
  }

  private walkVariableDeclaration(node: N): void {
    for (const d of node.declarations as N[]) {
      if (node.kind === 'var') {
        for (const id of patternNames(d.id)) if (!this.refs.has(id)) this.refs.set(id, this.lookupVar(id.name as string));
      }
      this.walk(d.init);
      this.walkPatternDecl(d.id);
      this.markInit(d.id);
    }
  }

  /** The target of a declaration: its identifiers are writes, its defaults and computed keys are walked. */
  private walkPatternDecl(p: N | null | undefined): void {
    if (!p) return;
    switch (p.type) {
      case 'Identifier':
        if (!this.refs.has(p)) this.reference(p, true);
        return;
      case 'ObjectPattern':
        for (const prop of p.properties as N[]) {
          if (prop.type === 'RestElement') this.walkPatternDecl(prop.argument);
          else {
            if (prop.computed) this.walk(prop.key);
            this.walkPatternDecl(prop.value);
          }
        }
        return;
      case 'ArrayPattern':
        for (const e of p.elements as (N | null)[]) this.walkPatternDecl(e);
        return;
      case 'AssignmentPattern':
        this.walk(p.right);
        this.walkPatternDecl(p.left);
        return;
      case 'RestElement':
        this.walkPatternDecl(p.argument);
        return;
      default:
        this.walk(p); // member expression targets in assignment patterns, Unknown, Unsupported
    }
  }

  /** The target of an assignment (or of a for-in/of head without a declaration). */
  private walkAssignTarget(t: N | null | undefined): void {
    if (!t) return;
    if (t.type === 'Identifier') this.reference(t, true);
    else if (t.type === 'ObjectPattern' || t.type === 'ArrayPattern' || t.type === 'AssignmentPattern' || t.type === 'RestElement') this.walkAssignPattern(t);
    else this.walk(t);
  }

  private walkAssignPattern(p: N): void {
    switch (p.type) {
      case 'ObjectPattern':
        for (const prop of p.properties as N[]) {
          if (prop.type === 'RestElement') this.walkAssignTarget(prop.argument);
          else {
            if (prop.computed) this.walk(prop.key);
            this.walkAssignTarget(prop.value);
          }
        }
        return;
      case 'ArrayPattern':
        for (const e of p.elements as (N | null)[]) this.walkAssignTarget(e);
        return;
      case 'AssignmentPattern':
        this.walk(p.right);
        this.walkAssignTarget(p.left);
        return;
      case 'RestElement':
        this.walkAssignTarget(p.argument);
        return;
    }
  }
}
