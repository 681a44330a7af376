/**
 * tracer: turns a function file into instrumented code and records, per request, the path it took.
 * Owns the skeleton (arms numbered in a deterministic pre-order walk of the Babel AST, unsupported
 * syntax marked: unsupported.ts), source-to-source instrumentation by splicing markers, the run-time
 * recorder (one byte array per request, switched by loadFunction's `enter` hook) and local tracing
 * runs. Depends on src/trace (the IR it produces) and src/api (to run functions).
 */
export { buildSkeleton, instrument, type Instrumented } from './instrument.ts';
export { MARKER_BINDING, unsupportedIn } from './analyze.ts';
export { TraceParseError, parseFunctionSource } from './parse.ts';
export { applyEdits, type Edit } from './splice.ts';
export { renameIdentifier } from './rename.ts';
export { UNSUPPORTED, type UnsupportedWhat } from './unsupported.ts';
export { createRecorder, type Recorder, type PathHandle, type MarkerBinding, type RequestLike } from './recorder.ts';
export { traceLocally, type TraceLocallyOptions, type TraceLocallyResult } from './local.ts';
