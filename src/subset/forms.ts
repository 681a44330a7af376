/**
 * The texts of the guarded forms the grammar admits (docs/compiled-code.md), built here so that what
 * the compiler emits and what the validator admits are written in one place (test/subset/forms.test.ts
 * validates each and mutates it). Every operand is the name of a local: the compiler evaluates any
 * other operand into a temporary first.
 */

/** The inline number check: `typeof x === "number"`. */
export function isNumber(x: string): string {
  return `typeof ${x} === "number"`;
}

/** IsObject, the guard of element reads: `typeof o === "object" && o !== null`. */
export function isObject(o: string): string {
  return `typeof ${o} === "object" && ${o} !== null`;
}

/** `o.name`, natively when `o`'s prototype is an Object.prototype; `name` an identifier, no name of INHERITED_NAMES. */
export function namedRead(o: string, name: string): string {
  return `${o} != null && (${o}.${name}, rt.po(${o})) ? ${o}.${name} : rt.get(${o}, ${JSON.stringify(name)})`;
}

/** `o.length`, natively when `o` is an array. */
export function lengthRead(o: string): string {
  return `rt.ia(${o}) ? ${o}.length : rt.get(${o}, "length")`;
}

/** `o[n]` with `n` the text of an integer literal ≥ 0. */
export function indexRead(o: string, n: string): string {
  return `${isObject(o)} ? ${o}[${n}] : rt.get(${o}, ${n})`;
}

/** `o[k]` with a key known only at run time: natively when it is a number, or an own property of a plain object. */
export function keyedRead(o: string, k: string): string {
  return `${isObject(o)} && ${isNumber(k)} ? ${o}[${k}] : rt.pk(${o}, ${k}) ? ${o}[${k}] : rt.get(${o}, ${k})`;
}

/** StrictEq: `a === b` (or `!==`) whose string case `rt.seq` charges by length. */
export function strictEquality(op: '===' | '!==', a: string, b: string): string {
  return `typeof ${a} === "string" ? ${op === '!==' ? '!' : ''}rt.seq(${a}, ${b}) : ${a} ${op} ${b}`;
}
