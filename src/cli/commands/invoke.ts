import type { Command } from 'commander';
import { CliError, Client, clientOptions, errorLine } from '../client.ts';

export function registerInvoke(program: Command): void {
  clientOptions(
    program
      .command('invoke')
      .description('invoke a function and print the response body')
      .argument('<name>', 'function name')
      .argument('[path]', 'path after /fn/NAME, with an optional ?query', '/')
      .option('-X, --method <method>', 'HTTP method (default: GET, or POST with -d)')
      .option('-d, --data <json>', 'request body, sent as JSON when it parses as JSON, else as text')
      .option('-v, --verbose', 'print the status, content type and x-containerless-* headers before the body'),
  ).action(async (name: string, path: string, opts: { method?: string; data?: string; verbose?: boolean; url?: string; token?: string }) => {
    const client = new Client(opts);
    const method = (opts.method ?? (opts.data !== undefined ? 'POST' : 'GET')).toUpperCase();
    const headers: Record<string, string> = {};
    if (opts.data !== undefined) headers['content-type'] = isJson(opts.data) ? 'application/json' : 'text/plain';
    const p = path.startsWith('/') ? path : `/${path}`;
    const r = await client.send(method, `/fn/${encodeURIComponent(name)}${p === '/' ? '/' : p}`, opts.data, headers);
    if (opts.verbose) {
      // Like `curl -i`: status and headers, a blank line, then the body, all on stdout.
      let head = `HTTP ${r.status}\n`;
      for (const [k, v] of r.headers) if (k.startsWith('x-containerless-') || k === 'content-type') head += `${k}: ${v}\n`;
      process.stdout.write(`${head}\n`);
    }
    process.stdout.write(r.text.endsWith('\n') || r.text === '' ? r.text : `${r.text}\n`);
    if (r.status >= 400) throw new CliError(errorLine(r));
  });
}

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}
