import { createHash } from 'node:crypto';
import { VISITOR_KEYS, getBindingIdentifiers } from '@babel/types';
import type * as t from '@babel/types';
import type { ArmInfo, ArmKind, FunctionInfo, Loc, Skeleton, UnsupportedInfo } from '../trace/index.ts';
import { armKindFor, FUNCTIONS, LOOPS } from './arm-kinds.ts';
import { namedEvaluationName, staticKeyName } from './naming.ts';
import { parseFunctionSource } from './parse.ts';
import { unsupportedWhat } from './unsupported.ts';
import type { Edit } from './splice.ts';

/** The top-level binding instrumented code records through (supplied via loadFunction's `bindings`). */
export const MARKER_BINDING = '$__cl';

export interface Analysis {
  skeleton: Skeleton;
  /** Insertions that add the arm markers (see instrument.ts). */
  edits: Edit[];
}

const locOf = (node: t.Node): Loc => ({ line: node.loc!.start.line, column: node.loc!.start.column });

/** Scans past `)`, whitespace and comments to the `:` ending a `case X` / `default` label. */
function colonAfter(source: string, from: number): number {
  let i = from;
  while (i < source.length) {
    const c = source[i];
    if (c === ':') return i;
    if (source.startsWith('//', i)) i = source.indexOf('\n', i) === -1 ? source.length : source.indexOf('\n', i);
    else if (source.startsWith('/*', i)) i = source.indexOf('*/', i) + 2;
    else i++;
  }
  throw new Error(`no ':' after switch case at offset ${from}`);
}

class Analyzer {
  readonly arms: ArmInfo[] = [];
  readonly functions: FunctionInfo[] = [];
  readonly unsupported: UnsupportedInfo[] = [];
  readonly armRoots = new Map<t.Node, number>();
  readonly unsupportedNodes = new Map<t.Node, UnsupportedInfo>();
  readonly functionNodes = new Map<t.Node, FunctionInfo>();
  readonly edits: Edit[] = [];
  /** Identifiers that declare a binding (so `arguments` there is not a use). */
  private readonly declared = new WeakSet<t.Node>();
  /** Start offsets of expression statements: a `(` inserted there could join the previous line (ASI). */
  private readonly statementStarts = new Set<number>();
  /** Ancestors of the node being visited; keys[i] is the key, in ancestors[i], of the next node down. */
  private readonly ancestors: t.Node[] = [];
  private readonly keys: string[] = [];
  private seq = 0;

  constructor(private readonly source: string) {}

  private open(pos: number, text: string): void {
    this.edits.push({ pos, end: pos, text, order: 1, seq: this.seq++ });
  }
  private close(pos: number, text: string): void {
    this.edits.push({ pos, end: pos, text, order: 0, seq: this.seq++ });
  }

  private newArm(kind: ArmKind, node: t.Node, fnId: string | null): number {
    const id = this.arms.length;
    this.arms.push({ id, kind, loc: locOf(node), fnId });
    return id;
  }

  run(program: t.Program): void {
    const arm = this.newArm('program', program, null);
    this.armRoots.set(program, arm);
    this.markBlockStart(program, arm);
    this.visitChildren(program, null);
  }

