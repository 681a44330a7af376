import { VISITOR_KEYS } from '@babel/types';
import type * as t from '@babel/types';
import type { Edit } from './splice.ts';

/**
 * Edits renaming every identifier `from` that names a variable (not a property name) to `to`, so a
 * user binding cannot collide with the tracer's top-level binding. Shorthand properties are expanded.
 */
export function renameIdentifier(program: t.Program, from: string, to: string): Edit[] {
  const edits: Edit[] = [];
  const done = new Set<number>();
  const rename = (id: t.Node, text: string) => {
    if (done.has(id.start!)) return;
    done.add(id.start!);
    edits.push({ pos: id.start!, end: id.end!, text, order: 2, seq: 0 });
  };
  const visit = (node: t.Node, parent: t.Node | null, key: string) => {
    if (node.type === 'Identifier' && node.name === from && parent) {
      const computed = (parent as { computed?: boolean }).computed === true;
      const isPropertyName =
        ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && key === 'property' && !computed) ||
        (/^(ObjectProperty|ObjectMethod|ClassMethod|ClassProperty|ClassPrivateProperty|ClassAccessorProperty)$/.test(parent.type) && key === 'key' && !computed) ||
        parent.type === 'PrivateName' || parent.type === 'MetaProperty';
      if (parent.type === 'ObjectProperty' && parent.shorthand) rename(node, `${from}: ${to}`);
      else if (!isPropertyName) rename(node, to);
    }
    for (const k of VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[k];
      if (Array.isArray(child)) for (const c of child) { if (c) visit(c as t.Node, node, k); }
      else if (child && typeof child === 'object') visit(child as t.Node, node, k);
    }
  };
  visit(program, null, '');
  return edits;
}
