/**
 * platform: the dispatcher, the only place that knows every stage. It routes each request to its
 * function's current version with a request context made at the edge (request-context.ts); a
 * version (function-version.ts) owns its config, mode and policy state, its pool of containers
 * (pool.ts, within the platform-wide budget of capacity.ts, adopting the shared generic runners of stem-cells.ts; every start waits its turn at start-gate.ts) and its acceleration. Deploy-time work:
 * source checks (source-check.ts, in a worker for large sources: source-service.ts) and configs
 * (config.ts, secrets included); versions: rollback and PATCH's config merge (versions.ts, applied by
 * the dispatcher in deploy order). Activation logs are capped in one place (activation-log.ts). Depends on acceleration,
 * io, metrics, sandbox, store and api; the server is its only user.
 */
export { Dispatcher, DISPATCHER_DEFAULTS, type AcceleratorOptions, type DispatcherOptions, type Invocation } from './dispatcher.ts';
export { FunctionVersion, type ExecResult, type CompileNowResult, type VersionServices } from './function-version.ts';
export type { RequestContext } from './request-context.ts';
export { DEFAULT_CONFIG, ENV_LIMITS, ConfigError, validateConfig, resolveConfig, functionEnv, publicConfig, type FunctionConfig } from './config.ts';
export { SourceError, checkSource } from './source-check.ts';
export { prepareSource, type PreparedSource, type SourceFacts } from './source-prep.ts';
export { type FunctionStyle } from './source-style.ts';
export { type Blocker, type Blockers } from './source-blockers.ts';
export { TarballError, TARBALL_LIMITS, extractTarball, type TarballLimits } from './source-tarball.ts';
export { BundleError, bundleFolder } from './source-bundle.ts';
export { SourceService, SourceUnavailableError, SOURCE_SERVICE_DEFAULTS, type SourceServiceOptions, type SourceOutcome } from './source-service.ts';
export { Pool, POOL_DEFAULTS, type PoolOptions, type PoolRequest, type PoolResult } from './pool.ts';
export { Capacity, type ReclaimOffer } from './capacity.ts';
export { StemCells, STEM_CELL_DEFAULTS, type StemKey } from './stem-cells.ts';
export { SlidingPeak } from './sliding-peak.ts';
export { VersionNotFoundError, FunctionNotFoundError, mergeConfig, sameConfig } from './versions.ts';
