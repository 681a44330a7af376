/**
 * Pass 3 (codegen), expressions. Every operation on values becomes a call of the runtime `rt`;
 * only operations that cannot observe a value's identity stay native (`===` but on strings, which
 * equality-guard.ts sends to rt, `!`, `&&`, `?:`, and arithmetic on operands statically known to be
 * numbers). Non-trivial results are parenthesised.
 */
import { calleeText, valueText } from './callee-text.ts';
import { isObjectKeysCall, isUnreachablePrototype } from './builtin-call.ts';
import { locArgs, str, type Gen, type StaticType } from './emit-context.ts';
import { awaitExpression } from './emit-async.ts';
import { emitFunction } from './emit-function.ts';
import { assignPattern, partsExpression, type Part } from './emit-pattern.ts';
import type { N } from './nodes.ts';
import { readMember } from './plain-read.ts';
import { guardedBinary, guardedStep } from './number-guard.ts';
import { strictEquality } from './equality-guard.ts';
import { numberOnly } from './unseen-guard.ts';
import { namedByKey, spelledComputedKey } from './computed-name.ts';
import { emitArguments, emitNewTarget, emitThis } from './emit-this.ts';
import { emitClass, objectWithAccessors, templateStrings, privateLocal, superCall, superMethodCall, superRead, wellKnownSymbolName } from './emit-class.ts';

const BINARY: Record<string, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod', '**': 'pow',
  '<': 'lt', '>': 'gt', '<=': 'le', '>=': 'ge',
  '&': 'band', '|': 'bor', '^': 'bxor', '<<': 'shl', '>>': 'shr', '>>>': 'ushr',
  '==': 'eq', '!=': 'ne', in: 'inop', instanceof: 'instof',
};
const NUMERIC_OPS = new Set(['-', '*', '/', '%', '**', '&', '|', '^', '<<', '>>', '>>>']);
const COMPARE_OPS = new Set(['<', '>', '<=', '>=']);


/** What an expression surely evaluates to, when the compiler can tell without running it. */
export function staticType(g: Gen, n: N): StaticType {
  switch (n.type) {
    case 'NumericLiteral':
      return 'num';
    case 'StringLiteral':
    case 'TemplateLiteral':
      return 'str';
    case 'BooleanLiteral':
      return 'bool';
    case 'Identifier': {
      const b = g.scopes.refs.get(n);
      return b && b.numeric && !b.tdz ? 'num' : null;
    }
    case 'UnaryExpression':
      if (n.operator === '-' || n.operator === '+' || n.operator === '~') return 'num';
      if (n.operator === '!' || n.operator === 'delete') return 'bool';
      if (n.operator === 'typeof') return 'str';
      return null;
    case 'UpdateExpression':
      return 'num';
    case 'BinaryExpression':
      if (NUMERIC_OPS.has(n.operator)) return 'num';
      if (n.operator === '+') {
        const a = staticType(g, n.left);
        const b = staticType(g, n.right);
        if (a === 'num' && b === 'num') return 'num';
        if (a === 'str' || b === 'str') return a !== null && b !== null ? 'str' : null;
        return null;
      }
      return 'bool';
    case 'AssignmentExpression':
      return n.operator === '=' ? staticType(g, n.right) : null;
    case 'SequenceExpression':
      return staticType(g, n.expressions[n.expressions.length - 1]);
    case 'ConditionalExpression': {
      const a = staticType(g, n.consequent);
      return a !== null && a === staticType(g, n.alternate) ? a : null;
    }
    default:
      return null;
  }
}

export function numberLiteral(v: number): string {
  if (v === Infinity) return '(1 / 0)';
  return String(v);
}