  private visit(node: t.Node, key: string, fnId: string | null): void {
    const parent = this.ancestors[this.ancestors.length - 1];
    const kind = armKindFor(parent, key, node);
    const arm = kind === undefined ? undefined : this.newArm(kind, node, fnId);
    if (arm !== undefined) this.armRoots.set(node, arm);

    const what = unsupportedWhat(node, () => this.isReference(node, parent, key));
    if (what) {
      const uArm = arm ?? this.newArm('unsupported', node, fnId);
      const info: UnsupportedInfo = { what, arm: uArm, loc: locOf(node) };
      this.unsupported.push(info);
      this.unsupportedNodes.set(node, info);
      // An unsupported arm root shares the arm: its marker records reaching the node too.
      if (arm !== undefined) this.markArm(node, arm, parent, key);
      else this.markUnsupported(node, uArm, key);
      return; // opaque: nothing inside is traced
    }
    if (arm !== undefined) this.markArm(node, arm, parent, key);

    let innerFnId = fnId;
    if (FUNCTIONS.has(node.type)) {
      const fn = node as t.Function;
      const loc = locOf(fn);
      innerFnId = `${loc.line}:${loc.column}`;
      const info: FunctionInfo = { fnId: innerFnId, name: this.functionName(fn, parent, key), loc, bodyArm: -1, parentFnId: fnId };
      this.functions.push(info);
      this.functionNodes.set(fn, info);
      for (const p of fn.params) this.declare(p);
      if ((fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression') && fn.id) this.declared.add(fn.id);
    } else if (node.type === 'VariableDeclarator') {
      this.declare(node.id);
    } else if (node.type === 'CatchClause' && node.param) {
      this.declare(node.param);
    } else if (node.type === 'ExpressionStatement') {
      this.statementStarts.add(node.start!);
    }
    this.visitChildren(node, innerFnId);
    if (FUNCTIONS.has(node.type)) {
      const info = this.functionNodes.get(node)!;
      info.bodyArm = this.armRoots.get((node as t.Function).body)!;
    }
  }

  private visitChildren(node: t.Node, fnId: string | null): void {
    this.ancestors.push(node);
    for (const key of VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      this.keys.push(key);
      if (Array.isArray(child)) {
        for (const c of child) if (c) this.visit(c as t.Node, key, fnId);
      } else if (child && typeof child === 'object') {
        this.visit(child as t.Node, key, fnId);
      }
      this.keys.pop();
    }
    this.ancestors.pop();
  }

  private declare(pattern: t.Node): void {
    const ids = getBindingIdentifiers(pattern, true) as Record<string, t.Identifier[]>;
    for (const list of Object.values(ids)) for (const id of list) this.declared.add(id);
  }

  private isReference(node: t.Node, parent: t.Node, key: string): boolean {
    if (this.declared.has(node)) return false;
    const computed = (parent as { computed?: boolean }).computed === true;
    switch (parent.type) {
      case 'MemberExpression':
      case 'OptionalMemberExpression':
        return key !== 'property' || computed;
      case 'ObjectProperty':
      case 'ObjectMethod':
      case 'ClassMethod':
      case 'ClassProperty':
        return key !== 'key' || computed;
      case 'LabeledStatement':
      case 'BreakStatement':
      case 'ContinueStatement':
        return key !== 'label';
      default:
        return true;
    }
  }

  private functionName(fn: t.Function, parent: t.Node, key: string): string {
    if ((fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression') && fn.id) return fn.id.name;
    if (fn.type === 'ObjectMethod' || fn.type === 'ClassMethod') return staticKeyName(fn.key, fn.computed) ?? '';
    if (fn.type === 'ClassPrivateMethod') return `#${fn.key.id.name}`;
    return namedEvaluationName(fn, parent, key) ?? '';
  }

  private marker(arm: number): string {
    return `${MARKER_BINDING}.p[${arm}] = 1`;
  }

  /** Statement marker at the start of a block (or the program), after its directive prologue. */
  private markBlockStart(block: t.BlockStatement | t.Program, arm: number): void {
    const last = block.directives[block.directives.length - 1];
    let pos = last ? last.end! : block.type === 'Program' ? 0 : block.start! + 1;
    if (block.type === 'Program' && !last && block.interpreter) {
      // A `#!` line is a comment up to the end of its line: the marker goes on the next line.
      const eol = this.source.slice(block.interpreter.end!).search(/[\n\r\u2028\u2029]/);
      pos = eol === -1 ? this.source.length : block.interpreter.end! + eol + 1;
      if (this.source[pos - 1] === '\r' && this.source[pos] === '\n') pos++; // CRLF is one line break
      if (eol === -1) {
        this.open(pos, `\n${this.marker(arm)};`);
        return;
      }
    }
    this.open(pos, `${last ? ';' : ''}${this.marker(arm)};`);
  }

  private markArm(node: t.Node, arm: number, parent: t.Node, key: string): void {
    if (node.type === 'SwitchCase') {
      const from = node.test ? node.test.end! : node.start! + 'default'.length;
      this.open(colonAfter(this.source, from) + 1, ` ${this.marker(arm)};`);
    } else if (node.type === 'BlockStatement') {
      this.markBlockStart(node, arm);
    } else if (parent.type === 'IfStatement' || LOOPS.has(parent.type)) {
      // A single-statement body becomes a block (same meaning, Annex B included).
      this.open(node.start!, `{${this.marker(arm)}; `);
      this.close(node.end!, ' }');
    } else if (!this.wrap(node, arm, this.ancestors.length - 1, key)) {
      this.arms[arm].untraced = true;
    }
  }

  /**
   * Whether V8 may print the source text of the node under `key` of `ancestors[depth]` in an error
   * message ("(a || b).f is not a function", "Cannot destructure … of '(a || b)'"). A marker there
   * would show in the message, so such nodes are left unmarked. V8 prints callees, tags, for-of and
   * spread operands and destructured values, down through operators and member accesses, but not
   * into conditionals, functions, call arguments or object literals (measured on Node 20).
   */
  private isPrinted(depth: number, key: string): boolean {
    let k = key;
    for (let j = depth; j >= 0; j--) {
      const p = this.ancestors[j];
      if (p.type === 'ConditionalExpression' || p.type === 'ObjectExpression' || FUNCTIONS.has(p.type)) return false;
      if (p.type === 'CallExpression' || p.type === 'OptionalCallExpression' || p.type === 'NewExpression') {
        if (k === 'callee') return true;
        if (k === 'arguments') return false;
      }
      if (p.type === 'TaggedTemplateExpression' || p.type === 'SpreadElement') return true;
      if (p.type === 'ForOfStatement' && k === 'right') return true;
      if (p.type === 'VariableDeclarator' && k === 'init' && p.id.type !== 'Identifier') return true;
      if (p.type === 'AssignmentExpression' && k === 'right' && (p.left.type === 'ObjectPattern' || p.left.type === 'ArrayPattern')) return true;
      if (p.type === 'Program' || /Statement$|Declaration$/.test(p.type)) return false;
      k = this.keys[j - 1] ?? '';
    }
    return false;
  }

  /**
   * `(marker, expr)` around the node under `key` of `ancestors[depth]`, keeping the name an anonymous
   * function would get from its position. False when the node cannot be marked unobservably.
   */
  private wrap(node: t.Node, arm: number, depth: number, key: string): boolean {
    const parent = this.ancestors[depth];
    const name = namedEvaluationName(node, parent, key);
    if (name === null || this.isPrinted(depth, key)) return false; // a run-time name, or text V8 may print
    let pre = `(${this.marker(arm)}, `;
    let post = ')';
    if (name !== undefined) {
      const quoted = JSON.stringify(name);
      pre += `{ [${quoted}]: `;
      post = ` }[${quoted}])`;
    }
    if (this.statementStarts.has(node.start!)) pre = `;${pre}`;
    // `{ arguments }` is shorthand for `{ arguments: arguments }`: spell out the key before wrapping.
    if (parent.type === 'ObjectProperty' && parent.shorthand && key === 'value') pre = `${this.source.slice(parent.key.start!, parent.key.end!)}: ${pre}`;
    this.open(node.start!, pre);
    this.close(node.end!, post);
    return true;
  }

  private markUnsupported(node: t.Node, arm: number, key: string): void {
    if (node.type === 'ClassPrivateMethod') {
      this.arms[arm].untraced = true; // a private name cannot carry a marker
      return;
    }
    if (node.type === 'ObjectMethod' || node.type === 'ClassMethod') {
      // Getters, setters, async and generator methods: mark inside a computed key ("get x" keeps its name).
      const k = node.key;
      if (node.computed) {
        this.open(k.start!, `(${this.marker(arm)}, `);
        this.close(k.end!, ')');
      } else {
        const quote = k.type === 'Identifier' ? '"' : '';
        this.open(k.start!, `[(${this.marker(arm)}, ${quote}`);
        this.close(k.end!, `${quote})]`);
      }
      return;
    }
    if (/Statement|Declaration$/.test(node.type)) {
      let i = this.ancestors.length - 1;
      let top: t.Node = node;
      while (i >= 0 && this.ancestors[i].type === 'LabeledStatement') top = this.ancestors[i--];
      this.open(top.start!, `${this.marker(arm)}; `);
      return;
    }
    const target = this.wrapTarget(node, key);
    if (!target || !this.wrap(target.node, arm, target.depth, target.key)) this.arms[arm].untraced = true;
  }

  /**
   * The expression to wrap for an unsupported `arguments` or `super`: wrapping a reference must not
   * change a call's `this`, an assignment target, `delete`, or an optional chain's short-circuit.
   * `depth` is the index of its parent in `ancestors`. Null for a destructuring target (left unmarked).
   */
  private wrapTarget(node: t.Node, key: string): { node: t.Node; depth: number; key: string } | null {
    const anc = this.ancestors;
    let i = anc.length - 1; // anc[i] is the parent of cur
    let cur = node;
    let curKey = key;
    const up = () => {
      cur = anc[i];
      curKey = this.keys[i - 1] ?? '';
      i--;
    };
    if (node.type !== 'Identifier' && node.type !== 'Super') return { node, depth: i, key };
    if (node.type === 'Super') {
      up();
      while (i >= 0 && (anc[i].type === 'OptionalMemberExpression' || anc[i].type === 'OptionalCallExpression') && (curKey === 'object' || curKey === 'callee')) up();
    }
    const p = anc[i];
    if ((p.type === 'CallExpression' || p.type === 'OptionalCallExpression') && curKey === 'callee') up();
    else if (p.type === 'AssignmentExpression' && curKey === 'left') up();
    else if (p.type === 'UpdateExpression') up();
    else if (p.type === 'UnaryExpression' && p.operator === 'delete') up();
    else if (
      p.type === 'ArrayPattern' || p.type === 'RestElement' || (p.type === 'AssignmentPattern' && curKey === 'left') ||
      (p.type === 'ObjectProperty' && curKey === 'value' && anc[i - 1]?.type === 'ObjectPattern') ||
      ((p.type === 'ForInStatement' || p.type === 'ForOfStatement') && curKey === 'left')
    ) return null;
    return { node: cur, depth: i, key: curKey };
  }
}

export function analyze(source: string): Analysis {
  const ast = parseFunctionSource(source);
  const a = new Analyzer(source);
  a.run(ast.program);
  const skeleton: Skeleton = {
    source,
    sha256: createHash('sha256').update(source, 'utf8').digest('hex'),
    ast,
    armCount: a.arms.length,
    arms: a.arms,
    functions: a.functions,
    unsupported: a.unsupported,
    armRoots: a.armRoots,
    unsupportedNodes: a.unsupportedNodes,
    functionNodes: a.functionNodes,
  };
  return { skeleton, edits: a.edits };
}

/**
 * The unsupported constructs of a parsed file, as the tracer marks them (outermost only: nothing
 * inside an unsupported node is traced), for a file the tracer does not parse itself: an ES module
 * before its conversion to CommonJS, so positions are the author's.
 */
export function unsupportedIn(ast: t.File, source: string): UnsupportedInfo[] {
  const a = new Analyzer(source);
  a.run(ast.program);
  return a.unsupported;
}
