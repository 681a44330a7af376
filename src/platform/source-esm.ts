import type * as t from '@babel/types';
import { applyEdits, renameIdentifier, type Edit } from '../tracer/index.ts';
import { TOP_LEVEL_PROMISE } from '../api/index.ts';
import { walk } from './source-parse.ts';

/** Names a CommonJS function body gets as parameters: an ES module may declare them for itself. */
const CJS_NAMES = ['exports', 'require', 'module', '__filename', '__dirname'] as const;

/**
 * An ES module as the CommonJS text the runner loads (src/api/host.ts `loadFunction`), every line
 * where it was, so stack traces and the tracer's positions stay true (columns move on lines with an
 * `import` or `export`). Imports become `require` calls in place (a CommonJS module's default import
 * is `module.exports` unless it sets `__esModule`); exports are assigned to `exports` (declarations in
 * place, `export { … }` lists after the last line, where every local is initialised). Exports are
 * copies, not live bindings. A top-level function `main` that nothing exports is exported (OpenWhisk).
 * A module with top-level `await` has its body (epilogue too) wrapped in an async arrow function on
 * the first and last lines, whose promise is left on `module` for the host to await before it looks
 * for the handler (src/api/host.ts `loadFunctionAwaited`), as Node awaits a module's evaluation.
 */
