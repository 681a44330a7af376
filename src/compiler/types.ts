/**
 * Pass 2, numeric inference: a local is numeric when every value ever stored in it is surely a number
 * (number literals, arithmetic other than `+` of unknowns, `++`/`--`, other numeric locals). Codegen
 * then emits native arithmetic and comparisons on it, which is where most CPU-bound time goes.
 * Parameters, catch variables, patterns and anything assigned from a call are not numeric.
 */
import { isFunction, type N } from './nodes.ts';
import type { Binding, ScopeInfo } from './scope.ts';

const NUMERIC_BINARY = new Set(['-', '*', '/', '%', '**', '&', '|', '^', '<<', '>>', '>>>']);

export function inferNumeric(program: N, scopes: ScopeInfo): void {
  // Stores per binding: the expressions assigned (null = a store we cannot see, e.g. a pattern).
  const stores = new Map<Binding, (N | null)[]>();
  const add = (b: Binding | null | undefined, e: N | null) => {
    if (!b) return;
    let l = stores.get(b);
    if (!l) stores.set(b, (l = []));
    l.push(e);
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
    switch (n.type) {
      case 'VariableDeclarator':
        if (n.id.type === 'Identifier') add(scopes.refs.get(n.id), n.init ?? null);
        else addPattern(n.id);
        break;
      case 'AssignmentExpression':
        if (n.left.type === 'Identifier') {
          const op = n.operator as string;
          if (op === '=') add(scopes.refs.get(n.left), n.right);
          else if (NUMERIC_BINARY.has(op.slice(0, -1))) add(scopes.refs.get(n.left), { type: 'NumericLiteral', value: 0 } as N);
          else if (op === '+=') add(scopes.refs.get(n.left), { type: 'BinaryExpression', operator: '+', left: n.left, right: n.right } as N);
          else add(scopes.refs.get(n.left), n.right);
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
      if (v && typeof v === 'object') visit(v as N);
    }
  }
  visit(program);

  const candidates = [...stores.keys()].filter((b) => (b.kind === 'let' || b.kind === 'var' || b.kind === 'const') && !b.tdz);
  for (const b of candidates) b.numeric = true;
  // Greatest fixed point: drop bindings with a store that is not surely numeric, until stable.
  let changed = true;
  while (changed) {
    changed = false;
    for (const b of candidates) {
      if (!b.numeric) continue;
      if (!stores.get(b)!.every((e) => e !== null && isNumeric(e))) {
        b.numeric = false;
        changed = true;
      }
    }
  }
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
