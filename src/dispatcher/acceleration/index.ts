/**
 * acceleration: the dispatcher's tracing, compiling, accelerated serving, abort and re-execution
 * with replay, demotion and retry (docs/acceleration.md). The dispatcher calls it at its seams
 * (selectMode, execute, reportArms, deploy/remove, pins); the policy is ../policy.ts.
 */
export { Acceleration, type AccelerationHost, type ExecResult, type CompileNowResult } from './acceleration.ts';
export { CompileService } from './compile-service.ts';
