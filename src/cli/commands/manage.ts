import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, Client, clientOptions, fnPath, printJson } from '../client.ts';

type Opts = { url?: string; token?: string };

/** `list`, `get`, `rm`, `logs`, `compile`, `mode`, `versions`, `rollback`, `config`: thin wrappers of the management API. */
export function registerManage(program: Command): void {
  clientOptions(program.command('list').description('list functions').option('--json', 'print JSON')).action(async (opts: Opts & { json?: boolean }) => {
    const fns = (await new Client(opts).api('GET', '/api/functions')) as Array<{ name: string; version: number; mode: string; serving?: string; serving_reason?: string; pin: string; updated_at: string }>;
    if (opts.json) return printJson(fns);
    if (fns.length === 0) return void process.stdout.write('no functions\n');
    // SERVING is the mode that really answers; WHY says what keeps a function from being accelerated.
    const why = (f: (typeof fns)[number]) => (f.serving === 'accelerated' ? '' : (f.serving_reason ?? ''));
    const rows = [['NAME', 'VERSION', 'MODE', 'SERVING', 'PIN', 'UPDATED', 'WHY'], ...fns.map((f) => [f.name, String(f.version), f.mode, f.serving ?? f.mode, f.pin, f.updated_at, why(f)])];
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

  clientOptions(program.command('versions').description('stored versions of a function, newest first').argument('<name>').option('--json', 'print JSON')).action(
    async (name: string, opts: Opts & { json?: boolean }) => {
      const vs = (await new Client(opts).api('GET', `${fnPath(name)}/versions`)) as Array<{
        version: number; created_at: string; current: boolean; source_bytes: number; trace: boolean; compiled: boolean;
      }>;
      if (opts.json) return printJson(vs);
      const yes = (b: boolean) => (b ? 'yes' : '-');
      table([
        ['VERSION', 'CURRENT', 'CREATED', 'BYTES', 'TRACE', 'COMPILED'],
        ...vs.map((v) => [String(v.version), v.current ? '*' : '', v.created_at, String(v.source_bytes), yes(v.trace), yes(v.compiled)]),
      ]);
    },
  );

  clientOptions(program.command('rollback').description('make a stored version current again (its source, config, trace and compiled code)').argument('<name>').argument('<version>')).action(
    async (name: string, version: string, opts: Opts) => {
      const n = Number(version);
      if (!Number.isSafeInteger(n) || n < 1) throw new CliError(`version must be a positive integer, got ${JSON.stringify(version)}`);
      const r = (await new Client(opts).api('PUT', `${fnPath(name)}/version`, { version: n })) as { version: number; mode: string; unchanged: boolean };
      process.stdout.write(r.unchanged ? `${name}: version ${r.version} is already current\n` : `${name}: version ${r.version} is current, mode ${r.mode}\n`);
    },
  );

  clientOptions(
    program
      .command('config')
      .description('show or change a function\'s config without a new code version (secrets are shown by name)')
      .argument('<name>')
      .option('--set <json>', 'keys to change, as a JSON object (null removes a key), e.g. \'{"timeout_ms":2000}\'')
      .option('--set-file <file>', 'the same from a JSON file (- for stdin): keeps secrets out of the shell history')
      .option('--unset <key...>', 'keys to remove (their defaults apply)'),
  ).action(async (name: string, opts: Opts & { set?: string; setFile?: string; unset?: string[] }) => {
    const client = new Client(opts);
    const patch: Record<string, unknown> = {};
    for (const [text, what] of [[opts.set, '--set'], [opts.setFile === undefined ? undefined : readFileSync(opts.setFile === '-' ? 0 : opts.setFile, 'utf8'), '--set-file']] as const) {
      if (text === undefined) continue;
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch {
        throw new CliError(`${what} is not valid JSON`);
      }
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new CliError(`${what} must be a JSON object`);
      Object.assign(patch, v);
    }
    for (const k of opts.unset ?? []) patch[k] = null;
    if (Object.keys(patch).length === 0) {
      const f = (await client.api('GET', fnPath(name))) as { config: unknown };
      return printJson(f.config);
    }
    const r = (await client.api('PATCH', fnPath(name), { config: patch })) as { version: number; unchanged: boolean; config: unknown };
    process.stdout.write(r.unchanged ? `${name}: config unchanged (version ${r.version})\n` : `${name}: config changed, version ${r.version}\n`);
    printJson(r.config);
  });
}

function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
}

/** A detail may hold request data: quoted, with no control character left to reach the terminal. */
function quoted(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
