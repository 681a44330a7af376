/**
 * The validator (DESIGN invariant 1): parses compiled code with acorn (not the compiler's Babel, on
 * purpose) and accepts only the grammar of docs/compiled-code.md. It knows nothing of the compiler;
 * it checks shapes, and anything it does not positively recognise is rejected. Read it whole before
 * trusting it: this file (the program), statements.ts, expressions.ts, functions.ts, native-reads.ts,
 * guards.ts, locals.ts, shapes.ts, mentions.ts, and the names in rt-ops.ts and inherited-names.ts.
 */
import { parse, type Options, type Program, type Statement } from 'acorn';
import type { Checker } from './checker.ts';
import { fail, ValidationError } from './errors.ts';
import { Locals } from './locals.ts';
import { isNamed } from './shapes.ts';
import { checkStatements } from './statements.ts';

const SCRIPT: Options = { ecmaVersion: 2022, sourceType: 'script', locations: true, allowReturnOutsideFunction: false };

/** Throws a ValidationError, with the line and column where the code leaves the grammar, unless it is in it. */
export function validate(code: string): void {
  const body = programBody(parseScript(code));
  const locals = new Locals();
  const cx: Checker = { locals, statements: (stmts) => checkStatements(cx, stmts) };
  locals.within(() => checkStatements(cx, body));
}

function parseScript(code: string): Program {
  try {
    return parse(code, SCRIPT);
  } catch (e) {
    const err = e as { message: string; loc?: { line: number; column: number } };
    throw new ValidationError(`does not parse: ${err.message}`, err.loc?.line ?? 0, err.loc?.column ?? 0);
  }
}

/** Program := `(function (rt) { "use strict"; Stmt* })`: the statements after the directive. */
function programBody(program: Program): Statement[] {
  const only = program.body[0];
  if (program.body.length !== 1 || only.type !== 'ExpressionStatement') fail(program, 'program must be one function expression');
  const top = only.expression;
  if (top.type !== 'FunctionExpression' || top.id || top.async || top.generator || top.params.length !== 1 || !isNamed(top.params[0], 'rt')) {
    fail(top, 'program must be `(function (rt) { … })`');
  }
  const body = top.body.body;
  const first = body[0];
  if (!first || first.type !== 'ExpressionStatement' || first.directive !== 'use strict') fail(top, 'program must start with "use strict"');
  return body.slice(1);
}