export function moduleToCommonJS(source: string, ast: t.File, opts: { exportMain?: boolean } = {}): string {
  const awaits = hasTopLevelAwait(ast.program);
  let prefix = '__cl_';
  for (let n = 1; source.includes(prefix); n++) prefix = `__cl${n}_`;
  const edits: Edit[] = [];
  let seq = 0;
  const replace = (start: number, end: number, text: string) => {
    // The line breaks of what is replaced stay, so no line below moves.
    const breaks = source.slice(start, end).match(/\r\n|[\n\r\u2028\u2029]/g)?.join('') ?? '';
    edits.push({ pos: start, end, text: text + breaks, order: 2, seq: seq++ });
  };
  const insert = (pos: number, text: string) => edits.push({ pos, end: pos, text, order: 1, seq: seq++ });

  // A module that declares `require` (createRequire) or `module` for itself: its own are renamed, so
  // the generated code reaches the CommonJS ones.
  const declared = topLevelNames(ast.program);
  const renames: Edit[] = [];
  const local = new Map<string, string>();
  for (const name of CJS_NAMES) {
    if (!declared.has(name)) continue;
    local.set(name, `${prefix}user${name}`);
    renames.push(...renameIdentifier(ast.program, name, `${prefix}user${name}`));
  }
  const as = (name: string) => local.get(name) ?? name;

  let temps = 0;
  const temp = () => `${prefix}m${++temps}`;
  const req = (spec: t.StringLiteral) => `require(${JSON.stringify(spec.value)})`;
  const dflt = (m: string) => `(${m} && ${m}.__esModule ? ${m}.default : ${m})`;
  const ns = (m: string) => `(${m} && ${m}.__esModule ? ${m} : Object.assign(Object.create(null), ${m}, { default: ${m} }))`;
  const key = (n: t.Identifier | t.StringLiteral) => (n.type === 'Identifier' ? n.name : n.value);
  const prop = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`);
  const epilogue: string[] = [];
  const exported = new Set<string>();

  for (const s of ast.program.body) {
    if (s.type === 'ImportDeclaration') {
      if (s.specifiers.length === 0) {
        replace(s.start!, s.end!, `${req(s.source)};`);
        continue;
      }
      const m = temp();
      const parts = [`const ${m} = ${req(s.source)}`];
      for (const sp of s.specifiers) {
        const l = as(sp.local.name);
        if (sp.type === 'ImportDefaultSpecifier') parts.push(`${l} = ${dflt(m)}`);
        else if (sp.type === 'ImportNamespaceSpecifier') parts.push(`${l} = ${ns(m)}`);
        else {
          const name = key(sp.imported);
          parts.push(`${l} = ${name === 'default' ? dflt(m) : `${m}${prop(name)}`}`);
        }
      }
      replace(s.start!, s.end!, `${parts.join(', ')};`);
    } else if (s.type === 'ExportDefaultDeclaration') {
      exported.add('default');
      const d = s.declaration;
      if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) {
        if (d.type === 'FunctionDeclaration') replace(s.start!, d.start!, `;exports.default = ${as(d.id.name)}; `);
        else {
          replace(s.start!, d.start!, ';');
          insert(d.end!, `;exports.default = ${as(d.id.name)};`);
        }
      } else {
        replace(s.start!, d.start!, ';exports.default = ');
        if (d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') insert(d.end!, ';');
      }
    } else if (s.type === 'ExportNamedDeclaration') {
      const d = s.declaration;
      if (d) {
        const names = d.type === 'VariableDeclaration' ? d.declarations.flatMap((v) => bindingNames(v.id)) : d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration' ? [d.id!.name] : [];
        for (const n of names) exported.add(n);
        const assign = names.map((n) => `exports${prop(n)} = ${as(n)};`).join(' ');
        // A function is hoisted: exported before its line, as a module's would be.
        if (d.type === 'FunctionDeclaration') replace(s.start!, d.start!, `;${assign} `);
        else {
          replace(s.start!, d.start!, '');
          insert(d.end!, `;${assign}`);
        }
        continue;
      }
      if (s.source) {
        const m = temp();
        const parts = s.specifiers.map((sp) => {
          const name = key(sp.exported);
          exported.add(name);
          if (sp.type === 'ExportNamespaceSpecifier') return `exports${prop(name)} = ${ns(m)};`;
          if (sp.type === 'ExportDefaultSpecifier') return `exports${prop(name)} = ${dflt(m)};`;
          const from = key(sp.local);
          return `exports${prop(name)} = ${from === 'default' ? dflt(m) : `${m}${prop(from)}`};`;
        });
        replace(s.start!, s.end!, `;const ${m} = ${req(s.source)}; ${parts.join(' ')}`);
      } else {
        // The locals may be declared below: assigned after the last line.
        for (const sp of s.specifiers) {
          if (sp.type !== 'ExportSpecifier') continue;
          const name = key(sp.exported);
          exported.add(name);
          epilogue.push(`exports${prop(name)} = ${as(key(sp.local))};`);
        }
        replace(s.start!, s.end!, ';');
      }
    } else if (s.type === 'ExportAllDeclaration') {
      const m = temp();
      replace(
        s.start!,
        s.end!,
        `;const ${m} = ${req(s.source)}; for (const k of Object.keys(${m})) if (k !== "default" && !Object.prototype.hasOwnProperty.call(exports, k)) exports[k] = ${m}[k];`,
      );
    }
  }

  // Anywhere: import.meta and dynamic import().
  walk(ast.program, (n) => {
    if (n.type === 'MetaProperty' && n.meta.name === 'import' && n.property.name === 'meta') {
      replace(n.start!, n.end!, '({ url: require("node:url").pathToFileURL(__filename).href, filename: __filename, dirname: __dirname })');
    } else if (n.type === 'CallExpression' && n.callee.type === 'Import') {
      replace(n.callee.start!, n.callee.end!, 'Promise.resolve');
      insert(n.end!, `.then((s) => { const m = require(s); return ${ns('m')}; })`);
    } else if (n.type === 'ImportExpression') {
      replace(n.start!, n.source.start!, 'Promise.resolve(');
      insert(n.end!, `.then((s) => { const m = require(s); return ${ns('m')}; })`);
    }
  });

  if (opts.exportMain && !exported.has('main')) epilogue.push(`exports.main = ${as('main')};`);

  // Strict, as a module is; `__esModule` first, as Babel's and esbuild's CommonJS do.
  const opener = awaits ? `module.${TOP_LEVEL_PROMISE} = (async () => {` : '';
  const prologue = `"use strict";Object.defineProperty(exports, "__esModule", { value: true });${opener}`;
  if (ast.program.interpreter) replace(0, 2, `${prologue}//`);
  else insert(0, prologue);

  const replaced = edits.filter((e) => e.end > e.pos);
  const kept = renames.filter((r) => !replaced.some((e) => r.pos >= e.pos && r.pos < e.end));
  const body = applyEdits(source, [...edits, ...kept]);
  const end = epilogue.length > 0 ? `\n;${epilogue.join(' ')}\n` : '';
  return awaits ? `${body}${end}\n})();\n` : `${body}${end}`;
}

/** The CommonJS text of a script whose OpenWhisk `main` is only declared: it is exported after the last line. */
export function exportDeclaredMain(source: string): string {
  return `${source}\n;module.exports.main = main;\n`;
}

/** Whether the module's top level awaits (an `await` or `for await` outside every function). */
function hasTopLevelAwait(program: t.Program): boolean {
  let found = false;
  walk(program, (n) => {
    if (found || n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression' || n.type === 'ObjectMethod' || n.type === 'ClassMethod' || n.type === 'ClassPrivateMethod') return false;
    if (n.type === 'AwaitExpression' || (n.type === 'ForOfStatement' && n.await)) found = true;
    return undefined;
  });
  return found;
}

function bindingNames(id: t.Node): string[] {
  const names: string[] = [];
  const visit = (p: t.Node | null | undefined): void => {
    if (!p) return;
    if (p.type === 'Identifier') names.push(p.name);
    else if (p.type === 'ObjectPattern') for (const q of p.properties) visit(q.type === 'RestElement' ? q.argument : q.value);
    else if (p.type === 'ArrayPattern') for (const q of p.elements) visit(q);
    else if (p.type === 'AssignmentPattern') visit(p.left);
    else if (p.type === 'RestElement') visit(p.argument);
  };
  visit(id);
  return names;
}

/** Names bound at a module's top level (declarations and imports). */
function topLevelNames(program: t.Program): Set<string> {
  const out = new Set<string>();
  for (const s of program.body) {
    const d = s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration' ? s.declaration : s;
    if (!d) continue;
    if (d.type === 'VariableDeclaration') for (const v of d.declarations) for (const n of bindingNames(v.id)) out.add(n);
    else if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) out.add(d.id.name);
    else if (d.type === 'ImportDeclaration') for (const sp of d.specifiers) out.add(sp.local.name);
  }
  return out;
}
