import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, Client, clientOptions, fnPath } from '../client.ts';

export function registerDeploy(program: Command): void {
  clientOptions(
    program
      .command('deploy')
      .description('create or replace a function from a JavaScript file')
      .argument('<name>', 'function name, [a-z0-9][a-z0-9-]{0,62}')
      .argument('<file>', 'the function file (CommonJS)')
      .option('--config <json>', 'config as JSON, e.g. \'{"timeout_ms":2000}\' (default: keep the current one)'),
  ).action(async (name: string, file: string, opts: { config?: string; url?: string; token?: string }) => {
    let source: string;
    try {
      source = await readFile(file, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    let config: unknown;
    if (opts.config !== undefined) {
      try {
        config = JSON.parse(opts.config);
      } catch {
        throw new CliError('--config is not valid JSON');
      }
    }
    const client = new Client(opts);
    const r = (await client.api('PUT', fnPath(name), config === undefined ? { source } : { source, config })) as { name: string; version: number; sandbox: string };
    process.stdout.write(`deployed ${r.name} version ${r.version} (sandbox ${r.sandbox}); invoke it at ${client.base}/fn/${r.name}/\n`);
  });
}
