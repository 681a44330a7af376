import type { Command } from 'commander';
import { Client, clientOptions, fnPath } from '../client.ts';

export function registerTrace(program: Command): void {
  clientOptions(program.command('trace').description("print a function's trace tree").argument('<name>').option('--json', 'print the JSON')).action(
    async (name: string, opts: { json?: boolean; url?: string; token?: string }) => {
      const tree = await new Client(opts).api('GET', `${fnPath(name)}/trace`);
      if (opts.json) return void process.stdout.write(`${JSON.stringify(tree)}\n`);
      const { printTree, treeFromJSON } = await import('../../trace/index.ts');
      const text = printTree(treeFromJSON(tree));
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  );
}
