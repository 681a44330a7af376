import { lightInstrument, type LightInstrumentation } from '../acceleration/index.ts';
import { SourceError, checkSource } from './source-check.ts';

/** The deploy-time work on a source: its check (CONTRACT §3 400s) and its instrumentation. */
export type PreparedSource =
  | { ok: true; instrumented: LightInstrumentation }
  | { ok: false; message: string; line: number; column: number };

/**
 * Checks and instruments a source. Pure and synchronous: the source worker runs it for large
 * sources, the dispatcher inline for small ones. Never throws for bad input.
 */
export function prepareSource(source: string): PreparedSource {
  try {
    checkSource(source);
  } catch (err) {
    if (err instanceof SourceError) return { ok: false, message: err.message, line: err.line, column: err.column };
    // Babel or the walk gave up (a source nested deeper than the stack): still the source's fault.
    return { ok: false, message: `cannot check the source: ${(err as Error).message}`, line: 1, column: 1 };
  }
  return { ok: true, instrumented: lightInstrument(source) };
}

