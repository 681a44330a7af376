/**
 * Pass 3 (codegen), receivers: `this`, `arguments`, `new.target` and `super`. A function that uses
 * them (itself or through its arrows) becomes `rt.fnt(name, length, flags, function ($tN, $ntN,
 * $aN, …params) {…})`: the runtime calls its native function with the receiver, new.target and the
 * argument list first (src/accelerator/classes.ts). Arrows see their enclosing function's locals, so
 * lexical `this` is just a local. Only functions that use them pay for the convention.
 */
import { locArgs, str, type Gen } from './emit-context.ts';
import { patternNames } from './scope.ts';
import type { N } from './nodes.ts';

/** What compiled code of one function calls its receiver, new.target and argument list. */
export interface Receiver {
  thisName: string;
  ntName: string;
  argsName: string;
  /** The arguments object's local, when the function uses `arguments`; or why it cannot. */
  argumentsLocal: string | null;
  argumentsProblem: string | null;
  sloppy: boolean;
  /** A derived class's constructor: `this` is checked (super() not called yet). */
  derived: boolean;
  /** Inside a class member: the local holding the class (for super), and whether static. */
  classLocal: string | null;
  isStatic: boolean;
  /** Field initialisers: new.target is undefined, arguments is a syntax error. */
  field: boolean;
}

/** Flags of rt.fnt (src/accelerator/classes.ts). */
const FN_CONSTRUCTIBLE = 1;
const FN_ARGUMENTS = 2;
const FN_SLOPPY = 4;
const FN_MAPPED = 8;

/** Node types with a `this` of their own: nothing inside them is the enclosing function's. */
const OWN_THIS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ObjectMethod', 'ClassMethod', 'ClassPrivateMethod', 'StaticBlock']);

export interface Uses {
  this: boolean;
  arguments: boolean;
  newTarget: boolean;
  super: boolean;
}

const usesCache = new WeakMap<N, Uses>();

/** What a function's own code (its parameters, body and arrows, not nested functions or class bodies) uses. */
export function receiverUses(fn: N): Uses {
  const cached = usesCache.get(fn);
  if (cached) return cached;
  const u: Uses = { this: false, arguments: false, newTarget: false, super: false };
  const walk = (n: unknown, parent: N | null, key: string): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) walk(x, parent, key);
      return;
    }
    const node = n as N;
    if (typeof node.type !== 'string') return;
    if (OWN_THIS.has(node.type)) {
      if (node.computed) walk(node.key, node, 'key');
      return;
    }
    switch (node.type) {
      case 'ThisExpression':
        u.this = true;
        return;
      case 'Super':
        u.super = true;
        u.this = true;
        return;
      case 'MetaProperty':
        if (node.meta?.name === 'new') u.newTarget = true;
        return;
      case 'Identifier':
        if (node.name === 'arguments' && isReference(parent, key)) u.arguments = true;
        return;
      case 'ClassProperty':
      case 'ClassPrivateProperty':
      case 'ClassAccessorProperty':
        if (node.computed) walk(node.key, node, 'key');
        return; // the initialiser's `this` is the instance (or the class)
      default:
        break;
    }
    for (const k of Object.keys(node)) {
      if (k === 'loc' || k === 'type' || k === 'extra') continue;
      walk(node[k], node, k);
    }
  };
  for (const p of (fn.params ?? []) as N[]) walk(p, fn, 'params');
  walk(fn.body, fn, 'body');
  usesCache.set(fn, u);
  return u;
}

function isReference(parent: N | null, key: string): boolean {
  if (!parent) return true;
  if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && key === 'property') return parent.computed === true;
  if ((parent.type === 'ObjectProperty' || parent.type === 'ObjectMethod' || parent.type === 'ClassMethod' || parent.type === 'ClassProperty') && key === 'key') return parent.computed === true;
  if (parent.type === 'LabeledStatement' || parent.type === 'BreakStatement' || parent.type === 'ContinueStatement') return key !== 'label';
  return true;
}

