import { Command } from 'commander';
import { commands } from './commands/index.ts';

/** The `containerless` command: each subcommand lives in its own file under commands/. */
const program = new Command();
program.name('containerless').description('Serverless JavaScript functions, accelerated by compiling their execution traces.');
program.showHelpAfterError();
// `bench tenants --help` (and every option after a subcommand's first argument) reaches the benchmark
// script; `passThroughOptions` needs it (commander).
program.enablePositionalOptions();
for (const register of commands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`containerless: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