export function expr(g: Gen, n: N, nameHint?: string): string {
  switch (n.type) {
    case 'Identifier':
      return readId(g, n);
    case 'NumericLiteral':
      return numberLiteral(n.value as number);
    case 'StringLiteral':
      return str(n.value as string);
    case 'BooleanLiteral':
      return n.value ? 'true' : 'false';
    case 'NullLiteral':
      return 'null';
    case 'RegExpLiteral':
      return `rt.re(${str(n.pattern as string)}, ${str(n.flags as string)})`;
    case 'TemplateLiteral': {
      const quasis = n.quasis as N[];
      const exprs = n.expressions as N[];
      if (exprs.length === 0) return str(quasis[0]!.value.cooked as string);
      const parts: string[] = [];
      quasis.forEach((q, i) => {
        parts.push(str(q.value.cooked as string));
        if (i < exprs.length) parts.push(expr(g, exprs[i]!));
      });
      return `rt.tpl(${parts.join(', ')})`;
    }
    case 'ArrayExpression':
      return arrayLiteral(g, n);
    case 'ObjectExpression':
      return objectLiteral(g, n);
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return emitFunction(g, n, nameHint);
    case 'UnaryExpression':
      return unary(g, n);
    case 'BinaryExpression':
      return binary(g, n.operator as string, n.left, n.right);
    case 'LogicalExpression':
      return `(${expr(g, n.left)} ${n.operator} ${expr(g, n.right)})`;
    case 'ConditionalExpression':
      return `(${expr(g, n.test)} ? ${expr(g, n.consequent)} : ${expr(g, n.alternate)})`;
    case 'SequenceExpression':
      return `(${(n.expressions as N[]).map((e) => expr(g, e)).join(', ')})`;
    case 'AssignmentExpression':
      return assignment(g, n);
    case 'UpdateExpression':
      return update(g, n, true);
    case 'MemberExpression':
      if (n.object.type === 'Super') return superRead(g, n);
      if (n.property.type === 'PrivateName') return `rt.get(${expr(g, n.object)}, ${memberKey(g, n)})`;
      return readMember(g, expr(g, n.object), memberKey(g, n));
    case 'ThisExpression':
      return emitThis(g, n);
    case 'MetaProperty':
      return n.meta.name === 'new' ? emitNewTarget(g, n) : `rt.unsupported("import.meta", ${locArgs(n)})`;
    case 'ClassExpression':
      return emitClass(g, n, nameHint);
    case 'OptionalMemberExpression':
    case 'OptionalCallExpression':
      return optionalChain(g, n);
    case 'CallExpression':
      return call(g, n);
    case 'TaggedTemplateExpression':
      // tag`a${x}b` is tag(strings, x): a call whose first argument is the site's strings array.
      return call(g, { type: 'CallExpression', callee: n.tag, arguments: [{ type: 'TemplateStrings', quasi: n.quasi, loc: n.loc }, ...(n.quasi.expressions as N[])], loc: n.loc } as N);
    case 'TemplateStrings':
      return templateStrings(g, n);
    case 'NewExpression': {
      const text = calleeText(n.callee);
      return `rt.construct(${expr(g, n.callee)}, ${text === null ? 'null' : str(text)}, ${argsArray(g, n.arguments as N[])})`;
    }
    case 'ParenthesizedExpression':
      return expr(g, n.expression, nameHint);
    case 'AwaitExpression':
      // Top-level await (modules) is not compiled: only an async function's body is a generator.
      if (g.fn.async !== true) return `rt.unsupported("await", ${locArgs(n)})`;
      return awaitExpression(expr(g, n.argument));
    case 'YieldExpression':
      if (g.fn.generator !== true) return `rt.unsupported("yield", ${locArgs(n)})`;
      // yield*: native delegation to a host iterator that forwards to the realm's (iterators.ts).
      if (g.fn.async === true) {
        // An async generator's Yield: `yield rt.agy(v)`, its bare yields being awaits (async-generators.ts).
        if (n.delegate) return `(yield rt.agdel(${expr(g, n.argument as N)}))`;
        return `(yield rt.agy(${n.argument ? expr(g, n.argument) : 'void 0'}))`;
      }
      if (n.delegate) return `(yield* rt.ydeleg(${expr(g, n.argument as N)}, ${delegateText(n.argument as N)}))`;
      return awaitExpression(n.argument ? expr(g, n.argument) : 'void 0');
    case 'Unknown':
      g.stats.unknown++;
      return `rt.unknown(${locArgs(n)})`;
    case 'Unsupported':
      g.stats.unsupported++;
      return `rt.unsupported(${str(String(n.what))}, ${locArgs(n)})`;
    default:
      g.stats.unsupported++;
      return `rt.unsupported(${str(`syntax:${n.type}`)}, ${locArgs(n)})`;
  }
}

