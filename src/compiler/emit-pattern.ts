/**
 * Pass 3 (codegen), destructuring. A pattern becomes a comma list of simple assignments reading
 * through the runtime (`rt.destr` checks null/undefined with Node's message, `rt.aiter` makes an
 * iterable into an array, `rt.orest`/`rt.arest` build rest values). Used by declarations,
 * parameters, assignments and loop heads.
 */
import { locArgs, str, type Gen } from './emit-context.ts';
import { expr, memberKey, propertyKeyName, writeId } from './emit-expression.ts';
import type { N } from './nodes.ts';
import { readMember } from './plain-read.ts';

/**
 * Appends to `parts` the expressions that store `src` (a temporary or an expression evaluated
 * exactly once here) into pattern `p`. `mode` 'init' initialises declared bindings directly;
 * 'assign' goes through the normal assignment rules (const, TDZ, member targets).
 * `text` is the source text of the value for Node's error messages, when known.
 */
export function assignPattern(g: Gen, p: N, src: string, mode: 'init' | 'assign', parts: string[], text: string | null, nested = false): void {
  switch (p.type) {
    case 'Identifier': {
      if (mode === 'init') {
        const b = g.binding(p);
        if (b) {
          parts.push(`${b.js} = ${src}`);
          return;
        }
      }
      parts.push(writeId(g, p, src));
      return;
    }
    case 'MemberExpression':
      parts.push(`${g.put}(${expr(g, p.object)}, ${memberKey(g, p)}, ${src})`);
      return;
    case 'AssignmentPattern': {
      const t = g.temp();
      parts.push(`${t} = ${src}`);
      const hint = p.left.type === 'Identifier' ? (p.left.name as string) : undefined;
      assignPattern(g, p.left, `(${t} === void 0 ? ${expr(g, p.right, hint)} : ${t})`, mode, parts, null, true);
      return;
    }
    case 'ObjectPattern': {
      const t = g.temp();
      const props = p.properties as N[];
      const first = props[0] && props[0].type !== 'RestElement' && !props[0].computed ? propertyKeyName(props[0].key) : null;
      // Node: a nested pattern reads the property (message "Cannot read properties of …"); the outermost one says "Cannot destructure …".
      const check = nested
        ? `rt.destrn(${src}, ${first === null ? 'null' : str(first)})`
        : `rt.destr(${src}, ${text === null ? 'null' : str(text)}, ${first === null ? (props.length === 0 ? '""' : 'null') : str(first)})`;
      parts.push(`${t} = ${check}`);
      const keys: string[] = [];
      for (const prop of props) {
        if (prop.type === 'RestElement') {
          assignPattern(g, prop.argument, `rt.orest(${t}, [${keys.join(', ')}])`, mode, parts, null, true);
          continue;
        }
        let key: string;
        if (prop.computed) {
          const k = g.temp();
          parts.push(`${k} = rt.key(${expr(g, prop.key)})`);
          key = k;
        } else {
          const name = propertyKeyName(prop.key);
          if (name === null) {
            parts.push(`rt.unsupported(${str(`syntax:${prop.key.type}`)}, ${locArgs(prop)})`);
            return;
          }
          key = str(name);
        }
        keys.push(key);
        assignPattern(g, prop.value, prop.computed ? `rt.get(${t}, ${key})` : readMember(g, t, key), mode, parts, null, true);
      }
      return;
    }
    case 'ArrayPattern': {
      const t = g.temp();
      // A pattern of plain names ending in a rest element takes every value, so a generator or another
      // iterable may be read to its end first: nothing the names receive can be seen in between.
      const els = p.elements as (N | null)[];
      const last = els[els.length - 1];
      const whole = last?.type === 'RestElement' && els.every((el) => el !== null && (el.type === 'Identifier' || (el.type === 'RestElement' && (el.argument as N).type === 'Identifier')));
      // Plain names and holes without a rest take that many values, then close the iterator.
      const counted = !whole && els.every((el) => el === null || el.type === 'Identifier');
      parts.push(`${t} = rt.aiter(${src}, ${text === null || text === '#param' ? 'null' : str(text)}${whole ? ', true' : counted ? `, ${els.length}` : ''})`);
      els.forEach((el, i) => {
        if (el === null) return;
        if (el.type === 'RestElement') assignPattern(g, el.argument, `rt.arest(${t}, ${i})`, mode, parts, null, true);
        else assignPattern(g, el, readMember(g, t, String(i)), mode, parts, null, true);
      });
      return;
    }
    case 'Unknown':
      parts.push(`rt.unknown(${locArgs(p)})`);
      return;
    default:
      parts.push(`rt.unsupported(${str(`pattern:${p.type}`)}, ${locArgs(p)})`);
  }
}
