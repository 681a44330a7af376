/**
 * Pass 2, numeric inference: a local is numeric when every value ever stored in it is surely a number
 * (number literals, arithmetic other than `+` of unknowns, `++`/`--`, other numeric locals). Codegen
 * then emits native arithmetic and comparisons on it, which is where most CPU-bound time goes.
 * Parameters, catch variables, patterns and anything assigned from a call are not numeric.
 *
 * Traces decide it: stores in arms no request reached (`hits: 0`, compiled generically) do not make a
 * local non-numeric when traced code keeps it numeric and the store is a plain assignment; such a
 * store is checked at run time instead (ScopeInfo.guarded) and a non-number aborts, so the request
 * is traced and the next compile sees the store as traced code. Stores that cannot be checked there
 * (patterns, for-in/of heads, declarations) count as everywhere else.
 */
import { isFunction, type N } from './nodes.ts';
import type { Binding, ScopeInfo } from './scope.ts';

const NUMERIC_BINARY = new Set(['-', '*', '/', '%', '**', '&', '|', '^', '<<', '>>', '>>>']);

/** A store into a binding: the expression (null: one we cannot see, e.g. a pattern), whether no request reached it, and the Identifier an assignment writes (where a check can go). */
interface Store {
  e: N | null;
  unseen: boolean;
  target?: N;
}

export function inferNumeric(program: N, scopes: ScopeInfo): void {
  const stores = new Map<Binding, Store[]>();
  let unseen = false;
  const add = (b: Binding | null | undefined, e: N | null, target?: N) => {
    if (!b) return;
    let l = stores.get(b);
    if (!l) stores.set(b, (l = []));
    l.push(target && unseen ? { e, unseen, target } : { e, unseen });
  };
  const addPattern = (p: N | null | undefined) => {
    if (!p) return;
    if (p.type === 'Identifier') add(scopes.refs.get(p), null);
    else if (p.type === 'ObjectPattern') for (const x of p.properties as N[]) addPattern(x.type === 'RestElement' ? x.argument : x.value);
    else if (p.type === 'ArrayPattern') for (const x of p.elements as (N | null)[]) addPattern(x);
    else if (p.type === 'AssignmentPattern') addPattern(p.left);
    else if (p.type === 'RestElement') addPattern(p.argument);
  };

  function visit(n: N | null | undefined): void {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x as N);
      return;
    }
    const outer = unseen;
    // An arm root no request reached; a switch case's test runs before its arm, so only its consequent is unseen.
    const unhit = typeof n.arm === 'number' && n.hits === 0;
    if (unhit && n.type !== 'SwitchCase') unseen = true;
    switch (n.type) {
      case 'VariableDeclarator':
        if (n.id.type === 'Identifier') add(scopes.refs.get(n.id), n.init ?? null);
        else addPattern(n.id);
        break;
      case 'AssignmentExpression':
        if (n.left.type === 'Identifier') {
          const op = n.operator as string;
          if (op === '=') add(scopes.refs.get(n.left), n.right, n.left);
          else if (NUMERIC_BINARY.has(op.slice(0, -1))) add(scopes.refs.get(n.left), { type: 'NumericLiteral', value: 0 } as N);
          else if (op === '+=') add(scopes.refs.get(n.left), { type: 'BinaryExpression', operator: '+', left: n.left, right: n.right } as N, n.left);
          else add(scopes.refs.get(n.left), n.right, n.left);
        } else addPattern(n.left);
        break;
      case 'UpdateExpression':
        break; // ++/-- store ToNumber(old) ± 1: numeric if the old value is
      case 'ForInStatement':
      case 'ForOfStatement':
        if (n.left.type === 'VariableDeclaration') for (const d of n.left.declarations as N[]) addPattern(d.id);
        else addPattern(n.left);
        break;
      case 'CatchClause':
        addPattern(n.param);
        break;
      default:
        if (isFunction(n)) {
          for (const p of n.params as N[]) addPattern(p);
          if (n.id && n.type === 'FunctionExpression') add(scopes.refs.get(n.id), null);
        }
    }
    for (const key of Object.keys(n)) {
      if (key === 'loc' || key === 'type' || key === 'extra') continue;
      const v = n[key];
      if (!v || typeof v !== 'object') continue;
      if (unhit && key === 'consequent') unseen = true;
      visit(v as N);
      unseen = outer || (unhit && n.type !== 'SwitchCase');
    }
    unseen = outer;
  }
  visit(program);

  const candidates = [...stores.keys()].filter((b) => (b.kind === 'let' || b.kind === 'var' || b.kind === 'const') && !b.tdz);
  for (const b of candidates) b.numeric = true;
  // A store is fine when it is surely numeric, or when it is checked at run time: unseen, an
  // assignment, into a local some traced store keeps numeric.
  const fine = (s: Store, traced: boolean) => (s.e !== null && isNumeric(s.e)) || (traced && s.unseen && s.target !== undefined);
  // Greatest fixed point: drop bindings with a store that is not fine, until stable.
  let changed = true;
  while (changed) {
    changed = false;
    for (const b of candidates) {
      if (!b.numeric) continue;
      const l = stores.get(b)!;
      const traced = l.some((s) => !s.unseen);
      if (!l.every((s) => fine(s, traced))) {
        b.numeric = false;
        changed = true;
      }
    }
  }
  const guarded = new Set<N>();
  for (const b of candidates) {
    if (b.kind === 'var' || !b.numeric) continue;
    for (const s of stores.get(b)!) if (s.target && !(s.e !== null && isNumeric(s.e))) guarded.add(s.target);
  }
  scopes.guarded = guarded;
  // A var read before its first store is undefined, not a number.
  for (const b of candidates) if (b.kind === 'var' && b.numeric) b.numeric = false;
  for (const b of scopes.bindings) if (!stores.has(b)) b.numeric = false;

  function isNumeric(e: N): boolean {
    switch (e.type) {
      case 'NumericLiteral':
        return true;
      case 'Identifier': {
        const b = scopes.refs.get(e);
        return !!b && !!b.numeric;
      }
      case 'UnaryExpression':
        return e.operator === '-' || e.operator === '+' || e.operator === '~';
      case 'UpdateExpression':
        return true;
      case 'BinaryExpression':
        if (NUMERIC_BINARY.has(e.operator)) return true;
        return e.operator === '+' && isNumeric(e.left) && isNumeric(e.right);
      case 'ConditionalExpression':
        return isNumeric(e.consequent) && isNumeric(e.alternate);
      case 'SequenceExpression':
        return isNumeric(e.expressions[e.expressions.length - 1]);
      case 'AssignmentExpression':
        return e.operator === '=' ? isNumeric(e.right) : false;
      default:
        return false;
    }
  }
}