export function readId(g: Gen, id: N): string {
  const b = g.binding(id);
  const name = id.name as string;
  if (!b) {
    if (name === 'arguments') return emitArguments(g, id);
    if (name === 'undefined') return '(void 0)';
    if (name === 'NaN') return '(0 / 0)';
    if (name === 'Infinity') return '(1 / 0)';
    // With declarations missing from the tree, an unresolved name may be declared after all: the
    // runtime must not answer "not defined" then (second argument: whether it may).
    return `rt.global(${str(name)}, ${g.scopes.incomplete ? 'false' : 'true'})`;
  }
  if (b.kind === 'opaque') return `rt.unsupported(${str(`binding:${name}`)}, ${locArgs(id)})`;
  return b.tdz ? `rt.chk(${b.js}, ${str(name)})` : b.js;
}

/** Assigns `value` (an expression, evaluated first) to an identifier, as `x = value` would. */
export function writeId(g: Gen, id: N, value: string): string {
  const b = g.binding(id);
  const name = id.name as string;
  if (!b) return `rt.setglobal(${str(name)}, ${value})`;
  if (b.kind === 'const') return `rt.constw(${value})`;
  if (b.kind === 'opaque') return `rt.unsupported(${str(`binding:${name}`)}, ${locArgs(id)})`;
  if (b.kind === 'self') return `rt.unsupported("assign-to-function-name", ${locArgs(id)})`;
  if (b.tdz) return `(${b.js} = rt.chkw(${b.js}, ${str(name)}, ${value}))`;
  if (b.numeric && g.scopes.guarded?.has(id)) return `(${b.js} = ${numberOnly(g, id, value)})`;
  return `(${b.js} = ${value})`;
}

/** The key of a member expression: a string literal for `o.x`, the key expression for `o[k]`. */
export function memberKey(g: Gen, n: N): string {
  const p = n.property as N;
  if (p.type === 'PrivateName') return privateLocal(g, p) ?? `rt.unsupported("private-name", ${locArgs(p)})`;
  if (!n.computed) {
    if (p.type === 'Identifier') return str(p.name as string);
    return `rt.unsupported(${str(`syntax:${p.type}`)}, ${locArgs(p)})`;
  }
  return expr(g, p);
}

function binary(g: Gen, op: string, left: N, right: N): string {
  if (left.type === 'PrivateName') return op === 'in' && privateLocal(g, left) !== null ? `rt.inop(${privateLocal(g, left)!}, ${expr(g, right)})` : `rt.unsupported("private-name", ${locArgs(left)})`;
  if (op === '===' || op === '!==') {
    // The other operand still runs (its effects, its aborts); the comparison's answer is known.
    const known = op === '===' ? 'false' : 'true';
    if (isUnreachablePrototype(g, right)) return `(${expr(g, left)}, ${known})`;
    if (isUnreachablePrototype(g, left)) return `(${expr(g, right)}, ${known})`;
  }
  const a = expr(g, left);
  const b = expr(g, right);
  const ta = staticType(g, left);
  const tb = staticType(g, right);
  if (op === '===' || op === '!==') return strictEquality(g, op, left, right, a, b, ta, tb);
  if (ta === 'num' && tb === 'num' && (NUMERIC_OPS.has(op) || COMPARE_OPS.has(op) || op === '+')) return `(${a} ${op} ${b})`;
  // Strings are compared by rt (charged by their length), not natively.
  if (ta === 'str' && tb === 'str' && (op === '+' || COMPARE_OPS.has(op))) return `rt.${BINARY[op]}(${a}, ${b})`;
  const f = BINARY[op];
  if (!f) return `rt.unsupported(${str(`operator:${op}`)}, ${locArgs(left)})`;
  if ((NUMERIC_OPS.has(op) || COMPARE_OPS.has(op) || op === '+') && ta !== 'str' && tb !== 'str') return guardedBinary(g, op, f, a, b, ta, tb);
  return `rt.${f}(${a}, ${b})`;
}

