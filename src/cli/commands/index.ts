import type { Command } from 'commander';

/**
 * Every subcommand registers itself on the program; add one line per command file. Registering stays
 * light: a command loads its heavy parts (server, pipeline) inside its action, so `--help` and the
 * client commands load none of them.
 */
export const commands: Array<(program: Command) => void> = [];
import { registerServe } from './serve.ts';
import { registerDeploy } from './deploy.ts';
import { registerInvoke } from './invoke.ts';
import { registerManage } from './manage.ts';
import { registerTrace } from './trace.ts';
commands.push(registerServe, registerDeploy, registerInvoke, registerManage, registerTrace);
import { registerDemo } from './demo.ts';
commands.push(registerDemo);
import { registerTraceRun } from './trace-run.ts';
commands.push(registerTraceRun);
import { registerBench } from './bench.ts';
commands.push(registerBench);
