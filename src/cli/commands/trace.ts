import type { Command } from 'commander';
import { Client, clientOptions, fnPath } from '../client.ts';

export function registerTrace(program: Command): void {
  clientOptions(program.command('trace').description("print a function's trace tree").argument('<name>').option('--json', 'print the JSON')).action(
    async (name: string, opts: { json?: boolean; url?: string; token?: string }) => {
      const tree = await new Client(opts).api('GET', `${fnPath(name)}/trace`);
      // The readable printer belongs to the trace stage; until it is wired here, JSON is the output.
      process.stdout.write(`${JSON.stringify(tree, null, opts.json ? 0 : 2)}\n`);
    },
  );
}