/** `a op b` for compound assignment, with the already-compiled left value. */
function binaryValues(op: string, a: string, b: string, numeric: boolean): string {
  if (numeric && (NUMERIC_OPS.has(op) || op === '+')) return `(${a} ${op} ${b})`;
  return `rt.${BINARY[op]}(${a}, ${b})`;
}

function unary(g: Gen, n: N): string {
  const arg = n.argument as N;
  switch (n.operator) {
    case 'typeof':
      if (arg.type === 'Identifier' && g.binding(arg) === null && !['undefined', 'NaN', 'Infinity'].includes(arg.name as string)) {
        return `rt.typeofg(${str(arg.name as string)}, ${g.scopes.incomplete ? 'false' : 'true'})`;
      }
      return `rt.type(${expr(g, arg)})`;
    case 'delete':
      if (arg.type === 'MemberExpression') return `rt.del(${expr(g, arg.object)}, ${memberKey(g, arg)})`;
      if (arg.type === 'Identifier') return `rt.unsupported("delete-identifier", ${locArgs(n)})`;
      return `(${expr(g, arg)}, true)`;
    case 'void':
      return `(${expr(g, arg)}, void 0)`;
    case '!':
      return `(!${expr(g, arg)})`;
    case '-':
      if (arg.type === 'NumericLiteral') return `(-${numberLiteral(arg.value as number)})`;
      return staticType(g, arg) === 'num' ? `(-${expr(g, arg)})` : `rt.neg(${expr(g, arg)})`;
    case '+':
      return staticType(g, arg) === 'num' ? expr(g, arg) : `rt.num(${expr(g, arg)})`;
    case '~':
      return staticType(g, arg) === 'num' ? `(~${expr(g, arg)})` : `rt.bnot(${expr(g, arg)})`;
    default:
      return `rt.unsupported(${str(`operator:${String(n.operator)}`)}, ${locArgs(n)})`;
  }
}

function assignment(g: Gen, n: N): string {
  const op = n.operator as string;
  const left = n.left as N;
  const hint = left.type === 'Identifier' ? (left.name as string) : undefined;
  if (left.type === 'Identifier') {
    if (op === '=') return writeId(g, left, expr(g, n.right, hint));
    if (op === '&&=' || op === '||=' || op === '??=') return `(${readId(g, left)} ${op.slice(0, -1)} ${writeId(g, left, expr(g, n.right, hint))})`;
    const numeric = staticType(g, left) === 'num' && staticType(g, n.right) === 'num';
    return writeId(g, left, binaryValues(op.slice(0, -1), readId(g, left), expr(g, n.right), numeric));
  }
  if (left.type === 'MemberExpression') {
    if (op === '=') return `${g.put}(${expr(g, left.object)}, ${memberKey(g, left)}, ${expr(g, n.right)})`;
    const t1 = g.temp();
    let key = memberKey(g, left);
    let pre = `${t1} = ${expr(g, left.object)}`;
    if (left.computed) {
      const t2 = g.temp();
      pre += `, ${t2} = ${key}`;
      key = t2;
    }
    if (op === '&&=' || op === '||=' || op === '??=') return `(${pre}, (rt.get(${t1}, ${key}) ${op.slice(0, -1)} ${g.put}(${t1}, ${key}, ${expr(g, n.right)})))`;
    return `(${pre}, ${g.put}(${t1}, ${key}, ${binaryValues(op.slice(0, -1), `rt.get(${t1}, ${key})`, expr(g, n.right), false)}))`;
  }
  if ((left.type === 'ObjectPattern' || left.type === 'ArrayPattern') && op === '=') {
    const t = g.temp();
    const parts: Part[] = [`${t} = ${expr(g, n.right)}`];
    // V8 names the value of an array pattern's assignment by what it is, not by its text.
    assignPattern(g, left, t, 'assign', parts, left.type === 'ArrayPattern' ? '#value' : valueText(n.right));
    return `(${partsExpression(parts)}, ${t})`;
  }
  return `rt.unsupported(${str(`assign:${left.type}`)}, ${locArgs(n)})`;
}

