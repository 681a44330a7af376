/**
 * server: the platform's HTTP face and its assembly. `createHttpServer` serves `/fn/NAME/…`
 * invocations, the `/api` management API (CONTRACT §3, bearer-token auth), `/healthz` and `/metrics`;
 * `startPlatform` wires store, sandbox driver, dispatcher and server together on embedded defaults.
 * Depends on dispatcher, store, sandbox and api; only the CLI uses it.
 */
export { startPlatform, PLATFORM_DEFAULTS, type Platform, type PlatformOptions } from './platform.ts';
export { createHttpServer, listen, ListenRefused, HTTP_DEFAULTS, type HttpOptions } from './server.ts';
export { isLoopback, authorized } from './auth.ts';
