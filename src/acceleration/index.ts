/**
 * acceleration: everything between a function version's source and its accelerated answers
 * (docs/acceleration.md). The mode state machine (modes.ts) and the policy as pure transitions
 * (policy.ts: its parameters; version-policy.ts: its rules); the compile stage (compile-tree.ts, also
 * trace-run's); a version's trace, compiles, compiled
 * code and accelerated attempts (version-acceleration.ts, trace-state.ts); the compile worker
 * (compile-service.ts, compile-worker.ts); where compiled code runs (accel-runner.ts: inline;
 * accel-workers.ts, accel-worker.ts: worker threads behind a heap limit and a watchdog, which
 * reads a worker's CPU time through thread-cpu.ts; resident-runner.ts: which programs stay loaded); the
 * source's instrumentation (instrumentation.ts). It decides nothing for the platform: the
 * owner of a version (platform/function-version.ts) feeds it events and applies its decisions.
 * Depends on tracer, trace, compiler, accelerator, api, io, metrics, sandbox (types), store.
 */
export { MODE_HEADER, TRANSITIONS, nextModeState, initialModeState, type Mode, type ModeState, type ModeEvent } from './modes.ts';
export { DEFAULT_POLICY, PolicyError, resolvePolicy, type Policy } from './policy.ts';
export { step, initialVersionState, type VersionState, type VersionFacts, type PolicyEvent, type PolicyAction, type Step } from './version-policy.ts';
export {
  VersionAcceleration,
  accelStats,
  INLINE_TREE_SOURCE_CHARS,
  type AccelServices,
  type AccelFaults,
  type ContainerPool,
  type ContainerResult,
  type PoolRequest,
  type VersionHooks,
  type VersionInfo,
} from './version-acceleration.ts';
export { accelMetrics, type AccelMetrics } from './metrics.ts';
export { compileTree, type CompiledTree } from './compile-tree.ts';
export { CompileService } from './compile-service.ts';
export { startWorker, type WorkerEntry } from './start-worker.ts';
export { InlineRunner, type AccelIsolation, type AccelRunner, type Attempt, type Binding, type BackstopCause } from './accel-runner.ts';
export { ResidentRunner, type ResidencyOptions } from './resident-runner.ts';
export { WorkerRunner, ACCEL_WORKER_DEFAULTS, defaultWorkerCount, type WorkerRunnerOptions } from './accel-workers.ts';
export { lightInstrument, toInstrumentation, type Instrumentation, type LightInstrumentation } from './instrumentation.ts';
export { abortMeaning } from './abort-meaning.ts';
export { preliveCheck, checkOnRunner, PRELIVE_CONFIRM_MS, difference, describeRequest, type CheckOutcome, type CheckOptions, type ReplayRun } from './prelive-check.ts';
export { TracedSample, MAX_EXAMPLE_CHARS, type TracedExample } from './prelive-sample.ts';
