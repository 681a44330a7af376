/**
 * Pass 3 (codegen), classes. A class becomes a call of a function made on the spot, so that each
 * evaluation has its own locals (the class, its private names, its computed keys):
 *
 *   rt.c0(rt.fn("", 0, function () {
 *     let $k, C_2, $p1, …;
 *     $p1 = rt.pname("#x", false, "C");              // private names
 *     $k = rt.cls("C", parent, hasParent, ctor, init, length);
 *     C_2 = $k;                                      // the inner name
 *     rt.defm($k, isStatic, kind, key, method);      // methods, getters (1), setters (2), in order
 *     rt.sinit($k, rt.fnt(…));                       // static fields and blocks, in order
 *     return $k;
 *   }), null)
 *
 * `ctor` is the constructor (rt.fnt, null for the default one) and `init` a function run on each new
 * instance (its private methods, then its fields); the runtime (src/accelerator/classes.ts) does
 * the rest. Members are functions with a receiver (emit-this.ts); `super` uses the class's local.
 */
import { namedByKey } from './computed-name.ts';
import { locArgs, str, type FnState, type Gen } from './emit-context.ts';
import { argsArray, expr, memberKey, propertyKeyName } from './emit-expression.ts';
import { emitFunction, emitHoisted, fnLength, type MemberOptions } from './emit-function.ts';
import { emitStatements } from './emit-statement.ts';
import type { Receiver } from './emit-this.ts';
import type { N } from './nodes.ts';

/** A function emitted by hand (not from a source function): its own temporaries and lines. */
function inFunction(g: Gen, body: () => void, extraLocals: string[] = []): string {
  const saved = { lines: g.lines.splice(0), fn: g.fn, indent: g.indent };
  const fnState: FnState = { temps: [], free: [] };
  g.fn = fnState;
  g.indent = saved.indent + 1;
  body();
  const bodyLines = g.lines.splice(0);
  const pad = '  '.repeat(g.indent);
  const locals = [...extraLocals, ...fnState.temps];
  if (locals.length) bodyLines.unshift(`${pad}let ${locals.join(', ')};`);
  g.lines.push(...saved.lines);
  g.fn = saved.fn;
  g.indent = saved.indent;
  return bodyLines.join('\n') + '\n' + '  '.repeat(g.indent);
}

function memberName(m: N): string {
  if (!m.key) return '';
  if (m.key?.type === 'PrivateName') return `#${m.key.id.name as string}`;
  return literalKey(m) ?? wellKnownSymbolName(m) ?? '';
}

/** `[Symbol.iterator]` and `[Symbol.asyncIterator]` name their function by the symbol's description, known here. */
export function wellKnownSymbolName(m: N): string | null {
  const k = m.computed ? (m.key as N | undefined) : undefined;
  if (k?.type !== 'MemberExpression' || k.computed || k.object?.type !== 'Identifier' || k.object.name !== 'Symbol') return null;
  const p = k.property?.type === 'Identifier' ? (k.property.name as string) : '';
  return p === 'iterator' || p === 'asyncIterator' ? `[Symbol.${p}]` : null;
}

/** The key's name when the source spells it (`x`, `'x'`, `1`, `['x']`, `[1]`), else null. */
function literalKey(m: N): string | null {
  if (m.computed && m.key.type !== 'StringLiteral' && m.key.type !== 'NumericLiteral') return null;
  return propertyKeyName(m.key);
}

/**
 * A computed key whose value names a function only at run time: Node's `name` would be the key's. A
 * method (`[k]() {}`) is named by rt.defm, a field's function (`[k] = () => 1`) by rt.deff
 * (src/accelerator/function-names.ts); an anonymous class is not.
 */
function runtimeNamed(m: N): boolean {
  if (!m.computed || literalKey(m) !== null || wellKnownSymbolName(m) !== null) return false;
  if (m.type === 'ClassMethod') return false;
  return fieldNamedByKey(m) === 'class';
}

/** A field under a computed key whose value is an anonymous function ('function': rt.deff names it) or class. */
function fieldNamedByKey(m: N): 'function' | 'class' | null {
  if (m.type !== 'ClassProperty' || !m.computed || !m.value || literalKey(m) !== null || wellKnownSymbolName(m) !== null) return null;
  return namedByKey(m);
}

function unsupported(what: string, n: N): string {
  return `rt.unsupported(${str(what)}, ${locArgs(n)})`;
}

/** A receiver for code emitted by hand: field initialisers and static blocks. */
function handReceiver(g: Gen, classLocal: string, isStatic: boolean): Receiver {
  const id = ++g.uniq;
  return { thisName: `$this${id}`, ntName: `$nt${id}`, argsName: `$args${id}`, argumentsLocal: null, argumentsProblem: null, sloppy: false, derived: false, classLocal, isStatic, field: true };
}