/** `x++` and friends. When the value is unused the compiler emits the cheaper prefix form. */
export function update(g: Gen, n: N, valueUsed: boolean): string {
  const arg = n.argument as N;
  const op = n.operator === '++' ? '+' : '-';
  const postfix = valueUsed && !n.prefix;
  if (arg.type === 'Identifier') {
    const numeric = staticType(g, arg) === 'num';
    const cur = readId(g, arg);
    if (!postfix) return writeId(g, arg, numeric ? `(${cur} ${op} 1)` : (guardedStep(cur, op) ?? `rt.${op === '+' ? 'inc' : 'dec'}(${cur})`));
    const t = g.temp();
    return `(${t} = ${numeric ? cur : `rt.num(${cur})`}, ${writeId(g, arg, `(${t} ${op} 1)`)}, ${t})`;
  }
  if (arg.type === 'MemberExpression') {
    const t1 = g.temp();
    let key = memberKey(g, arg);
    let pre = `${t1} = ${expr(g, arg.object)}`;
    if (arg.computed) {
      const t2 = g.temp();
      pre += `, ${t2} = ${key}`;
      key = t2;
    }
    if (!postfix) return `(${pre}, ${g.put}(${t1}, ${key}, (rt.num(rt.get(${t1}, ${key})) ${op} 1)))`;
    const t3 = g.temp();
    return `(${pre}, ${t3} = rt.num(rt.get(${t1}, ${key})), ${g.put}(${t1}, ${key}, (${t3} ${op} 1)), ${t3})`;
  }
  return `rt.unsupported(${str(`update:${arg.type}`)}, ${locArgs(n)})`;
}

function hasSpread(list: (N | null)[]): boolean {
  return list.some((e) => e !== null && e.type === 'SpreadElement');
}

/** Arguments as one array expression (for `new`, spread calls and calls with many arguments). */
export function argsArray(g: Gen, args: N[]): string {
  if (!hasSpread(args)) return `[${args.map((a) => expr(g, a)).join(', ')}]`;
  return `rt.spreadargs([${args.map((a) => (a.type === 'SpreadElement' ? `rt.spread(${expr(g, a.argument)}, null)` : expr(g, a))).join(', ')}])`;
}

function arrayLiteral(g: Gen, n: N): string {
  const els = n.elements as (N | null)[];
  if (els.some((e) => e === null)) {
    // Holes: the elements with `void 0` in their place, then the runtime deletes those indices.
    if (hasSpread(els)) return `rt.unsupported("array-hole-with-spread", ${locArgs(n)})`;
    const holes = els.flatMap((e, i) => (e === null ? [String(i)] : []));
    return `rt.arrh([${els.map((e) => (e === null ? 'void 0' : expr(g, e))).join(', ')}], [${holes.join(', ')}])`;
  }
  if (!hasSpread(els)) return `rt.arr([${els.map((e) => expr(g, e!)).join(', ')}])`;
  return `rt.arrs([${els
    .map((e) => {
      if (e!.type !== 'SpreadElement') return expr(g, e!);
      const text = valueText(e!.argument);
      return `rt.spread(${expr(g, e!.argument)}, ${text === null ? 'null' : str(text)})`;
    })
    .join(', ')}])`;
}

export function propertyKeyName(key: N): string | null {
  if (key.type === 'Identifier') return key.name as string;
  if (key.type === 'StringLiteral') return key.value as string;
  if (key.type === 'NumericLiteral') return String(key.value);
  return null;
}

