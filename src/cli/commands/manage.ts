import type { Command } from 'commander';
import { Client, clientOptions, fnPath, printJson } from '../client.ts';

type Opts = { url?: string; token?: string };

/** `list`, `get`, `rm`, `logs`, `compile`, `mode`: thin wrappers of the management API. */
export function registerManage(program: Command): void {
  clientOptions(program.command('list').description('list functions').option('--json', 'print JSON')).action(async (opts: Opts & { json?: boolean }) => {
    const fns = (await new Client(opts).api('GET', '/api/functions')) as Array<{ name: string; version: number; mode: string; pin: string; updated_at: string }>;
    if (opts.json) return printJson(fns);
    if (fns.length === 0) return void process.stdout.write('no functions\n');
    const rows = [['NAME', 'VERSION', 'MODE', 'PIN', 'UPDATED'], ...fns.map((f) => [f.name, String(f.version), f.mode, f.pin, f.updated_at])];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
  });

  clientOptions(program.command('get').description('show a function: version, mode, config, stats').argument('<name>')).action(async (name: string, opts: Opts) => {
    printJson(await new Client(opts).api('GET', fnPath(name)));
  });

  clientOptions(program.command('rm').description('remove a function, its containers, trace and compiled code').argument('<name>')).action(async (name: string, opts: Opts) => {
    await new Client(opts).api('DELETE', fnPath(name));
    process.stdout.write(`removed ${name}\n`);
  });

  clientOptions(
    program.command('logs').description('recent activations with their logs').argument('<name>').option('-n, --limit <n>', 'how many', '20').option('--json', 'print JSON'),
  ).action(async (name: string, opts: Opts & { limit: string; json?: boolean }) => {
    const acts = (await new Client(opts).api('GET', `${fnPath(name)}/logs?limit=${Number(opts.limit) || 20}`)) as Array<{
      id: string; start: number; duration_ms: number; mode: string; status: number; reexecuted: boolean; abort_reason?: string; abort_detail?: string; logs: string[];
    }>;
    if (opts.json) return printJson(acts);
    for (const a of acts.reverse()) {
      const abort = `${a.abort_reason ? ` abort=${a.abort_reason}` : ''}${a.abort_detail ? ` detail=${quoted(a.abort_detail)}` : ''}`;
      const extra = `${a.reexecuted ? ' re-executed' : ''}${abort}`;
      process.stdout.write(`${new Date(a.start).toISOString()} ${a.id} ${a.mode} ${a.status} ${a.duration_ms}ms${extra}\n`);
      for (const l of a.logs) process.stdout.write(`    ${l}\n`);
    }
  });

  clientOptions(program.command('compile').description('compile the trace tree now and switch to accelerated mode').argument('<name>')).action(async (name: string, opts: Opts) => {
    printJson(await new Client(opts).api('POST', `${fnPath(name)}/compile`));
  });

  clientOptions(
    program.command('mode').description('pin the execution mode: auto, containers or accelerated').argument('<name>').argument('<mode>', 'auto | containers | accelerated'),
  ).action(async (name: string, mode: string, opts: Opts) => {
    const r = (await new Client(opts).api('PUT', `${fnPath(name)}/mode`, { mode })) as { mode: string; pin: string };
    process.stdout.write(`${name}: pin ${r.pin}, mode now ${r.mode}\n`);
  });
}

/** A detail may hold request data: quoted, with no control character left to reach the terminal. */
function quoted(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
