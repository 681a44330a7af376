import type { Command } from 'commander';

/** A failure the CLI reports as one line on stderr with a non-zero exit (CONTRACT §4). */
export class CliError extends Error {}

export interface ClientOptions {
  url?: string;
  token?: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** Adds `--url` and `--token` to a client command. */
export function clientOptions(cmd: Command): Command {
  return cmd
    .option('--url <url>', `server URL (default: $CONTAINERLESS_URL or ${DEFAULT_URL})`)
    .option('--token <token>', 'API token (default: $CONTAINERLESS_TOKEN)');
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

/** Speaks to a server's HTTP API; every failure becomes a CliError with the server's reason. */
export class Client {
  readonly base: string;
  private readonly token: string | undefined;

  constructor(o: ClientOptions) {
    this.base = (o.url ?? process.env.CONTAINERLESS_URL ?? DEFAULT_URL).replace(/\/+$/, '');
    this.token = o.token ?? process.env.CONTAINERLESS_TOKEN;
  }

  async send(method: string, path: string, body?: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): Promise<Reply> {
    const h: Record<string, string> = { ...headers };
    if (this.token && path.startsWith('/api')) h.authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await fetch(this.base + path, { method, headers: h, body });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`cannot reach ${this.base}: ${cause?.code ?? cause?.message ?? (err as Error).message} (is \`containerless serve\` running?)`);
    }
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  /** An API call that must succeed: returns the parsed JSON (or text), throws CliError otherwise. */
  async api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> {
    const raw = typeof body === 'string' || body instanceof Uint8Array;
    const payload = body === undefined ? undefined : raw ? (body as string | Uint8Array<ArrayBuffer>) : JSON.stringify(body);
    const h = body !== undefined && !raw ? { 'content-type': 'application/json', ...headers } : headers;
    const r = await this.send(method, path, payload, h);
    if (r.status >= 400) throw new CliError(errorLine(r));
    const type = r.headers.get('content-type') ?? '';
    return type.includes('json') ? JSON.parse(r.text) : r.text;
  }
}

/** `HTTP 400: syntax error … (line 3, column 5)` from an error reply. */
export function errorLine(r: Reply): string {
  try {
    const j = JSON.parse(r.text) as { error?: string; file?: string; line?: number; column?: number };
    const where = j.line !== undefined ? ` (${j.file !== undefined ? `${j.file}, ` : ''}line ${j.line}, column ${j.column})` : '';
    if (typeof j.error === 'string') return `HTTP ${r.status}: ${j.error}${where}`;
  } catch {}
  return `HTTP ${r.status}: ${r.text.split('\n')[0]!.slice(0, 200)}`;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function fnPath(name: string): string {
  return `/api/functions/${encodeURIComponent(name)}`;
}
