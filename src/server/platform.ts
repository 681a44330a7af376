import { join } from 'node:path';
import type { Server } from 'node:http';
import pino, { type Logger } from 'pino';
import { Dispatcher, type AcceleratorOptions } from '../platform/index.ts';
import { createMetrics, type Metrics } from '../metrics/index.ts';
import type { Policy } from '../acceleration/policy.ts';
import type { AccelFaults } from '../acceleration/index.ts';
import { EgressPolicy } from '../io/egress.ts';
import { createDriver } from '../sandbox/index.ts';
import type { DriverName, SandboxDriver } from '../sandbox/types.ts';
import { Store, type StoreOptions } from '../store/index.ts';
import { isLoopback } from './auth.ts';
import { HTTP_DEFAULTS, ListenRefused, createHttpServer, listen } from './server.ts';

export interface PlatformOptions {
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  sandbox?: DriverName | 'auto';
  token?: string;
  logger?: Logger;
  maxBodyBytes?: number;
  maxSourceBytes?: number;
  /** Containers across all functions. */
  maxContainers?: number;
  /** The platform's memory budget in MB (containers' limits and compiled programs; default half the machine). */
  memoryMb?: number;
  /** Generic runners kept started for any function's cold start (0: one per deployed function). */
  stemCells?: number;
  /** Containers starting at once at most (platform/start-gate.ts). */
  startConcurrency?: number;
  /** Sliding window that sizes pools. */
  windowMs?: number;
  /** On close, how long requests in flight may take to finish before connections are cut. */
  shutdownGraceMs?: number;
  /** Acceleration policy (src/acceleration/policy.ts, docs/policy.md); unset fields take the defaults. */
  policy?: Partial<Policy>;
  /** Retention and the activation/counter flush interval (src/store/store.ts). */
  store?: StoreOptions;
  /** Outbound destinations every function may reach beyond the default (`--allow-outbound`: hosts, host:port, CIDRs). */
  allowOutbound?: string | readonly string[];
  /** Destinations a function may ask for in its `config.outbound` (`--grant-outbound`). */
  grantOutbound?: string | readonly string[];
  /** Lets functions deploy with `config.network: "host"` (`--allow-host-network`). */
  allowHostNetwork?: boolean;
  /** Where compiled code runs: worker threads behind the backstop (default) or inline. */
  accelerator?: AcceleratorOptions;
  /** Test-only faults (acceleration's AccelFaults); `serve` never sets them. */
  faultsForTests?: AccelFaults;
}

export interface Platform {
  url: string;
  port: number;
  host: string;
  driver: SandboxDriver;
  dispatcher: Dispatcher;
  store: Store;
  metrics: Metrics;
  server: Server;
  logger: Logger;
  close(): Promise<void>;
}

export const PLATFORM_DEFAULTS = { host: '127.0.0.1', port: 8080, sandbox: 'auto', shutdownGraceMs: 5000 } as const;

/**
 * Starts the whole platform on embedded parts: the store in `dataDir`, the sandbox driver (leftover
 * containers of a crashed server removed first), the dispatcher with every stored function, and the
 * HTTP server. The non-loopback rule is checked before anything starts.
 */
