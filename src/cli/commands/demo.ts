import type { Command } from 'commander';
import type { DriverName } from '../../sandbox/types.ts';
import { CliError } from '../client.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start the platform on embedded defaults, deploy the examples and drive traffic')
    .option('-n, --requests <n>', 'requests per function', '500')
    .option('-c, --concurrency <n>', 'requests in flight', '8')
    .option('--sandbox <driver>', 'runc | bwrap | process (default: the strongest that works here)', 'auto')
    .action(async (opts: { requests: string; concurrency: string; sandbox: string }) => {
      const requests = Number(opts.requests);
      const concurrency = Number(opts.concurrency);
      if (!(requests > 0) || !(concurrency > 0)) throw new CliError('--requests and --concurrency must be positive');
      const { runDemo } = await import('../demo/index.ts');
      await runDemo({ requests, concurrency, sandbox: opts.sandbox as DriverName | 'auto' });
    });
}
