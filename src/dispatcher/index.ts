/**
 * dispatcher: the only place that knows every stage. Routes an invocation to its function, keeps each
 * function's mode state machine (modes.ts), runs containers through per-function pools (pool.ts) on a
 * sandbox driver, performs every outbound call of every mode (io.ts) under the egress policy
 * (egress.ts, applied where connections are made: egress-connector.ts), checks sources and configs at
 * deploy, records activations in the store and exposes Prometheus metrics. Depends on api, sandbox
 * (types and drivers) and store; the server is its only user.
 */
export { Dispatcher, DISPATCHER_DEFAULTS, type AcceleratorOptions, type DispatcherOptions, type FunctionEntry, type Invocation } from './dispatcher.ts';
export { DEFAULT_CONFIG, ConfigError, validateConfig, resolveConfig, type FunctionConfig } from './config.ts';
export { SourceError, checkSource } from './source-check.ts';
export { SourceService, SourceUnavailableError, SOURCE_SERVICE_DEFAULTS, type SourceServiceOptions, type SourceOutcome } from './source-service.ts';
export { prepareSource, lightInstrument, toInstrumentation, type Instrumentation, type PreparedSource } from './source-prep.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export { IOLayer, IO_DEFAULTS, type IOPolicy, type CallContext } from './io.ts';
export { EgressPolicy, EgressConfigError, type RefusalReason } from './egress.ts';
export { Pool, POOL_DEFAULTS, type PoolOptions, type PoolResult } from './pool.ts';
export { MODE_HEADER, TRANSITIONS, CAPABILITIES, nextModeState, initialModeState, type Mode, type ModeState, type ModeEvent } from './modes.ts';
export { Capacity } from './capacity.ts';
export { SlidingPeak } from './sliding-peak.ts';