/** `rt.fnt("", 0, 0, function ($this, $nt, $args) { … })` around hand-emitted statements with `this` the receiver. */
function withReceiver(g: Gen, r: Receiver, body: () => void): string {
  const saved = { receiver: g.receiver, strict: g.strict, derivedCtor: g.derivedCtor };
  g.receiver = r;
  g.strict = true;
  g.derivedCtor = false;
  const text = inFunction(g, body);
  g.receiver = saved.receiver;
  g.strict = saved.strict;
  g.derivedCtor = saved.derivedCtor;
  return `rt.fnt("", 0, 0, function (${r.thisName}, ${r.ntName}, ${r.argsName}) {\n${text}})`;
}

export function emitClass(g: Gen, n: N, nameHint?: string): string {
  const name = n.id ? (n.id.name as string) : (nameHint ?? '');
  const members = (n.body?.body ?? []) as N[];
  for (const m of members) {
    if (m.type === 'ClassAccessorProperty' || m.decorators?.length) return unsupported('class-accessor-or-decorator', m);
    if (m.type === 'ClassPrivateMethod' && m.kind !== 'method') return unsupported('private-accessor', m);
    // Async, generator and async generator methods compile to rt.afnt / rt.gfnt / rt.agfnt (emit-async.ts).
    if (m.type === 'ClassMethod' && m.kind === 'constructor' && m.computed) return unsupported('computed-constructor', m);
    if (runtimeNamed(m)) return unsupported('computed-function-name', m);
  }
  if (n.decorators?.length) return unsupported('decorator', n);
  const k = `$k${++g.uniq}`;
  const privates = new Map<string, string>();
  const privateMethods = new Set<string>();
  for (const m of members) {
    if (m.key?.type !== 'PrivateName') continue;
    const p = `#${m.key.id.name as string}`;
    if (!privates.has(p)) privates.set(p, `$p${++g.uniq}`);
    if (m.type === 'ClassPrivateMethod') privateMethods.add(p);
  }
  const derived = n.superClass !== null && n.superClass !== undefined;
  const inner = n.innerId ? g.binding(n.innerId) : null;
  const locals = [k, ...(inner ? [inner.js] : []), ...privates.values()];
  g.privates.push(privates);
  const body = inFunction(g, () => {
    for (const [p, local] of privates) g.line(`${local} = rt.pname(${str(p)}, ${privateMethods.has(p) ? 'true' : 'false'}, ${str(name)});`);
    const parent = derived ? expr(g, n.superClass) : 'null';
    const ctorNode = members.find((m) => m.type === 'ClassMethod' && m.kind === 'constructor');
    const cls = { classLocal: k, isStatic: false, derived };
    const ctor = ctorNode ? emitFunction(g, ctorNode, undefined, { name, cls, ctor: true }) : 'null';
    const length = ctorNode ? fnLength(ctorNode.params as N[]) : 0;
    // Instance elements run per new object; static ones once, in order, after the methods exist.
    const instanceInit: (() => void)[] = [];
    const staticInit: (() => void)[] = [];
    const defs: string[] = [];
    const ir = handReceiver(g, k, false);
    const sr = handReceiver(g, k, true);
    for (const m of members) {
      if (m === ctorNode) continue;
      const isStatic = m.static === true;
      const opts: MemberOptions = { name: memberName(m), cls: { classLocal: k, isStatic, derived }, ctor: false };
      if (m.type === 'ClassMethod') {
        const kind = m.kind === 'get' ? 1 : m.kind === 'set' ? 2 : 0;
        if (kind) opts.name = `${m.kind as string} ${opts.name}`;
        const key = m.computed ? expr(g, m.key) : str(propertyKeyName(m.key) ?? '');
        defs.push(`rt.defm(${k}, ${isStatic}, ${kind}, ${key}, ${emitFunction(g, m, undefined, opts)});`);
      } else if (m.type === 'ClassPrivateMethod') {
        const fnLocal = g.temp();
        defs.push(`${fnLocal} = ${emitFunction(g, m, undefined, opts)};`);
        const p = privates.get(memberName(m))!;
        // Private methods are installed before any field initialiser runs.
        (isStatic ? staticInit : instanceInit).unshift(() => g.line(`rt.pdef(${isStatic ? sr.thisName : ir.thisName}, ${p}, ${fnLocal});`));
      } else if (m.type === 'ClassProperty' || m.type === 'ClassPrivateProperty') {
        let key: string;
        if (m.type === 'ClassPrivateProperty' || m.key?.type === 'PrivateName') key = '';
        else if (m.computed) {
          const t = g.temp();
          defs.push(`${t} = rt.key(${expr(g, m.key)});`);
          key = t;
        } else key = str(propertyKeyName(m.key) ?? '');
        const r = isStatic ? sr : ir;
        const hint = m.computed ? undefined : memberName(m);
        const init = (): void => {
          const v = m.value ? expr(g, m.value, hint) : 'void 0';
          if (key === '') g.line(`rt.pdef(${r.thisName}, ${privates.get(memberName(m))!}, ${v});`, m);
          else g.line(`rt.deff(${r.thisName}, ${key}, ${v}${fieldNamedByKey(m) === 'function' ? ', true' : ''});`, m);
        };
        (isStatic ? staticInit : instanceInit).push(init);
      } else if (m.type === 'StaticBlock') {
        staticInit.push(() => {
          const scope = g.scopes.scopes.get(m);
          g.line('{');
          emitHoisted(g, scope, m.body as N[]);
          emitStatements(g, m.body as N[]);
          g.line('}');
        });
      } else defs.push(`${unsupported(`syntax:${String(m.type)}`, m)};`);
    }
    const init = instanceInit.length ? withReceiver(g, ir, () => instanceInit.forEach((f) => f())) : 'null';
    g.line(`${k} = rt.cls(${str(name)}, ${parent}, ${derived}, ${ctor}, ${init}, ${length});`, n);
    if (inner) g.line(`${inner.js} = ${k};`);
    for (const d of defs) g.line(d);
    if (staticInit.length) g.line(`rt.sinit(${k}, ${withReceiver(g, sr, () => staticInit.forEach((f) => f()))});`);
    g.line(`return ${k};`);
  }, locals);
  g.privates.pop();
  return `rt.c0(rt.fn("", 0, function () {\n${body}}), null)`;
}

