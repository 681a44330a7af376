/**
 * What pass 1, scope resolution (resolve-scopes.ts), finds: the bindings of the program and of its
 * functions and blocks, and the binding every identifier refers to.
 */
import type { N } from './nodes.ts';

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
  /**
   * Set by the types pass: targets (Identifier nodes) of assignments in code no request reached that
   * store into a local the traced code keeps numeric a value not surely a number. Codegen checks the
   * value there and aborts (`unknown-path`) on a non-number, so the traced paths keep native arithmetic.
   */
  guarded?: Set<N>;
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
