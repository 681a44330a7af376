/**
 * sandbox: everything that runs a function's code in an OS sandbox. It owns the runner (the program
 * inside a container, bundled into one JS file), the dispatcher ⇄ runner protocol over a Unix socket,
 * and the drivers that make containers (runc, bwrap, process) behind `SandboxDriver` (runc's spawned
 * off the event loop by spawner.ts). The pool and
 * dispatcher use only `createDriver` and the types below; docs/sandbox.md describes it all.
 */
export * from './types.ts';
export { createDriver } from './create-driver.ts';
export type { DriverOptions, SandboxLogger, SandboxLogFn } from './driver-common.ts';
export { FUNCTION_BASE_ENV } from './function-env.ts';
export { buildRunnerBundle, bundleFile, RUNNER_FILE, type BundleSpec } from './bundle.ts';
export { builtFile, packageRoot, runningBuilt } from './built.ts';
export { TIMEOUT_MARGIN_MS, LOAD_TIMEOUT_MS } from './runner-link.ts';
export { START_TIMEOUT_MS } from './container.ts';
export { PROTOCOL_VERSION, type ToRunner, type FromRunner } from './protocol.ts';
export { detectCgroups, type CgroupMode } from './cgroups.ts';