function objectLiteral(g: Gen, n: N): string {
  const props = n.properties as N[];
  // `{ __proto__: null, … }`: the literal without that entry (null has no effects), then moved onto a
  // null prototype by rt.nproto, as Object.create(null) makes. Any other `__proto__:` value is refused.
  const protoAt = props.findIndex((p) => p.type === 'ObjectProperty' && !p.computed && !p.shorthand && propertyKeyName(p.key) === '__proto__');
  if (protoAt >= 0 && (props[protoAt]!.value as N).type === 'NullLiteral') {
    return `rt.nproto(${objectLiteral(g, { ...n, properties: props.filter((_, i) => i !== protoAt) })})`;
  }
  const simple = props.every((p) => p.type === 'ObjectProperty' && !p.computed && propertyKeyName(p.key) !== null && propertyKeyName(p.key) !== '__proto__');
  if (simple) {
    // The key count lets the runtime charge the object by its size.
    return `rt.obj({${props.map((p) => `${str(propertyKeyName(p.key)!)}: ${expr(g, p.value, propertyKeyName(p.key)!)}`).join(', ')}}, ${props.length})`;
  }
  const parts: string[] = [];
  const byKey: number[] = [];
  for (const p of props) {
    if (p.type === 'SpreadElement') {
      parts.push(`rt.spread(${expr(g, p.argument)}, null)`);
      continue;
    }
    if (p.type === 'ObjectMethod' && p.kind !== 'method') return objectWithAccessors(g, n);
    if (p.type !== 'ObjectProperty' && p.type !== 'ObjectMethod') return `rt.unsupported(${str(`syntax:${p.type}`)}, ${locArgs(p)})`;
    let key: string;
    const name = p.computed ? spelledComputedKey(p.key) : propertyKeyName(p.key);
    if (p.computed) key = expr(g, p.key);
    else if (name === null) return `rt.unsupported(${str(`syntax:${p.key.type}`)}, ${locArgs(p)})`;
    else if (name === '__proto__' && !p.shorthand && p.type === 'ObjectProperty') return `rt.unsupported("__proto__-literal", ${locArgs(p)})`;
    else key = str(name);
    // `*[Symbol.iterator]() {…}` is named by the symbol's description, as in Node.
    const fnName = name ?? wellKnownSymbolName(p) ?? undefined;
    // Any other computed key names its function at run time (computed-name.ts): rt.objs's second list.
    const keyed = p.computed && fnName === undefined ? namedByKey(p) : null;
    if (keyed === 'class') return `rt.unsupported("computed-function-name", ${locArgs(p)})`;
    if (keyed === 'function') byKey.push(parts.length + 1);
    parts.push(key, p.type === 'ObjectMethod' ? emitFunction(g, p, fnName ?? '') : expr(g, p.value, fnName));
  }
  return `rt.objs([${parts.join(', ')}]${byKey.length > 0 ? `, [${byKey.join(', ')}]` : ''})`;
}

/** Arguments that cannot have effects, so evaluating them before the callee's receiver check is unobservable. */
function pureArg(g: Gen, a: N): boolean {
  switch (a.type) {
    case 'NumericLiteral':
    case 'StringLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return true;
    case 'Identifier': {
      const b = g.scopes.refs.get(a);
      return !!b && !b.tdz;
    }
    case 'UnaryExpression':
      return (a.operator === '-' || a.operator === '+' || a.operator === '!' || a.operator === '~') && pureArg(g, a.argument);
    case 'BinaryExpression':
      // Operators on runtime values can abort but never throw a JavaScript exception, except these.
      return a.operator !== 'in' && a.operator !== 'instanceof' && pureArg(g, a.left) && pureArg(g, a.right);
    case 'ArrayExpression':
      return (a.elements as (N | null)[]).every((e) => e !== null && e.type !== 'SpreadElement' && pureArg(g, e));
    default:
      return false;
  }
}

/** A call with an already-compiled callee (function value) or receiver and key (method call). */
function emitCall(g: Gen, args: N[], text: string | null, fn: string | null, recv?: string, key?: string): string {
  const t = text === null ? 'null' : str(text);
  const method = fn === null;
  if (method && !args.every((a) => pureArg(g, a))) {
    // Node reads the callee (and so fails on a null receiver) before evaluating the arguments.
    if (!/^"(?:[^"\\]|\\.)*"$/.test(key!)) {
      const o = g.temp();
      const t = g.temp();
      recv = `(${o} = ${recv}, ${t} = ${key}, rt.recv(${o}, ${t}))`;
      key = t;
    } else recv = `rt.recv(${recv}, ${key})`;
  }
  const head = method ? `${recv}, ${key}, ${t}` : `${fn}, ${t}`;
  const p = method ? 'm' : 'c';
  if (hasSpread(args) || args.length > 3) return `rt.${p}n(${head}, ${argsArray(g, args)})`;
  return `rt.${p}${args.length}(${args.length ? `${head}, ${args.map((a) => expr(g, a)).join(', ')}` : head})`;
}

