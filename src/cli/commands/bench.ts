import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Command } from 'commander';
import { packageRoot } from '../../sandbox/built.ts';
import { CliError } from '../client.ts';

const SCRIPT = join(packageRoot, 'bench', 'containers.ts');
/** `bench tenants …`: many functions, three modes, one seeded load (bench/tenants/main.ts). */
const TENANTS = join(packageRoot, 'bench', 'tenants', 'main.ts');

/** `containerless bench`: the container benchmarks, in a process of their own (see bench/). */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('run the container benchmarks (bench/containers.ts) and append to bench/RESULTS.md; `bench tenants` runs the many-tenants benchmark (bench/RESULTS-tenants.md)')
    .allowUnknownOption()
    .passThroughOptions()
    .argument('[args...]', 'passed to the script, e.g. --duration 10 --connections 32 --cold 7')
    .action(async (args: string[]) => {
      const tsx = devTsx();
      const [script, rest] = args[0] === 'tenants' ? [TENANTS, args.slice(1)] : [SCRIPT, args];
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['--import', tsx, script, ...rest], { stdio: 'inherit' });
        child.on('exit', resolve);
      });
      if (code !== 0) throw new CliError(`benchmark failed (exit ${code})`);
    });
}

/**
 * The benchmark is a development tool (autocannon and tsx are devDependencies): it runs from a
 * checkout, through the package's own tsx whatever the current directory.
 */
function devTsx(): string {
  try {
    return import.meta.resolve('tsx');
  } catch {
    throw new CliError('bench needs the development dependencies: run it from a checkout after npm ci');
  }
}
