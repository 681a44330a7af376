import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CliError } from '../client.ts';

const SCRIPT = fileURLToPath(new URL('../../../bench/containers.ts', import.meta.url));

/** `containerless bench`: the container benchmarks, in a process of their own (see bench/). */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('run the container benchmarks (bench/containers.ts) and append to bench/RESULTS.md')
    .allowUnknownOption()
    .argument('[args...]', 'passed to the script, e.g. --duration 10 --connections 32 --cold 7')
    .action(async (args: string[]) => {
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { stdio: 'inherit' });
        child.on('exit', resolve);
      });
      if (code !== 0) throw new CliError(`benchmark failed (exit ${code})`);
    });
}
