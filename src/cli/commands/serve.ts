import type { Command } from 'commander';
import type { DriverName } from '../../sandbox/types.ts';
import { CliError } from '../client.ts';
import { defaultDataDir } from '../data-dir.ts';
import { PolicyError, resolvePolicy } from '../../acceleration/policy.ts';
import { ACCEL_WORKER_DEFAULTS } from '../../acceleration/accel-defaults.ts';
import { MEMORY_DEFAULTS, MIN_DEFAULT_MAX_CONTAINERS } from '../../platform/memory-budget.ts';
import { DEFAULT_CONFIG } from '../../platform/config.ts';
import type { AcceleratorOptions } from '../../platform/index.ts';
import { STEM_CELL_DEFAULTS } from '../../platform/stem-cells.ts';
import { EgressConfigError, parseAllowList } from '../../io/egress.ts';

const SANDBOXES = ['runc', 'bwrap', 'process', 'auto'];

interface ServeOptions {
  port: string;
  host: string;
  dataDir?: string;
  sandbox: string;
  token?: string;
  maxContainers?: string;
  memory?: string;
  stemCells?: string;
  startConcurrency?: string;
  policy?: string;
  accelIsolation: string;
  accelWorkers?: string;
  accelHeapMb?: string;
  accelWatchdogMs?: string;
  accelResident?: string;
  allowOutbound?: string;
  grantOutbound?: string;
  allowHostNetwork?: boolean;
}

function intFlag(flag: string, v: string | undefined, min: 0 | 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new CliError(`bad ${flag} ${v}: ${min === 1 ? 'a positive integer' : 'a whole number, 0 or more'}`);
  return n;
}

const positiveInt = (flag: string, v: string | undefined) => intFlag(flag, v, 1);

function acceleratorOptions(opts: ServeOptions): AcceleratorOptions {
  if (opts.accelIsolation !== 'worker' && opts.accelIsolation !== 'inline') throw new CliError(`bad --accel-isolation ${opts.accelIsolation}: use worker or inline`);
  return {
    isolation: opts.accelIsolation,
    workers: positiveInt('--accel-workers', opts.accelWorkers),
    heapMb: positiveInt('--accel-heap-mb', opts.accelHeapMb),
    watchdogMs: positiveInt('--accel-watchdog-ms', opts.accelWatchdogMs),
    maxResident: positiveInt('--accel-resident', opts.accelResident),
  };
}

/** The flag, else the variable; a bad entry is refused before anything starts. */
function outboundList(flag: string, value: string | undefined, variable: string): string | undefined {
  const list = value ?? (process.env[variable] || undefined);
  try {
    parseAllowList(list);
  } catch (err) {
    if (err instanceof EgressConfigError) throw new CliError(`${value !== undefined ? flag : variable}: ${err.message}`);
    throw err;
  }
  return list;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the platform (embedded store and sandbox: no other service needed)')
    .option('--port <port>', 'port to listen on', '8080')
    .option('--host <host>', 'address to listen on (non-loopback needs a token)', '127.0.0.1')
    .option('--data-dir <dir>', 'database and sandbox state (default: $CONTAINERLESS_DATA_DIR, $XDG_DATA_HOME/containerless or ~/.local/share/containerless)')
    .option('--sandbox <driver>', 'runc | bwrap | process (default: the strongest that works here)', 'auto')
    .option('--token <token>', 'require Authorization: Bearer TOKEN on /api (default: $CONTAINERLESS_TOKEN)')
    .option('--max-containers <n>', `containers across all functions (default: as many ${DEFAULT_CONFIG.memory_mb} MB ones as --memory holds, at least ${MIN_DEFAULT_MAX_CONTAINERS})`)
    .option('--memory <mb>', "the platform's memory budget: containers' memory limits and compiled programs together (default half the machine's memory)")
    .option('--stem-cells <n>', `generic runners kept started for any function's first request (default ${STEM_CELL_DEFAULTS.size}; 0: one per deployed function)`)
    .option('--start-concurrency <n>', 'containers starting at once at most; the others wait their turn, cold starts before pre-starts (default: the cores, at least 2)')
    .option('--policy <json>', 'acceleration policy fields, e.g. \'{"compileAfterRequests":3}\' (docs/policy.md)')
    .option('--accel-isolation <mode>', 'where compiled code runs: worker (threads behind a heap limit and a watchdog) or inline (no backstop)', 'worker')
    .option('--accel-workers <n>', 'accelerator worker threads (default: the cores, at most 2)')
    .option('--accel-heap-mb <mb>', `heap limit of each accelerator worker (default ${ACCEL_WORKER_DEFAULTS.heapMb})`)
    .option('--accel-watchdog-ms <ms>', `stop a worker with work whose heartbeat stalls this long while it runs on the CPU (default ${ACCEL_WORKER_DEFAULTS.watchdogMs})`)
    .option('--accel-resident <n>', `compiled programs kept loaded; past it the least recently used idle one is unloaded, and loaded again from the store when needed (default: a tenth of --memory at ${MEMORY_DEFAULTS.programMb} MB each)`)
    .option('--allow-outbound <list>', 'outbound destinations every function may reach beyond the default: comma-separated hosts, host:port, [v6]:port or CIDRs (default: $CONTAINERLESS_ALLOW_OUTBOUND)')
    .option('--grant-outbound <list>', 'destinations a function may ask for in its config.outbound, same syntax (default: $CONTAINERLESS_GRANT_OUTBOUND)')
    .option('--allow-host-network', 'let functions deploy with config.network "host" (they bypass the outbound policy; default: $CONTAINERLESS_ALLOW_HOST_NETWORK=1)')
    .action(async (opts: ServeOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`bad --port ${opts.port}`);
      if (!SANDBOXES.includes(opts.sandbox)) throw new CliError(`bad --sandbox ${opts.sandbox}: use runc, bwrap or process`);
      let policy: Record<string, unknown> | undefined;
      if (opts.policy !== undefined) {
        try {
          policy = JSON.parse(opts.policy) as Record<string, unknown>;
          resolvePolicy(policy); // refuse a bad policy before anything starts
        } catch (err) {
          throw new CliError(`bad --policy: ${err instanceof PolicyError ? err.message : `not JSON (${(err as Error).message})`}`);
        }
      }
      const allowOutbound = outboundList('--allow-outbound', opts.allowOutbound, 'CONTAINERLESS_ALLOW_OUTBOUND');
      const grantOutbound = outboundList('--grant-outbound', opts.grantOutbound, 'CONTAINERLESS_GRANT_OUTBOUND');
      // Loaded here, not at the top: `--help` and the client commands never load the server.
      const { startPlatform } = await import('../../server/index.ts');
      const platform = await startPlatform({
        dataDir: opts.dataDir ?? defaultDataDir(),
        host: opts.host,
        port,
        sandbox: opts.sandbox as DriverName | 'auto',
        token: opts.token ?? (process.env.CONTAINERLESS_TOKEN || undefined),
        maxContainers: positiveInt('--max-containers', opts.maxContainers),
        memoryMb: positiveInt('--memory', opts.memory),
        stemCells: intFlag('--stem-cells', opts.stemCells, 0),
        startConcurrency: positiveInt('--start-concurrency', opts.startConcurrency),
        policy,
        accelerator: acceleratorOptions(opts),
        allowOutbound,
        grantOutbound,
        allowHostNetwork: opts.allowHostNetwork === true || process.env.CONTAINERLESS_ALLOW_HOST_NETWORK === '1',
      });
      const stop = (signal: string) => {
        platform.logger.info({ signal }, 'shutting down');
        platform.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