/** Names called with `new`, read as `X.prototype` or used after `instanceof`: their functions are constructors. */
export function constructorNames(program: N): Set<string> {
  const names = new Set<string>();
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    const node = n as N;
    if (node.type === 'NewExpression' && node.callee?.type === 'Identifier') names.add(node.callee.name as string);
    if (node.type === 'MemberExpression' && !node.computed && node.property?.name === 'prototype' && node.object?.type === 'Identifier') names.add(node.object.name as string);
    if (node.type === 'BinaryExpression' && node.operator === 'instanceof' && node.right?.type === 'Identifier') names.add(node.right.name as string);
    if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
      if (node.superClass?.type === 'Identifier') names.add(node.superClass.name as string);
    }
    for (const k of Object.keys(node)) if (k !== 'loc' && k !== 'extra') walk(node[k]);
  };
  walk(program);
  return names;
}

/** Whether a function expression or declaration compiles with a receiver. */
export function needsReceiver(g: Gen, n: N, name: string): boolean {
  if (n.type === 'ArrowFunctionExpression') return false;
  if (n.type === 'ClassMethod' || n.type === 'ClassPrivateMethod') return true;
  const u = receiverUses(n);
  if (u.this || u.arguments || u.newTarget || u.super) return true;
  return (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression') && name !== '' && g.constructorNames.has(name);
}

function simpleParams(n: N): boolean {
  return (n.params as N[]).every((p) => p.type === 'Identifier');
}

/** Opens the receiver of a function compiled with rt.fnt: its native parameters and flags. */
export function openReceiver(g: Gen, n: N, strict: boolean, cls: { classLocal: string | null; isStatic: boolean; derived: boolean } | null): { receiver: Receiver; params: string[]; flags: number } {
  const id = ++g.uniq;
  const u = receiverUses(n);
  const sloppy = !strict;
  const mapped = sloppy && simpleParams(n);
  let argumentsLocal: string | null = null;
  let argumentsProblem: string | null = null;
  if (u.arguments) {
    argumentsLocal = `$arguments${id}`;
    // A mapped arguments object aliases the parameters: writes to a parameter would show through it.
    const assigned = (n.params as N[]).flatMap((p) => patternNames(p)).some((p) => g.binding(p)?.assigned === true);
    if (mapped && assigned) argumentsProblem = 'arguments-mapped (a parameter is assigned)';
  }
  let flags = 0;
  if ((n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression') && !n.async && !n.generator) flags |= FN_CONSTRUCTIBLE;
  if (u.arguments) flags |= FN_ARGUMENTS;
  if (sloppy) flags |= FN_SLOPPY;
  if (mapped) flags |= FN_MAPPED;
  const receiver: Receiver = {
    thisName: `$this${id}`,
    ntName: `$nt${id}`,
    argsName: `$args${id}`,
    argumentsLocal,
    argumentsProblem,
    sloppy,
    derived: cls?.derived ?? false,
    classLocal: cls?.classLocal ?? null,
    isStatic: cls?.isStatic ?? false,
    field: false,
  };
  return { receiver, params: [receiver.thisName, receiver.ntName, receiver.argsName], flags };
}

/** The prologue line that makes the arguments object, if the function uses it. */
export function argumentsPrologue(r: Receiver, flags: number): string | null {
  if (r.argumentsLocal === null || r.argumentsProblem !== null) return null;
  return `let ${r.argumentsLocal} = rt.args(${r.argsName}, ${flags});`;
}

export function emitThis(g: Gen, n: N): string {
  const r = g.receiver;
  if (r === null) return `rt.unsupported("this", ${locArgs(n)})`;
  if (r.derived) return `rt.dthis(${r.thisName})`;
  if (r.sloppy) return `rt.sthis(${r.thisName})`;
  return r.thisName;
}

export function emitNewTarget(g: Gen, n: N): string {
  const r = g.receiver;
  if (r === null) return `rt.unsupported("new.target", ${locArgs(n)})`;
  if (r.field) return '(void 0)';
  return r.ntName;
}

/** `arguments` that is no binding of the program: the function's arguments object. */
export function emitArguments(g: Gen, n: N): string {
  const r = g.receiver;
  if (r === null || r.field || r.argumentsLocal === null) return `rt.unsupported("arguments", ${locArgs(n)})`;
  if (r.argumentsProblem !== null) return `rt.unsupported(${str(r.argumentsProblem)}, ${locArgs(n)})`;
  return r.argumentsLocal;
}