export function classDeclaration(g: Gen, n: N): void {
  const b = g.binding(n.id)!;
  const value = emitClass(g, n);
  g.line(b.tdz ? `${b.js} = ${value};` : `let ${b.js} = ${value};`, n);
}

/** The local of a `#name` in the classes being emitted, or null (a syntax error Node would not run). */
export function privateLocal(g: Gen, p: N): string | null {
  const name = `#${p.id.name as string}`;
  for (let i = g.privates.length - 1; i >= 0; i--) {
    const l = g.privates[i]!.get(name);
    if (l !== undefined) return l;
  }
  return null;
}

/** `super(…)`: only in a derived class's constructor (or its arrows). */
export function superCall(g: Gen, n: N): string {
  const r = g.receiver;
  if (r === null || !r.derived || r.classLocal === null || r.isStatic) return unsupported('super', n);
  return `(${r.thisName} = rt.supc(${r.classLocal}, ${r.ntName}, ${r.thisName}, ${argsArray(g, n.arguments as N[])}))`;
}

/** `super.x` / `super[x]` as a value. */
export function superRead(g: Gen, n: N): string {
  const r = g.receiver;
  if (r === null || r.classLocal === null) return unsupported('super', n);
  return `rt.supget(${r.classLocal}, ${r.isStatic}, ${r.thisName}, ${memberKey(g, n)})`;
}

/** `super.m(…)`: the parent's method called with this `this`. */
export function superMethodCall(g: Gen, n: N): string {
  const callee = n.callee as N;
  const r = g.receiver;
  if (r === null || r.classLocal === null) return unsupported('super', n);
  const text = !callee.computed && callee.property?.type === 'Identifier' ? `(intermediate value).${callee.property.name as string}` : null;
  return `rt.supcall(${r.classLocal}, ${r.isStatic}, ${r.thisName}, ${memberKey(g, callee)}, ${text === null ? 'null' : str(text)}, ${argsArray(g, n.arguments as N[])})`;
}

/**
 * An object literal with getters or setters: `rt.obja([keys], [kinds], [values])`, kinds 0 (a value),
 * 1 (a getter), 2 (a setter). Keys are literals (computed keys and spread with accessors abort), so
 * evaluating the values in order is Node's order.
 */
export function objectWithAccessors(g: Gen, n: N): string {
  const keys: string[] = [];
  const kinds: number[] = [];
  const values: string[] = [];
  for (const p of n.properties as N[]) {
    if (p.type === 'SpreadElement' || p.computed) return unsupported('object-accessor-with-spread-or-computed-key', p);
    const name = propertyKeyName(p.key);
    if (name === null || (name === '__proto__' && p.type === 'ObjectProperty' && !p.shorthand)) return unsupported('object-accessor-key', p);
    keys.push(str(name));
    if (p.type === 'ObjectMethod') {
      const kind = p.kind === 'get' ? 1 : p.kind === 'set' ? 2 : 0;
      kinds.push(kind);
      values.push(emitFunction(g, p, kind ? `${p.kind as string} ${name}` : name));
    } else {
      kinds.push(0);
      values.push(expr(g, p.value, name));
    }
  }
  return `rt.obja([${keys.join(', ')}], [${kinds.join(', ')}], [${values.join(', ')}])`;
}

/** The strings array of a tagged template (its site is numbered per compilation): `rt.tsite(site, [cooked], [raw])`. */
export function templateStrings(g: Gen, n: N): string {
  const quasis = n.quasi.quasis as N[];
  const cooked = quasis.map((q) => (typeof q.value.cooked === 'string' ? str(q.value.cooked as string) : 'void 0'));
  const raw = quasis.map((q) => str(q.value.raw as string));
  return `rt.tsite(${++g.uniq}, [${cooked.join(', ')}], [${raw.join(', ')}])`;
}