export async function startPlatform(o: PlatformOptions): Promise<Platform> {
  const host = o.host ?? PLATFORM_DEFAULTS.host;
  if (!o.token && !isLoopback(host)) {
    throw new ListenRefused(`refusing to listen on ${host} without a token: set --token or CONTAINERLESS_TOKEN, or use a loopback address`);
  }
  // A bad entry is refused before anything starts (EgressConfigError names it).
  const egress = new EgressPolicy({ allow: o.allowOutbound, grant: o.grantOutbound });
  const logger = o.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const store = Store.open(o.dataDir, o.store);
  let driver: SandboxDriver | undefined;
  let dispatcher: Dispatcher | undefined;
  try {
    driver = await createDriver(o.sandbox ?? PLATFORM_DEFAULTS.sandbox, { stateDir: join(o.dataDir, 'sandbox'), log: logger.child({ component: 'sandbox' }) });
    // Leftovers are a cleanup, not a precondition: a failure to look for them is logged, and the next
    // start tries again.
    const removed = await driver.cleanupLeftovers().catch((err: Error) => {
      logger.warn({ err: err.message }, 'could not look for containers left over from a previous server');
      return 0;
    });
    if (removed > 0) logger.info({ removed }, 'removed containers left over from a previous server');
    for (const l of driver.limitations) logger.warn({ sandbox: driver.name }, `sandbox limitation: ${l}`);
    if (driver.name === 'process') logger.warn('sandbox "process" runs functions as plain child processes: NOT a sandbox, for development only');
    const metrics = createMetrics();
    dispatcher = new Dispatcher({ store, driver, logger, metrics, maxContainers: o.maxContainers, memoryMb: o.memoryMb, stemCells: o.stemCells, startConcurrency: o.startConcurrency, windowMs: o.windowMs, policy: o.policy, egress, allowHostNetwork: o.allowHostNetwork, accelerator: o.accelerator, faultsForTests: o.faultsForTests });
    dispatcher.init();
    const server = createHttpServer({
      dispatcher,
      store,
      metrics,
      logger,
      token: o.token,
      maxBodyBytes: o.maxBodyBytes ?? HTTP_DEFAULTS.maxBodyBytes,
      maxSourceBytes: o.maxSourceBytes ?? HTTP_DEFAULTS.maxSourceBytes,
    });
    const addr = await listen(server, host, o.port ?? PLATFORM_DEFAULTS.port, o.token);
    dispatcher.io.setPlatformAddress(addr.address, addr.port);
    const urlHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    const url = `http://${urlHost}:${addr.port}`;
    logger.info({ url, sandbox: driver.name, dataDir: o.dataDir, functions: dispatcher.list().length }, 'containerless listening');
    if (egress.allow.length > 0 || egress.grant.length > 0) logger.info({ allow: egress.allow.map((e) => e.text), grant: egress.grant.map((e) => e.text) }, 'outbound allowed beyond the defaults');
    if (o.allowHostNetwork) logger.warn('functions may use config.network "host": they reach the host\'s network (and this API) directly; set a token');
    const d = dispatcher;
    const sandbox = driver;
    let closing: Promise<void> | undefined;
    return {
      url,
      port: addr.port,
      host,
      driver,
      dispatcher: d,
      store,
      metrics,
      server,
      logger,
      close: () =>
        (closing ??= (async () => {
          // Stop accepting, let requests in flight finish (bounded), then cut what is left.
          // Keep-alive connections turn idle as their last response ends; close them as they do.
          const closed = new Promise<void>((r) => server.close(() => r()));
          const sweeper = setInterval(() => server.closeIdleConnections(), 25);
          server.closeIdleConnections();
          const grace = o.shutdownGraceMs ?? PLATFORM_DEFAULTS.shutdownGraceMs;
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([closed, new Promise<void>((r) => (timer = setTimeout(r, grace)))]);
          clearTimeout(timer);
          clearInterval(sweeper);
          server.closeAllConnections();
          await closed;
          try {
            await d.close();
          } finally {
            await removeRemaining(sandbox, logger);
            store.close();
          }
        })()),
    };
  } catch (err) {
    await dispatcher?.close().catch(() => undefined);
    store.close();
    throw err;
  }
}

/** A clean shutdown removes its containers, even one that escaped its pool (said in the log: a bug). */
async function removeRemaining(driver: SandboxDriver, logger: Logger): Promise<void> {
  try {
    const left = (await driver.removeRemaining?.()) ?? [];
    if (left.length > 0) logger.warn({ containers: left }, 'removed containers still there after every pool closed');
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'listing the containers left at shutdown failed');
  }
}
