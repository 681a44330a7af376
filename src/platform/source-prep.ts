import { lightInstrument, type LightInstrumentation } from '../acceleration/index.ts';
import { accelerationBlockers, type Blockers } from './source-blockers.ts';
import { SourceError, checkSource } from './source-check.ts';
import { exportDeclaredMain, moduleToCommonJS } from './source-esm.ts';
import { mainOnlyDeclared, type FunctionStyle } from './source-style.ts';

/** What the deploy-time work learns of a stored source, kept with its version (not stored: derived again at load). */
export interface SourceFacts {
  style: FunctionStyle;
  blockers: Blockers;
  /** The CommonJS text the containers run and the tracer instruments: the source itself unless it is an ES module. */
  code: string;
}

/** The deploy-time work on a source: its check (CONTRACT §3 400s), its facts and its instrumentation. */
export type PreparedSource =
  | { ok: true; facts: SourceFacts; instrumented: LightInstrumentation }
  | { ok: false; message: string; line: number; column: number };

/**
 * Checks a source, derives the text that runs (an ES module becomes CommonJS, source-esm.ts) and
 * instruments it. Pure and synchronous: the source worker runs it for large sources, the dispatcher
 * inline for small ones and at start-up for stored ones. Never throws for bad input.
 */
export function prepareSource(source: string): PreparedSource {
  let facts: SourceFacts;
  try {
    const { style, ast, module } = checkSource(source);
    const exportMain = style === 'openwhisk' && mainOnlyDeclared(ast.program);
    const code = module ? moduleToCommonJS(source, ast, { exportMain }) : exportMain ? exportDeclaredMain(source) : source;
    facts = { style, blockers: accelerationBlockers(ast, source), code };
  } catch (err) {
    if (err instanceof SourceError) return { ok: false, message: err.message, line: err.line, column: err.column };
    // Babel or the walk gave up (a source nested deeper than the stack): still the source's fault.
    return { ok: false, message: `cannot check the source: ${(err as Error).message}`, line: 1, column: 1 };
  }
  const instrumented = lightInstrument(facts.code);
  if (facts.code !== source && 'error' in instrumented) {
    // The conversion made text that does not parse as CommonJS: refuse rather than store what cannot run.
    return { ok: false, message: `the module could not be converted to CommonJS: ${instrumented.error}`, line: 1, column: 1 };
  }
  return { ok: true, facts, instrumented };
}
