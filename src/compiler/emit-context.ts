/**
 * Shared state of code generation: the scope pass's result, per-function temporaries, output lines
 * with source-location comments (the runtime maps a generated line back to the source line of an
 * abort from these comments, so aborts carry locations at no run-time cost).
 */
import { CompileError } from './errors.ts';
import { posOf, type N, type Pos } from './nodes.ts';
import type { Binding, ScopeInfo } from './scope.ts';
import type { Receiver } from './emit-this.ts';

/** What codegen knows of an expression's type before it runs (null: anything). */
export type StaticType = 'num' | 'str' | 'bool' | null;

export interface FnState {
  temps: string[];
  free: string[];
  /** The function is async: `await` compiles to `yield` (emit-async.ts). */
  async?: boolean;
  /** The function is a generator: `yield` compiles to `yield` (emit-async.ts). */
  generator?: boolean;
}

export class Gen {
  readonly lines: string[] = [];
  indent = 1;
  fn: FnState = { temps: [], free: [] };
  private tempCounter = 0;
  /** Counter for loop and catch variables (per compilation, so output is deterministic). */
  uniq = 0;
  stats = { functions: 0, unknown: 0, unsupported: 0 };
  /** Strict mode code throws on writes to primitives; sloppy code ignores them. */
  strict = false;
  /** The receiver of the function being emitted (emit-this.ts), null outside functions that have one. */
  receiver: Receiver | null = null;
  /** Emitting a derived class constructor's own body (its returns go through rt.dret). */
  derivedCtor = false;
  /** Private names of the classes being emitted, innermost last: `#x` → its local (emit-class.ts). */
  privates: Map<string, string>[] = [];
  /** Names used with `new`, `.prototype` or `instanceof` (emit-this.ts). */
  constructorNames: Set<string> = new Set();

  get put(): string {
    return this.strict ? 'rt.puts' : 'rt.put';
  }

  constructor(readonly scopes: ScopeInfo) {}

  line(text: string, node?: N | null): void {
    const pad = '  '.repeat(this.indent);
    if (node && node.loc) {
      const p = posOf(node);
      this.lines.push(`${pad}${text} //@${p.line}:${p.column}`);
    } else this.lines.push(pad + text);
  }

  /** A fresh temporary local of the current function. */
  temp(): string {
    const t = `$${++this.tempCounter}`;
    this.fn.temps.push(t);
    return t;
  }

  binding(id: N): Binding | null {
    const b = this.scopes.refs.get(id);
    if (b === undefined) throw new CompileError(`unresolved identifier ${String(id.name)}`, posOf(id));
    return b;
  }

  fail(message: string, node: N): never {
    throw new CompileError(message, posOf(node));
  }
}

export function str(s: string): string {
  // JSON string syntax is valid JavaScript string syntax (U+2028/9 are legal in ES2019 strings).
  return JSON.stringify(s);
}

export function locArgs(node: N | null | undefined): string {
  const p: Pos = posOf(node);
  return `${p.line}, ${p.column}`;
}