function call(g: Gen, n: N): string {
  const callee = n.callee as N;
  const args = n.arguments as N[];
  if (callee.type === 'Identifier' && callee.name === 'require' && g.binding(callee) === null) {
    return `rt.require(${args.length ? expr(g, args[0]!) : '(void 0)'})`;
  }
  if (callee.type === 'Super') return superCall(g, n);
  if (callee.type === 'MemberExpression' && callee.object.type === 'Super') return superMethodCall(g, n);
  if (isObjectKeysCall(g, callee, args)) return `rt.okeys(${expr(g, args[0]!)})`;
  if (callee.type === 'MemberExpression') {
    return emitCall(g, args, calleeText(callee), null, expr(g, callee.object), memberKey(g, callee));
  }
  return emitCall(g, args, calleeText(callee), expr(g, callee));
}
function isChain(n: N): boolean {
  return n.type === 'OptionalMemberExpression' || n.type === 'OptionalCallExpression';
}

/** `a?.b.c`, `a?.()`, `a?.b()`: any `?.` on null or undefined makes the whole chain undefined. */
function optionalChain(g: Gen, n: N): string {
  const guards: string[] = [];
  const e = chainPart(g, n, guards);
  return guards.length ? `((${guards.join(' || ')}) ? void 0 : ${e})` : e;
}

function chainPart(g: Gen, n: N, guards: string[]): string {
  const sub = (x: N) => (isChain(x) ? chainPart(g, x, guards) : expr(g, x));
  if (n.type === 'OptionalMemberExpression') {
    let obj = sub(n.object);
    if (n.optional) {
      const t = g.temp();
      guards.push(`(${t} = ${obj}) == null`);
      obj = t;
    }
    return readMember(g, obj, memberKey(g, n));
  }
  const callee = n.callee as N;
  const args = n.arguments as N[];
  const text = calleeText(callee);
  if ((callee.type === 'OptionalMemberExpression' || callee.type === 'MemberExpression') && !n.optional) {
    let obj = sub(callee.object);
    if (callee.optional) {
      const t = g.temp();
      guards.push(`(${t} = ${obj}) == null`);
      obj = t;
    }
    return emitCall(g, args, text, null, obj, memberKey(g, callee));
  }
  if (callee.type === 'OptionalMemberExpression' || callee.type === 'MemberExpression') {
    // `o.f?.(…)`: undefined when o.f is null or undefined, else a method call on o.
    let obj = sub(callee.object);
    if (callee.optional) {
      const t = g.temp();
      guards.push(`(${t} = ${obj}) == null`);
      obj = t;
    }
    const t = g.temp();
    let key = memberKey(g, callee);
    if (callee.computed) {
      const k = g.temp();
      guards.push(`((${k} = ${key}), false)`);
      key = k;
    }
    guards.push(`(${t} = ${obj}, rt.get(${t}, ${key})) == null`);
    return emitCall(g, args, text, null, t, key);
  }
  let f = sub(callee);
  if (n.optional) {
    const t = g.temp();
    guards.push(`(${t} = ${f}) == null`);
    f = t;
  }
  return emitCall(g, args, text, f);
}

/**
 * How V8 words "not iterable" for `yield* x`: by the value for a name ("#value"), as
 * "(intermediate value)" for a member or a call; null (the runtime aborts) for other operands.
 */
function delegateText(n: N): string {
  if (n.type === 'Identifier') return '"#value"';
  if (n.type === 'MemberExpression' || n.type === 'CallExpression') return '"(intermediate value)"';
  return 'null';
}

