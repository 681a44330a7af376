/**
 * SetFunctionName for a function defined under a computed key (`{ [k]() {} }`, `{ [k]: () => 1 }`):
 * the compiler makes it with the name '' and rt.objs names it by the key's value here, before anything
 * can see it. Node's name is the key as a string, a symbol's `[description]`.
 */
import type { Runtime } from './runtime.ts';
import { Closure } from './values.ts';

export function nameByKey(rt: Runtime, f: unknown, key: unknown): void {
  if (!(f instanceof Closure)) return;
  // An object key would be converted twice (here and as the key), running its toString twice.
  if (typeof key === 'object' && key !== null) return rt.abort('unsupported:value', 'computed-function-name (an object as the key)');
  // SetFunctionName: a symbol without a description names the function ''.
  const name = typeof key === 'symbol' ? (key.description === undefined ? '' : `[${key.description}]`) : rt.strKey(key);
  Object.defineProperty(f, 'name', { value: name });
}

/**
 * A class method, getter or setter under a computed key: the compiler names it '' ('get ', 'set '),
 * as a literal key '' would be named, so naming it by the key (already converted: `key`) is exact.
 */
export function nameMemberByKey(f: Closure, kind: number, keyValue: unknown, key: string): void {
  const prefix = kind === 1 ? 'get ' : kind === 2 ? 'set ' : '';
  if (f.name !== prefix) return;
  const name = typeof keyValue === 'symbol' ? (keyValue.description === undefined ? '' : `[${keyValue.description}]`) : key;
  if (name !== '') Object.defineProperty(f, 'name', { value: prefix + name });
}
