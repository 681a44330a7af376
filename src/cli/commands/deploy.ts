import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, Client, clientOptions, fnPath } from '../client.ts';

interface Deployed {
  name: string;
  version: number;
  sandbox: string;
  style?: string | null;
  acceleration_blockers?: Array<{ what: string; line: number; column: number }>;
  acceleration_blockers_omitted?: number;
  unchanged?: boolean;
}

/** How many blockers the one line names before "and N more". */
const BLOCKERS_PRINTED = 8;

export function registerDeploy(program: Command): void {
  clientOptions(
    program
      .command('deploy')
      .description('create or replace a function from a JavaScript file or a folder')
      .argument('<name>', 'function name, [a-z0-9][a-z0-9-]{0,62}')
      .argument('<path>', 'the function file (CommonJS or an ES module; .mjs is always a module), or a folder with package.json or index.js/index.mjs (bundled at deploy)')
      .option('--config <json>', 'config as JSON, e.g. \'{"timeout_ms":2000}\' (default: keep the current one)'),
  ).action(async (name: string, file: string, opts: { config?: string; url?: string; token?: string }) => {
    let config: unknown;
    if (opts.config !== undefined) {
      try {
        config = JSON.parse(opts.config);
      } catch {
        throw new CliError('--config is not valid JSON');
      }
    }
    const isDir = await stat(file).then((s) => s.isDirectory(), (err: NodeJS.ErrnoException) => {
      throw new CliError(`cannot read ${file}: ${err.code ?? err.message}`);
    });
    const client = new Client(opts);
    let r: Deployed;
    if (isDir) {
      const { packFolder } = await import('../pack-folder.ts');
      const tarball = await packFolder(file).catch((err: NodeJS.ErrnoException) => {
        throw new CliError(`cannot pack ${file}: ${err.code ?? err.message}`);
      });
      const headers: Record<string, string> = { 'content-type': 'application/gzip' };
      if (config !== undefined) headers['x-containerless-config'] = JSON.stringify(config);
      r = (await client.api('PUT', fnPath(name), new Uint8Array(tarball), headers)) as Deployed;
    } else {
      let source: string;
      try {
        source = await readFile(file, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      // A .mjs file is a module even without import or export: an empty export says so in the file.
      if (file.endsWith('.mjs') && !/^\s*export\s*\{\s*\}\s*;?\s*$/m.test(source)) source += '\nexport {};\n';
      r = (await client.api('PUT', fnPath(name), config === undefined ? { source } : { source, config })) as Deployed;
    }
    const style = r.style ? `, ${r.style} style` : '';
    if (r.unchanged) process.stdout.write(`unchanged: ${r.name} version ${r.version} already has this source and config (its trace and compiled code are kept)\n`);
    else process.stdout.write(`deployed ${r.name} version ${r.version} (sandbox ${r.sandbox}${style}); invoke it at ${client.base}/fn/${r.name}/\n`);
    process.stdout.write(`${blockersLine(r.acceleration_blockers ?? [], r.acceleration_blockers_omitted ?? 0)}\n`);
  });
}

/** "accelerated when warm" or "accelerated when warm, except: regexp at 12:5, class at 3:1 and 4 more". */
export function blockersLine(list: ReadonlyArray<{ what: string; line: number; column: number }>, omitted: number): string {
  if (list.length === 0) return 'accelerated when warm';
  const shown = list.slice(0, BLOCKERS_PRINTED).map((b) => `${b.what} at ${b.line}:${b.column}`);
  const more = list.length - shown.length + omitted;
  return `accelerated when warm, except: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}
