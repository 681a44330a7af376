/**
 * acceleration: the dispatcher's tracing, compiling, accelerated serving, abort and re-execution
 * with replay, demotion and retry (docs/acceleration.md). The dispatcher calls it at its seams
 * (selectMode, execute, reportArms, deploy/remove, pins); the policy is ../policy.ts. Compiled code
 * runs in accelerator worker threads behind a heap limit and a watchdog (accel-workers.ts), or
 * inline (accel-runner.ts).
 */
export { Acceleration, type AccelerationHost, type ExecResult, type CompileNowResult } from './acceleration.ts';
export { CompileService } from './compile-service.ts';
export { InlineRunner, type AccelIsolation, type AccelRunner, type Attempt, type Binding, type BackstopCause } from './accel-runner.ts';
export { WorkerRunner, ACCEL_WORKER_DEFAULTS, defaultWorkerCount, type WorkerRunnerOptions } from './accel-workers.ts';
