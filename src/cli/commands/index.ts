import type { Command } from 'commander';

/** Every subcommand registers itself on the program; add one line per command file. */
export const commands: Array<(program: Command) => void> = [];
